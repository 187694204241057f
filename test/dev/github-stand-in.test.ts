// Dev stand-in for GitHub: driven over real HTTP and through Probot's own Octokit, to prove Octokit accepts its answers.

import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubStandIn, type StandInFile } from '../../src/dev/github-stand-in.js';

const TOKEN = 'ghs_test_token';
const OWNER = 'acme';
const REPO = 'linux';
const BASE = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);

/*
 * Lines of this patch (L = base side, R = head side):
 *   ctx L10/R10, ctx L11/R11, del L12, add R12, add R13, add R14, ctx L13/R15, ctx L14/R16, ctx L15/R17
 */
const PATCH = [
  '@@ -10,6 +10,8 @@ static int foo_probe(struct platform_device *pdev)',
  ' \tstruct net_device *ndev;',
  ' \tint err;',
  '-\tndev = alloc_etherdev(0);',
  '+\tndev = alloc_etherdev(sizeof(*priv));',
  '+\tif (!ndev)',
  '+\t\treturn -ENOMEM;',
  ' \terr = register_netdev(ndev);',
  ' \tif (err)',
  ' \t\tgoto out;',
].join('\n');

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const standIn = new GitHubStandIn({ token: TOKEN });
let url = '';

/** Probot's Octokit against the stand-in; throttling off unless a test turns it on (it spaces writes by 1–3 s). */
function octokit(options: { baseUrl?: string; throttle?: boolean } = {}): ProbotOctokit {
  return new ProbotOctokit({
    auth: { token: TOKEN },
    baseUrl: options.baseUrl ?? url,
    log: silent,
    retry: { retryAfterBaseValue: 5 },
    throttle: options.throttle
      ? { enabled: true, retryAfterBaseValue: 5, onRateLimit: () => true, onSecondaryRateLimit: () => true }
      : { enabled: false },
  });
}

function addPull(files: StandInFile[] = [{ filename: 'drivers/net/foo.c', status: 'modified', patch: PATCH }]): void {
  standIn.addPull({ owner: OWNER, repo: REPO, number: 7, baseSha: BASE, headSha: HEAD, baseRef: 'main', headRef: 'fix-foo', files });
}

function manyFiles(count: number): StandInFile[] {
  return Array.from({ length: count }, (_, i) => ({ filename: `drivers/net/f${i}.c`, status: 'added' as const, patch: '@@ -0,0 +1 @@\n+int x;' }));
}

beforeAll(async () => {
  ({ url } = await standIn.start());
});
afterEach(() => standIn.reset());
afterAll(async () => {
  await standIn.stop();
});

describe('authentication', () => {
  it('answers 401 without a token or with a wrong one, and records the calls', async () => {
    addPull();
    const none = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ message: 'Requires authentication' });
    const wrong = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7`, { headers: { authorization: 'token nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ message: 'Bad credentials' });
    const bearer = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
    expect(standIn.calls.map((call) => call.status)).toEqual([401, 401, 200]);
  });

  it('issues an installation token for a JWT, and refuses anything that is not one', async () => {
    const jwt = ['{"alg":"RS256","typ":"JWT"}', '{"iss":"1"}'].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.sig';
    const ok = await fetch(`${url}/app/installations/1/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` } });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ token: TOKEN, expires_at: expect.stringMatching(/Z$/) });
    const notJwt = await fetch(`${url}/app/installations/1/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(notJwt.status).toBe(401);
    const otherInstallation = await fetch(`${url}/app/installations/2/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` } });
    expect(otherInstallation.status).toBe(404);
    const installation = await fetch(`${url}/api/v3/repos/${OWNER}/${REPO}/installation`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(await installation.json()).toMatchObject({ id: 1 });
    expect(standIn.calls.at(-1)?.path).toBe(`/repos/${OWNER}/${REPO}/installation`);
  });

  it('lets a real Probot on an Enterprise base URL authenticate as the app, then as the installation', async () => {
    addPull();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    // GHE_HOST=127.0.0.1:PORT GHE_PROTOCOL=http gives Probot exactly this base URL.
    const probot = new Probot({ appId: 1, privateKey, baseUrl: `${url}/api/v3`, logLevel: 'fatal' });
    const installation = await probot.auth(1);
    const { data } = await installation.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
    expect(data.head.sha).toBe(HEAD);
    const threads = await installation.graphql<{ viewer: { login: string } }>('{ viewer { login } }');
    expect(threads.viewer.login).toBe('netdev-review');
    expect(standIn.calls.map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([
      'POST /app/installations/1/access_tokens 201',
      `GET /repos/${OWNER}/${REPO}/pulls/7 200`,
      'POST /graphql 200',
    ]);
  });
});

