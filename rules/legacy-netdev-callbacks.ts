// Rule: a callback stored in a struct net_device field (`dev->hard_start_xmit = fn`), the API that
// struct net_device_ops replaced in 2.6.29.

import { defineRule } from '../src/engine/rule.js';
import { inKernelRange } from '../src/kernel/version.js';
import { CORE_PATHS } from '../src/engine/run.js';
import { LEGACY_CALLBACKS, type LegacyCallback } from './data/legacy-callbacks.js';
import { netdevFieldAccesses } from './lib/netdev-fields.js';

const BY_FIELD = new Map(LEGACY_CALLBACKS.map((c) => [c.field, c]));
const FIELDS = new Set(BY_FIELD.keys());
/** `->open =` / `.open =`: the field names are common words, their assignment is not. */
const ASSIGNMENT = new RegExp(`(?:->|\\.)\\s*(?:${[...FIELDS].join('|')})\\s*=[^=]`);

export default defineRule({
  meta: {
    id: 'legacy-netdev-callbacks',
    severity: 'warning',
    description: 'A callback assigned to a struct net_device field (dev->open, dev->hard_start_xmit, ...) instead of a struct net_device_ops table.',
    doc: { section: 'sync' },
    since: '2.6.29',
    // `.open =` is everywhere (file_operations); the object must be a net_device, so the text must name one.
    triggers: new RegExp(`^(?=[\\s\\S]*?\\b(?:net_device|alloc_\\w+)\\b)[\\s\\S]*?(?:->|\\.)\\s*(?:${[...FIELDS].join('|')})\\s*=`),
    needsWholeFunction: false,
    fixable: false,
    messages: {
      ndo: '{{object}}{{op}}{{field}} is a pre-net_device_ops callback field (struct net_device_ops replaced them in 2.6.29): put {{fn}} in the driver\'s struct net_device_ops as .{{ndo}} and set dev->netdev_ops to that table',
      other: '{{object}}{{op}}{{field}} is a pre-net_device_ops callback field (gone from struct net_device): {{instead}}',
    },
  },
  check(ctx) {
    for (const file of ctx.program.files) {
      if (CORE_PATHS.test(file.path)) continue;
      // Old drivers declared devices statically: `static struct net_device acme_dev = { .open = acme_open };`.
      for (const init of file.initializers) {
        if (init.structType !== 'net_device') continue;
        for (const f of init.fields) {
          const entry = BY_FIELD.get(f.path);
          if (entry) report(file.path, f.line, init.name, '.', entry, f.ident ?? f.value.trim());
        }
      }
      for (const fn of file.functions) {
        if (!fn.mentionsAny(FIELDS) || !ASSIGNMENT.test(fn.text.src.slice(fn.startIndex, fn.endIndex))) continue;
        for (const access of netdevFieldAccesses(fn, file, FIELDS)) {
          if (!access.assigned) continue;
          const a = fn.assigns.find((x) => x.left.startIndex === access.node.startIndex && x.left.endIndex === access.node.endIndex);
          const entry = BY_FIELD.get(access.field);
          if (!a || !entry) continue;
          report(fn.file, access.line, access.object, access.operator, entry, a.rightText.replace(/^&\s*/, '').trim());
        }
      }
    }

    function report(file: string, line: number, object: string, op: string, entry: LegacyCallback, fn: string): void {
      const ndo = entry.ndo && entry.ndoBefore && inKernelRange(ctx.target, undefined, entry.ndoBefore.until) ? entry.ndoBefore.ndo : entry.ndo;
      const data = { object, op, field: entry.field, fn: /^[A-Za-z_]\w*$/.test(fn) && fn !== 'NULL' ? fn : 'the callback', ndo: ndo ?? '', instead: entry.instead ?? '' };
      ctx.report({
        file,
        line,
        messageId: ndo ? 'ndo' : 'other',
        data,
        doc: entry.docEntry ? { section: entry.docEntry === 'napi->poll' ? 'napi' : 'sync', entry: entry.docEntry } : undefined,
      });
    }
  },
});
