// Sending reply drafts over SMTP: a real store, reviewMail, HTTP server and a local smtp-server.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { createAppServer } from '../../src/http/app-server.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { MailWorker } from '../../src/mail/worker.js';
import { reviewMail } from '../../src/mail/review-mail.js';
import { triageRoutes } from '../../src/mail/triage-routes.js';
import { isAllowed, sendConfigFromEnv, sendRoutes, type SendConfig } from '../../src/mail/send-reply.js';
import { signBody } from '../../src/http/signature.js';
import { ALL_RULES } from '../../rules/index.js';

const SECRET = 's';
const TOKEN = 'send-token-123';
const FROM = 'Rev Iewer <rev@reviewers.example>';
const CC = ['netdev@vger.kernel.org', 'other@elsewhere.example'];
const PASS = 'sekrit-smtp-pass';
const patch = readFileSync('examples/acme-new-driver.patch', 'utf8');

interface Received { from: string; to: string[]; raw: string }

describe('POST /api/triage/patch/:id/send', () => {
  let store: Store;
  let smtp: SMTPServer;
  let smtpPort = 0;
  const received: Received[] = [];
  const logged: string[] = [];
  const log = { info: (...a: unknown[]) => void logged.push(JSON.stringify(a)), warn: (...a: unknown[]) => void logged.push(JSON.stringify(a)), error: (...a: unknown[]) => void logged.push(JSON.stringify(a)) };
  const servers: Server[] = [];

  async function serve(postRoutes?: ReturnType<typeof sendRoutes>): Promise<string> {
    const server = createAppServer({ mail: { store, secret: SECRET }, routes: triageRoutes(store, { replyFrom: FROM, replyCc: CC }), postRoutes, log });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }
  const config = (allow: string[]): SendConfig => ({
    url: `smtp://mailer:${PASS}@127.0.0.1:${smtpPort}`, allow: allow.map((a) => a.toLowerCase()), token: TOKEN, from: FROM, cc: CC,
    transport: { secure: false, ignoreTLS: true },
  });
  const post = (base: string, id: number, token?: string) =>
    fetch(`${base}/api/triage/patch/${id}/send`, { method: 'POST', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true, allowInsecureAuth: true, disabledCommands: ['STARTTLS'], logger: false,
      onAuth: (_auth, _session, cb) => cb(null, { user: 'mailer' }),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    smtpPort = (smtp.server.address() as { port: number }).port;

    store = openSqliteStore(mkdtempSync(join(tmpdir(), 'nr-send-')));
    const worker = new MailWorker({ store, workerId: 't', review: (raw, id) => reviewMail(raw, id, ALL_RULES) });
    const base = await serve();
    const one = Buffer.from(patch.replace('Subject: [PATCH net-next]', 'Message-ID: <patch-1@example.org>\nSubject: [PATCH net-next]').replace(/^From 3f1c[^\n]*\n/, ''));
    const reply = Buffer.from('From: Rev <rev@example.org>\nSubject: Re: x\nMessage-ID: <r-1@example.org>\nIn-Reply-To: <patch-1@example.org>\n\n> +\tkfree(ndev);\n\nfree_netdev().\n');
    for (const m of [one, reply]) {
      const res = await fetch(`${base}/mail`, { method: 'POST', headers: { 'content-type': 'message/rfc822', 'x-hub-signature-256': signBody(SECRET, m) }, body: m });
      expect(res.status).toBe(202);
    }
    await worker.drain();
  });
  beforeEach(() => void (received.length = 0));
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    await new Promise<void>((r) => smtp.close(() => r()));
    await store.close();
  });

  it('is off by default: no config from an empty environment, and the route says sending is off', async () => {
    expect(sendConfigFromEnv({}).config).toBeUndefined();
    expect(sendConfigFromEnv({ SMTP_URL: 'smtp://h', SMTP_ALLOW: '@x.org' })).toEqual({ missing: ['REPLY_SEND_TOKEN'] });
    expect(() => sendConfigFromEnv({ SMTP_URL: 'smtp://h', SMTP_ALLOW: '@x.org', REPLY_SEND_TOKEN: 't' })).toThrow(/SMTP_FROM/);
    const off = await serve(sendRoutes(store, undefined, log));
    const res = await post(off, 1, TOKEN);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/sending replies is off/);
    const bare = await serve();
    expect((await post(bare, 1, TOKEN)).status).toBe(404);
    expect(received).toHaveLength(0);
  });

  it('wrong or missing token → 401, nothing sent', async () => {
    const base = await serve(sendRoutes(store, config(['@example.org']), log));
    expect((await post(base, 1)).status).toBe(401);
    expect((await post(base, 1, 'wrong')).status).toBe(401);
    expect((await post(base, 1, `${TOKEN}x`)).status).toBe(401);
    expect(received).toHaveLength(0);
  });

  it('sends the exact draft to the allowed recipients only; a second send is 409', async () => {
    const base = await serve(sendRoutes(store, config(['JANE@Example.org', '@vger.kernel.org']), log));
    const draft = await (await fetch(`${base}/api/triage/patch/1/reply.eml`)).text();
    const res = await post(base, 1, TOKEN);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sent: string[]; dropped: string[]; messageId: string };
    expect(body.sent.sort()).toEqual(['jane@example.org', 'netdev@vger.kernel.org']);
    expect(body.dropped).toEqual(['other@elsewhere.example']);
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got.from).toBe('rev@reviewers.example');
    expect(got.to.sort()).toEqual(['jane@example.org', 'netdev@vger.kernel.org']);
    expect(got.raw).toMatch(/^In-Reply-To: <patch-1@example\.org>\r$/m);
    expect(got.raw).toMatch(/^Subject: Re: \[PATCH net-next\] net: ethernet: add Acme Fast Ethernet driver\r$/m);
    expect(got.raw).toMatch(/^> \+\tkfree\(ndev\);\r$/m);
    expect(got.raw).toContain(`Message-ID: <${body.messageId}>`);
    // The draft as downloaded, plus only the Date and Message-ID a mail client stamps.
    const stripped = got.raw.replace(/\r\n/g, '\n').replace(/^(Date|Message-ID): .*\n/gm, '');
    expect(stripped.trimEnd()).toBe(draft.trimEnd());
    expect(got.raw).toMatch(/^Cc: netdev@vger\.kernel\.org,\r\n other@elsewhere\.example\r$/m);

    const again = await post(base, 1, TOKEN);
    expect(again.status).toBe(409);
    expect(received).toHaveLength(1);
    expect(logged.join('\n')).not.toContain(PASS);
  });

  it('no recipient on the allow-list → 403, nothing sent', async () => {
    const base = await serve(sendRoutes(store, config(['@nowhere.example', 'jane@example.com']), log));
    const res = await post(base, 1, TOKEN);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { dropped: string[] }).dropped).toHaveLength(3);
    expect(received).toHaveLength(0);
  });

  it('unknown id or a mail without findings → 404, nothing sent', async () => {
    const base = await serve(sendRoutes(store, config(['@example.org']), log));
    expect((await post(base, 99, TOKEN)).status).toBe(404);
    expect((await post(base, 2, TOKEN)).status).toBe(404);
    expect(received).toHaveLength(0);
  });

  it('a refused SMTP login is 502 and the password stays out of the answer and the logs', async () => {
    const base = await serve(sendRoutes(store, { ...config(['@example.org']), url: `smtp://mailer:${PASS}@127.0.0.1:1` }, log));
    const res = await post(base, 1, TOKEN);
    expect(res.status).toBe(502);
    expect(await res.text()).not.toContain(PASS);
    expect(logged.join('\n')).not.toContain(PASS);
    expect(received).toHaveLength(0);
  });

  it('allow-list matching is case-insensitive and @domain matches that domain only', () => {
    expect(isAllowed('Jane@Example.ORG', ['jane@example.org'])).toBe(true);
    expect(isAllowed('x@example.org', ['@example.org'])).toBe(true);
    expect(isAllowed('x@sub.example.org', ['@example.org'])).toBe(false);
    expect(isAllowed('x@badexample.org', ['@example.org'])).toBe(false);
  });
});