describe('pull request and files', () => {
  it('serves the pull request GitHub-shaped', async () => {
    addPull();
    const { data } = await octokit().rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
    expect(data).toMatchObject({
      number: 7,
      draft: false,
      head: { sha: HEAD, ref: 'fix-foo' },
      base: { sha: BASE, ref: 'main', repo: { full_name: `${OWNER}/${REPO}` } },
    });
  });

  it('pages the files with Link headers that Octokit follows, over three pages', async () => {
    addPull(manyFiles(250));
    const files = await octokit().paginate(octokit().rest.pulls.listFiles, { owner: OWNER, repo: REPO, pull_number: 7, per_page: 100 });
    expect(files).toHaveLength(250);
    expect(files[249]?.filename).toBe('drivers/net/f249.c');
    expect(files[0]).toMatchObject({ status: 'added', additions: 1, deletions: 0, changes: 1, patch: '@@ -0,0 +1 @@\n+int x;' });
    expect(standIn.calls.map((call) => call.query.page)).toEqual([undefined, '2', '3']);
  });

  it('writes GitHub-like Link headers (next/last, then prev/first)', async () => {
    addPull(manyFiles(250));
    const headers = { authorization: `token ${TOKEN}` };
    const first = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7/files?per_page=100`, { headers });
    expect(first.headers.get('link')).toBe(
      `<${url}/repos/${OWNER}/${REPO}/pulls/7/files?per_page=100&page=2>; rel="next", <${url}/repos/${OWNER}/${REPO}/pulls/7/files?per_page=100&page=3>; rel="last"`,
    );
    const middle = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7/files?per_page=100&page=2`, { headers });
    expect(middle.headers.get('link')).toMatch(/rel="prev".*rel="next".*rel="last".*rel="first"/);
    const defaults = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7/files`, { headers });
    expect(await defaults.json()).toHaveLength(30);
  });

  it('keeps the /api/v3 prefix in Link headers so Enterprise clients stay on it', async () => {
    addPull(manyFiles(150));
    const files = await octokit({ baseUrl: `${url}/api/v3` }).paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
      owner: OWNER,
      repo: REPO,
      pull_number: 7,
      per_page: 100,
    });
    expect(files).toHaveLength(150);
    expect(standIn.calls.map((call) => call.path)).toEqual([`/repos/${OWNER}/${REPO}/pulls/7/files`, `/repos/${OWNER}/${REPO}/pulls/7/files`]);
  });

  it('stops at 3,000 files as GitHub does', async () => {
    addPull(manyFiles(3005));
    const files = await octokit().paginate(octokit().rest.pulls.listFiles, { owner: OWNER, repo: REPO, pull_number: 7, per_page: 100 });
    expect(files).toHaveLength(3000);
    expect(standIn.calls).toHaveLength(30);
  });

  it('clamps per_page to the configured maximum', async () => {
    const small = new GitHubStandIn({ token: TOKEN, perPageMax: 10 });
    const { url: smallUrl } = await small.start();
    try {
      small.addPull({ owner: OWNER, repo: REPO, number: 1, baseSha: BASE, headSha: HEAD, files: manyFiles(25) });
      const files = await octokit({ baseUrl: smallUrl }).paginate(octokit({ baseUrl: smallUrl }).rest.pulls.listFiles, {
        owner: OWNER,
        repo: REPO,
        pull_number: 1,
        per_page: 100,
      });
      expect(files).toHaveLength(25);
      expect(small.calls).toHaveLength(3);
    } finally {
      await small.stop();
    }
  });
});

describe('contents', () => {
  it('answers base64 JSON by default and the bytes for the raw media type', async () => {
    addPull();
    standIn.setFile(OWNER, REPO, HEAD, 'drivers/net/foo.c', 'int foo;\n');
    const client = octokit();
    const { data } = await client.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'drivers/net/foo.c', ref: HEAD });
    expect(data).toMatchObject({ type: 'file', encoding: 'base64', size: 9, name: 'foo.c', path: 'drivers/net/foo.c', sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    if (Array.isArray(data) || data.type !== 'file') throw new Error('expected a file');
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe('int foo;\n');
    const raw = await client.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'drivers/net/foo.c', ref: HEAD, mediaType: { format: 'raw' } });
    expect(raw.data).toBe('int foo;\n');
    expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
    // The app's path arrives percent-encoded (Octokit encodes `/`); the record shows it decoded.
    expect(standIn.calls[0]?.path).toBe(`/repos/${OWNER}/${REPO}/contents/drivers/net/foo.c`);
    expect(standIn.calls[0]?.query).toEqual({ ref: HEAD });
  });

  it('leaves the content out of the JSON over 1 MB, as GitHub does, while raw still works', async () => {
    addPull();
    const big = 'x'.repeat(1024 * 1024 + 1);
    standIn.setFile(OWNER, REPO, HEAD, 'big.c', big);
    const client = octokit();
    const { data } = await client.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'big.c', ref: HEAD });
    expect(data).toMatchObject({ type: 'file', encoding: 'none', content: '', size: big.length });
    const raw = await client.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'big.c', ref: HEAD, mediaType: { format: 'raw' } });
    expect(raw.data).toHaveLength(big.length);
  });

  it('answers 404 for a missing file and for an unknown ref, and reads a branch as its sha', async () => {
    addPull();
    standIn.setFile(OWNER, REPO, 'main', 'Makefile', 'VERSION = 6\n');
    const client = octokit();
    await expect(client.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'nope.c', ref: HEAD })).rejects.toMatchObject({ status: 404 });
    await expect(client.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'Makefile', ref: 'no-such-branch' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('No commit found for the ref'),
    });
    const byBase = await client.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'Makefile', ref: BASE, mediaType: { format: 'raw' } });
    expect(byBase.data).toBe('VERSION = 6\n');
    const byDefault = await client.rest.repos.getContent({ owner: OWNER, repo: REPO, path: 'Makefile', mediaType: { format: 'raw' } });
    expect(byDefault.data).toBe('VERSION = 6\n');
  });

  it('serves Probot config files through the config plugin (raw, 404 → defaults)', async () => {
    addPull();
    const client = octokit();
    const absent = await client.config.get({ owner: OWNER, repo: REPO, path: '.github/netdev-review.yml' });
    expect(absent.config).toEqual({});
    standIn.setFile(OWNER, REPO, 'main', '.github/netdev-review.yml', 'event: REQUEST_CHANGES\n');
    const present = await client.config.get({ owner: OWNER, repo: REPO, path: '.github/netdev-review.yml' });
    expect(present.config).toEqual({ event: 'REQUEST_CHANGES' });
  });
});

describe('reviews', () => {
  const goodComments = [
    { path: 'drivers/net/foo.c', line: 13, side: 'RIGHT' as const, body: 'check the allocation' },
    { path: 'drivers/net/foo.c', line: 12, side: 'LEFT' as const, body: 'removed line' },
    { path: 'drivers/net/foo.c', start_line: 12, line: 14, side: 'RIGHT' as const, body: '```suggestion\nfixed\n```' },
  ];

  it('creates one review with every comment, each in its own thread', async () => {
    addPull();
    const client = octokit();
    const { data, status } = await client.rest.pulls.createReview({
      owner: OWNER,
      repo: REPO,
      pull_number: 7,
      commit_id: HEAD,
      event: 'COMMENT',
      body: 'netdev-review found 3 problems',
      comments: goodComments,
    });
    expect(status).toBe(200);
    expect(data).toMatchObject({ state: 'COMMENTED', body: 'netdev-review found 3 problems', commit_id: HEAD, user: { login: 'netdev-review[bot]' } });
    expect(standIn.reviews(OWNER, REPO, 7)).toMatchInlineSnapshot(`
      [
        {
          "body": "netdev-review found 3 problems",
          "comments": [
            {
              "body": "check the allocation",
              "id": 100001,
              "line": 13,
              "path": "drivers/net/foo.c",
              "side": "RIGHT",
            },
            {
              "body": "removed line",
              "id": 100002,
              "line": 12,
              "path": "drivers/net/foo.c",
              "side": "LEFT",
            },
            {
              "body": "\`\`\`suggestion
      fixed
      \`\`\`",
              "id": 100003,
              "line": 14,
              "path": "drivers/net/foo.c",
              "side": "RIGHT",
              "start_line": 12,
            },
          ],
          "commit_id": "cccccccccccccccccccccccccccccccccccccccc",
          "event": "COMMENT",
          "id": 800001,
          "node_id": "PRR_kwDOStandIn800001",
          "state": "COMMENTED",
        },
      ]
    `);
    const listed = await client.paginate(client.rest.pulls.listReviewComments, { owner: OWNER, repo: REPO, pull_number: 7, per_page: 2 });
    expect(listed.map((comment) => [comment.id, comment.line, comment.side, comment.start_line, comment.pull_request_review_id])).toEqual([
      [100001, 13, 'RIGHT', null, 800001],
      [100002, 12, 'LEFT', null, 800001],
      [100003, 14, 'RIGHT', 12, 800001],
    ]);
    expect(listed[0]).toMatchObject({
      node_id: 'PRRC_kwDOStandIn100001',
      commit_id: HEAD,
      user: { login: 'netdev-review[bot]', type: 'Bot' },
      diff_hunk: PATCH.split('\n').slice(0, 6).join('\n'),
      position: 5,
    });
    expect(listed[0]).not.toHaveProperty('in_reply_to_id');
  });

  it('fails the whole review with 422 when one comment is off the diff, creating nothing', async () => {
    addPull();
    const client = octokit();
    const attempt = client.rest.pulls.createReview({
      owner: OWNER,
      repo: REPO,
      pull_number: 7,
      commit_id: HEAD,
      event: 'COMMENT',
      body: 'x',
      comments: [...goodComments, { path: 'drivers/net/foo.c', line: 40, side: 'RIGHT', body: 'outside any hunk' }],
    });
    await expect(attempt).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] } },
    });
    expect(standIn.reviews(OWNER, REPO, 7)).toEqual([]);
    expect(standIn.reviewComments(OWNER, REPO, 7)).toEqual([]);
    const threads = await client.graphql<{ repository: { pullRequest: { reviewThreads: { totalCount: number } } } }>(
      'query { repository(owner: "acme", name: "linux") { pullRequest(number: 7) { reviewThreads(first: 100) { totalCount } } } }',
    );
    expect(threads.repository.pullRequest.reviewThreads.totalCount).toBe(0);
  });

  it('tells each anchoring problem, joined the way GitHub joins them', async () => {
    addPull();
    const response = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7/reviews`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        event: 'COMMENT',
        body: 'x',
        comments: [
          { path: 'drivers/net/foo.c', line: 16, side: 'LEFT', body: 'LEFT 16 does not exist' },
          { path: 'drivers/net/bar.c', line: 1, body: 'not in the PR' },
          { path: 'drivers/net/foo.c', line: 12, side: 'RIGHT', body: 'fine' },
          { path: 'drivers/net/foo.c', line: 9, body: 'before the hunk' },
        ],
      }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      errors: ['Line could not be resolved, Path could not be resolved, and Line could not be resolved'],
      documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
    });
  });

  it('checks event, commit, empty reviews, multi-line order and pending reviews', async () => {
    addPull();
    const post = async (body: unknown): Promise<{ status: number; errors: unknown }> => {
      const response = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7/reviews`, {
        method: 'POST',
        headers: { authorization: `token ${TOKEN}` },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { errors?: unknown };
      return { status: response.status, errors: json.errors };
    };
    expect(await post({ event: 'comment', body: 'x' })).toEqual({ status: 422, errors: ['Variable $event of type PullRequestReviewEvent was provided invalid value'] });
    expect(await post({ event: 'COMMENT', body: 'x', commit_id: 'd'.repeat(40) })).toEqual({ status: 422, errors: ['The commitOID is not part of the pull request'] });
    expect((await post({ event: 'COMMENT', body: '' })).status).toBe(422);
    expect((await post({ event: 'REQUEST_CHANGES' })).status).toBe(422);
    expect((await post({ event: 'APPROVE' })).status).toBe(200);
    expect((await post({ event: 'COMMENT', comments: [{ path: 'drivers/net/foo.c', line: 13, body: 'only comments' }] })).status).toBe(200);
    expect((await post({ event: 'COMMENT', comments: [{ path: 'drivers/net/foo.c', start_line: 13, line: 13, body: 'same line' }] })).status).toBe(422);
    expect((await post({ event: 'COMMENT', comments: [{ path: 'drivers/net/foo.c', start_line: 14, line: 13, body: 'backwards' }] })).status).toBe(422);
    expect((await post({ body: 'pending' })).status).toBe(200);
    expect(await post({ body: 'pending again' })).toEqual({ status: 422, errors: ['User can only have one pending review per pull request'] });
    expect(standIn.reviews(OWNER, REPO, 7).map((review) => (review as { state: string }).state)).toEqual(['APPROVED', 'COMMENTED', 'PENDING']);
  });

  it('accepts a review on an earlier head of the pull request after a new push', async () => {
    addPull();
    standIn.addPull({ owner: OWNER, repo: REPO, number: 7, baseSha: BASE, headSha: 'e'.repeat(40), files: [{ filename: 'drivers/net/foo.c', status: 'modified', patch: PATCH }] });
    const { data } = await octokit().rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, commit_id: HEAD, event: 'COMMENT', body: 'late' });
    expect(data.commit_id).toBe(HEAD);
  });

  it('adds a reply to the thread of the comment it answers', async () => {
    addPull();
    const client = octokit();
    await client.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'COMMENT', body: 'x', comments: goodComments.slice(0, 1) });
    const { status, data } = await client.rest.pulls.createReplyForReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, comment_id: 100001, body: 'Fixed in the new push.' });
    expect(status).toBe(201);
    expect(data).toMatchObject({ in_reply_to_id: 100001, path: 'drivers/net/foo.c', line: 13, body: 'Fixed in the new push.' });
    await expect(client.rest.pulls.createReplyForReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, comment_id: 999, body: 'x' })).rejects.toMatchObject({ status: 404 });
    const comments = standIn.reviewComments(OWNER, REPO, 7) as { thread_id: string }[];
    expect(comments).toHaveLength(2);
    expect(comments[1]?.thread_id).toBe(comments[0]?.thread_id);
  });
});

