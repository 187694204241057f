// Fuzz campaign (`npm run fuzz`): the property tests of test/fuzz with many more cases, a printed random seed,
// and a watchdog that names the case a hung worker was on.
//
//   npm run fuzz                           random seed, up to FUZZ_TIME s (default 20) per property
//   FUZZ_SEED=123 npm run fuzz             the same run again
//   FUZZ_RUNS=50000 FUZZ_TIME=120 npm run fuzz -- test/fuzz/diff.test.ts
//   FUZZ_SEED=123 FUZZ_PATH=4711 npm run fuzz -- -t "name of the test"   one failing case, from fast-check's report
//
// Variables are read in test/fuzz/settings.ts; FUZZ_HANG (seconds, default 60) is how long a worker may sit on one
// case before the watchdog stops the run. Real patches from ../shared/corpus are mutated too when the folder exists.

import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const seed = process.env.FUZZ_SEED ?? String(randomInt(1, 2 ** 31 - 1));
const hangSeconds = Number(process.env.FUZZ_HANG ?? '60');
const traceDir = mkdtempSync(join(tmpdir(), 'netdev-review-fuzz-'));

const replay = `FUZZ_SEED=${seed} npm run fuzz`;
console.log(`fuzz campaign: seed ${seed} (${replay} reproduces it)`);

// Files or -t patterns after `--` narrow the run; without a file, every property of test/fuzz runs.
const extra = process.argv.slice(2);
const args = [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...(extra.some((a) => a.startsWith('test/')) ? [] : ['test/fuzz']), ...extra];
const child = spawn(process.execPath, args, {
  cwd: root,
  stdio: 'inherit',
  detached: true,
  env: { ...process.env, FUZZ_CAMPAIGN: '1', FUZZ_SEED: seed, FUZZ_TRACE_DIR: traceDir },
});

/** A worker whose trace file has not changed for FUZZ_HANG seconds, while it is alive, is stuck on that case. */
function stuckWorker(): string | undefined {
  let names: string[];
  try {
    names = readdirSync(traceDir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const file = join(traceDir, name);
    try {
      if (Date.now() - statSync(file).mtimeMs < hangSeconds * 1000) continue;
      const text = readFileSync(file, 'utf8');
      const pid = Number(/^pid: (\d+)$/m.exec(text)?.[1]);
      if (!Number.isInteger(pid) || !alive(pid)) continue;
      return text;
    } catch {
      // The worker removed its trace between the listing and the read: it is not stuck.
    }
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let hung: string | undefined;
const watchdog = setInterval(() => {
  hung = stuckWorker();
  if (hung === undefined || child.pid === undefined) return;
  console.error(`\nfuzz campaign: a worker has run one case for over ${hangSeconds} s — a hang. The case:\n\n${hung}`);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}, 5000);

child.on('exit', (code, signal) => {
  clearInterval(watchdog);
  rmSync(traceDir, { recursive: true, force: true });
  const failed = hung !== undefined || code !== 0;
  console.log(`\nfuzz campaign: seed ${seed} — ${failed ? `FAILED (${hung !== undefined ? 'hang' : signal ?? `exit ${code}`})` : 'no failure'}; ${replay} reproduces it`);
  if (failed && hung === undefined) {
    console.log('fast-check printed `seed` and `path` for each failure: FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz -- -t "<test name>" replays that case.');
  }
  process.exit(failed ? 1 : 0);
});
