// Benchmark: reviews every patch of a directory in one process and compares the time with the floor —
// tree-sitter parsing the same post-images and nothing else. Usage: npm run bench -- [dir] [--tree DIR]

import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_RULES } from '../rules/index.js';
import { readPatches, InputError } from '../src/ingest/read-input.js';
import { reviewPatch, openTree, type TreeContext } from '../src/review/review-patch.js';
import { newTimings, timed, yieldToEventLoop, type StageTimings } from '../src/review/timings.js';
import { renderRun } from '../src/report/index.js';
import { ruleInfos } from '../src/review/rule-info.js';
import { parseUnifiedDiff, isCFile } from '../src/diff/parse.js';
import { buildSource } from '../src/source/build-source.js';
import { parseC } from '../src/analysis/parser.js';
import type { Patch } from '../src/ingest/patch.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tree: { type: 'string' }, warmup: { type: 'string', default: '100' } },
});
const dir = resolve(positionals[0] ?? '../shared/corpus/patches');
if (!existsSync(dir)) {
  console.log(`bench: ${dir} is absent (pass a directory of patches); nothing to measure`);
  process.exit(0);
}
const names = (await readdir(dir)).filter((f) => /\.(patch|diff|eml|mbox)$/.test(f)).sort();
const inputs = await Promise.all(names.map(async (n) => ({ name: n, bytes: await readFile(join(dir, n)) })));
const totalBytes = inputs.reduce((s, i) => s + i.bytes.length, 0);
const tree: TreeContext | undefined = values.tree ? await openTree(values.tree) : undefined;
const infos = ruleInfos(ALL_RULES);

/** One full pipeline pass over every input; returns elapsed ms and counts. */
async function pipelinePass(list: typeof inputs, timings?: StageTimings) {
  let patches = 0;
  let findings = 0;
  const t0 = performance.now();
  for (const input of list) {
    let parsed: Patch[];
    try {
      parsed = await timedAsyncIngest(timings, () => readPatches(input.bytes, input.name));
    } catch (e) {
      if (e instanceof InputError) continue;
      throw e;
    }
    for (const p of parsed) {
      const review = await reviewPatch(p, { rules: ALL_RULES, audit: false, tree: tree, timings });
      timed(timings, 'render', () => renderRun({ reviews: [review], inputErrors: [], rules: infos }, 'json'));
      patches++;
      findings += review.findings.length;
    }
    await yieldToEventLoop();
  }
  return { ms: performance.now() - t0, patches, findings };
}

async function timedAsyncIngest<T>(timings: StageTimings | undefined, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    if (timings) timings.ingest += performance.now() - t0;
  }
}

/** The floor: parse each C post-image unit with tree-sitter, nothing else. Returns ms and bytes. */
async function floorPass(list: typeof inputs) {
  const units: string[] = [];
  for (const input of list) {
    let parsed: Patch[];
    try {
      parsed = await readPatches(input.bytes, input.name);
    } catch {
      continue;
    }
    for (const p of parsed) {
      if (p.kind !== 'patch') continue;
      for (const f of parseUnifiedDiff(p.diff).files) {
        if (!f.newPath || !isCFile(f.newPath) || f.status === 'binary' || f.status === 'deleted' || f.hunks.length === 0) continue;
        const src = await buildSource(f, { tree: tree?.dir });
        for (const u of src.units) units.push(u.text);
      }
    }
  }
  let ms = 0;
  for (let i = 0; i < units.length; i += 200) {
    const t0 = performance.now();
    for (const u of units.slice(i, i + 200)) parseC(u);
    ms += performance.now() - t0;
    // Let tree-sitter's finalizers free the trees (outside the timed part).
    await yieldToEventLoop();
  }
  return { ms, bytes: units.reduce((s, u) => s + u.length, 0), units: units.length };
}

const warm = Math.min(Number(values.warmup), inputs.length);
await pipelinePass(inputs.slice(0, warm));
await floorPass(inputs.slice(0, warm));

const timings = newTimings();
const run = await pipelinePass(inputs, timings);
const rss = process.resourceUsage().maxRSS / 1024;
const floor = await floorPass(inputs);

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
console.log(`netdev-review benchmark: ${dir}${tree ? ` (tree ${tree.dir})` : ''}`);
console.log(`  node ${process.version}, ${process.platform}/${process.arch}; warm-up ${warm} files`);
console.log(`  inputs            ${inputs.length} files, ${f1(totalBytes / 1e6)} MB, ${run.patches} messages, ${run.findings} findings`);
console.log(`  pipeline          ${f1(run.ms)} ms  = ${f2(run.ms / run.patches)} ms/patch, ${f1((run.patches * 1000) / run.ms)} patches/s, ${f2(totalBytes / 1e3 / run.ms)} MB/s`);
console.log(`  parse-only floor  ${f1(floor.ms)} ms over ${floor.units} C post-image units (${f1(floor.bytes / 1e6)} MB)`);
console.log(`  ratio             ${f2(run.ms / floor.ms)}x the floor`);
console.log(`  peak RSS          ${f1(rss)} MB`);
console.log('  stages (ms):      ' + Object.entries(timings).map(([k, v]) => `${k} ${f1(v)}`).join(', '));
