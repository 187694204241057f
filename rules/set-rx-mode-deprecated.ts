// Rule: a change that sets .ndo_set_rx_mode, on trees whose document deprecates it for
// ndo_set_rx_mode_async (process context, may sleep).

import { defineRule } from '../src/engine/rule.js';
import { opsEntries } from './lib/ops-entries.js';

export default defineRule({
  meta: {
    id: 'set-rx-mode-deprecated',
    severity: 'info',
    description: 'A change sets .ndo_set_rx_mode, which the document deprecates in favour of ndo_set_rx_mode_async.',
    doc: { section: 'sync', entry: 'ndo_set_rx_mode' },
    // Only the 2026 net-next document says so; no release is known to carry it yet, so without the
    // tree's own document the rule applies to mainline targets only.
    since: 'mainline',
    docGate: { present: /Deprecated\s+in\s+favou?r\s+of\s+ndo_set_rx_mode_async/ },
    triggers: /\bndo_set_rx_mode\b/,
    needsWholeFunction: false,
    fixable: false,
    messages: {
      deprecated:
        '.ndo_set_rx_mode = {{fn}}: ndo_set_rx_mode is deprecated in favour of ndo_set_rx_mode_async, which runs in process context under rtnl (it may sleep) and gets snapshots of the address lists; consider implementing the rx filter as ndo_set_rx_mode_async',
    },
  },
  check(ctx) {
    for (const entry of opsEntries(ctx.program, 'ndo_set_rx_mode')) {
      if (!ctx.audit && !ctx.isAdded(entry.file, entry.line)) continue;
      // A table that already provides the async variant keeps the old one on purpose.
      if (entry.siblings.has('ndo_set_rx_mode_async')) continue;
      ctx.report({ file: entry.file, line: entry.line, messageId: 'deprecated', data: { fn: entry.ident ?? entry.value } });
    }
  },
});
