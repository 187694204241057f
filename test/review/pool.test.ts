// The review processes (src/review/pool.ts): a task gives in a review process exactly what it gives
// in-process; a review past its time or memory budget is stopped, its process replaced, and the pool goes
// on; and the process that owns the pool keeps turning its event loop while a huge review runs.

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ReviewCrashError, ReviewMemoryError, ReviewPool, ReviewTimeoutError } from '../../src/review/pool.js';
import { runTask, type PullTask } from '../../src/review/tasks.js';
import { PermanentMailError } from '../../src/mail/review-mail.js';
import { DEFAULT_CONFIG } from '../../src/github/config.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { addedFilePatch, exampleDriver } from '../github/app-fixture.js';
import { hugeXmitMail } from '../lib/pathological.js';

const pools: ReviewPool[] = [];
afterAll(async () => {
  for (const p of pools) await p.close();
});
function pool(options: ConstructorParameters<typeof ReviewPool>[0]): ReviewPool {
  const p = new ReviewPool(options);
  pools.push(p);
  return p;
}

const exampleMail = Buffer.from(readFileSync('examples/acme-new-driver.patch', 'utf8').replace('Subject:', 'Message-ID: <pool@x>\nSubject:'));


describe('ReviewPool', () => {
  it('reviews a mail in a review process exactly as in-process', async () => {
    const p = pool({ processes: 1 });
    const threaded = await p.run({ kind: 'mail', raw: exampleMail, id: 7 });
    const here = await runTask({ kind: 'mail', raw: exampleMail, id: 7 });
    expect(threaded).toEqual(here);
    expect(threaded.patches[0]!.findings!.length).toBe(7);
    expect(p.stats()).toMatchObject({ processes: 1, completed: 1, timedOut: 0, crashed: 0, running: 0, waiting: 0 });
  });

  it("reviews a pull request's fetched files in a review process exactly as in-process", async () => {
    const drv = exampleDriver();
    const task: PullTask = {
      kind: 'pull',
      files: [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }],
      contents: { [drv.path]: drv.buggy },
      base: { repoHtmlUrl: 'https://github.com/acme/linux', baseSha: 'b'.repeat(40) },
      config: DEFAULT_CONFIG,
      ruleIds: ['xmit-return-type', 'netdev-free-api', 'netdev-leak-on-error'],
    };
    const threaded = await pool({ processes: 1 }).run(task);
    expect(threaded).toEqual(await runTask(task));
    expect(new Set(threaded.findings.map((f) => f.finding.ruleId))).toEqual(new Set(['xmit-return-type', 'netdev-free-api', 'netdev-leak-on-error']));
  });

  it('keeps a permanent mail failure permanent across the process boundary', async () => {
    await expect(pool({ processes: 1 }).run({ kind: 'mail', raw: Buffer.from('\0\0 not a mail'), id: 1 })).rejects.toBeInstanceOf(PermanentMailError);
  });

  it('stops a review past its time budget, replaces the process, and goes on', async () => {
    const p = pool({ processes: 1, timeoutMs: 300 });
    const stopped = p.run({ kind: 'mail', raw: hugeXmitMail(30_000), id: 1 });
    // Queued behind it: waits, then gets a fresh process (neither its wait nor that start-up counts).
    const next = p.run({ kind: 'mail', raw: exampleMail, id: 2 });
    await expect(stopped).rejects.toBeInstanceOf(ReviewTimeoutError);
    await expect(stopped).rejects.toThrow('review stopped after 300 ms (REVIEW_TIMEOUT_MS)');
    expect((await next).patches[0]!.findings!.length).toBe(7);
    expect(p.stats()).toMatchObject({ completed: 1, timedOut: 1 });
    // What Prometheus would scrape of it.
    const metrics = createMetrics({ processMetrics: false });
    metrics.watchPool(() => p.stats());
    const text = await metrics.render();
    expect(text).toContain('netdev_review_review_processes_stopped_total{reason="timeout"} 1');
    expect(text).toContain('netdev_review_review_processes{state="configured"} 1');
    expect(text).toContain('netdev_review_review_processes{state="waiting"} 0');
  });

  it('stops a review that needs more memory than its process may have', async () => {
    const p = pool({ processes: 1, memoryMb: 24 });
    const crashed = p.run({ kind: 'mail', raw: hugeXmitMail(30_000), id: 1 });
    await expect(crashed).rejects.toBeInstanceOf(ReviewMemoryError);
    await expect(crashed).rejects.toThrow('review stopped: it needed more than 24 MB (REVIEW_MEMORY_MB)');
    expect(p.stats().crashed).toBe(1);
  });

  it('ignores SIGTERM in a review process, and reports a process killed from outside as a crash, then goes on', async () => {
    const p = pool({ processes: 1 });
    await p.run({ kind: 'mail', raw: exampleMail, id: 0 }); // the process is up
    const running = p.run({ kind: 'mail', raw: hugeXmitMail(30_000), id: 1 });
    await new Promise((r) => setTimeout(r, 300));
    const [child] = p.pids();
    expect(child).toBeDefined();
    // A container stop or a Ctrl-C signals the whole group: the server, not the signal, ends a review.
    process.kill(child!, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(() => process.kill(child!, 0)).not.toThrow(); // still there
    process.kill(child!, 'SIGKILL');
    await expect(running).rejects.toBeInstanceOf(ReviewCrashError);
    await expect(running).rejects.toThrow('review process died (SIGKILL)');
    expect((await p.run({ kind: 'mail', raw: exampleMail, id: 2 })).patches[0]!.findings!.length).toBe(7);
    expect(p.stats()).toMatchObject({ crashed: 1, completed: 2 });
  });

  it("leaves the owner's event loop free while a huge review runs", async () => {
    // The same review, in-process and then in a review process, with a 10 ms ticker measuring how late it runs.
    async function maxLag(work: () => Promise<unknown>): Promise<{ lag: number; took: number }> {
      let last = performance.now();
      let lag = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        lag = Math.max(lag, now - last - 10);
        last = now;
      }, 10);
      const t0 = performance.now();
      await work();
      const took = performance.now() - t0;
      // A tick that never came while the work held the loop counts too.
      lag = Math.max(lag, performance.now() - last - 10);
      clearInterval(ticker);
      return { lag, took };
    }
    const raw = hugeXmitMail(8_000);
    const inProcess = await maxLag(() => runTask({ kind: 'mail', raw, id: 1 }));
    const p = pool({ processes: 1 });
    await p.run({ kind: 'mail', raw: exampleMail, id: 0 }); // the process is up and warm
    const threaded = await maxLag(() => p.run({ kind: 'mail', raw, id: 1 }));
    console.log(`event-loop lag during a ${Math.round(inProcess.took)} ms review: in-process ${Math.round(inProcess.lag)} ms, in a review process ${Math.round(threaded.lag)} ms`);
    // In-process the loop waits for the whole analysis; with the pool it only ever reads a message.
    expect(inProcess.lag).toBeGreaterThan(inProcess.took / 2);
    expect(threaded.lag).toBeLessThan(inProcess.lag / 4);
  });
});
