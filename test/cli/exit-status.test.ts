// CLI end to end: the exit status contract (0 clean, 1 an error finding, 2 bad usage or an input that is not a patch).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  checkJson,
  checkJsonAsync,
  ensureBuilt,
  expectNoStackTrace,
  expectOneLineErrorNaming,
  fixture,
  ROOT,
  runCli,
  runCliAsync,
  runCliInterleaved,
} from './harness.js';

let scratch: string;

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(path.join(tmpdir(), 'netdev-review-exit-'));
});

describe('exit status 0 and 1', () => {
  it('is 0 for a clean patch, with nothing on stderr', () => {
    const r = runCli(['check', fixture('clean.patch')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('no findings');
  });

  it('is 0 when the only findings are warnings', () => {
    // ks8_set_rx_mode is bound nowhere in the patch: its role comes from its name only, so a warning.
    const r = checkJson([fixture('rx-mode-warning.patch')]);
    expect(r.report.reviews[0]!.findings.map((f) => f.severity)).toEqual(['warning']);
    expect(r.status).toBe(0);
  });

  it('is 1 when an error finding exists (the shipped example has 7)', () => {
    const r = checkJson(['examples/acme-new-driver.patch']);
    expect(r.status).toBe(1);
    expect(r.report.summary.errors).toBe(7);
    expect(r.report.reviews[0]!.findings.filter((f) => f.severity === 'error')).toHaveLength(7);
    expect(r.stderr).toBe('');
  });

  it('is 1 for an error in one patch of several', () => {
    const r = runCli(['check', fixture('clean.patch'), fixture('ks8-new-driver.patch')]);
    expect(r.status).toBe(1);
  });

  it('is 0 when --rule selects only rules that stay silent on the patch', () => {
    const r = runCli(['check', '--rule', 'netdev-use-after-free', fixture('ks8-new-driver.patch')]);
    expect(r.status).toBe(0);
    const both = checkJson(['-r', 'netdev-free-api', '-r', 'xmit-return-type', fixture('ks8-new-driver.patch')]);
    expect(new Set(both.report.reviews[0]!.findings.map((f) => f.ruleId))).toEqual(new Set(['netdev-free-api', 'xmit-return-type']));
    expect(both.status).toBe(1);
  });
});

describe('exit status 2: bad usage', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown option', ['check', '--frobnicate', 'test/fixtures/cli/clean.patch'], /--frobnicate/],
    ['--format nope', ['check', '--format', 'nope', 'test/fixtures/cli/clean.patch'], /--format: 'nope'/],
    ['--kernel-version banana', ['check', '--kernel-version', 'banana', 'test/fixtures/cli/clean.patch'], /--kernel-version: "banana" is not a kernel version/],
    ['--kernel-version without its value', ['check', 'test/fixtures/cli/clean.patch', '--kernel-version'], /kernel-version/],
    ['--rule no-such-rule', ['check', '--rule', 'no-such-rule', 'test/fixtures/cli/clean.patch'], /unknown rule 'no-such-rule'/],
    ['no input files', ['check'], /no input given/],
    ['no input files, only options', ['check', '--format', 'json', '--all'], /no input given/],
    ['--tree that does not exist', ['check', '--tree', '/nonexistent/linux', 'test/fixtures/cli/clean.patch'], /--tree: '\/nonexistent\/linux' is not a directory/],
    ['--tree that is a file', ['check', '--tree', 'test/fixtures/cli/clean.patch', 'test/fixtures/cli/clean.patch'], /--tree: .* is not a directory/],
    ['rules with an unknown option', ['rules', '--frobnicate'], /--frobnicate/],
    ['rules --format sarif', ['rules', '--format', 'sarif'], /rules --format: 'sarif'/],
  ];
  it.concurrent.each(cases)('%s', async (_name, args, message) => {
    const r = await runCliAsync(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expectNoStackTrace(r.stderr);
    // Bad usage is found before any review: nothing reviewed, nothing reported.
    expect(r.stdout).not.toMatch(/errors?, \d+ warnings?/);
  });

  it('--kernel-version 6.1banana is bad usage, not 6.1', () => {
    const r = runCli(['check', '--kernel-version', '6.1banana', fixture('clean.patch')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--kernel-version: "6\.1banana" is not a kernel version/);
  });

  it('prints the usage and exits 2 when no command is given', () => {
    // The usage goes to stdout here (cli.ts prints it as help), unlike the other usage errors.
    const r = runCli([]);
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain('usage: netdev-review');
    expectNoStackTrace(r.stdout + r.stderr);
  });

  it('prints the usage for --help and exits 0; --version names the tool', () => {
    const help = runCli(['check', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: netdev-review');
    const version = runCli(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^netdev-review \d+\.\d+\.\d+/);
  });
});

describe('stdout closed early (`netdev-review check ... | head`)', () => {
  it('ends quietly, without a stack trace and without claiming an error finding', () => {
    // 400 clean patches: ~120 KB of JSON, about twice what a pipe holds; exit status 0 when all is read.
    const args = ['check', '--format', 'json', ...Array.from({ length: 400 }, () => fixture('clean.patch'))];
    expect(runCli(args).status).toBe(0);
    const r = runCliReaderClosesEarly(args);
    expect(r.stderr).not.toContain('EPIPE');
    expectNoStackTrace(r.stderr);
    expect(r.status).not.toBe(1);
  });
});

describe('exit status 2: an input that is not a patch, after the others were reviewed', () => {
  const inputs: [string, () => string, RegExp][] = [
    ['a missing file', () => path.join(scratch, 'missing.patch'), /cannot read .*missing\.patch/],
    ['a directory', () => scratch, /cannot read/],
    ['an empty file', () => write('empty.patch', ''), /empty\.patch: empty input/],
    ['a file of blank lines', () => write('blank.patch', '\n\n   \r\n\t\n'), /blank\.patch: empty input/],
    ['binary bytes (a gzip of a patch)', () => write('ks8.patch.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0x4c])), /ks8\.patch\.gz: binary input/],
    ['UTF-16 text', () => write('utf16.patch', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('diff --git a/x.c b/x.c\n', 'utf16le')])), /utf16\.patch: UTF-16/],
    ['random text', () => fixture('random.txt'), /no patch found in test\/fixtures\/cli\/random\.txt/],
    ['a reply that quotes a patch', () => fixture('reply.eml'), /reply\.eml: no patch to review \(found: reply\)/],
  ];

  it.concurrent.each(inputs)('%s: one line on stderr naming it; the other files are still reviewed', async (_name, make, message) => {
    const bad = make();
    const r = await checkJsonAsync([fixture('ks8-new-driver.patch'), bad, fixture('bare.diff')]);
    expect(r.status).toBe(2);
    expectOneLineErrorNaming(r.stderr, path.basename(bad));
    expect(r.stderr).toMatch(message);
    // Both good files were reviewed and reported, in order.
    const reviewed = r.report.reviews.filter((rv) => !rv.skipped).map((rv) => rv.origin);
    expect(reviewed).toEqual([fixture('ks8-new-driver.patch'), fixture('bare.diff')]);
    expect(r.report.reviews.find((rv) => rv.origin === fixture('ks8-new-driver.patch'))!.findings.length).toBeGreaterThan(0);
    expect(r.report.reviews.find((rv) => rv.origin === fixture('bare.diff'))!.findings.map((f) => f.ruleId)).toEqual(['netdev-free-api']);
    expect(r.report.inputErrors).toHaveLength(1);
    expect(r.report.inputErrors[0]!.message).toMatch(message);
  });

  it('reports the error after the other files were reviewed and printed (text output)', () => {
    const r = runCliInterleaved(['check', fixture('ks8-new-driver.patch'), fixture('random.txt'), fixture('bare.diff')]);
    expect(r.status).toBe(2);
    expectNoStackTrace(r.output);
    const lastReview = r.output.indexOf('kfree(ndev);', r.output.indexOf('bare.diff'));
    const stderrLine = r.output.indexOf('netdev-review: no patch found in test/fixtures/cli/random.txt');
    expect(r.output.indexOf('test/fixtures/cli/ks8-new-driver.patch: [PATCH net-next]')).toBeGreaterThanOrEqual(0);
    expect(lastReview).toBeGreaterThan(0);
    expect(stderrLine).toBeGreaterThan(lastReview);
  });

  it('is 2 even when another input has an error finding (2 wins over 1)', () => {
    const r = runCli(['check', fixture('ks8-new-driver.patch'), path.join(scratch, 'nope.patch')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('[netdev-free-api]');
  });

  it('is 2 for every bad input when all of them are bad, one stderr line each', () => {
    const empty = write('empty2.patch', '');
    const r = runCli(['check', empty, fixture('random.txt')]);
    expect(r.status).toBe(2);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('empty2.patch');
    expect(lines[1]).toContain('random.txt');
    expectNoStackTrace(r.stderr);
  });
});

/**
 * Runs the CLI in a shell pipeline whose reader quits after 100 bytes, as `| head -c 100` does
 * (a real pipe: Node's own child pipes are sockets and do not show the problem).
 */
function runCliReaderClosesEarly(args: string[]): { status: number; stderr: string } {
  const errFile = path.join(scratch, `epipe-${process.pid}.err`);
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `"$0" bin/netdev-review.js ${quoted} 2>'${errFile}' | head -c 100 >/dev/null; exit "\${PIPESTATUS[0]}"`, process.execPath], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status ?? -1, stderr: readFileSync(errFile, 'utf8') };
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}
