// The triage outputs over a real server, store and worker: the API, the page, a reply draft.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createAppServer } from '../../src/http/app-server.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { MailWorker } from '../../src/mail/worker.js';
import { reviewMail } from '../../src/mail/review-mail.js';
import { triageRoutes } from '../../src/mail/triage-routes.js';
import { signBody } from '../../src/http/signature.js';
import { ALL_RULES } from '../../rules/index.js';

const SECRET = 's';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const patch = readFileSync('examples/acme-new-driver.patch', 'utf8');

function mail(headers: string, body: string): Buffer {
  return Buffer.from(`${headers}\n\n${body}`);
}

describe('triage API, page and reply draft', () => {
  let server: Server;
  let store: Store;
  let base = '';
  beforeAll(async () => {
    store = openSqliteStore(mkdtempSync(join(tmpdir(), 'nr-triage-')));
    const worker = new MailWorker({ store, workerId: 't', review: (raw, id) => reviewMail(raw, id, ALL_RULES) });
    server = createAppServer({ mail: { store, secret: SECRET, worker }, routes: triageRoutes(store), log: quiet });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const cover = mail('From: Jane Example <jane@example.org>\nSubject: [PATCH net-next 0/1] net: add the Acme Fast Ethernet driver\nMessage-ID: <cover-1@example.org>\nDate: Sat, 21 Nov 2026 10:00:00 +0000', 'This series adds a driver.\n');
    const one = Buffer.from(
      patch
        .replace('Subject: [PATCH net-next] net: ethernet: add Acme Fast Ethernet driver', 'Subject: [PATCH net-next 1/1] net: ethernet: add Acme Fast Ethernet driver\nMessage-ID: <patch-1@example.org>\nIn-Reply-To: <cover-1@example.org>\nReferences: <cover-1@example.org>')
        .replace(/^From 3f1c[^\n]*\n/, ''),
    );
    const reply = mail('From: Rev Iewer <rev@example.org>\nSubject: Re: [PATCH net-next 1/1] net: ethernet: add Acme Fast Ethernet driver\nMessage-ID: <reply-1@example.org>\nIn-Reply-To: <patch-1@example.org>', '> +\tkfree(ndev);\n\nThis should be free_netdev().\n');
    for (const m of [cover, one, reply]) {
      const res = await fetch(`${base}/mail`, { method: 'POST', headers: { 'content-type': 'message/rfc822', 'x-hub-signature-256': signBody(SECRET, m) }, body: m });
      expect(res.status).toBe(202);
    }
    await worker.drain();
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await store.close();
  });

  it('GET /api/triage: one series titled by its cover letter, the reply counted, findings counted', async () => {
    const view = (await (await fetch(`${base}/api/triage`)).json()) as { series: { title: string; replies: number; counts: { error: number }; relevant: boolean; patches: unknown[]; tree: string }[]; counts: { reviewed: number } };
    expect(view.counts.reviewed).toBe(3);
    expect(view.series).toHaveLength(1);
    expect(view.series[0]).toMatchObject({ title: 'net: add the Acme Fast Ethernet driver', replies: 1, relevant: true, tree: 'net-next' });
    expect(view.series[0].patches).toHaveLength(1);
    expect(view.series[0].counts.error).toBe(7);
    const filtered = (await (await fetch(`${base}/api/triage?tree=net`)).json()) as { series: unknown[] };
    expect(filtered.series).toHaveLength(0);
  });

  it('GET /triage renders the series with links to findings and the reply draft', async () => {
    const html = await (await fetch(`${base}/triage?relevant=1`)).text();
    expect(html).toContain('net: add the Acme Fast Ethernet driver');
    expect(html).toMatch(/href="\/api\/triage\/patch\/2\/reply\.eml"/);
    expect(html).toContain('7 findings');
  });

  it('GET /api/triage/patch/:mailId (what Patchwork checks link to) is that mail\'s triage record; 404 for no such mail', async () => {
    const res = await fetch(`${base}/api/triage/patch/2`);
    expect(res.status).toBe(200);
    const triage = (await res.json()) as { mailId: number; patches: { messageId: string; counts: { error: number } }[] };
    expect(triage).toMatchObject({ mailId: 2, patches: [{ messageId: 'patch-1@example.org', counts: { error: 7 } }] });
    expect((await fetch(`${base}/api/triage/patch/99`)).status).toBe(404);
  });

  it('GET /api/triage/patch/:mailId of a mail not reviewed says its state, and for a failed one why', async () => {
    const { id } = await store.putMail(Buffer.from('Message-ID: <waiting@x>\n\nnot yet\n'), '<waiting@x>');
    const pending = await fetch(`${base}/api/triage/patch/${id}`);
    expect(pending.status).toBe(404);
    expect(await pending.json()).toEqual({ error: `mail ${id} is pending, not reviewed`, state: 'pending', reason: null });
    await store.claimMails('t', 1, 1000);
    await store.finishMail(id, { state: 'failed', reason: 'no patch in it', retry: false });
    expect(await (await fetch(`${base}/api/triage/patch/${id}`)).json()).toMatchObject({ state: 'failed', reason: 'gave up after 1 attempts: no patch in it' });
  });

  it('GET …/reply.eml is a plain-text reply, threaded, quoting the offending lines, wrapped at 72', async () => {
    const res = await fetch(`${base}/api/triage/patch/2/reply.eml`);
    expect(res.status).toBe(200);
    const eml = await res.text();
    expect(eml).toMatch(/^Subject: Re: \[PATCH net-next 1\/1\] net: ethernet: add Acme Fast Ethernet driver$/m);
    expect(eml).toMatch(/^In-Reply-To: <patch-1@example\.org>$/m);
    expect(eml).toMatch(/^> \+\tkfree\(ndev\);$/m);
    expect(eml).toContain('netdev-free-api');
    const body = eml.slice(eml.indexOf('\n\n') + 2);
    for (const l of body.split('\n')) if (!l.startsWith('>') && !/https?:\/\//.test(l)) expect(l.length).toBeLessThanOrEqual(72);
    expect((await fetch(`${base}/api/triage/patch/3/reply.eml`)).status).toBe(404);
  });
});
