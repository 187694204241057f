// Benchmark: the review pipeline over a directory of patches, per stage and per patch, against the parse-only floor.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ALL_RULES } from '../rules/index.js';
import { readPatches, InputError } from '../src/ingest/read-input.js';
import { reviewPatch, openTree, type TreeContext } from '../src/review/review-patch.js';
import { collectGarbage, newTimings, timed, timedAsync, yieldToEventLoop, type StageTimings } from '../src/review/timings.js';
import { renderRun } from '../src/report/index.js';
import { ruleInfos } from '../src/review/rule-info.js';
import { parseUnifiedDiff, isCFile } from '../src/diff/parse.js';
import { buildSource } from '../src/source/build-source.js';
import { parseC } from '../src/analysis/parser.js';
import type { Patch } from '../src/ingest/patch.js';
import type { ItemTime, Throughput } from './record.js';

/** A patch file of the input, read into memory before anything is timed. */
export interface PatchInput {
  name: string;
  bytes: Buffer;
}

/** Every patch, mail or mbox file of `dir`, sorted by name, read into memory. */
export async function loadPatchInputs(dir: string): Promise<PatchInput[]> {
  const names = (await readdir(dir)).filter((f) => /\.(patch|diff|eml|mbox)$/.test(f)).sort();
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(dir, name)) })));
}

const INFOS = ruleInfos(ALL_RULES);

/** Reviews one input file as the command line does (all rules, JSON output); returns patches and findings. */
export async function reviewInput(input: PatchInput, tree: TreeContext | undefined, timings?: StageTimings): Promise<{ patches: number; findings: number }> {
  let parsed: Patch[];
  try {
    parsed = await timedAsync(timings, 'ingest', () => readPatches(input.bytes, input.name));
  } catch (e) {
    if (e instanceof InputError) return { patches: 0, findings: 0 };
    throw e;
  }
  let findings = 0;
  for (const p of parsed) {
    const review = await reviewPatch(p, { rules: ALL_RULES, audit: false, tree, timings });
    timed(timings, 'render', () => renderRun({ reviews: [review], inputErrors: [], rules: INFOS }, 'json'));
    findings += review.findings.length;
  }
  return { patches: parsed.length, findings };
}

/** One pass of the pipeline over `inputs`, timing each file; totals and per-file times. */
async function pipelinePass(inputs: readonly PatchInput[], tree: TreeContext | undefined, timings?: StageTimings) {
  let patches = 0;
  let findings = 0;
  const perFile: number[] = [];
  const t0 = performance.now();
  for (const input of inputs) {
    const t1 = performance.now();
    const r = await reviewInput(input, tree, timings);
    perFile.push(performance.now() - t1);
    patches += r.patches;
    findings += r.findings;
    await timedAsync(timings, 'gc', yieldToEventLoop);
  }
  return { ms: performance.now() - t0, patches, findings, perFile };
}

/** The C post-image units of each input file, built as the pipeline builds them. */
async function postImages(inputs: readonly PatchInput[], tree: TreeContext | undefined): Promise<string[][]> {
  const out: string[][] = [];
  for (const input of inputs) {
    const units: string[] = [];
    let parsed: Patch[] = [];
    try {
      parsed = await readPatches(input.bytes, input.name);
    } catch {
      // Unreadable input: no C to parse.
    }
    for (const p of parsed) {
      if (p.kind !== 'patch') continue;
      for (const f of parseUnifiedDiff(p.diff).files) {
        if (!f.newPath || !isCFile(f.newPath) || f.status === 'binary' || f.status === 'deleted' || f.hunks.length === 0) continue;
        const src = await buildSource(f, { tree: tree?.dir });
        for (const u of src.units) units.push(u.text);
      }
    }
    out.push(units);
  }
  return out;
}

/**
 * The floor: tree-sitter parsing each file's post-images and nothing else; ms per file (undefined without
 * C). Freeing the trees is timed apart (`freeMs`): every FREE_EVERY units a full collection lets
 * tree-sitter's finalizers run. The pipeline pays that freeing in its own time (its `gc` stage and V8's
 * collections). A collection also marks the whole heap, so `freeMs` is an upper bound of the freeing.
 */
/** Units parsed between two collections of the floor pass: few collections, so the freeing dominates them. */
const FREE_EVERY = 2000;

async function floorPass(units: readonly string[][]): Promise<{ perFile: (number | undefined)[]; freeMs: number }> {
  const perFile: (number | undefined)[] = [];
  let sinceYield = 0;
  let freeMs = 0;
  const free = async () => {
    const t0 = performance.now();
    collectGarbage();
    await yieldToEventLoop();
    freeMs += performance.now() - t0;
  };
  for (const list of units) {
    if (list.length === 0) {
      perFile.push(undefined);
      continue;
    }
    const t0 = performance.now();
    for (const u of list) parseC(u);
    perFile.push(performance.now() - t0);
    sinceYield += list.length;
    if (sinceYield >= FREE_EVERY) {
      sinceYield = 0;
      await free();
    }
  }
  await free();
  return { perFile, freeMs };
}

/**
 * Reviews every patch of `dir` after warming up on the first `warmup` files, then parses the same
 * post-images with tree-sitter alone. `display` names the input in the record.
 */
export async function measurePatches(dir: string, options: { display: string; warmup: number; tree?: string }): Promise<Throughput> {
  const inputs = await loadPatchInputs(dir);
  const tree = options.tree ? await openTree(options.tree) : undefined;
  const warm = Math.min(options.warmup, inputs.length);
  await pipelinePass(inputs.slice(0, warm), tree);
  await floorPass(await postImages(inputs.slice(0, warm), tree));

  const timings = newTimings();
  const run = await pipelinePass(inputs, tree, timings);
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  const units = await postImages(inputs, tree);
  const { perFile: floor, freeMs } = await floorPass(units);
  const perItem: ItemTime[] = inputs.map((input, i) => ({ bytes: input.bytes.length, ms: run.perFile[i], floorMs: floor[i] }));
  return {
    input: options.display,
    unit: 'patch',
    files: inputs.length,
    items: run.patches,
    bytes: inputs.reduce((s, i) => s + i.bytes.length, 0),
    findings: run.findings,
    ms: run.ms,
    stages: { ...timings },
    peakRssMB,
    floor: {
      ms: floor.reduce((s: number, v) => s + (v ?? 0), 0),
      bytes: units.flat().reduce((s, u) => s + u.length, 0),
      units: units.reduce((s, l) => s + l.length, 0),
      freeMs,
    },
    warmup: warm,
    perItem,
  };
}
