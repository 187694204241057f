// Bad mail through the real intake and worker: every one ends reviewed or failed with a reason,
// none is lost, none blocks the good mail queued behind it, nothing crashes.

import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleMailPost } from '../../src/mail/intake.js';
import { MailWorker } from '../../src/mail/worker.js';
import { reviewMail, type MailTriage } from '../../src/mail/review-mail.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { signBody } from '../../src/http/signature.js';
import { ALL_RULES } from '../../rules/index.js';

const SECRET = 'bad-input-secret';
const open: { server: Server; store: Store }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await new Promise((r) => o.server.close(r));
    await o.store.close();
  }
});

async function start() {
  const store = openSqliteStore(mkdtempSync(join(tmpdir(), 'nr-bad-')));
  const server = createServer((req, res) => void handleMailPost(req, res, { store, secret: SECRET, maxBytes: 8 * 1024 * 1024 }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  open.push({ server, store });
  return { store, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/mail` };
}
const post = (url: string, body: Buffer) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'message/rfc822', 'x-hub-signature-256': signBody(SECRET, body) }, body });

const goodPatch = readFileSync('examples/acme-new-driver.patch', 'utf8');
const good = Buffer.from(goodPatch.replace('Subject:', 'Message-ID: <good@example.org>\nSubject:'));
const diff = goodPatch.slice(goodPatch.indexOf('diff --git'));

function mailBomb(parts: number): Buffer {
  const b = 'BOMB';
  const chunks = [`Message-ID: <bomb@x>\nSubject: [PATCH] many parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${b}"\n\n`];
  for (let i = 0; i < parts; i++) chunks.push(`--${b}\nContent-Type: text/plain\n\npart ${i}\n`);
  chunks.push(`--${b}--\n`);
  return Buffer.from(chunks.join(''));
}

const cases: [string, Buffer][] = [
  ['not a mail at all', Buffer.from('hello, this is not an e-mail\n')],
  ['headers and no body', Buffer.from('Message-ID: <nobody@x>\nSubject: [PATCH] nothing\n')],
  ['empty body after headers', Buffer.from('Message-ID: <empty@x>\nSubject: [PATCH] empty\n\n')],
  ['multipart with a boundary that never comes',
    Buffer.from('Message-ID: <broken@x>\nSubject: [PATCH] broken\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="nope"\n\n' + diff)],
  ['unknown charset', Buffer.from(`Message-ID: <charset@x>\nSubject: [PATCH] charset\nContent-Type: text/plain; charset=x-no-such-charset\n\n${diff}`)],
  ['Latin-1 bytes declared as UTF-8',
    Buffer.concat([Buffer.from('Message-ID: <latin@x>\nSubject: [PATCH] latin\nContent-Type: text/plain; charset=utf-8\n\nFrom: J\xf6rg\n\n', 'latin1'), Buffer.from(diff)])],
  ['quoted-printable garbage', Buffer.from(`Message-ID: <qp@x>\nSubject: [PATCH] qp\nContent-Transfer-Encoding: quoted-printable\n\n=ZZ=\n=0${diff}`)],
  ['base64 that is not base64', Buffer.from('Message-ID: <b64@x>\nSubject: [PATCH] b64\nContent-Transfer-Encoding: base64\n\n!!!! ???? ****\n')],
  ['a diff cut in the middle of a hunk', Buffer.from(`Message-ID: <cut@x>\nSubject: [PATCH] cut\n\n${diff.slice(0, Math.floor(diff.length / 2))}`)],
  ['10,000-part mail bomb', mailBomb(10_000)],
];

describe('bad mail', () => {
  it('every bad mail ends reviewed or failed with a reason; the good mail behind them is reviewed', async () => {
    const { store, url } = await start();
    const ids: Record<string, number> = {};
    for (const [name, raw] of cases) {
      const res = await post(url, raw);
      expect(res.status, name).toBe(202);
      ids[name] = ((await res.json()) as { id: number }).id;
    }
    const goodRes = await post(url, good);
    const goodId = ((await goodRes.json()) as { id: number }).id;

    const worker = new MailWorker({ store, workerId: 'bad', review: (raw, id) => reviewMail(raw, id, ALL_RULES) });
    for (let i = 0; i < 5; i++) await worker.drain();

    const counts = await store.counts();
    expect(counts.pending ?? 0).toBe(0);
    expect(counts.reviewing ?? 0).toBe(0);
    expect((counts.reviewed ?? 0) + (counts.failed ?? 0)).toBe(cases.length + 1);
    for (const [name] of cases) {
      const mail = await store.getMail(ids[name]);
      expect(mail?.state, name).toMatch(/^(reviewed|failed)$/);
      if (mail?.state === 'failed') expect(mail.reason, name).toMatch(/\w{4,}/);
    }
    // Something that is not a mail is a clear, permanent failure: tried once, not retried.
    const junk = await store.getMail(ids['not a mail at all']);
    expect(junk?.state).toBe('failed');
    expect(junk?.attempts).toBe(1);
    expect(junk?.reason).toMatch(/no patch found/);
    // A mail with headers and nothing under them is recorded, marked as carrying no diff, and not relevant.
    for (const name of ['headers and no body', 'empty body after headers']) {
      const t = (await store.getTriage(ids[name])) as MailTriage;
      expect(t.patches[0].reviewed, name).toBe(false);
      expect(t.patches[0].relevant, name).toBe(false);
      expect(t.patches[0].notes.join(' '), name).toMatch(/no diff/);
    }
    const goodTriage = (await store.getTriage(goodId)) as MailTriage;
    expect(goodTriage.patches[0].findings.length).toBeGreaterThan(0);
  }, 120_000);

  it('a diff in a Latin-1 mail is still reviewed, its findings intact', async () => {
    const raw = Buffer.concat([
      Buffer.from('Message-ID: <l1@x>\nSubject: [PATCH net-next] acme: new driver\nFrom: J\xf6rg <j@x>\nContent-Type: text/plain; charset=iso-8859-1\n\n', 'latin1'),
      Buffer.from(diff),
    ]);
    const triage = await reviewMail(raw, 1, ALL_RULES);
    expect(triage.patches).toHaveLength(1);
    expect(triage.patches[0].findings.map((f) => f.ruleId)).toContain('netdev-free-api');
  });

  it('refuses an oversized mail with 413 and stores nothing', async () => {
    const { store, url } = await start();
    const res = await post(url, Buffer.concat([good, Buffer.alloc(9 * 1024 * 1024, 0x61)]));
    expect(res.status).toBe(413);
    expect((await store.counts()).pending ?? 0).toBe(0);
  });
});
