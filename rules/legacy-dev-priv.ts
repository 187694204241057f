// Rule: `dev->priv` on a struct net_device — the field went away in 2.6.29; the private area is reached
// with netdev_priv(dev).

import { defineRule } from '../src/engine/rule.js';
import type { Fix } from '../src/engine/finding.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import { nodeText } from '../src/analysis/syntax.js';
import { CORE_PATHS } from '../src/engine/run.js';
import { netdevFieldAccesses } from './lib/netdev-fields.js';

const PRIV = new Set(['priv']);
const PRIV_ACCESS = /(?:->|\.)\s*priv\b/;

export default defineRule({
  meta: {
    id: 'legacy-dev-priv',
    severity: 'error',
    description: 'dev->priv used on a struct net_device; the private area is reached with netdev_priv(dev) since 2.6.29.',
    doc: { section: 'lifetime' },
    since: '2.6.29',
    // `->priv` is everywhere; the object must be a net_device, so the text must name one (or an allocator).
    triggers: /^(?=[\s\S]*?\b(?:net_device|alloc_\w+)\b)[\s\S]*?(?:->|\.)\s*priv\b/,
    needsWholeFunction: false,
    fixable: true,
    messages: {
      read: '{{expr}}: struct net_device has no priv pointer since 2.6.29; the private area allocated with the device is netdev_priv({{dev}})',
      assign:
        '{{expr}} is assigned: struct net_device has no priv pointer since 2.6.29; size the private area in alloc_netdev()/alloc_etherdev() and use netdev_priv({{dev}}), or keep a pointer to separately allocated data in {{dev}}{{op}}ml_priv',
    },
  },
  check(ctx) {
    for (const file of ctx.program.files) {
      if (CORE_PATHS.test(file.path)) continue;
      for (const fn of file.functions) {
        if (!fn.mentions('priv') || !PRIV_ACCESS.test(fn.text.src.slice(fn.startIndex, fn.endIndex))) continue;
        for (const access of netdevFieldAccesses(fn, file, PRIV)) {
          const expr = nodeText(fn.text.src, access.node).replace(/\s+/g, '');
          // A device held by value (`acme_dev.priv`) is netdev_priv(&acme_dev).
          const dev = access.operator === '->' ? access.objectText : `&${access.objectText}`;
          if (access.assigned) {
            ctx.report({ file: fn.file, line: access.line, messageId: 'assign', data: { expr, dev: access.objectText, op: access.operator } });
            continue;
          }
          ctx.report({ file: fn.file, line: access.line, messageId: 'read', data: { expr, dev }, fix: privFix(ctx.lineText(fn.file, access.line), access.node, dev, access.line, fn.text.src) });
        }
      }
    }
  },
});

/** `dev->priv` → `netdev_priv(dev)` on its line, when the expression sits on one line as written. */
function privFix(text: string | undefined, node: SyntaxNode, arg: string, line: number, src: string): Fix | undefined {
  if (text === undefined || node.startPosition.row !== node.endPosition.row) return undefined;
  // `&dev->priv`, `dev->priv++`: the field itself is used, not the area it pointed to.
  const parent = node.parent;
  if (parent && (parent.type === 'update_expression' || (parent.type === 'pointer_expression' && src.slice(parent.startIndex, parent.endIndex).startsWith('&')))) return undefined;
  const written = src.slice(node.startIndex, node.endIndex);
  const start = node.startPosition.column;
  if (text.slice(start, start + written.length) !== written) return undefined;
  return { line, endLine: line, replacement: text.slice(0, start) + `netdev_priv(${arg})` + text.slice(start + written.length), description: 'use netdev_priv()' };
}
