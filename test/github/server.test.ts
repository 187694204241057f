// `npm start` end to end: the real server process, as an installed GitHub App (JWT → installation token),
// against the stand-in reached through GHE_HOST; signed, redelivered and forged webhook deliveries.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubStandIn } from '../../src/dev/github-stand-in.js';
import { freePort } from '../../src/dev/free-port.js';
import { ensureBuilt } from '../cli/harness.js';
import { BASE_SHA, DOC, HEAD_SHA, MAKEFILE, OWNER, REPO, TOKEN, addedFilePatch, exampleDriver, pullRequestPayload } from './app-fixture.js';

const SECRET = 'a-webhook-secret-for-tests';
const MAIL_SECRET = 'a-mail-secret-for-tests';
const PATCHWORK_TOKEN = 'patchwork-token-0123456789';
let pem = '';


function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe('npm start against a GitHub stand-in (GHE_HOST)', () => {
  let gh: GitHubStandIn;
  let server: ChildProcess;
  let base = '';
  let output = '';
  const drv = exampleDriver();

  beforeAll(async () => {
    ensureBuilt();
    gh = new GitHubStandIn({ token: TOKEN, installationId: 4242 });
    const { url } = await gh.start();
    gh.setFile(OWNER, REPO, BASE_SHA, 'Documentation/networking/netdevices.rst', DOC);
    gh.setFile(OWNER, REPO, BASE_SHA, 'Makefile', MAKEFILE);
    // A 20-file pull request: the buggy driver and 19 small files the review has to look at too.
    const files = [{ filename: drv.path, status: 'added' as const, patch: addedFilePatch(drv.buggy) }];
    gh.setFile(OWNER, REPO, HEAD_SHA, drv.path, drv.buggy);
    for (let i = 0; i < 19; i++) {
      const path = `drivers/net/ethernet/acme/acme_part${i}.c`;
      const text = `static void acme_part${i}(struct acme_priv *priv)\n{\n\tkfree(priv->buf${i});\n}\n`;
      files.push({ filename: path, status: 'added' as const, patch: addedFilePatch(text) });
      gh.setFile(OWNER, REPO, HEAD_SHA, path, text);
    }
    gh.addPull({ number: 42, owner: OWNER, repo: REPO, baseSha: BASE_SHA, headSha: HEAD_SHA, files });
    const port = await freePort();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const closedPort = await freePort();
    server = spawn(process.execPath, ['dist/src/server.js'], {
      env: {
        PATH: process.env.PATH,
        APP_ID: '12345',
        PRIVATE_KEY: pem,
        WEBHOOK_SECRET: SECRET,
        MAIL_WEBHOOK_SECRET: MAIL_SECRET,
        // A Patchwork that is not there: its failures are logged, its token must not be.
        PATCHWORK_URL: `http://127.0.0.1:${closedPort}`,
        PATCHWORK_TOKEN,
        PORT: String(port),
        HOST: '127.0.0.1',
        // debug: Probot then logs every delivery it receives, payload included — which the logger must redact.
        LOG_LEVEL: 'debug',
        GHE_HOST: url.replace('http://', ''),
        GHE_PROTOCOL: 'http',
        NODE_ENV: 'production',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'nr-server-')),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d) => (output += String(d)));
    server.stderr?.on('data', (d) => (output += String(d)));
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`${base}/`).then(
        () => true,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 30_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    await gh?.stop();
  });

  const deliver = (id: string, body: string, signature = sign(body)) =>
    fetch(`${base}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': id, 'x-hub-signature-256': signature },
      body,
    });

  it('a signed pull_request.opened gets exactly one review with cited, suggested comments and one check run', async () => {
    const body = JSON.stringify(pullRequestPayload('opened', { number: 42, head: HEAD_SHA, installation: 4242 }));
    const t0 = Date.now();
    const res = await deliver('11111111-1111-1111-1111-111111111111', body);
    expect(res.status, output).toBeLessThan(300);
    await gh.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.path.endsWith('/pulls/42/reviews')), 10_000);
    const reviewMs = Date.now() - t0;
    await gh.waitFor((calls) => calls.some((c) => c.method === 'POST' && c.path.endsWith('/check-runs')), 10_000);
    // The app authenticated as itself (JWT) and then as the installation.
    expect(gh.calls.some((c) => c.path === '/app/installations/4242/access_tokens')).toBe(true);
    const reviews = gh.reviews(OWNER, REPO, 42) as { comments: { body: string }[] }[];
    expect(reviews).toHaveLength(1);
    expect(reviews[0].comments.length).toBeGreaterThanOrEqual(6);
    expect(reviews[0].comments.every((c) => c.body.includes('netdevices.rst#L'))).toBe(true);
    expect(reviews[0].comments.some((c) => c.body.includes('```suggestion'))).toBe(true);
    expect(gh.checkRuns(OWNER, REPO)).toHaveLength(1);
    console.log(`review of a 20-file pull request posted ${reviewMs} ms after the delivery`);
  });

  it('the same delivery again produces nothing new', async () => {
    const body = JSON.stringify(pullRequestPayload('opened', { number: 42, head: HEAD_SHA, installation: 4242 }));
    const before = gh.calls.length;
    const res = await deliver('11111111-1111-1111-1111-111111111111', body);
    expect(res.status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 500));
    expect(gh.calls.length).toBe(before);
  });

  it('a wrongly signed delivery is rejected, and the server keeps serving', async () => {
    const body = JSON.stringify({ ...pullRequestPayload('synchronize', { number: 42, head: HEAD_SHA, installation: 4242 }), forged_marker: 'FORGED-PAYLOAD-7f3a' });
    const before = gh.calls.length;
    const res = await deliver('22222222-2222-2222-2222-222222222222', body, sign(body, 'not-the-secret'));
    expect(res.status).toBeGreaterThanOrEqual(400);
    const unsigned = await fetch(`${base}/api/github/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': '3' }, body });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    const malformed = '{"action": "opened", ';
    const bad = await deliver('33333333-3333-3333-3333-333333333333', malformed);
    expect(bad.status).toBeGreaterThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(gh.calls.length).toBe(before);
    // Still alive, and the forged payload was not written to the log.
    expect((await fetch(`${base}/`)).status).toBeLessThan(500);
    expect(output).toContain('webhook signature does not match');
    expect(output).not.toContain('FORGED-PAYLOAD-7f3a');
  });

  it('logs JSON lines only, with no secret, no webhook payload and no mail body in them', async () => {
    const body = JSON.stringify({ ...pullRequestPayload('opened', { number: 7, head: HEAD_SHA, installation: 4242 }), marker: 'SIGNED-PAYLOAD-5c1e' });
    expect((await deliver('44444444-4444-4444-4444-444444444444', body)).status).toBeLessThan(300);
    const mailBody = readFileSync('examples/acme-new-driver.patch', 'utf8')
      .replace('Subject:', 'Message-ID: <log-test@example.org>\nSubject:')
      .replace('Add a driver for', 'MAIL-BODY-MARKER-9d2b. Add a driver for');
    const mail = Buffer.from(mailBody);
    const posted = await fetch(`${base}/mail`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-hub-signature-256': `sha256=${createHmac('sha256', MAIL_SECRET).update(mail).digest('hex')}` },
      body: mail,
    });
    expect(posted.status).toBe(202);
    // A mail that is no mail at all fails its review; the failure is logged, its bytes are not.
    const junk = Buffer.from('MAIL-BODY-MARKER-9d2b\x00\xff not a mail');
    await fetch(`${base}/mail`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', 'x-hub-signature-256': `sha256=${createHmac('sha256', MAIL_SECRET).update(junk).digest('hex')}` },
      body: junk,
    });
    for (let i = 0; i < 100 && !(output.includes('mail reviewed') && output.includes('patchwork:')); i++) await new Promise((r) => setTimeout(r, 100));
    const lines = output.split('\n').filter((l) => l.trim() !== '');
    const entries = lines.map((l) => JSON.parse(l) as { level: number; msg?: string; name?: string });
    // Probot's lines and ours, in one format.
    expect(entries.some((e) => e.name === 'probot')).toBe(true);
    expect(entries.some((e) => e.msg === 'mail reviewed')).toBe(true);
    expect(entries.some((e) => e.msg === 'Webhook received' || /webhook/i.test(e.msg ?? ''))).toBe(true);
    expect(output).toContain('[redacted]');
    for (const secret of [SECRET, MAIL_SECRET, PATCHWORK_TOKEN, ...pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))]) {
      expect(output).not.toContain(secret);
    }
    for (const marker of ['SIGNED-PAYLOAD-5c1e', 'MAIL-BODY-MARKER-9d2b', 'FORGED-PAYLOAD-7f3a', 'Acme development boards']) expect(output).not.toContain(marker);
  });
});
