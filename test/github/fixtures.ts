// Test fixtures for the GitHub way in: GitHub's per-file `patch` texts and findings placed on them.

import { readFileSync } from 'node:fs';
import type { Citation, Finding } from '../../src/engine/finding.js';
import type { PlacedFinding } from '../../src/github/review-payload.js';

const DIR = new URL('../fixtures/github/', import.meta.url);

/** A fixture file as GitHub's `patch` field holds it (no trailing newline). */
export function githubPatch(name: string): string {
  return readFileSync(new URL(name, DIR), 'utf8').replace(/\n$/, '');
}

export const FOO = 'drivers/net/ethernet/foo/foo_main.c';
/** Three hunks: RIGHT 210–217, 412–417, 532–535; LEFT 210–215, 410–415, 530–532. */
export const FOO_PATCH = githubPatch('foo_main.c.github-patch');

export const OPENWRT = 'target/linux/generic/pending-6.6/760-net-foo-free-after-unregister.patch';
/** A `.patch` file added by the pull request: 22 added lines, the embedded `+\tkfree(ndev);` at line 18. */
export const OPENWRT_PATCH = githubPatch('760-net-foo-free-after-unregister.patch.github-patch');

export const HEAD_SHA = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
export const BASE_SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
export const DOCS = 'https://github.com/acme/netdev-review/blob/main/docs/rules';
export const CHECK_URL = 'https://github.com/acme/linux/runs/4242';

const TREE_DOC = `https://github.com/acme/linux/blob/${BASE_SHA}/Documentation/networking/netdevices.rst`;

const lifetime: Citation = {
  section: 'struct net_device lifetime rules',
  url: `${TREE_DOC}#L13-L63`,
  docLabel: 'v6.6',
  lines: { start: 13, end: 63 },
};

const xmit: Citation = {
  section: 'struct net_device synchronization rules',
  entry: 'ndo_start_xmit',
  url: `${TREE_DOC}#L77-L84`,
  docLabel: 'v6.6',
  lines: { start: 77, end: 84 },
};

const mtu: Citation = {
  section: 'MTU',
  url: 'https://www.kernel.org/doc/html/v6.6/networking/netdevices.html#mtu',
  docLabel: 'v6.6',
};

/** kfree() of the netdev on line 415 (added), with a one-line fix. */
export function freeFinding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'netdev-free-api',
    messageId: 'wrongFree',
    severity: 'error',
    file: FOO,
    line: 415,
    message: 'ndev is a struct net_device: free it with free_netdev(), not kfree() — its memory may come from vmalloc and the core has teardown to do',
    doc: { section: 'lifetime' },
    citation: { ...lifetime },
    fix: { line: 415, endLine: 415, replacement: '\tfree_netdev(ndev);', description: 'use free_netdev()' },
    evidence: [415],
    sourceLine: '\tkfree(ndev);',
    scope: 'change',
    ...over,
  };
}

/** A sleeping call reached from ndo_start_xmit, on line 213 (added); no fix. */
export function sleepFinding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'sleep-in-atomic-ndo',
    messageId: 'sleeps',
    severity: 'error',
    file: FOO,
    line: 213,
    message:
      'mutex_lock() may sleep (it takes a mutex), but foo_start_xmit is ndo_start_xmit (BHs disabled) through foo_refill(); move the refill to process context (a work item) or use a spinlock',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    citation: { ...xmit },
    chain: ['foo_start_xmit', 'foo_refill', 'mutex_lock'],
    evidence: [213],
    sourceLine: '\t\tfoo_refill(priv);',
    scope: 'change',
    ...over,
  };
}

/** An rx buffer without room for a VLAN tag on line 300, outside every hunk; has a fix. */
export function mtuFinding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'mtu-rx-buffer-vlan',
    messageId: 'noVlan',
    severity: 'info',
    file: FOO,
    line: 300,
    message:
      'this receive buffer is sized as dev->mtu + ETH_HLEN, with no room for a VLAN tag: at MTU 1500 a tagged frame is 1518 bytes, which the document asks the device to accept; add VLAN_HLEN (or use VLAN_ETH_HLEN)',
    doc: { section: 'mtu' },
    citation: { ...mtu },
    fix: { line: 300, endLine: 300, replacement: '\tlen = dev->mtu + VLAN_ETH_HLEN;', description: 'use VLAN_ETH_HLEN' },
    evidence: [300],
    sourceLine: '\tlen = dev->mtu + ETH_HLEN;',
    scope: 'change',
    ...over,
  };
}

/** A warning with no citation or fix, on line 216 (context). */
export function busyFinding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'xmit-busy',
    messageId: 'consumed',
    severity: 'warning',
    file: FOO,
    line: 216,
    message:
      'foo_start_xmit returns NETDEV_TX_BUSY after foo_refill() queued the skb at line 213: the core keeps the skb and sends it again, so it is sent twice; once the skb is freed or in the ring, return NETDEV_TX_OK',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    citation: { ...xmit },
    evidence: [216, 213],
    sourceLine: '\t\treturn NETDEV_TX_BUSY;',
    scope: 'change',
    ...over,
  };
}

export function placed(finding: Finding, path = finding.file): PlacedFinding {
  return { finding, path };
}
