// Rule: any use of the net_device `destructor` field, removed in v4.12 for needs_free_netdev + priv_destructor.

import { defineRule } from '../src/engine/rule.js';
import type { Fix } from '../src/engine/finding.js';
import type { FileFacts, FunctionFacts } from '../src/analysis/facts.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import { nodeText, walk } from '../src/analysis/syntax.js';
import { NETDEV_FREES, names } from './data/netdev-api.js';
import { allocatorCall, refKey, typeOfName } from './lib/netdev-refs.js';

const FREES = names(NETDEV_FREES);
/**
 * Names that hold a net_device in driver code, when the declaration is not in view (`dev`, `priv->ndev`,
 * `wl->monitor_dev`). The other structs with a `destructor` (sk_buff, ...) go by other names.
 */
const NETDEV_NAME = /^(?:dev|ndev|netdev|net_dev|netdevice|\w+_(?:dev|ndev|netdev))$|->(?:\w+_)?(?:dev|ndev|netdev|net_dev)$/;

export default defineRule({
  meta: {
    id: 'destructor-removed',
    severity: 'error',
    description: 'Use of the net_device destructor field, removed in 4.12 (use needs_free_netdev and priv_destructor).',
    doc: { section: 'lifetime', entry: 'priv_destructor' },
    // "net: Fix inconsistent teardown and release of private netdev state" (cf124db566e6) is in v4.12.
    since: '4.12',
    triggers: /\bdestructor\b/,
    needsWholeFunction: false,
    fixable: true,
    messages: {
      freeOnly: '{{dev}}->destructor is gone since 4.12: to have the core free the device after unregistration, set {{dev}}->needs_free_netdev = true',
      privateTeardown:
        '{{dev}}->destructor is gone since 4.12: {{fn}}() only releases private state, so make it {{dev}}->priv_destructor (the core calls it after unregistration and when registration fails)',
      freesToo:
        '{{dev}}->destructor is gone since 4.12: set {{dev}}->needs_free_netdev = true and {{dev}}->priv_destructor = {{fn}}, and drop the free_netdev() from {{fn}}() — the core frees the device after the destructor',
      other: '{{dev}}->destructor is gone since 4.12: use {{dev}}->needs_free_netdev (the core frees the device) and {{dev}}->priv_destructor (private teardown) instead',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentions('destructor')) continue;
      const file = ctx.program.files.find((f) => f.path === fn.file);
      const src = fn.text.src;
      if (!fn.body) continue;
      walk(fn.body, (n) => {
        if (n.type !== 'field_expression') return;
        const field = n.childForFieldName('field');
        const obj = n.childForFieldName('argument');
        if (!field || !obj || nodeText(src, field) !== 'destructor') return;
        const dev = refKey(nodeText(src, obj));
        if (!isNetdev(fn, file, obj, dev)) return;
        const line = n.startPosition.row + fn.text.lineOffset;
        const assign = n.parent?.type === 'assignment_expression' && n.parent.childForFieldName('left')?.startIndex === n.startIndex ? n.parent : undefined;
        const value = assign?.childForFieldName('right');
        const target = value && value.type === 'identifier' ? nodeText(src, value) : undefined;
        const op = assign ? nodeText(src, assign.childForFieldName('operator') ?? assign) : '';
        if (!assign || op !== '=' || !target) {
          ctx.report({ file: fn.file, line, messageId: 'other', data: { dev } });
          return;
        }
        if (FREES.has(target)) {
          ctx.report({ file: fn.file, line, messageId: 'freeOnly', data: { dev }, fix: replaceAssignment(ctx.lineText(fn.file, line), line, n, src, 'needs_free_netdev', 'true') });
          return;
        }
        const destructor = ctx.program.lookup(fn.file, target);
        if (destructor && !freesDevice(destructor)) {
          ctx.report({
            file: fn.file,
            line,
            messageId: 'privateTeardown',
            data: { dev, fn: target },
            fix: replaceAssignment(ctx.lineText(fn.file, line), line, n, src, 'priv_destructor', target),
          });
          return;
        }
        ctx.report({ file: fn.file, line, messageId: destructor ? 'freesToo' : 'other', data: { dev, fn: target } });
      });
    }
  },
});

/** The object of `obj->destructor` is a net_device: typed so, allocated as one, or named like one when its type is not in view. */
function isNetdev(fn: FunctionFacts, file: FileFacts | undefined, obj: SyntaxNode, dev: string): boolean {
  if (obj.type === 'identifier') {
    const type = typeOfName(fn, file, dev);
    if (type !== undefined) return type === 'struct net_device *';
    const assigned = fn.assigns.find((a) => a.operator === '=' && refKey(a.leftText) === dev);
    if (assigned && allocatorCall(fn.text.src, assigned.right)) return true;
    return NETDEV_NAME.test(dev);
  }
  // `priv->netdev->destructor`, `adapter->ndev->destructor`: the field's name is all there is.
  return obj.type === 'field_expression' && NETDEV_NAME.test(dev);
}

/** The destructor frees the device itself (its parameter), as drivers did before needs_free_netdev. */
function freesDevice(fn: FunctionFacts): boolean {
  const param = fn.params[0]?.name;
  return !!param && fn.calls.some((c) => FREES.has(c.name) && refKey(c.argTexts[0] ?? '') === param);
}

/** `dev->destructor = x;` → `dev->field = value;` on the same line, when the assignment is alone on it. */
function replaceAssignment(text: string | undefined, line: number, fieldExpr: SyntaxNode, src: string, field: string, value: string): Fix | undefined {
  if (text === undefined) return undefined;
  const m = /^(\s*)(.+?)\s*->\s*destructor\s*=\s*[A-Za-z_]\w*\s*;(\s*(?:\/\*.*\*\/|\/\/.*)?)$/.exec(text);
  if (!m || refKey(m[2]) !== refKey(nodeText(src, fieldExpr.childForFieldName('argument') ?? fieldExpr))) return undefined;
  return { line, endLine: line, replacement: `${m[1]}${m[2]}->${field} = ${value};${m[3]}`, description: `use ${field}` };
}
