// GitHub Action mode: action.yml's steps run as a runner would run them (inputs substituted, bash),
// against the GitHub stand-in, with a real pull_request event payload.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { GitHubStandIn } from '../../src/dev/github-stand-in.js';
import { pullUrlOf, actionSettings } from '../../src/github/action.js';
import { ensureBuilt } from '../cli/harness.js';
import { OWNER, REPO, TOKEN, addedFilePatch, exampleDriver, pullRequestPayload, standInWithPull } from './app-fixture.js';

interface Step { name: string; shell: string; run: string; env?: Record<string, string>; 'working-directory'?: string }
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
};
const reviewStep = action.runs.steps.find((s) => s.name === 'Review the pull request') as Step;

/** The step's env with `${{ inputs.X }}` replaced as the runner would (given inputs over defaults). */
function stepEnv(step: Step, inputs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env ?? {}))
    out[k] = v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => inputs[name] ?? action.inputs[name]?.default ?? '');
  return out;
}

/** Runs the step in bash (asynchronously: the stand-in answers from this process). */
function runStep(inputs: Record<string, string>, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-e', '-c', reviewStep.run], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTION_PATH: resolve('.'), ...env, ...stepEnv(reviewStep, inputs) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

describe('action.yml', () => {
  it('is a composite action that installs, then runs `netdev-review action` with its inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['fail-on', 'post', 'token']);
    expect(action.inputs.token.default).toBe('${{ github.token }}');
    expect(action.runs.steps[0].run).toMatch(/^npm ci\b/);
    expect(reviewStep.run).toContain('action');
    // Every input reaches the step, under the names the CLI reads.
    const env = stepEnv(reviewStep, { token: 't', post: 'false', 'fail-on': 'never' });
    expect(actionSettings({ ...env, GITHUB_EVENT_PATH: '/e' })).toMatchObject({ token: 't', post: false, failOn: 'never' });
  });

  it('takes the pull request from the event, or says there is none', () => {
    expect(pullUrlOf({ pull_request: { number: 7 }, repository: { full_name: 'a/b' } }, 'https://ghe.example.com/')).toBe('https://ghe.example.com/a/b/pull/7');
    expect(pullUrlOf({ ref: 'refs/heads/main' }, 'https://github.com')).toEqual({ skip: expect.stringContaining('not run on a pull request') });
    expect(() => actionSettings({ GITHUB_EVENT_PATH: '/e', GITHUB_TOKEN: 'x', NETDEV_REVIEW_FAIL_ON: 'sometimes' })).toThrow(/fail-on/);
    expect(() => actionSettings({ GITHUB_TOKEN: 'x' })).toThrow(/GITHUB_EVENT_PATH/);
  });
});

describe('the review step, as a runner runs it', () => {
  let gh: GitHubStandIn;
  let url = '';
  const dir = mkdtempSync(join(tmpdir(), 'nr-action-'));
  const eventPath = join(dir, 'event.json');
  beforeAll(async () => {
    ensureBuilt();
    const drv = exampleDriver();
    ({ gh, url } = await standInWithPull(11, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy }));
    writeFileSync(eventPath, JSON.stringify(pullRequestPayload('opened', { number: 11, head: 'c'.repeat(40) })));
  });
  afterAll(() => gh.stop());
  const runner = (summary: string) => ({ GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: url, GITHUB_SERVER_URL: url, GITHUB_STEP_SUMMARY: summary });

  it('with post=false prints the review, posts nothing, and fails on the error findings', async () => {
    const summary = join(dir, 'summary-dry.md');
    const r = await runStep({ token: TOKEN, post: 'false' }, runner(summary));
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain(`${OWNER}/${REPO}#11`);
    expect(r.stdout).toContain('would post');
    expect(gh.reviews(OWNER, REPO, 11)).toHaveLength(0);
    expect(readFileSync(summary, 'utf8')).toMatch(/^### netdev-review: [1-9]\d* error\(s\)/);
  });

  it('by default posts one review and one check run with the given token', async () => {
    const r = await runStep({ token: TOKEN, 'fail-on': 'never' }, runner(join(dir, 'summary.md')));
    expect(r.status, r.stderr).toBe(0);
    expect(gh.reviews(OWNER, REPO, 11)).toHaveLength(1);
    expect(gh.checkRuns(OWNER, REPO)).toHaveLength(1);
  });

  it("with a wrong token fails with GitHub's answer and posts nothing", async () => {
    const before = gh.reviews(OWNER, REPO, 11).length;
    const r = await runStep({ token: 'wrong' }, runner(join(dir, 'summary-bad.md')));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/401|Bad credentials/i);
    expect(gh.reviews(OWNER, REPO, 11)).toHaveLength(before);
  });

  it('on an event that is not a pull request, reviews nothing and succeeds', async () => {
    const push = join(dir, 'push.json');
    writeFileSync(push, JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: `${OWNER}/${REPO}` } }));
    const r = await runStep({ token: TOKEN }, { ...runner(join(dir, 's.md')), GITHUB_EVENT_PATH: push });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nothing to review');
    expect(existsSync(join(dir, 's.md'))).toBe(false);
  });
});
