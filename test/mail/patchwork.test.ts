// Patchwork checks against a local stand-in that answers like Patchwork's REST API, with real reviews of
// real patch mails; the last test drives the worker over a real SQLite store.

import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPatchworkReporter, PATCHWORK_CONTEXT } from '../../src/mail/patchwork.js';
import { reviewMail, type MailTriage } from '../../src/mail/review-mail.js';
import { MailWorker } from '../../src/mail/worker.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { ALL_RULES } from '../../rules/index.js';

const TOKEN = 'pw-secret-token-123';
const PUBLIC = 'https://review.example.net';

interface Recorded {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body?: Record<string, unknown>;
}

/** A Patchwork stand-in: knows some patches by Message-ID (stored with angle brackets, as Patchwork does). */
async function standIn(known: Record<string, number>, mode: 'ok' | 'fail-lookup' | 'fail-post' | 'hang' = 'ok') {
  const requests: Recorded[] = [];
  const checks: Record<string, unknown>[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve(Buffer.concat(parts).toString()));
    });
  const server = createServer(async (req, res) => {
    const text = await read(req);
    const rec: Recorded = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'] };
    if (text) rec.body = JSON.parse(text) as Record<string, unknown>;
    requests.push(rec);
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (mode === 'hang') return; // never answers
    if (req.method === 'GET' && url.pathname === '/api/patches/') {
      if (mode === 'fail-lookup') return send(500, { detail: 'Internal Server Error' });
      const msgid = `<${url.searchParams.get('msgid')}>`;
      const id = known[msgid];
      return send(200, id === undefined ? [] : [{ id, url: `http://x/api/patches/${id}/`, msgid, name: 'a patch', state: 'new', check: 'pending' }]);
    }
    const m = /^\/api\/patches\/(\d+)\/checks\/$/.exec(url.pathname);
    if (req.method === 'POST' && m) {
      if (req.headers.authorization !== `Token ${TOKEN}`) return send(401, { detail: 'Invalid token.' });
      if (mode === 'fail-post') return send(500, { detail: 'Internal Server Error' });
      if (!Object.values(known).includes(Number(m[1]))) return send(404, { detail: 'Not found.' });
      const check = { id: checks.length + 1, url: `http://x${url.pathname}${checks.length + 1}/`, user: { id: 1, username: 'bot' }, date: new Date().toISOString(), ...rec.body };
      checks.push(check);
      return send(201, check);
    }
    send(404, { detail: 'Not found.' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests, checks };
}

const servers: Server[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  for (const s of stores.splice(0)) await s.close();
});

function logSink() {
  const lines: string[] = [];
  const log = { info: (obj: object, msg?: string) => void lines.push(JSON.stringify({ ...obj, msg })), error: (obj: object, msg?: string) => void lines.push(JSON.stringify({ ...obj, msg })) };
  return { lines, log };
}

const acme = readFileSync('examples/acme-new-driver.patch', 'utf8');
/** The example driver (errors only), with a Message-ID. */
const errorMail = Buffer.from(acme.replace('Subject:', 'Message-ID: <acme-eth-1@example.org>\nSubject:'));

/** A one-line patch nothing objects to. */
const cleanMail = Buffer.from(`From: Jane Example <jane@example.org>
Date: Sat, 21 Nov 2026 10:00:00 +0000
Message-ID: <clean-1@example.org>
Subject: [PATCH net-next] net: acme: fix a typo in a comment

Signed-off-by: Jane Example <jane@example.org>
---
 drivers/net/ethernet/acme/acme_eth.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/drivers/net/ethernet/acme/acme_eth.c b/drivers/net/ethernet/acme/acme_eth.c
index 1b2c3d4e5f60..2b2c3d4e5f61 100644
--- a/drivers/net/ethernet/acme/acme_eth.c
+++ b/drivers/net/ethernet/acme/acme_eth.c
@@ -1,3 +1,3 @@
 // SPDX-License-Identifier: GPL-2.0
-/* Acme Fast Ethernet: an exmaple driver. */
+/* Acme Fast Ethernet: an example driver. */
 
--
2.43.0
`);

/** A hardware driver turning on lockless transmit: a warning, no error. */
const warningMail = Buffer.from(`From: Jane Example <jane@example.org>
Date: Sat, 21 Nov 2026 10:00:00 +0000
Message-ID: <lltx-1@example.org>
Subject: [PATCH net-next] net: acme: transmit without the queue lock

Signed-off-by: Jane Example <jane@example.org>
---
 drivers/net/ethernet/acme/acme_eth.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/drivers/net/ethernet/acme/acme_eth.c b/drivers/net/ethernet/acme/acme_eth.c
index 1b2c3d4e5f60..2b2c3d4e5f61 100644
--- a/drivers/net/ethernet/acme/acme_eth.c
+++ b/drivers/net/ethernet/acme/acme_eth.c
@@ -40,6 +40,7 @@ static int acme_probe(struct platform_device *pdev)
 	ndev->netdev_ops = &acme_netdev_ops;
 	ndev->features |= NETIF_F_SG;
+	ndev->features |= NETIF_F_LLTX;
 	ndev->hw_features = ndev->features;
 
 	err = register_netdev(ndev);
--
2.43.0
`);

/** A reply in the thread: not a patch, never reviewed. */
const replyMail = Buffer.from(`From: Joe Maintainer <joe@example.org>
Date: Sat, 21 Nov 2026 11:00:00 +0000
Message-ID: <reply-1@example.org>
In-Reply-To: <acme-eth-1@example.org>
References: <acme-eth-1@example.org>
Subject: Re: [PATCH net-next] net: ethernet: add Acme Fast Ethernet driver

Looks like it leaks the netdev on the error path.
`);

const reviewed = (raw: Buffer, id = 1) => reviewMail(raw, id, ALL_RULES);

describe('Patchwork checks', () => {
  it('posts a fail check, with context, description, target_url and the token, for a patch with errors', async () => {
    const pw = await standIn({ '<acme-eth-1@example.org>': 4711 });
    const { lines, log } = logSink();
    const triage = await reviewed(errorMail, 7);
    expect(triage.patches[0]!.counts.error).toBeGreaterThan(0);
    const results = await createPatchworkReporter({ url: `${pw.url}/`, token: TOKEN, publicUrl: `${PUBLIC}/`, log }).report(triage);
    expect(results).toEqual([{ messageId: 'acme-eth-1@example.org', outcome: 'posted', patchId: 4711, state: 'fail' }]);

    expect(pw.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/patches/?msgid=acme-eth-1%40example.org',
      'POST /api/patches/4711/checks/',
    ]);
    const post = pw.requests[1]!;
    expect(post.authorization).toBe(`Token ${TOKEN}`);
    expect(post.contentType).toBe('application/json');
    expect(post.body).toEqual({
      state: 'fail',
      context: 'netdev-review',
      description: expect.stringMatching(/^7 errors: /),
      target_url: `${PUBLIC}/api/triage/patch/7`,
    });
    expect(PATCHWORK_CONTEXT).toBe('netdev-review');
    const description = post.body!.description as string;
    expect(description.length).toBeLessThanOrEqual(255);
    for (const rule of new Set(triage.patches[0]!.findings.map((f) => f.ruleId))) expect(description).toContain(rule);
    expect(pw.checks).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('posts success for a clean patch and warning for one with warnings only', async () => {
    const pw = await standIn({ '<clean-1@example.org>': 10, '<lltx-1@example.org>': 11 });
    const reporter = createPatchworkReporter({ url: pw.url, token: TOKEN, publicUrl: PUBLIC });

    const clean = await reviewed(cleanMail, 1);
    expect(clean.patches[0]).toMatchObject({ reviewed: true, counts: { error: 0, warning: 0 } });
    expect(await reporter.report(clean)).toEqual([{ messageId: 'clean-1@example.org', outcome: 'posted', patchId: 10, state: 'success' }]);
    expect(pw.requests[1]!.body).toMatchObject({ state: 'success', context: 'netdev-review', description: expect.any(String) });

    const warned = await reviewed(warningMail, 2);
    expect(warned.patches[0]).toMatchObject({ reviewed: true, counts: { error: 0 } });
    expect(warned.patches[0]!.counts.warning).toBeGreaterThan(0);
    expect(await reporter.report(warned)).toEqual([{ messageId: 'lltx-1@example.org', outcome: 'posted', patchId: 11, state: 'warning' }]);
    expect(pw.requests[3]!.body).toMatchObject({ state: 'warning', description: expect.stringMatching(/^1 warning: lltx-deprecated/) });
    expect(pw.checks.map((c) => c.state)).toEqual(['success', 'warning']);
  });

  it('posts nothing for mails that were not reviewed (a reply, a mail without a diff)', async () => {
    const pw = await standIn({ '<reply-1@example.org>': 20 });
    const reporter = createPatchworkReporter({ url: pw.url, token: TOKEN, publicUrl: PUBLIC });
    const reply = await reviewed(replyMail, 3);
    expect(reply.patches.every((p) => !p.reviewed)).toBe(true);
    expect(await reporter.report(reply)).toEqual([]);
    // A triage record as stored for a cover letter: a reviewed=false entry.
    const cover: MailTriage = { mailId: 4, patches: [{ ...reply.patches[0]!, kind: 'cover-letter', messageId: 'cover-1@example.org', reviewed: false }] };
    expect(await reporter.report(cover)).toEqual([]);
    expect(pw.requests).toEqual([]);
  });

  it('reports an unknown Message-ID as not found, posts nothing and does not throw', async () => {
    const pw = await standIn({});
    const { lines, log } = logSink();
    const results = await createPatchworkReporter({ url: pw.url, token: TOKEN, publicUrl: PUBLIC, log }).report(await reviewed(errorMail));
    expect(results).toEqual([{ messageId: 'acme-eth-1@example.org', outcome: 'not-found' }]);
    expect(pw.requests.map((r) => r.method)).toEqual(['GET']);
    expect(lines.some((l) => l.includes('no patch with this Message-ID'))).toBe(true);
  });

  it('asks for the configured project only', async () => {
    const pw = await standIn({ '<acme-eth-1@example.org>': 5 });
    await createPatchworkReporter({ url: pw.url, token: TOKEN, publicUrl: PUBLIC, project: 'netdevbpf' }).report(await reviewed(errorMail));
    expect(pw.requests[0]!.url).toBe('/api/patches/?msgid=acme-eth-1%40example.org&project=netdevbpf');
  });

  it('returns an error result on a wrong token (401), without logging the token', async () => {
    const pw = await standIn({ '<acme-eth-1@example.org>': 5 });
    const { lines, log } = logSink();
    const results = await createPatchworkReporter({ url: pw.url, token: 'wrong-token-xyz', publicUrl: PUBLIC, log }).report(await reviewed(errorMail));
    expect(results).toEqual([{ messageId: 'acme-eth-1@example.org', outcome: 'error', patchId: 5, error: expect.stringContaining('HTTP 401') }]);
    expect(pw.checks).toEqual([]);
    expect(lines.join('\n')).not.toContain('wrong-token-xyz');
  });

  it('gives up on a Patchwork that does not answer, after the timeout', async () => {
    const pw = await standIn({ '<acme-eth-1@example.org>': 5 }, 'hang');
    const results = await createPatchworkReporter({ url: pw.url, token: TOKEN, publicUrl: PUBLIC, timeoutMs: 200 }).report(await reviewed(errorMail));
    expect(results).toEqual([{ messageId: 'acme-eth-1@example.org', outcome: 'error', error: 'timed out after 200 ms' }]);
  });

  it.each(['fail-lookup', 'fail-post'] as const)('a Patchwork answering 500 (%s) leaves the mail reviewed (worker, SQLite)', async (mode) => {
    const pw = await standIn({ '<acme-eth-1@example.org>': 4711 }, mode);
    const store = openSqliteStore(mkdtempSync(join(tmpdir(), 'nr-pw-')));
    stores.push(store);
    const { lines, log } = logSink();
    const reporter = createPatchworkReporter({ url: pw.url, token: TOKEN, publicUrl: PUBLIC, log });
    const results: unknown[] = [];
    const worker = new MailWorker({
      store,
      workerId: 't',
      review: (raw, id) => reviewMail(raw, id, ALL_RULES),
      log,
      afterReview: async (_id, triage) => void results.push(...(await reporter.report(triage as MailTriage))),
    });
    const { id } = await store.putMail(errorMail, 'acme-eth-1@example.org');
    expect(await worker.drain()).toBe(1);
    expect((await store.getMail(id))?.state).toBe('reviewed');
    expect(((await store.getTriage(id)) as MailTriage).patches[0]!.messageId).toBe('acme-eth-1@example.org');
    expect(results).toEqual([expect.objectContaining({ outcome: 'error', error: expect.stringContaining('HTTP 500') })]);
    expect(pw.requests.length).toBe(mode === 'fail-lookup' ? 1 : 2);
    expect(lines.some((l) => l.includes('patchwork:') && l.includes('HTTP 500'))).toBe(true);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('a throwing afterReview is logged and never changes the mail state', async () => {
    const store = openSqliteStore(mkdtempSync(join(tmpdir(), 'nr-pw-')));
    stores.push(store);
    const { lines, log } = logSink();
    const worker = new MailWorker({
      store, workerId: 't', review: (raw, id) => reviewMail(raw, id, ALL_RULES), log,
      afterReview: async () => {
        throw new Error('boom');
      },
    });
    const { id } = await store.putMail(errorMail, 'acme-eth-1@example.org');
    expect(await worker.drain()).toBe(1);
    expect((await store.getMail(id))?.state).toBe('reviewed');
    expect(lines.some((l) => l.includes('boom') && l.includes('after-review step failed'))).toBe(true);
    expect(await worker.drain()).toBe(0);
  });
});
