// Mail stage tests: triage records of one mail and reply drafts (headers, threading, quoting, wrapping).

import { describe, expect, it } from 'vitest';

import type { Finding } from '../../src/engine/finding.js';
import type { Patch } from '../../src/ingest/patch.js';
import { readPatches } from '../../src/ingest/read-input.js';
import { parseKernelVersion } from '../../src/kernel/version.js';
import { replyDraft, wrapText, WRAP_COLUMNS } from '../../src/mail/reply-draft.js';
import { triagePatch } from '../../src/mail/triage.js';
import type { PatchReview } from '../../src/review/result.js';

const MAIL = `From: Jörg Doe <jdoe@example.com>
To: netdev@vger.kernel.org
Subject: [PATCH net 2/3] net: foo: free the netdev on remove
Date: Mon, 5 Jan 2026 10:00:00 +0100
Message-ID: <20260105-foo-2-jdoe@example.com>
In-Reply-To: <20260105-foo-0-jdoe@example.com>
References: <20260105-foo-0-jdoe@example.com>

The remove path leaked the netdev.

Signed-off-by: Jörg Doe <jdoe@example.com>
---
 drivers/net/foo/foo_main.c | 8 ++++++--
 drivers/net/foo/foo_napi.c | 3 ++-
 2 files changed, 8 insertions(+), 3 deletions(-)

diff --git a/drivers/net/foo/foo_main.c b/drivers/net/foo/foo_main.c
--- a/drivers/net/foo/foo_main.c
+++ b/drivers/net/foo/foo_main.c
@@ -10,9 +10,13 @@ static void foo_remove(struct pci_dev *pdev)
 {
 	struct net_device *ndev = pci_get_drvdata(pdev);
 	struct foo_priv *priv = netdev_priv(ndev);
 
-	unregister_netdev(ndev);
+	kfree(ndev);
+	unregister_netdev(ndev);
+	priv->ndev = NULL;
+	priv->state = 0;
 	foo_hw_reset(priv);
-	pci_disable_device(pdev);
+	pci_release_regions(pdev);
+	pci_disable_device(pdev);
 }
 
diff --git a/drivers/net/foo/foo_napi.c b/drivers/net/foo/foo_napi.c
--- a/drivers/net/foo/foo_napi.c
+++ b/drivers/net/foo/foo_napi.c
@@ -40,4 +40,5 @@ static int foo_poll(struct napi_struct *napi, int budget)
 	int done = foo_clean_rx(priv, budget);
 
-	napi_complete(napi);
+	msleep(1);
+	napi_complete(napi);
 	return done;
-- 
2.43.0
`;

const URL = 'https://docs.kernel.org/networking/netdevices.html#struct-net-device-lifetime-rules-with-a-very-long-anchor-that-must-not-break';

function finding(over: Partial<Finding> & Pick<Finding, 'file' | 'line' | 'ruleId'>): Finding {
  return {
    severity: 'error',
    message: 'x',
    doc: { section: 'lifetime' },
    evidence: [over.line],
    citation: { section: 'struct net_device lifetime rules', url: URL, docLabel: 'mainline' },
    ...over,
  };
}

async function fixture(findings: Finding[]): Promise<{ patch: Patch; review: PatchReview }> {
  const [patch] = await readPatches(Buffer.from(MAIL), 'foo.eml');
  if (patch === undefined) throw new Error('no patch read');
  const review: PatchReview = { patch, target: { version: parseKernelVersion('6.12') ?? { kind: 'mainline' }, source: 'default' }, findings, notes: [] };
  return { patch, review };
}

const THREE = [
  finding({
    ruleId: 'netdev-free-api',
    file: 'drivers/net/foo/foo_main.c',
    line: 14,
    message: 'a net_device allocated with alloc_etherdev() must be released with free_netdev(), never kfree(): the device may still be referenced through its kobject and freeing it directly corrupts the sysfs lifetime',
    fix: { line: 14, endLine: 14, replacement: '\tfree_netdev(ndev);', description: 'use free_netdev()' },
  }),
  finding({ ruleId: 'netdev-use-after-unregister', severity: 'warning', file: 'drivers/net/foo/foo_main.c', line: 15, message: 'unregister_netdev() after the device was freed' }),
  finding({ ruleId: 'napi-poll-sleep', severity: 'warning', file: 'drivers/net/foo/foo_napi.c', line: 42, message: 'msleep() in a NAPI poll callback, which runs in softirq context', doc: { section: 'napi', entry: 'napi->poll' } }),
];

