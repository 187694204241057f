// Bounded work on the real server (dist/src/server.js): a pathological patch mail (one transmit function
// of tens of thousands of locked branches) is reviewed in a review process while GET /health keeps
// answering; with a short REVIEW_TIMEOUT_MS the review is stopped, the mail failed for good with the
// reason, and the next mail is reviewed as usual.

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postMessage } from '../../src/mail/post-mail.js';
import { spawnServer } from '../../src/dev/spawn-server.js';
import { hugeXmitMail } from '../lib/pathological.js';

const SECRET = 'bounded-secret';
const servers: ChildProcess[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.kill('SIGKILL');
});


async function startServer(env: Record<string, string>): Promise<string> {
  const { base, child } = await spawnServer({
    env: { PATH: process.env.PATH, MAIL_WEBHOOK_SECRET: SECRET, REVIEW_PROCESSES: '1', DATA_DIR: mkdtempSync(join(tmpdir(), 'nr-bounded-')), ...env },
  });
  servers.push(child);
  return base;
}

const exampleMail = Buffer.from(readFileSync('examples/acme-new-driver.patch', 'utf8').replace('Subject:', 'Message-ID: <after-huge@x>\nSubject:'));

/** A stored mail's state: its triage record answers 200 once reviewed, else 404 saying the state (and why). */
async function mailState(base: string, id: number): Promise<{ state?: string; reason?: string }> {
  const res = await fetch(`${base}/api/triage/patch/${id}`);
  const body = (await res.json()) as { state?: string; reason?: string };
  return res.status === 200 ? { state: 'reviewed' } : body;
}

async function waitForState(base: string, id: number, states: string[]): Promise<{ state?: string; reason?: string }> {
  for (let i = 0; i < 1200; i++) {
    const m = await mailState(base, id);
    if (m.state && states.includes(m.state)) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mail ${id} never reached ${states.join('/')}`);
}

describe('a pathological mail on the real server', () => {
  it('is reviewed in a review process while GET /health keeps answering', async () => {
    const base = await startServer({});
    const t0 = performance.now();
    const { status, body } = await postMessage(`${base}/mail`, SECRET, hugeXmitMail(20_000));
    expect(status).toBe(202);
    const id = (JSON.parse(body) as { id: number }).id;
    const latencies: number[] = [];
    let done = false;
    const watch = waitForState(base, id, ['reviewed', 'failed']).then((m) => ((done = true), m));
    while (!done) {
      const h0 = performance.now();
      expect((await fetch(`${base}/health`)).status).toBe(200);
      latencies.push(performance.now() - h0);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await watch).state).toBe('reviewed');
    const took = performance.now() - t0;
    const worst = Math.max(...latencies);
    console.log(`huge mail reviewed in ${Math.round(took)} ms; ${latencies.length} health checks meanwhile, slowest ${Math.round(worst)} ms`);
    // Answered all along: many checks while it ran, none held up for a large part of the review.
    expect(latencies.length).toBeGreaterThan(5);
    expect(worst).toBeLessThan(took / 4);
  }, 120_000);

  it('is stopped at REVIEW_TIMEOUT_MS, failed for good with the reason, and the next mail is reviewed', async () => {
    const base = await startServer({ REVIEW_TIMEOUT_MS: '300' });
    const huge = JSON.parse((await postMessage(`${base}/mail`, SECRET, hugeXmitMail(30_000))).body) as { id: number };
    const next = JSON.parse((await postMessage(`${base}/mail`, SECRET, exampleMail)).body) as { id: number };
    const stopped = await waitForState(base, huge.id, ['failed']);
    expect(stopped.reason).toBe('gave up after 1 attempts: review stopped after 300 ms (REVIEW_TIMEOUT_MS)');
    expect((await waitForState(base, next.id, ['reviewed', 'failed'])).state).toBe('reviewed');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('netdev_review_review_processes_stopped_total{reason="timeout"} 1');
  }, 120_000);
});
