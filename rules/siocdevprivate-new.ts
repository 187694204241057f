// Rule: a change that adds an .ndo_siocdevprivate handler, which the document says new drivers should not add.

import { defineRule } from '../src/engine/rule.js';
import { opsEntries } from './lib/ops-entries.js';

export default defineRule({
  meta: {
    id: 'siocdevprivate-new',
    severity: 'info',
    description: 'A change adds an .ndo_siocdevprivate handler (SIOCDEVPRIVATE ioctls), which new drivers should not add.',
    doc: { section: 'sync', entry: 'ndo_siocdevprivate' },
    // The ioctl split (ndo_eth_ioctl / ndo_siocdevprivate out of ndo_do_ioctl) is 5.15.
    since: '5.15',
    docGate: { present: /should\s+not\s+be\s+added\s+to\s+new\s+drivers/ },
    triggers: /\bndo_siocdevprivate\b/,
    needsWholeFunction: false,
    fixable: false,
    messages: {
      added:
        '.ndo_siocdevprivate = {{fn}} adds SIOCDEVPRIVATE ioctls, which the document says should not be added to new drivers; expose the setting through ethtool, devlink or netlink instead',
    },
  },
  check(ctx) {
    for (const entry of opsEntries(ctx.program, 'ndo_siocdevprivate')) {
      if (!ctx.audit && !ctx.isAdded(entry.file, entry.line)) continue;
      ctx.report({ file: entry.file, line: entry.line, messageId: 'added', data: { fn: entry.ident ?? entry.value } });
    }
  },
});
