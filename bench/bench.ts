// Benchmark: the performance record — throughput on the patch corpus and on a driver tree against the
// parse-only floor, per-stage times, cold command-line runs, memory over 20,000 patches — written to
// docs/performance.md and docs/performance-time-vs-size.svg.
// Usage: npm run bench -- [patch dir] [--tree DIR] [--audit DIR] [--runs N] [--cycles N] [--only parts]

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine } from './machine.js';
import { CLI_ENTRY, measureCli } from './measure-cli.js';
import { duration, num } from './markdown.js';
import { isSkipped, type BenchRecord, type ColdCli, type MemoryRun, type Skipped, type Throughput } from './record.js';
import { memoryVerdict, renderRecord, renderTimeVsSize } from './report.js';
import { summarize } from './stats.js';

const PARTS = ['patches', 'audit', 'cli', 'memory'] as const;
type Part = (typeof PARTS)[number];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tree: { type: 'string' },
    audit: { type: 'string', default: '/opt/linux/linux-source-6.1/drivers/net' },
    warmup: { type: 'string', default: '100' },
    runs: { type: 'string', default: '15' },
    cycles: { type: 'string', default: '8' },
    every: { type: 'string', default: '500' },
    only: { type: 'string' },
  },
});
const only = values.only?.split(',').map((s) => s.trim()) ?? [...PARTS];
for (const p of only) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`bench: --only takes ${PARTS.join(', ')}; not '${p}'`);
const wanted = (p: Part) => only.includes(p);
const patchDir = positionals[0] ? resolve(positionals[0]) : resolve(root, '../shared/corpus/patches');
const auditDir = resolve(values.audit);
const docPath = join(root, 'docs', 'performance.md');
const plotName = 'performance-time-vs-size.svg';

/** A directory as the record shows it: relative to the repository when near it, else absolute. */
const shown = (dir: string) => {
  const rel = relative(root, dir);
  return rel.startsWith('../..') || rel === '' ? dir : rel;
};
const absent = (dir: string) => ({ skipped: `${dir} is absent` });
const notAsked: Skipped = { skipped: 'not run (--only)' };

const t0 = performance.now();
const machine = describeMachine(root);
console.log(`netdev-review benchmark: node ${machine.node}, ${machine.cpu}, ${machine.cores} cores, load ${num(machine.load, 2)}`);
const work = await mkdtemp(join(tmpdir(), 'netdev-review-bench-'));

/** Runs one part in a child process (see part.ts) and reads back its result. */
async function inChild<T>(part: string, args: string[]): Promise<T> {
  const out = join(work, `${part}.json`);
  const r = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'part.js'), part, '--out', out, ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench: the ${part} part failed (${r.status ?? r.signal})`);
  return JSON.parse(await readFile(out, 'utf8')) as T;
}

try {
  let cli: ColdCli | Skipped = notAsked;
  if (wanted('cli')) {
    if (!existsSync(join(root, CLI_ENTRY))) cli = { skipped: `${CLI_ENTRY} is absent (run npm run build)` };
    else {
      cli = measureCli(root, Number(values.runs));
      const s = summarize(cli.ms);
      console.log(`  cold CLI          ${s.n} runs: median ${num(s.median)} ms, p90 ${num(s.p90)} ms`);
    }
  }

  let patches: Throughput | Skipped = notAsked;
  if (wanted('patches')) {
    if (!existsSync(patchDir)) patches = absent(patchDir);
    else {
      const args = ['--dir', patchDir, '--display', shown(patchDir), '--warmup', values.warmup];
      patches = await inChild<Throughput>('patches', values.tree ? [...args, '--tree', values.tree] : args);
      printThroughput('patches', patches);
    }
  }

  let audit: Throughput | Skipped = notAsked;
  if (wanted('audit')) {
    if (!existsSync(auditDir)) audit = absent(auditDir);
    else {
      audit = await inChild<Throughput>('audit', ['--dir', auditDir, '--display', shown(auditDir)]);
      printThroughput('audit', audit);
    }
  }

  let memory: MemoryRun | Skipped = notAsked;
  if (wanted('memory')) {
    if (!existsSync(patchDir)) memory = absent(patchDir);
    else {
      memory = await inChild<MemoryRun>('memory', ['--dir', patchDir, '--display', shown(patchDir), '--cycles', values.cycles, '--every', values.every]);
      const last = memory.samples[memory.samples.length - 1];
      console.log(`  memory            ${num(last?.items ?? 0)} patch files in ${duration(memory.ms)}: RSS ${num(memory.samples[0]?.rssMB ?? 0)} → ${num(last?.rssMB ?? 0)} MB, ` +
        `live heap ${num(memory.samples[0]?.liveHeapMB ?? 0, 1)} → ${num(last?.liveHeapMB ?? 0, 1)} MB; ${memoryVerdict(memory).text.replace(/\*/g, '')}`);
    }
  }

  for (const [name, part] of Object.entries({ patches, audit, cli, memory })) {
    if (isSkipped(part) && part !== notAsked) console.log(`  ${name.padEnd(18)}skipped: ${part.skipped}`);
  }
  const record: BenchRecord = { machine, patches, audit, cli, memory, totalMs: performance.now() - t0 };
  if (only.length < PARTS.length) {
    console.log(`  record not written: --only ran part of it (${docPath} keeps the last full run)`);
  } else {
    if (!isSkipped(patches) && patches.perItem) {
      record.plot = plotName;
      await writeFile(join(root, 'docs', plotName), renderTimeVsSize(patches.perItem));
    }
    await writeFile(docPath, renderRecord(record));
    console.log(`  record            ${relative(root, docPath)}${record.plot ? ` and docs/${plotName}` : ''} (${duration(record.totalMs)})`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

function printThroughput(name: string, p: Throughput): void {
  const unit = p.unit === 'patch' ? 'patches' : 'files';
  const stages = Object.entries(p.stages).map(([k, v]) => `${k} ${num(v)}`).join(', ');
  console.log(`  ${name.padEnd(18)}${num(p.items)} ${unit}, ${num(p.bytes / 1e6, 1)} MB in ${duration(p.ms)}: ` +
    `${num((p.items * 1000) / p.ms, 1)} ${unit}/s, ${num(p.bytes / 1e6 / (p.ms / 1000), 2)} MB/s, ${num(p.ms / p.floor.ms, 2)}× the floor ` +
    `(${duration(p.floor.ms)}), peak RSS ${num(p.peakRssMB)} MB`);
  console.log(`  ${''.padEnd(18)}stages (ms): ${stages}`);
}
