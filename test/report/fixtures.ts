// Test fixtures for the report stage: a hand-built RunResult for a two-message netdev series.

import type { Finding } from '../../src/engine/finding.js';
import type { Patch } from '../../src/ingest/patch.js';
import type { PatchReview, RuleInfo, RunResult } from '../../src/review/result.js';

/** Message #1 of the mbox as the input file holds it; the diff starts at line 16. */
export const PATCH_MAIL = `From 5d3f1a2b9c8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f Mon Sep 17 00:00:00 2001
From: Jane Developer <jane@example.com>
Date: Tue, 4 Mar 2025 10:12:00 +0100
Subject: [PATCH net v2 1/2] net: foo: free the netdev after unregister
Message-ID: <20250304091200.1234-2-jane@example.com>

foo_remove() frees the net_device with kfree(); use the helper that
matches alloc_etherdev(). While here, refill the ring when it is full.

Fixes: 0123456789ab ("net: foo: add driver")
Signed-off-by: Jane Developer <jane@example.com>
---
 drivers/net/ethernet/foo/foo_main.c | 5 +++--
 1 file changed, 3 insertions(+), 2 deletions(-)

diff --git a/drivers/net/ethernet/foo/foo_main.c b/drivers/net/ethernet/foo/foo_main.c
index 1111111..2222222 100644
--- a/drivers/net/ethernet/foo/foo_main.c
+++ b/drivers/net/ethernet/foo/foo_main.c
@@ -210,6 +210,8 @@ static netdev_tx_t foo_start_xmit(struct sk_buff *skb, struct net_device *dev)
 	struct foo_priv *priv = netdev_priv(dev);
 
 	if (foo_ring_full(priv)) {
+		foo_refill(priv);
+		dev->stats.tx_dropped++;
 		netif_stop_queue(dev);
 		return NETDEV_TX_BUSY;
 	}
@@ -410,6 +412,6 @@ static void foo_remove(struct pci_dev *pdev)
 	struct net_device *ndev = pci_get_drvdata(pdev);
 
 	unregister_netdev(ndev);
-	free_netdev(ndev);
+	kfree(ndev);
 	pci_disable_device(pdev);
 }
-- 
2.47.1
`;

const DIFF_START = PATCH_MAIL.split('\n').findIndex((l) => l.startsWith('diff --git')) + 1;

/** Line (1-based) of the input file holding `text` exactly. */
export function inputLineOf(text: string): number {
  const index = PATCH_MAIL.split('\n').indexOf(text);
  if (index < 0) throw new Error(`fixture has no line ${JSON.stringify(text)}`);
  return index + 1;
}

const FILE = 'drivers/net/ethernet/foo/foo_main.c';

export const RULES: RuleInfo[] = [
  {
    id: 'napi-poll-budget',
    severity: 'warning',
    description: 'A NAPI poll function returns more than its budget.',
    doc: { section: 'napi', entry: 'napi->poll' },
    helpUri: 'https://docs.kernel.org/networking/netdevices.html#struct-napi-struct-synchronization-rules',
    fixable: false,
  },
  {
    id: 'netdev-free-api',
    severity: 'error',
    description: 'A net_device is freed with something other than free_netdev().',
    doc: { section: 'lifetime' },
    since: '2.6.29',
    helpUri: 'https://docs.kernel.org/networking/netdevices.html#struct-net-device-lifetime-rules',
    fixable: true,
  },
  {
    id: 'xmit-may-sleep',
    severity: 'warning',
    description: 'ndo_start_xmit reaches a function that may sleep.',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    helpUri: 'https://docs.kernel.org/networking/netdevices.html#struct-net-device-synchronization-rules',
    fixable: false,
  },
  {
    id: 'netdev-stats-lockless',
    severity: 'info',
    description: 'dev->stats is updated without DEV_STATS_INC() from a lockless path.',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    since: '6.1',
    until: '6.9',
    helpUri: 'https://docs.kernel.org/networking/netdevices.html#struct-net-device-synchronization-rules',
    fixable: false,
  },
];

const lifetimeCitation = {
  section: 'struct net_device lifetime rules',
  url: 'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/Documentation/networking/netdevices.rst?h=v6.1#n13',
  docLabel: 'v6.1',
  lines: { start: 13, end: 63 },
};

const xmitCitation = {
  section: 'struct net_device synchronization rules',
  entry: 'ndo_start_xmit',
  url: 'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/Documentation/networking/netdevices.rst?h=v6.1#n77',
  docLabel: 'v6.1',
  lines: { start: 77, end: 84 },
};

