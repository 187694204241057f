// Fuzz settings: the one place the property tests read FUZZ_* from — seed, runs, time budget, campaign mode.
//
// `npm test` runs every property with a fixed seed and a modest number of runs. `npm run fuzz`
// (test/fuzz/campaign.ts) sets FUZZ_CAMPAIGN=1 and a random FUZZ_SEED it prints; the same properties then
// run many more cases under a time budget. FUZZ_SEED=… reproduces a run, FUZZ_PATH=… (from fast-check's
// failure message, with `-t` naming the test) replays one case; FUZZ_CASE_MS bounds one case (default: 3000 in
// a campaign, no wall-clock bound in `npm test`).

import { closeSync, ftruncateSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import fc from 'fast-check';
import { expect } from 'vitest';

/** The seed of `npm test`: fixed, so the suite is the same on every machine. */
export const FIXED_SEED = 0x6e657476;

/** True under `npm run fuzz`. */
export const CAMPAIGN = process.env.FUZZ_CAMPAIGN === '1';

function numberFromEnv(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(value)}`);
  return n;
}

/** FUZZ_SEED if given; else the fixed seed, or in a campaign started without the launcher a random one (printed). */
export const SEED: number = (() => {
  const given = numberFromEnv('FUZZ_SEED');
  if (given !== undefined) return given;
  if (!CAMPAIGN) return FIXED_SEED;
  const seed = (Math.random() * 0x7fffffff) | 0;
  console.log(`fuzz seed ${seed} (FUZZ_SEED=${seed} reproduces)`);
  return seed;
})();

/** FUZZ_RUNS: runs per property, overriding both the suite's and the campaign's defaults. */
const RUNS = numberFromEnv('FUZZ_RUNS');
/** FUZZ_TIME: seconds a campaign spends on one property at most (default 20). */
const TIME_S = numberFromEnv('FUZZ_TIME') ?? 20;
/** FUZZ_PATH: replay one case (the `path` of fast-check's failure report). */
const PATH = process.env.FUZZ_PATH;

/** A campaign runs this many times the suite's cases per property (time budget permitting). */
const CAMPAIGN_FACTOR = 100;

/** Longest one property may run in the suite (shrinking included) before it is stopped and fails. */
const SUITE_LIMIT_MS = 45_000;

/** Per-test timeout for vitest: above the suite's limit, or the campaign's time budget plus room for shrinking. */
export const TEST_TIMEOUT = CAMPAIGN ? (TIME_S + 120) * 1000 : SUITE_LIMIT_MS + 15_000;

/**
 * Longest one case may take before it counts as a hang or a blow-up: a campaign's check (3 s unless
 * FUZZ_CASE_MS says otherwise). `npm test` sets no wall-clock limit of its own — the machines it runs on
 * are shared and noisy — unless FUZZ_CASE_MS is given: there vitest's timeout catches a case that never
 * ends, and the regression tests check that the blow-ups found stay linear by a ratio (test/lib/scaling.ts).
 */
const CASE_MS_GIVEN = numberFromEnv('FUZZ_CASE_MS');
export const CASE_LIMIT_MS: number | undefined = CASE_MS_GIVEN ?? (CAMPAIGN ? 3000 : undefined);

/** fast-check parameters for a property that runs `suiteRuns` cases in `npm test`. */
export function params<T>(suiteRuns: number): fc.Parameters<T> {
  const p: fc.Parameters<T> = {
    seed: SEED,
    numRuns: RUNS ?? (CAMPAIGN ? suiteRuns * CAMPAIGN_FACTOR : suiteRuns),
  };
  if (PATH !== undefined && PATH !== '') p.path = PATH;
  // A campaign stops a property at its time budget (a success, if nothing failed by then). In the suite the
  // limit only bounds shrinking an expensive counterexample, and reaching it fails the test.
  const plugin = CAMPAIGN ? fc.interruptAfterTimeLimit(TIME_S * 1000) : fc.interruptAfterTimeLimit(SUITE_LIMIT_MS, { failOnInterrupt: true });
  p.plugins = [plugin as fc.Plugin<T>];
  return p;
}

/** Runs a synchronous property; `name` labels the hang trace. */
export function check<Ts extends [unknown, ...unknown[]]>(name: string, suiteRuns: number, arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, predicate: (...args: Ts) => void): void {
  const counter = trace(name);
  try {
    fc.assert(
      fc.property(...arbs, (...args: Ts) => {
        counter.next(args);
        bounded(() => predicate(...args));
      }),
      params(suiteRuns),
    );
  } finally {
    counter.done();
  }
}

/** Runs an asynchronous property; `name` labels the hang trace. */
export async function checkAsync<Ts extends [unknown, ...unknown[]]>(
  name: string,
  suiteRuns: number,
  arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  predicate: (...args: Ts) => Promise<void>,
): Promise<void> {
  const counter = trace(name);
  try {
    await fc.assert(
      fc.asyncProperty(...arbs, async (...args: Ts) => {
        counter.next(args);
        const start = performance.now();
        await predicate(...args);
        overLimit(performance.now() - start);
      }),
      // A promise that never settles (a parser waiting for an end that never comes) fails the case too.
      { ...params(suiteRuns), timeout: (CASE_LIMIT_MS ?? 30_000) * 2 },
    );
  } finally {
    counter.done();
  }
}

/** Runs `fn`, failing the case when it took longer than {@link CASE_LIMIT_MS} (when there is one). */
export function bounded<T>(fn: () => T): T {
  const start = performance.now();
  const out = fn();
  overLimit(performance.now() - start);
  return out;
}

function overLimit(ms: number): void {
  if (CASE_LIMIT_MS !== undefined && ms > CASE_LIMIT_MS) throw new Error(`one case took ${Math.round(ms)} ms (limit ${CASE_LIMIT_MS} ms): a hang or a blow-up`);
}

/**
 * A hang never returns, so fast-check cannot report it. In a campaign, each case is written (name, run
 * number, a preview of the input) to a file of FUZZ_TRACE_DIR before it runs; the launcher prints the
 * file of a worker it had to kill.
 */
function trace(name: string): { next(args: unknown[]): void; done(): void } {
  const dir = process.env.FUZZ_TRACE_DIR;
  if (!CAMPAIGN || dir === undefined) return { next: () => {}, done: () => {} };
  const file = join(dir, `${process.pid}-${threadId}.txt`);
  // vitest's -t takes a pattern of the test's own name.
  const test = (expect.getState().currentTestName ?? name).split(' > ').pop()!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let run = 0;
  return {
    next(args) {
      const fd = openSync(file, 'w');
      try {
        ftruncateSync(fd);
        // Runs after the first failure are shrinking steps, not run numbers; the first hang stops all that anyway.
        writeSync(fd, `property: ${name}\npid: ${process.pid}\ncase: ${run} (as a path to replay: FUZZ_SEED=${SEED} FUZZ_PATH=${run} npm run fuzz -- -t "${test}")\ninput: ${preview(args)}\n`);
      } finally {
        closeSync(fd);
      }
      run++;
    },
    done() {
      rmSync(file, { force: true });
    },
  };
}

function preview(args: unknown[]): string {
  const text = JSON.stringify(args.map((arg) => (arg instanceof Uint8Array ? Buffer.from(arg).toString('latin1') : arg)));
  return text.length > 4000 ? `${text.slice(0, 4000)}… (${text.length} chars)` : text;
}
