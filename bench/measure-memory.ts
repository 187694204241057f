// Benchmark: memory over a long run — the patch corpus reviewed several times in one process, sampled as it goes.

import v8 from 'node:v8';
import { collectGarbage, yieldToEventLoop } from '../src/review/timings.js';
import { loadPatchInputs, reviewInput } from './measure-patches.js';
import type { MemoryRun, MemorySample } from './record.js';

const MiB = 1024 * 1024;

/** Resident set and JS heap now, then the heap left after a full collection. */
function sample(items: number): MemorySample {
  const rssMB = process.memoryUsage().rss / MiB;
  const heapMB = v8.getHeapStatistics().used_heap_size / MiB;
  collectGarbage();
  const codeMB = v8.getHeapSpaceStatistics().filter((space) => space.space_name.startsWith('code')).reduce((n, space) => n + space.space_used_size, 0) / MiB;
  return { items, rssMB, heapMB, liveHeapMB: v8.getHeapStatistics().used_heap_size / MiB, codeMB };
}

/**
 * Reviews every patch file of `dir` `cycles` times over, one after another as the pipeline benchmark
 * does, and samples memory every `every` files (and once before the first).
 */
export async function measureMemory(dir: string, options: { display: string; cycles: number; every: number }): Promise<MemoryRun> {
  const inputs = await loadPatchInputs(dir);
  const baseline = sample(0);
  const samples: MemorySample[] = [];
  let done = 0;
  const t0 = performance.now();
  for (let c = 0; c < options.cycles; c++) {
    for (const input of inputs) {
      await reviewInput(input, undefined);
      await yieldToEventLoop();
      done++;
      if (done % options.every === 0) samples.push(sample(done));
    }
  }
  if (done % options.every !== 0) samples.push(sample(done));
  return {
    input: options.display,
    cycles: options.cycles,
    perCycle: inputs.length,
    every: options.every,
    ms: performance.now() - t0,
    baseline,
    samples,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}