export function errorFinding(): Finding {
  return {
    ruleId: 'netdev-free-api',
    severity: 'error',
    file: FILE,
    line: 415,
    message: 'net_device freed with kfree(); use free_netdev()',
    doc: { section: 'lifetime' },
    citation: { ...lifetimeCitation },
    fix: { line: 415, endLine: 415, replacement: '\tfree_netdev(ndev);', description: 'use free_netdev()' },
    evidence: [415],
    sourceLine: '\tkfree(ndev);',
    scope: 'change',
    inputLine: inputLineOf('+\tkfree(ndev);'),
  };
}

export function warningFinding(): Finding {
  return {
    ruleId: 'xmit-may-sleep',
    severity: 'warning',
    file: FILE,
    line: 213,
    message: 'foo_start_xmit() runs with BHs disabled but may sleep in mutex_lock()',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    citation: { ...xmitCitation },
    chain: ['foo_start_xmit', 'foo_refill', 'mutex_lock'],
    evidence: [213],
    sourceLine: '\t\tfoo_refill(priv);',
    scope: 'change',
    inputLine: inputLineOf('+\t\tfoo_refill(priv);'),
  };
}

export function infoFinding(): Finding {
  return {
    ruleId: 'netdev-stats-lockless',
    severity: 'info',
    file: FILE,
    line: 214,
    message: 'dev->stats.tx_dropped updated locklessly; consider DEV_STATS_INC()',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    evidence: [214],
    sourceLine: '\t\tdev->stats.tx_dropped++;',
    scope: 'change',
    inputLine: inputLineOf('+\t\tdev->stats.tx_dropped++;'),
  };
}

function tags(title: string, index: number): Patch['tags'] {
  return { title, tree: 'net', revision: 2, index, total: 2, rfc: false, raw: ['PATCH', 'net', 'v2', `${index}/2`], isReply: false };
}

export function coverLetter(): PatchReview {
  const patch: Patch = {
    origin: 'foo-v2.mbox#0',
    ordinal: 0,
    messageId: '<20250304091200.1234-1-jane@example.com>',
    references: [],
    from: 'Jane Developer <jane@example.com>',
    subject: '[PATCH net v2 0/2] net: foo: teardown fixes',
    tags: tags('net: foo: teardown fixes', 0),
    description: 'Two fixes for the foo driver teardown path.',
    trailers: { fixes: [], signedOffBy: [] },
    diff: '',
    diffStartLine: 0,
    kind: 'cover-letter',
    notes: [],
  };
  return { patch, target: { version: { kind: 'mainline' }, source: 'subject' }, findings: [], notes: [], skipped: 'cover letter' };
}

export function reviewedPatch(findings: Finding[] = [warningFinding(), infoFinding(), errorFinding()]): PatchReview {
  const lines = PATCH_MAIL.split('\n');
  const patch: Patch = {
    origin: 'foo-v2.mbox#1',
    ordinal: 1,
    messageId: '<20250304091200.1234-2-jane@example.com>',
    inReplyTo: '<20250304091200.1234-1-jane@example.com>',
    references: ['<20250304091200.1234-1-jane@example.com>'],
    from: 'Jane Developer <jane@example.com>',
    date: 'Tue, 4 Mar 2025 10:12:00 +0100',
    subject: '[PATCH net v2 1/2] net: foo: free the netdev after unregister',
    tags: tags('net: foo: free the netdev after unregister', 1),
    description: lines.slice(6, 11).join('\n'),
    trailers: { fixes: ['0123456789ab ("net: foo: add driver")'], signedOffBy: ['Jane Developer <jane@example.com>'] },
    // git's "-- " signature is after the diff in the mail, not part of it.
    diff: lines.slice(DIFF_START - 1, lines.indexOf('-- ')).join('\n') + '\n',
    diffStartLine: DIFF_START,
    kind: 'patch',
    notes: [],
  };
  return {
    patch,
    target: { version: { kind: 'release', major: 6, minor: 1 }, source: 'flag' },
    findings,
    notes: ['no --tree given: reviewed the hunks only'],
  };
}

/** The whole run: an unreadable file, the cover letter (skipped) and the patch with an error, a warning and an info. */
export function sampleRun(): RunResult {
  return {
    reviews: [coverLetter(), reviewedPatch()],
    inputErrors: [{ origin: 'missing.patch', message: 'missing.patch: cannot read: ENOENT: no such file or directory' }],
    rules: RULES.map((r) => ({ ...r })),
  };
}