describe('check runs', () => {
  const annotation = (line: number) => ({ path: 'drivers/net/foo.c', start_line: line, end_line: line, annotation_level: 'warning' as const, message: `finding ${line}` });

  it('creates, appends annotations on update, and lists by ref', async () => {
    addPull();
    const client = octokit();
    const created = await client.rest.checks.create({
      owner: OWNER,
      repo: REPO,
      name: 'netdev-review',
      head_sha: HEAD,
      status: 'in_progress',
      output: { title: '70 findings', summary: 'table', annotations: Array.from({ length: 50 }, (_, i) => annotation(i + 1)) },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'netdev-review', head_sha: HEAD, status: 'in_progress', conclusion: null, output: { title: '70 findings', summary: 'table', annotations_count: 50 } });
    const updated = await client.rest.checks.update({
      owner: OWNER,
      repo: REPO,
      check_run_id: created.data.id,
      conclusion: 'neutral',
      output: { title: '70 findings', summary: 'table', annotations: Array.from({ length: 20 }, (_, i) => annotation(i + 51)) },
    });
    expect(updated.status).toBe(200);
    expect(updated.data).toMatchObject({ status: 'completed', conclusion: 'neutral', output: { annotations_count: 70 } });
    const runs = standIn.checkRuns(OWNER, REPO) as { output: { annotations: unknown[] }; updates: unknown[] }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]?.output.annotations).toHaveLength(70);
    expect(runs[0]?.updates).toHaveLength(2);
    const listed = await client.rest.checks.listForRef({ owner: OWNER, repo: REPO, ref: 'fix-foo', check_name: 'netdev-review' });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]?.id).toBe(created.data.id);
  });

  it('refuses 51 annotations in one request with GitHub\'s message', async () => {
    addPull();
    const attempt = octokit().rest.checks.create({
      owner: OWNER,
      repo: REPO,
      name: 'netdev-review',
      head_sha: HEAD,
      output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, (_, i) => annotation(i + 1)) },
    });
    await expect(attempt).rejects.toMatchObject({ status: 422, message: expect.stringContaining('No more than 50 items are allowed; 51 were supplied.') });
    expect(standIn.checkRuns(OWNER, REPO)).toEqual([]);
  });

  it('validates required fields, enums, sizes and the head sha', async () => {
    addPull();
    const post = async (body: unknown): Promise<{ status: number; message: string }> => {
      const response = await fetch(`${url}/repos/${OWNER}/${REPO}/check-runs`, { method: 'POST', headers: { authorization: `token ${TOKEN}` }, body: JSON.stringify(body) });
      return { status: response.status, message: ((await response.json()) as { message: string }).message };
    };
    expect(await post({ head_sha: HEAD })).toEqual({ status: 422, message: 'Invalid request.\n\n"name" wasn\'t supplied.' });
    expect((await post({ name: 'n', head_sha: 'f'.repeat(40) })).message).toBe(`No commit found for SHA: ${'f'.repeat(40)}`);
    expect((await post({ name: 'n', head_sha: HEAD, output: { title: 't' } })).message).toBe('Invalid request.\n\n"summary" wasn\'t supplied.');
    expect((await post({ name: 'n', head_sha: HEAD, output: { title: 't', summary: 's'.repeat(65536) } })).message).toBe(
      'Invalid request.\n\nOnly 65535 characters are allowed; 65536 were supplied.',
    );
    expect((await post({ name: 'n', head_sha: HEAD, output: { title: 't', summary: 's', annotations: [{ path: 'a.c', message: 'm' }] } })).message).toBe(
      'Invalid request.\n\n"annotation_level", "end_line", "start_line" weren\'t supplied.',
    );
    expect((await post({ name: 'n', head_sha: HEAD, output: { title: 't', summary: 's', annotations: [{ ...annotation(3), annotation_level: 'error' }] } })).status).toBe(422);
    expect((await post({ name: 'n', head_sha: HEAD, output: { title: 't', summary: 's', annotations: [{ ...annotation(3), end_line: 2 }] } })).message).toBe('Validation Failed');
    expect((await post({ name: 'n', head_sha: HEAD, conclusion: 'success' })).status).toBe(201);
  });
});

