// Pipeline: optional per-stage stopwatch (the benchmark reads it; normal runs pass none).

import { parseMillis } from '../analysis/parser.js';

/**
 * Stages in pipeline order. `parse` is tree-sitter's own time, taken out of whichever stage parsed;
 * `gc` is forced collections and event-loop turns between items, where tree-sitter's trees are freed.
 */
export const STAGES = ['ingest', 'diff', 'source', 'parse', 'analysis', 'rules', 'citations', 'render', 'gc'] as const;

export type Stage = (typeof STAGES)[number];

/** Milliseconds spent per stage, accumulated over a run. */
export type StageTimings = Record<Stage, number>;

export function newTimings(): StageTimings {
  return { ingest: 0, diff: 0, source: 0, parse: 0, analysis: 0, rules: 0, citations: 0, render: 0, gc: 0 };
}

/**
 * Runs `fn`, adding its duration to `timings[stage]` when timings are being kept. Time tree-sitter
 * spent parsing inside `fn` goes to `parse` instead (the parser counts it only once timings are kept).
 */
export function timed<T>(timings: StageTimings | undefined, stage: Stage, fn: () => T): T {
  if (!timings) return fn();
  const t0 = performance.now();
  const p0 = parseMillis();
  try {
    return fn();
  } finally {
    charge(timings, stage, performance.now() - t0, parseMillis() - p0);
  }
}

/** Async variant of `timed`. */
export async function timedAsync<T>(timings: StageTimings | undefined, stage: Stage, fn: () => Promise<T>): Promise<T> {
  if (!timings) return fn();
  const t0 = performance.now();
  const p0 = parseMillis();
  try {
    return await fn();
  } finally {
    charge(timings, stage, performance.now() - t0, parseMillis() - p0);
  }
}

function charge(timings: StageTimings, stage: Stage, ms: number, parseMs: number): void {
  timings[stage] += ms - parseMs;
  timings.parse += parseMs;
}

import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection, for long runs over many patches. V8 grows its heap with the allocation
 * rate and collects late; between patches nearly everything is garbage, so collecting now and then
 * keeps peak memory flat (measured over the 2,500-patch corpus in one run: peak RSS 280 MB → about 170 MB) at little cost.
 */
export function collectGarbage(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

/** Collects when the JS heap holds more than `limitBytes` (mostly garbage between patches). */
export function collectGarbageAbove(limitBytes: number): void {
  if (v8.getHeapStatistics().used_heap_size > limitBytes) collectGarbage();
}

/**
 * Lets the event loop turn once. tree-sitter frees a parse tree's native memory in a finalizer that
 * Node runs from the event loop; a loop over many patches that never yields would hold every tree.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
