// Benchmark: cold start — a fresh `netdev-review check` process on one patch, timed from spawn to exit.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ColdCli } from './record.js';

/** The example patch of the README, reviewed by the built command line. */
const ARGS = ['bin/netdev-review.js', 'check', 'examples/acme-new-driver.patch'];

/**
 * Runs the command line `runs` times (after one untimed run that warms the file cache) from the
 * repository `root`; needs the build output in dist/. Throws when a run fails (status other than 0 or 1).
 */
export function measureCli(root: string, runs: number): ColdCli {
  const once = () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ARGS, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${ARGS.join(' ')} exited with ${r.status ?? r.signal}: ${r.stderr}`);
    return { ms, status: r.status };
  };
  once();
  const ms: number[] = [];
  const statuses: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = once();
    ms.push(r.ms);
    statuses.push(r.status);
  }
  return { command: `node ${ARGS.join(' ')}`, ms, statuses };
}

/** The file the cold run needs from the build (absent before `npm run build`). */
export const CLI_ENTRY = join('dist', 'src', 'cli.js');
