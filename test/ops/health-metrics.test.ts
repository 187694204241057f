// GET /health and GET /metrics on the real server: a signed mail reviewed by the real worker, a signed
// GitHub delivery reviewed by the real app against the stand-in, then what Prometheus would scrape.

import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Probot, ProbotOctokit, createNodeMiddleware } from 'probot';
import { createAppServer, WEBHOOK_PATH } from '../../src/http/app-server.js';
import { MailWorker, type ReviewMail } from '../../src/mail/worker.js';
import { mailFindings, reviewMail } from '../../src/mail/review-mail.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../src/store/store.js';
import { signBody } from '../../src/http/signature.js';
import { createMetrics, type Metrics } from '../../src/ops/metrics.js';
import { opsRoutes } from '../../src/ops/ops-routes.js';
import { requestMetrics } from '../../src/github/app-octokit.js';
import { createApp } from '../../src/app.js';
import type { GitHubStandIn } from '../../src/dev/github-stand-in.js';
import { ALL_RULES } from '../../rules/index.js';
import { HEAD_SHA, TOKEN, addedFilePatch, exampleDriver, pullRequestPayload, standInWithPull } from '../github/app-fixture.js';

const SECRET = 'mail-secret';
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const patchMail = Buffer.from(readFileSync('examples/acme-new-driver.patch', 'utf8').replace('Subject:', 'Message-ID: <acme-eth-1@example.org>\nSubject:'));