describe('GraphQL', () => {
  const THREADS = `query($owner: String!, $repo: String!, $number: Int!) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $number) {
        reviewThreads(first: 100) {
          nodes { id isResolved comments(first: 50) { nodes { databaseId body path } } }
        }
      }
    }
  }`;
  interface Threads {
    repository: { pullRequest: { reviewThreads: { nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId: number; body: string; path: string }[] } }[] } } };
  }

  it('lists review threads with their comments and resolves one', async () => {
    addPull();
    const client = octokit();
    await client.rest.pulls.createReview({
      owner: OWNER,
      repo: REPO,
      pull_number: 7,
      event: 'COMMENT',
      body: 'x',
      comments: [
        { path: 'drivers/net/foo.c', line: 13, body: 'first' },
        { path: 'drivers/net/foo.c', line: 15, body: 'second' },
      ],
    });
    await client.rest.pulls.createReplyForReviewComment({ owner: OWNER, repo: REPO, pull_number: 7, comment_id: 100001, body: 'reply' });
    const before = await client.graphql<Threads>(THREADS, { owner: OWNER, repo: REPO, number: 7 });
    expect(before).toEqual({
      repository: {
        pullRequest: {
          reviewThreads: {
            nodes: [
              {
                id: 'PRRT_kwDOStandIn1',
                isResolved: false,
                comments: {
                  nodes: [
                    { databaseId: 100001, body: 'first', path: 'drivers/net/foo.c' },
                    { databaseId: 100003, body: 'reply', path: 'drivers/net/foo.c' },
                  ],
                },
              },
              { id: 'PRRT_kwDOStandIn2', isResolved: false, comments: { nodes: [{ databaseId: 100002, body: 'second', path: 'drivers/net/foo.c' }] } },
            ],
          },
        },
      },
    });
    const resolved = await client.graphql<{ resolveReviewThread: { thread: { id: string; isResolved: boolean } } }>(
      'mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }',
      { threadId: 'PRRT_kwDOStandIn2' },
    );
    expect(resolved).toEqual({ resolveReviewThread: { thread: { id: 'PRRT_kwDOStandIn2', isResolved: true } } });
    expect(standIn.resolvedThreads()).toEqual(['PRRT_kwDOStandIn2']);
    const after = await client.graphql<Threads>(THREADS, { owner: OWNER, repo: REPO, number: 7 });
    expect(after.repository.pullRequest.reviewThreads.nodes.map((thread) => thread.isResolved)).toEqual([false, true]);
  });

  it('answers at /api/graphql for an Enterprise base URL', async () => {
    addPull();
    const data = await octokit({ baseUrl: `${url}/api/v3` }).graphql<Threads>(THREADS, { owner: OWNER, repo: REPO, number: 7 });
    expect(data.repository.pullRequest.reviewThreads.nodes).toEqual([]);
    expect(standIn.calls.map((call) => call.path)).toEqual(['/graphql']);
  });

  it('reports errors like GitHub: unknown node, unknown field, missing pagination', async () => {
    addPull();
    const client = octokit();
    await expect(
      client.graphql('mutation { resolveReviewThread(input: { threadId: "PRRT_nope" }) { thread { id } } }'),
    ).rejects.toMatchObject({ errors: [{ type: 'NOT_FOUND', message: "Could not resolve to a node with the global id of 'PRRT_nope'.", path: ['resolveReviewThread'] }] });
    await expect(client.graphql('{ repository(owner: "acme", name: "linux") { pullRequest(number: 7) { nope } } }')).rejects.toMatchObject({
      errors: [{ message: "Field 'nope' doesn't exist on type 'PullRequest'" }],
    });
    await expect(client.graphql('{ repository(owner: "acme", name: "linux") { pullRequest(number: 7) { reviewThreads { totalCount } } } }')).rejects.toMatchObject({
      errors: [{ type: 'MISSING_PAGINATION_BOUNDARIES' }],
    });
    expect(standIn.resolvedThreads()).toEqual([]);
  });

  it('needs a token', async () => {
    const response = await fetch(`${url}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(response.status).toBe(401);
  });
});

describe('failures, limits and robustness', () => {
  it('lets Octokit retry an injected 502 and then succeed', async () => {
    addPull();
    standIn.fail({ method: 'GET', path: /\/pulls\/7$/, status: 502 });
    const { data } = await octokit().rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
    expect(data.number).toBe(7);
    expect(standIn.calls.map((call) => call.status)).toEqual([502, 200]);
  });

  it('gives up after Octokit\'s three retries when the failure persists', async () => {
    addPull();
    standIn.fail({ path: /\/pulls\/7$/, status: 500, times: 10 });
    await expect(octokit().rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 })).rejects.toMatchObject({ status: 500 });
    expect(standIn.calls).toHaveLength(4);
  });

  it('drives Octokit\'s throttling: secondary limit (retry-after) and spent primary limit', async () => {
    addPull();
    standIn.fail({ path: /\/pulls\/7$/, status: 403, headers: { 'retry-after': '1' } });
    standIn.fail({ path: /\/files$/, status: 429, headers: { 'x-ratelimit-remaining': '0' } });
    const client = octokit({ throttle: true });
    const { data } = await client.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 });
    expect(data.number).toBe(7);
    const files = await client.rest.pulls.listFiles({ owner: OWNER, repo: REPO, pull_number: 7 });
    expect(files.data).toHaveLength(1);
    expect(standIn.calls.map((call) => call.status)).toEqual([403, 200, 429, 200]);
  });

  it('returns an injected 422 body as given, only the given number of times', async () => {
    addPull();
    standIn.fail({ method: 'POST', path: /\/reviews$/, status: 422, body: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] } });
    const client = octokit();
    await expect(client.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'APPROVE' })).rejects.toMatchObject({ status: 422 });
    await expect(client.rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'APPROVE' })).resolves.toMatchObject({ status: 200 });
  });

  it('sends rate-limit headers on every answer, remaining counting down', async () => {
    const first = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/1`, { headers: { authorization: `token ${TOKEN}` } });
    const second = await fetch(`${url}/nowhere`);
    expect(first.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(first.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(first.headers.get('x-ratelimit-remaining')) - Number(second.headers.get('x-ratelimit-remaining'))).toBe(1);
    expect(Number(second.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('answers 404 for unknown routes and records them', async () => {
    const response = await fetch(`${url}/repos/${OWNER}/${REPO}/issues/1/comments`, { method: 'POST', headers: { authorization: `token ${TOKEN}` }, body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    expect(standIn.calls).toMatchObject([{ method: 'POST', path: `/repos/${OWNER}/${REPO}/issues/1/comments`, body: '{}', status: 404 }]);
  });

  it('answers 400 to malformed JSON and keeps serving', async () => {
    addPull();
    const headers = { authorization: `token ${TOKEN}` };
    const bad = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7/reviews`, { method: 'POST', headers, body: '{"event": ' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ message: 'Problems parsing JSON' });
    const array = await fetch(`${url}/repos/${OWNER}/${REPO}/check-runs`, { method: 'POST', headers, body: '[1]' });
    expect(await array.json()).toMatchObject({ message: 'Body should be a JSON object' });
    const graphql = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: '{ repository(' }) });
    expect(graphql.status).toBe(200);
    expect(await graphql.json()).toMatchObject({ errors: [{ message: expect.stringContaining('Parse error') }] });
    const good = await fetch(`${url}/repos/${OWNER}/${REPO}/pulls/7`, { headers });
    expect(good.status).toBe(200);
    expect(standIn.calls[0]?.body).toBe('{"event": ');
  });

  it('waitFor resolves on a later call and rejects with the calls seen on timeout', async () => {
    addPull();
    const waiting = standIn.waitFor((calls) => calls.some((call) => call.method === 'POST' && call.path.endsWith('/reviews')), 2000);
    setTimeout(() => {
      void octokit().rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: 7, event: 'APPROVE' });
    }, 20);
    await expect(waiting).resolves.toBeUndefined();
    await expect(standIn.waitFor(() => false, 50)).rejects.toThrow(/condition not met within 50 ms; 1 calls recorded:\n {2}POST \/repos\/acme\/linux\/pulls\/7\/reviews → 200/);
  });
});