describe('triagePatch', () => {
  it('records tree, position, relevance, counts and the missing Fixes:', async () => {
    const { patch, review } = await fixture(THREE);
    const t = triagePatch(patch, review);
    expect(t).toMatchObject({
      messageId: '20260105-foo-2-jdoe@example.com',
      kind: 'patch',
      tree: 'net',
      treeName: 'net',
      revision: 1,
      index: 2,
      total: 3,
      relevant: true,
      reviewed: true,
      counts: { error: 1, warning: 2, info: 0 },
      fixes: [],
      missingFixes: true,
    });
    expect(t.findings[0]).toMatchObject({ ruleId: 'netdev-free-api', citationUrl: URL, fix: 'use free_netdev()' });
  });

  it('calls a patch relevant from its changed lines even without findings', async () => {
    const { patch, review } = await fixture([]);
    expect(triagePatch(patch, review).relevant).toBe(true);
    const quiet: Patch = { ...patch, diff: patch.diff.replace(/unregister_netdev|napi_complete|napi_struct|net_device|netdev_priv/g, 'foo_call') };
    expect(triagePatch(quiet, { ...review, patch: quiet }).relevant).toBe(false);
  });

  it('never calls a reply relevant nor asks it for Fixes:', async () => {
    const { patch, review } = await fixture([]);
    const reply: Patch = { ...patch, kind: 'reply' };
    expect(triagePatch(reply, { ...review, patch: reply, skipped: 'a reply' })).toMatchObject({ relevant: false, reviewed: false, missingFixes: false });
  });
});

describe('replyDraft', () => {
  it('threads the reply under the patch with plain-text headers', async () => {
    const { patch, review } = await fixture(THREE);
    const mail = replyDraft(patch, patch.diff, triagePatch(patch, review), { from: 'Ann Reviewer <ann@example.org>', cc: ['netdev@vger.kernel.org'] });
    const [head = ''] = mail.split('\n\n');
    expect(head.split('\n')).toEqual([
      'From: Ann Reviewer <ann@example.org>',
      `To: =?UTF-8?B?${Buffer.from('Jörg Doe').toString('base64')}?= <jdoe@example.com>`,
      'Cc: netdev@vger.kernel.org',
      'Subject: Re: [PATCH net 2/3] net: foo: free the netdev on remove',
      'In-Reply-To: <20260105-foo-2-jdoe@example.com>',
      'References: <20260105-foo-0-jdoe@example.com>',
      ' <20260105-foo-2-jdoe@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    ]);
    expect(mail).not.toMatch(/<html|text\/html/i);
  });

  it('quotes the hunk header and the lines around each of 3 findings in 2 files, the finding below', async () => {
    const { patch, review } = await fixture(THREE);
    const mail = replyDraft(patch, patch.diff, triagePatch(patch, review), { from: 'Ann Reviewer <ann@example.org>' });
    const body = mail.slice(mail.indexOf('\n\n') + 2);
    expect(body.startsWith('Hi Jörg,\n\n')).toBe(true);
    expect(body).toContain([
      '> @@ -10,9 +10,13 @@ static void foo_remove(struct pci_dev *pdev)',
      '[...]',
      '>  \tstruct foo_priv *priv = netdev_priv(ndev);',
      '>',
      '> -\tunregister_netdev(ndev);',
      '> +\tkfree(ndev);',
      '> +\tunregister_netdev(ndev);',
      '> +\tpriv->ndev = NULL;',
      '> +\tpriv->state = 0;',
      '',
      'error: a net_device allocated with alloc_etherdev() must be released',
      'with free_netdev(), never kfree(): the device may still be referenced',
    ].join('\n'));
    expect(body).toContain('Suggested fix: use free_netdev().\nSee "struct net_device lifetime rules" in');
    expect(body).toContain([
      '> @@ -40,4 +40,5 @@ static int foo_poll(struct napi_struct *napi, int budget)',
      '>  \tint done = foo_clean_rx(priv, budget);',
      '>',
      '> -\tnapi_complete(napi);',
      '> +\tmsleep(1);',
      '> +\tnapi_complete(napi);',
      '>  \treturn done;',
      '',
      'warning: msleep() in a NAPI poll callback, which runs in softirq context',
      '[napi-poll-sleep]',
    ].join('\n'));
    expect(body.match(/^> @@ /gm)).toHaveLength(3);
    expect(body).toContain('carries no Fixes: tag');
    expect(body.trimEnd().endsWith('Thanks,\nAnn Reviewer')).toBe(true);

    // Wrapped at 72, except quoted diff lines and URLs, which are never broken.
    for (const line of body.split('\n')) {
      if (line.length > WRAP_COLUMNS) expect(line.startsWith('> ') || line === URL, line).toBe(true);
    }
    expect(body.split('\n').filter((l) => l === URL)).toHaveLength(3);
  });

  it('falls back to the mail position, then to the source line, when the diff does not hold the line', async () => {
    const { patch, review } = await fixture([finding({ ruleId: 'r', file: 'drivers/net/foo/other.c', line: 3, sourceLine: '\tfree(x);' })]);
    const mail = replyDraft(patch, patch.diff, triagePatch(patch, review), { from: 'a@b.c' });
    expect(mail).toContain('In drivers/net/foo/other.c, line 3:\n> free(x);\n');
  });
});

describe('wrapText', () => {
  it('wraps at 72 columns and never breaks a long URL', () => {
    const text = `${'word '.repeat(30)}${URL} end`;
    const lines = wrapText(text);
    expect(lines.every((l) => l.length <= WRAP_COLUMNS || l === URL)).toBe(true);
    expect(lines).toContain(URL);
    expect(lines.join(' ').split(/\s+/)).toEqual(text.trim().split(/\s+/));
  });
});