/** The value of one sample line of the exposition, e.g. `name{a="b"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /health and GET /metrics with the mail path', () => {
  async function start(review: ReviewMail = (raw, id) => reviewMail(raw, id, ALL_RULES)) {
    const store = openSqliteStore(mkdtempSync(join(tmpdir(), 'nr-ops-')));
    let closed = false;
    cleanup.push(() => (closed ? Promise.resolve() : store.close()));
    const metrics = createMetrics();
    metrics.watchQueue(store);
    const worker = new MailWorker({ store, workerId: 'w1', review, metrics, findingsOf: mailFindings });
    const base = await listen(createAppServer({ mail: { store, secret: SECRET, worker }, log, metrics, routes: opsRoutes({ store, metrics }) }));
    const closeStore = async () => {
      closed = true;
      await store.close();
    };
    return { store, worker, base, closeStore };
  }

  it('counts reviews, findings by rule and severity, review time, and the queue by state', async () => {
    const { worker, base } = await start();
    const posted = await fetch(`${base}/mail`, { method: 'POST', headers: { 'content-type': 'message/rfc822', 'x-hub-signature-256': signBody(SECRET, patchMail) }, body: patchMail });
    expect(posted.status).toBe(202);

    let res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    let text = await res.text();
    expect(sample(text, 'netdev_review_mail_queue{state="pending"}')).toBe(1);
    expect(sample(text, 'netdev_review_mail_queue{state="reviewed"}')).toBe(0);

    expect(await worker.drain()).toBe(1);
    text = await (await fetch(`${base}/metrics`)).text();
    expect(sample(text, 'netdev_review_mail_queue{state="pending"}')).toBe(0);
    expect(sample(text, 'netdev_review_mail_queue{state="reviewed"}')).toBe(1);
    expect(sample(text, 'netdev_review_mail_queue{state="failed"}')).toBe(0);
    expect(sample(text, 'netdev_review_reviews_total{source="mail",outcome="reviewed"}')).toBe(1);
    expect(sample(text, 'netdev_review_review_duration_seconds_count{source="mail"}')).toBe(1);
    expect(sample(text, 'netdev_review_review_duration_seconds_bucket{le="+Inf",source="mail"}')).toBe(1);
    const freeApi = text.split('\n').find((l) => l.startsWith('netdev_review_findings_total{source="mail",rule="netdev-free-api",'));
    expect(freeApi).toMatch(/severity="(error|warning|info|note)"\} [1-9]\d*$/);
    // Process metrics come from the same registry.
    expect(text).toContain('netdev_review_process_cpu_seconds_total');
  });

  it('a mail whose review throws counts as a failed review', async () => {
    const { worker, base } = await start(async () => {
      throw new Error('the reviewer broke');
    });
    const junk = Buffer.from('Message-ID: <x@example.org>\nSubject: hello\n\nno patch here\n');
    expect((await fetch(`${base}/mail`, { method: 'POST', headers: { 'content-type': 'message/rfc822', 'x-hub-signature-256': signBody(SECRET, junk) }, body: junk })).status).toBe(202);
    await worker.drain();
    const text = await (await fetch(`${base}/metrics`)).text();
    // Every attempt is a review that failed: the mail is retried until it is given up on.
    expect(sample(text, 'netdev_review_reviews_total{source="mail",outcome="failed"}')).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(sample(text, 'netdev_review_mail_queue{state="failed"}')).toBe(1);
  });

  it('/health is 200 while the database answers and 503 once it does not; /health/live stays 200', async () => {
    const { base, closeStore } = await start();
    let res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
    await closeStore();
    res = await fetch(`${base}/health`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; database: string };
    expect(body.status).toBe('unavailable');
    expect(body.database).toMatch(/not open|closed/i);
    for (const path of ['/health/live', '/health?live=1']) {
      res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
    // A scrape still answers; the queue gauge is just left out.
    res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('netdev_review_mail_queue{');
  });
});

describe('GET /metrics with the GitHub App', () => {
  const stands: GitHubStandIn[] = [];
  afterEach(async () => {
    while (stands.length) await stands.pop()?.stop();
  });

  async function start(metrics: Metrics, url: string, secret: string) {
    const probot = new Probot({
      githubToken: TOKEN,
      baseUrl: url,
      secret,
      Octokit: ProbotOctokit.plugin(requestMetrics(metrics)).defaults((options: Record<string, unknown>) => ({
        ...options,
        throttle: { ...(options.throttle as object), enabled: false },
        retry: { retries: 1, retryAfterBaseValue: 10 },
      })),
      logLevel: 'fatal',
    });
    const { app, handle } = createApp({ metrics });
    const middleware = await createNodeMiddleware(app, { probot, webhooksPath: WEBHOOK_PATH });
    const base = await listen(createAppServer({ github: { probot, middleware, secret }, log, metrics, routes: opsRoutes({ metrics }) }));
    return { base, handle };
  }

  it('counts deliveries by event and outcome, the review, and the GitHub API calls with the rate limit left', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(7, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    const metrics = createMetrics({ processMetrics: false });
    const secret = 'webhook-secret';
    const { base, handle } = await start(metrics, url, secret);
    const body = JSON.stringify(pullRequestPayload('opened', { number: 7, head: HEAD_SHA }));
    const deliver = (signature: string, id: string) =>
      fetch(`${base}${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': id, 'x-hub-signature-256': signature }, body });
    expect((await deliver(signBody(secret, Buffer.from(body)), 'd-1')).status).toBe(200);
    expect((await deliver(signBody('forged', Buffer.from(body)), 'd-2')).status).toBe(401);
    expect((await deliver(signBody(secret, Buffer.from(body)), 'd-1')).status).toBe(200);
    await handle.queue.onIdle();

    const text = await (await fetch(`${base}/metrics`)).text();
    expect(sample(text, 'netdev_review_webhook_deliveries_total{event="pull_request",outcome="accepted"}')).toBe(2);
    expect(sample(text, 'netdev_review_webhook_deliveries_total{event="pull_request",outcome="bad_signature"}')).toBe(1);
    expect(sample(text, 'netdev_review_webhook_deliveries_total{event="pull_request",outcome="duplicate"}')).toBe(1);
    expect(sample(text, 'netdev_review_reviews_total{source="github",outcome="reviewed"}')).toBe(1);
    expect(sample(text, 'netdev_review_review_duration_seconds_count{source="github"}')).toBe(1);
    expect(text).toMatch(/^netdev_review_findings_total\{source="github",rule="[a-z-]+",severity="[a-z]+"\} [1-9]/m);
    const gets = sample(text, 'netdev_review_github_requests_total{method="GET",status="200"}') ?? 0;
    const posts = sample(text, 'netdev_review_github_requests_total{method="POST",status="200"}') ?? 0;
    expect(gets + posts).toBeGreaterThan(2);
    const remaining = sample(text, 'netdev_review_github_rate_limit_remaining');
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThan(5000);
    // No store: /health is liveness only.
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'none' });
  });
});
