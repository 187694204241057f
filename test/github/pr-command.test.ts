// `netdev-review pr URL`: the app's code path from the command line, against the stand-in.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubStandIn } from '../../src/dev/github-stand-in.js';
import { apiUrlFor, parsePullUrl } from '../../src/github/pr-command.js';
import { ensureBuilt, runCliAsync } from '../cli/harness.js';
import { BASE_SHA, DOC, HEAD_SHA, MAKEFILE, OWNER, REPO, TOKEN, addedFilePatch, exampleDriver } from './app-fixture.js';

describe('parsePullUrl / apiUrlFor', () => {
  it('reads github.com and Enterprise URLs', () => {
    expect(parsePullUrl('https://github.com/torvalds/linux/pull/123')).toEqual({ host: 'github.com', owner: 'torvalds', repo: 'linux', number: 123 });
    expect(parsePullUrl('https://ghe.example.com/net/linux/pull/9/files')?.number).toBe(9);
    expect(parsePullUrl('https://github.com/torvalds/linux/issues/1')).toBeUndefined();
    expect(apiUrlFor('github.com')).toBe('https://api.github.com');
    expect(apiUrlFor('ghe.example.com')).toBe('https://ghe.example.com/api/v3');
  });
});

describe('netdev-review pr', () => {
  let gh: GitHubStandIn;
  let url = '';
  const drv = exampleDriver();
  beforeAll(async () => {
    ensureBuilt();
    gh = new GitHubStandIn({ token: TOKEN });
    url = (await gh.start()).url;
    gh.setFile(OWNER, REPO, BASE_SHA, 'Documentation/networking/netdevices.rst', DOC);
    gh.setFile(OWNER, REPO, BASE_SHA, 'Makefile', MAKEFILE);
    gh.setFile(OWNER, REPO, HEAD_SHA, drv.path, drv.buggy);
    gh.addPull({ number: 5, owner: OWNER, repo: REPO, baseSha: BASE_SHA, headSha: HEAD_SHA, files: [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }] });
  });
  afterAll(() => gh.stop());

  const pullUrl = () => `${url}/${OWNER}/${REPO}/pull/5`;

  it('prints the review it would post, and posts nothing', async () => {
    const r = await runCliAsync(['pr', pullUrl(), '--api-url', url], { env: { GITHUB_TOKEN: TOKEN } });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('review (COMMENT) would post');
    expect(r.stdout).toContain(`--- ${drv.path}:24`);
    expect(r.stdout).toContain('```suggestion');
    expect(r.stdout).toContain('check run would post: neutral');
    expect(gh.calls.filter((c) => c.method !== 'GET' && c.path !== '/graphql')).toEqual([]);
  });

  it('--post posts one review and one check run', async () => {
    const r = await runCliAsync(['pr', pullUrl(), '--api-url', url, '--post'], { env: { GITHUB_TOKEN: TOKEN } });
    expect(r.status, r.stderr).toBe(1);
    expect(gh.reviews(OWNER, REPO, 5)).toHaveLength(1);
    expect(gh.checkRuns(OWNER, REPO)).toHaveLength(1);
  });

  it('without a token, says so (exit 2)', async () => {
    const r = await runCliAsync(['pr', pullUrl()], { env: { GITHUB_TOKEN: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('GITHUB_TOKEN');
  });
});
