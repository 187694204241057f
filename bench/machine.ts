// Benchmark: what the record was measured on — CPU, cores, memory, Node and tree-sitter versions, commit.

import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import type { Machine } from './record.js';

/** Describes this machine and the installed software, reading versions from `root`'s node_modules. */
export function describeMachine(root: string): Machine {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    ramGB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    treeSitter: packageVersion(root, 'tree-sitter'),
    treeSitterC: packageVersion(root, 'tree-sitter-c'),
    date: new Date().toISOString(),
    commit: gitCommit(root),
    load: os.loadavg()[0],
  };
}

/** The CPU model from /proc/cpuinfo (Linux), else what Node reports. */
function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: fall through.
  }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

function packageVersion(root: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function gitCommit(root: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
