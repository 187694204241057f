// POST /mail and the worker, on a real HTTP server and a real SQLite file.

import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleMailPost, messageIdOf } from '../../src/mail/intake.js';
import { MailWorker } from '../../src/mail/worker.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { signBody } from '../../src/http/signature.js';
import { readPatches } from '../../src/ingest/read-input.js';
import { reviewPatch } from '../../src/review/review-patch.js';
import { ALL_RULES } from '../../rules/index.js';

const SECRET = 'mail-secret';
const open: { server: Server; store: Store }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await new Promise((r) => o.server.close(r));
    await o.store.close();
  }
});

async function start(maxBytes?: number) {
  const store = openSqliteStore(mkdtempSync(join(tmpdir(), 'nr-mail-')));
  const server = createServer((req, res) => void handleMailPost(req, res, { store, secret: SECRET, maxBytes }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  open.push({ server, store });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mail`;
  return { store, url };
}

const post = (url: string, body: Buffer, type = 'message/rfc822', signature: string | null = signBody(SECRET, body)) =>
  fetch(url, { method: 'POST', headers: { 'content-type': type, ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body });

const patchMail = Buffer.from(readFileSync('examples/acme-new-driver.patch', 'utf8').replace('Subject:', 'Message-ID: <acme-eth-1@example.org>\nSubject:'));

/** The worker's review: the real pipeline over each message of the mail, summarized. */
async function reviewRaw(raw: Buffer, id: number) {
  const patches = await readPatches(raw, `mail:${id}`);
  const out = [];
  for (const p of patches) {
    const r = await reviewPatch(p, { rules: ALL_RULES, audit: false });
    out.push({ kind: p.kind, subject: p.subject, findings: r.findings.map((f) => f.ruleId) });
  }
  return out;
}

describe('POST /mail', () => {
  it('stores a signed mail before answering 202, and the same Message-ID once (200, same id)', async () => {
    const { store, url } = await start();
    const first = await post(url, patchMail);
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: number };
    expect((await store.getMail(id))?.raw.equals(patchMail)).toBe(true);
    const again = await post(url, patchMail);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: number }).id).toBe(id);
    expect((await store.counts()).pending).toBe(1);
  });

  it('rejects a missing or wrong signature with 401 and stores nothing', async () => {
    const { store, url } = await start();
    expect((await post(url, patchMail, 'message/rfc822', null)).status).toBe(401);
    expect((await post(url, patchMail, 'message/rfc822', signBody('other', patchMail))).status).toBe(401);
    expect(Object.values(await store.counts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('answers 413 over the size limit and 415 for other content types', async () => {
    const { url } = await start(1024);
    const big = Buffer.alloc(4096, 'a');
    expect((await post(url, big)).status).toBe(413);
    expect((await post(url, patchMail.subarray(0, 100), 'text/plain')).status).toBe(415);
  });

  it('splits an mbox into its messages', async () => {
    const { store, url } = await start();
    const mbox = Buffer.concat([patchMail, Buffer.from('\n'), Buffer.from(patchMail.toString().replace('Subject: [PATCH net-next]', 'Subject: [PATCH net-next v2]').replace('acme-eth-1@', 'acme-eth-2@').replace(/^From 3f1c2a9d0b7e4c5a8f6e2d1b0c9a8e7f6d5c4b3a/m, 'From 4f1c2a9d0b7e4c5a8f6e2d1b0c9a8e7f6d5c4b3a'))]);
    const res = await post(url, mbox, 'application/mbox');
    expect(res.status).toBe(202);
    const body = (await res.json()) as { ids: number[] };
    expect(body.ids).toHaveLength(2);
    expect((await store.counts()).pending).toBe(2);
  });

  it('reads the Message-ID from the header block only', () => {
    expect(messageIdOf(Buffer.from('Subject: x\nMessage-ID: <abc@example.org>\n\nMessage-ID: <body@x>\n'))).toBe('abc@example.org');
    expect(messageIdOf(Buffer.from('Subject: x\nMessage-Id:\n <folded@example.org>\n\nbody'))).toBe('folded@example.org');
    expect(messageIdOf(Buffer.from('no headers at all'))).toBeNull();
  });
});

describe('the worker', () => {
  it('reviews stored mails; a mail that makes the review fail is marked failed and does not block the rest', async () => {
    const { store, url } = await start();
    await post(url, patchMail);
    await post(url, Buffer.from('Message-ID: <junk@x>\nSubject: hello\n\n\u0000\u0001 not a patch'));
    const worker = new MailWorker({
      store,
      workerId: 'w1',
      review: async (raw, id) => {
        const r = await reviewRaw(raw, id);
        return r;
      },
    });
    // Review until nothing is pending (a failing mail is retried up to its attempts, then gives up).
    for (let i = 0; i < 5; i++) await worker.drain();
    const counts = await store.counts();
    expect(counts.reviewed).toBe(1);
    expect(counts.failed).toBe(1);
    const triage = (await store.getTriage(1)) as { kind: string; findings: string[] }[];
    expect(triage[0].kind).toBe('patch');
    expect(triage[0].findings).toContain('netdev-free-api');
    const failed = await store.getMail(2);
    expect(failed?.reason).toMatch(/binary input|NUL/);
  });
});
