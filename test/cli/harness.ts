// CLI test harness: builds dist/ when it is stale, spawns the real `bin/netdev-review.js`, reads fixtures.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect } from 'vitest';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/cli');
const BIN = path.join(ROOT, 'bin/netdev-review.js');
const BUILT_CLI = path.join(ROOT, 'dist/src/cli.js');

/** Fixture path relative to the repository root, as a user would type it from there. */
export const fixture = (name: string): string => path.relative(ROOT, path.join(FIXTURES, name));

/** The fixture's lines (1-based access: `lines[n - 1]`), CR kept off. */
export function fixtureLines(name: string): string[] {
  return readFileSync(path.join(FIXTURES, name), 'utf8').split('\n');
}

function newestMtime(dir: string, accept: (file: string) => boolean): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !accept(entry.name)) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  if (!existsSync(BUILT_CLI)) return true;
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'src'), (f) => f.endsWith('.ts')),
    newestMtime(path.join(ROOT, 'rules'), (f) => f.endsWith('.ts')),
  );
  const built = Math.max(newestMtime(path.join(ROOT, 'dist/src'), (f) => f.endsWith('.js')), newestMtime(path.join(ROOT, 'dist/rules'), (f) => f.endsWith('.js')));
  return sources > built;
}

/**
 * Compiles with tsc when dist/ is missing or older than src/ and rules/ (`npm test` has already
 * built through `pretest`; a bare `npx vitest run test/cli` may not have). Test files run in
 * parallel workers: a lock directory keeps them from compiling on top of each other.
 */
export function ensureBuilt(): void {
  if (!isStale()) return;
  const lock = path.join(tmpdir(), `netdev-review-cli-test-build-${Buffer.from(ROOT).toString('hex').slice(-16)}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker is compiling; a lock older than a minute is left over from a killed run.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000 || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (!isStale()) return;
    // tsc emits even when others' work in progress has type errors; only a missing CLI is fatal.
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    if (!existsSync(BUILT_CLI)) throw new Error(`tsc did not produce ${BUILT_CLI}:\n${tsc.stdout}${tsc.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Bytes or text for stdin (the CLI reads it for the input `-`). */
  input?: string | Buffer;
  /** Extra environment (NO_COLOR is always set so text output is stable). */
  env?: NodeJS.ProcessEnv;
}

/** Results of earlier identical runs in this test file: inputs do not change while a file runs. */
const memo = new Map<string, CliResult>();

/** Runs `node bin/netdev-review.js ...args` from the repository root (once per distinct args, input and env). */
export function runCli(args: string[], options: RunOptions = {}): CliResult {
  const key = JSON.stringify([args, options.input instanceof Buffer ? options.input.toString('base64') : (options.input ?? ''), options.env ?? {}]);
  const seen = memo.get(key);
  if (seen) return seen;
  const result = spawnCli(args, options);
  memo.set(key, result);
  return result;
}

function spawnCli(args: string[], options: RunOptions): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** {@link runCli} without blocking: lets a test file keep both CPUs busy with several CLI runs. */
export function runCliAsync(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    // The CLI may exit before reading stdin (bad usage): a closed pipe is not the test's failure.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the CLI with stdout and stderr going to one file, so their relative order shows. */
export function runCliInterleaved(args: string[]): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'netdev-review-cli-'));
  const file = path.join(dir, 'out.txt');
  try {
    const fd = openSync(file, 'w');
    let r;
    try {
      r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', fd, fd], env: { ...process.env, NO_COLOR: '1' } });
    } finally {
      closeSync(fd);
    }
    if (r.error) throw r.error;
    return { status: r.status, output: readFileSync(file, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Never a stack trace, whatever went wrong: no `    at fn (file:line)` frames, no `node:internal`. */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s{4}at /m);
  expect(text).not.toContain('node:internal');
  expect(text).not.toMatch(/\b(?:TypeError|ReferenceError|RangeError|SyntaxError):/);
}

/** stderr of a run that failed on one input: exactly one line, `netdev-review: ...`, naming it. */
export function expectOneLineErrorNaming(stderr: string, name: string): void {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^netdev-review: /);
  expect(lines[0]).toContain(name);
  expectNoStackTrace(stderr);
}

/** The JSON report's shape, as far as these tests read it. */
export interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  file: string;
  line: number;
  endLine: number | null;
  message: string;
  citation: { section: string; entry: string | null; url: string; docLabel: string; lines: { start: number; end: number } | null } | null;
  fix: { line: number; endLine: number; replacement: string; description: string } | null;
  scope: 'change' | 'pre-existing';
  inputLine: number | null;
}

export interface JsonReview {
  origin: string;
  subject: string | null;
  messageId: string | null;
  target: { version: string; source: 'flag' | 'subject' | 'tree' | 'default' };
  notes: string[];
  findings: JsonFinding[];
  skipped?: string | null;
}

export interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  reviews: JsonReview[];
  inputErrors: { origin: string; message: string }[];
  summary: { errors: number; warnings: number; infos: number };
}

/** Runs `check --format json ...args` and parses stdout. */
export function checkJson(args: string[], options: RunOptions = {}): { status: number | null; report: JsonReport; stderr: string } {
  const r = runCli(['check', '--format', 'json', ...args], options);
  expectNoStackTrace(r.stderr);
  return { status: r.status, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

/** {@link checkJson} without blocking. */
export async function checkJsonAsync(args: string[], options: RunOptions = {}): Promise<{ status: number | null; report: JsonReport; stderr: string }> {
  const r = await runCliAsync(['check', '--format', 'json', ...args], options);
  expectNoStackTrace(r.stderr);
  return { status: r.status, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

/** `ruleId@line` of each finding, in report order: compact to compare. */
export const findingKeys = (review: JsonReview): string[] => review.findings.map((f) => `${f.ruleId}@${f.line}`);
