// Rule: NETDEV_TX_LOCKED, the LLTX "lock contended, retry" return code, is gone since 4.7.

import { defineRule } from '../src/engine/rule.js';
import { nodeText, walk } from '../src/analysis/syntax.js';

export default defineRule({
  meta: {
    id: 'xmit-tx-locked-removed',
    severity: 'error',
    description: 'NETDEV_TX_LOCKED was removed in 4.7: an ndo_start_xmit can no longer ask the core to retry because its own lock was busy.',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    since: '4.7',
    // Where the target's own document still lists the code, it is the API of that tree.
    docGate: { absent: /NETDEV_TX_LOCKED/ },
    triggers: /\bNETDEV_TX_LOCKED\b/,
    needsWholeFunction: false,
    fixable: false,
    messages: {
      removed: 'NETDEV_TX_LOCKED no longer exists (removed in 4.7); take the driver\'s tx lock unconditionally (spin_lock(), not a trylock) and return NETDEV_TX_OK, or stop the queue and return NETDEV_TX_BUSY when the ring is full',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentions('NETDEV_TX_LOCKED') || !fn.body) continue;
      const src = fn.text.src;
      const lines = new Set<number>();
      walk(fn.body, (n) => {
        if (n.type === 'identifier' && nodeText(src, n) === 'NETDEV_TX_LOCKED') lines.add(n.startPosition.row + fn.text.lineOffset);
      });
      for (const line of lines) ctx.report({ file: fn.file, line, messageId: 'removed' });
    }
  },
});
