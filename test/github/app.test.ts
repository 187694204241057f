// The GitHub App end to end: a real Probot instance, real webhook payloads, a stand-in GitHub that records
// every call. Snapshots show the review and the check run a user sees.

import { afterEach, describe, expect, it } from 'vitest';
import type { GitHubStandIn, RecordedCall } from '../../src/dev/github-stand-in.js';
import {
  BASE_SHA,
  FIXED_SHA,
  HEAD_SHA,
  OWNER,
  REPO,
  addedFilePatch,
  exampleDriver,
  modifiedFilePatch,
  probotFor,
  pullRequestPayload,
  standInWithPull,
} from './app-fixture.js';

const stands: GitHubStandIn[] = [];
afterEach(async () => {
  while (stands.length) await stands.pop()?.stop();
});

const writes = (calls: RecordedCall[]) => calls.filter((c) => c.method !== 'GET' && !(c.method === 'POST' && c.path === '/graphql' && !String(JSON.stringify(c.body)).includes('resolveReviewThread')));

interface PostedReview {
  body: string;
  event: string;
  commit_id: string;
  comments: { path: string; line: number; start_line?: number; body: string }[];
}

describe('pull_request.opened with a buggy driver', () => {
  it('posts one review with inline comments citing the document, with suggestions, and one check run', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(7, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'delivery-1', name: 'pull_request', payload: pullRequestPayload('opened', { number: 7, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();

    const reviews = gh.reviews(OWNER, REPO, 7) as PostedReview[];
    expect(reviews).toHaveLength(1);
    const review = reviews[0];
    expect(review.commit_id).toBe(HEAD_SHA);
    expect(review.event).toBe('COMMENT');
    expect(review.comments.length).toBeGreaterThanOrEqual(6);
    for (const c of review.comments) {
      expect(c.path).toBe(drv.path);
      // Each cites the document at the base commit of this (kernel) repository.
      expect(c.body).toMatch(/https:\/\/github\.com\/acme\/linux\/blob\/b{40}\/Documentation\/networking\/netdevices\.rst#L\d+-L\d+/);
      expect(c.body).toMatch(/<!-- netdev-review:fingerprint=[0-9a-f]+ rule=[a-z-]+ -->/);
    }
    const suggestions = review.comments.filter((c) => c.body.includes('```suggestion'));
    expect(suggestions.map((c) => c.body.match(/```suggestion\n([\s\S]*?)\n```/)?.[1])).toEqual(
      expect.arrayContaining(['\t\tstruct sk_buff *skb = alloc_skb(1536, GFP_ATOMIC);', 'static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)', '\tfree_netdev(ndev);']),
    );
    const runs = gh.checkRuns(OWNER, REPO) as { head_sha: string; name: string; conclusion: string; output: { title: string; summary: string } }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ head_sha: HEAD_SHA, name: 'netdev-review', conclusion: 'neutral' });
    // What a user sees.
    expect(review.body).toMatchSnapshot('review body');
    expect(review.comments.map((c) => `${c.path}:${c.start_line ? `${c.start_line}-` : ''}${c.line}\n${c.body}`).join('\n\n')).toMatchSnapshot('review comments');
    expect(runs[0].output.summary).toMatchSnapshot('check run summary');
  });
});

describe('never twice', () => {
  it('a redelivered webhook and a second event for a reviewed head post nothing new', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(8, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    const payload = pullRequestPayload('opened', { number: 8, head: HEAD_SHA }) as never;
    await probot.receive({ id: 'delivery-a', name: 'pull_request', payload });
    await handle.queue.onIdle();
    const before = gh.calls.length;
    const writesBefore = writes(gh.calls).length;

    await probot.receive({ id: 'delivery-a', name: 'pull_request', payload });
    await handle.queue.onIdle();
    expect(gh.calls.length, 'a redelivery makes no call at all').toBe(before);

    await probot.receive({ id: 'delivery-b', name: 'pull_request', payload: pullRequestPayload('reopened', { number: 8, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    expect(writes(gh.calls).length, 'an already reviewed head gets no new review or check run').toBe(writesBefore);
  });

  it('a new push repeats no comment on an unchanged line, and resolves the threads it fixed', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(9, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'd1', name: 'pull_request', payload: pullRequestPayload('opened', { number: 9, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const first = gh.reviews(OWNER, REPO, 9) as PostedReview[];
    expect(first).toHaveLength(1);

    // Push 2 fixes everything.
    gh.setFile(OWNER, REPO, FIXED_SHA, drv.path, drv.fixed);
    gh.addPull({ number: 9, owner: OWNER, repo: REPO, baseSha: BASE_SHA, headSha: FIXED_SHA, files: [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.fixed) }] });
    await probot.receive({ id: 'd2', name: 'pull_request', payload: pullRequestPayload('synchronize', { number: 9, head: FIXED_SHA }) as never });
    await handle.queue.onIdle();

    expect(gh.reviews(OWNER, REPO, 9), 'a clean push posts no new review').toHaveLength(1);
    expect(gh.resolvedThreads()).toHaveLength(first[0].comments.length);
    const runs = gh.checkRuns(OWNER, REPO) as { head_sha: string; conclusion: string; output: { summary: string } }[];
    const last = runs.find((r) => r.head_sha === FIXED_SHA);
    expect(last?.conclusion).toBe('success');
    expect(last?.output.summary).toMatch(/fixed/i);
  });

  it('a push that keeps some findings comments only on the new ones', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(10, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'e1', name: 'pull_request', payload: pullRequestPayload('opened', { number: 10, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const firstCount = (gh.reviews(OWNER, REPO, 10) as PostedReview[])[0].comments.length;

    // Push 2: one more bug (a msleep in the poll), nothing fixed; the diff against the base is the whole file.
    const worse = drv.buggy.replace('\tif (done < budget)\n\t\tnapi_complete_done(napi, done);', '\tmsleep(1);\n\tif (done < budget)\n\t\tnapi_complete_done(napi, done);');
    gh.setFile(OWNER, REPO, FIXED_SHA, drv.path, worse);
    gh.addPull({ number: 10, owner: OWNER, repo: REPO, baseSha: BASE_SHA, headSha: FIXED_SHA, files: [{ filename: drv.path, status: 'added', patch: addedFilePatch(worse) }] });
    await probot.receive({ id: 'e2', name: 'pull_request', payload: pullRequestPayload('synchronize', { number: 10, head: FIXED_SHA }) as never });
    await handle.queue.onIdle();
    const reviews = gh.reviews(OWNER, REPO, 10) as PostedReview[];
    expect(reviews).toHaveLength(2);
    expect(reviews[1].comments).toHaveLength(1);
    expect(reviews[1].comments[0].body).toContain('msleep()');
    expect(firstCount).toBeGreaterThan(1);
    expect(gh.resolvedThreads()).toEqual([]);
  });
});

describe('configuration', () => {
  it('an invalid .github/netdev-review.yml gets a neutral check run that explains it, and no review', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(11, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    gh.setFile(OWNER, REPO, BASE_SHA, '.github/netdev-review.yml', 'review:\n  event: APPROVE\n');
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'c1', name: 'pull_request', payload: pullRequestPayload('opened', { number: 11, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    expect(gh.reviews(OWNER, REPO, 11)).toEqual([]);
    const runs = gh.checkRuns(OWNER, REPO) as { conclusion: string; output: { title: string; summary: string } }[];
    expect(runs).toHaveLength(1);
    expect(runs[0].conclusion).toBe('neutral');
    expect(runs[0].output.summary).toContain('review.event');
  });

  it('rules off, REQUEST_CHANGES, fail_on: error, excluded paths', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(12, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    gh.setFile(OWNER, REPO, BASE_SHA, '.github/netdev-review.yml', 'rules:\n  xmit-return-type: off\nreview:\n  event: REQUEST_CHANGES\ncheck:\n  fail_on: error\n');
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'c2', name: 'pull_request', payload: pullRequestPayload('opened', { number: 12, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const review = (gh.reviews(OWNER, REPO, 12) as PostedReview[])[0];
    expect(review.event).toBe('REQUEST_CHANGES');
    expect(review.comments.some((c) => c.body.includes('xmit-return-type'))).toBe(false);
    expect((gh.checkRuns(OWNER, REPO) as { conclusion: string }[])[0].conclusion).toBe('failure');
  });

  it('draft pull requests are skipped unless configured', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(13, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy }, { draft: true });
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'c3', name: 'pull_request', payload: pullRequestPayload('opened', { number: 13, head: HEAD_SHA, draft: true }) as never });
    await handle.queue.onIdle();
    expect(writes(gh.calls)).toEqual([]);
  });
});

describe('reading only what is needed', () => {
  it('a 300-file pull request with 3 relevant files makes a bounded number of calls', async () => {
    const drv = exampleDriver();
    const files = [];
    const head: Record<string, string> = {};
    for (let i = 0; i < 297; i++) {
      const path = i % 3 === 0 ? `Documentation/notes/n${i}.txt` : `drivers/net/ethernet/acme/other${i}.c`;
      const text = i % 3 === 0 ? `note ${i}\n` : `static int acme_helper_${i}(int x)\n{\n\treturn x + ${i};\n}\n`;
      files.push({ filename: path, status: 'added' as const, patch: addedFilePatch(text) });
      head[path] = text;
    }
    for (const k of [1, 2, 3]) {
      const path = `drivers/net/ethernet/acme/acme_eth${k}.c`;
      files.push({ filename: path, status: 'added' as const, patch: addedFilePatch(drv.buggy) });
      head[path] = drv.buggy;
    }
    const { gh, url } = await standInWithPull(14, files, head);
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'f1', name: 'pull_request', payload: pullRequestPayload('opened', { number: 14, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const byKind = gh.calls.map((c) => `${c.method} ${c.path.replace(/\/contents\/.*/, '/contents/…')}`);
    const contents = gh.calls.filter((c) => c.path.includes('/contents/')).map((c) => c.path.replace(/.*\/contents\//, ''));
    // config, document, Makefile, and the three relevant files — nothing else is read.
    expect(contents.sort()).toEqual(
      ['.github/netdev-review.yml', 'Documentation/networking/netdevices.rst', 'Makefile', ...[1, 2, 3].map((k) => `drivers/net/ethernet/acme/acme_eth${k}.c`)].sort(),
    );
    expect(gh.calls.length, byKind.join("\n")).toBe(12);
    expect(gh.reviews(OWNER, REPO, 14)).toHaveLength(1);
  });
});

describe('bad deliveries and failures', () => {
  it('a payload without a pull request head is ignored', async () => {
    const { gh, url } = await standInWithPull(20, [], {});
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    const payload = pullRequestPayload('opened', { number: 20, head: HEAD_SHA }) as Record<string, any>;
    delete payload.pull_request.head;
    await probot.receive({ id: 'g1', name: 'pull_request', payload: payload as never });
    await handle.queue.onIdle();
    expect(gh.calls).toEqual([]);
  });

  it('a files list that keeps failing gets a neutral check run saying why', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(21, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    gh.fail({ method: 'GET', path: /\/pulls\/21\/files$/, status: 500, times: 10 });
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'g2', name: 'pull_request', payload: pullRequestPayload('opened', { number: 21, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const runs = gh.checkRuns(OWNER, REPO) as { conclusion: string; output: { summary: string } }[];
    expect(runs).toHaveLength(1);
    expect(runs[0].conclusion).toBe('neutral');
    expect(runs[0].output.summary).toMatch(/could not list/);
  });

  it('a contents call that fails falls back to the diff hunks, with a note', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(22, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], {});
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'g3', name: 'pull_request', payload: pullRequestPayload('opened', { number: 22, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    expect((gh.reviews(OWNER, REPO, 22) as PostedReview[])[0].comments.length).toBeGreaterThan(0);
    expect((gh.checkRuns(OWNER, REPO) as { output: { summary: string } }[])[0].output.summary).toMatch(/could not read it at the head commit/);
  });

  it('a diff GitHub truncated, a binary file and a 5 MB file are skipped with notes', async () => {
    const big = 'static int acme_big(void)\n{\n' + '\tmsleep(1);\n'.repeat(450_000) + '\treturn 0;\n}\n';
    const files = [
      { filename: 'drivers/net/ethernet/acme/huge_gen.c', status: 'modified' as const },
      { filename: 'firmware/acme.bin', status: 'added' as const },
      { filename: 'drivers/net/ethernet/acme/big.c', status: 'added' as const, patch: '@@ -0,0 +1,3 @@\n+static int acme_big(void)\n+{\n+\tmsleep(1);' },
    ];
    const { gh, url } = await standInWithPull(23, files, { 'drivers/net/ethernet/acme/big.c': big });
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'g4', name: 'pull_request', payload: pullRequestPayload('opened', { number: 23, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const summary = (gh.checkRuns(OWNER, REPO) as { output: { summary: string } }[])[0].output.summary;
    expect(summary).toMatch(/huge_gen\.c: skipped: GitHub gives no diff/);
    expect(summary).toMatch(/big\.c: skipped: 5\.\d MB of C/);
  });

  it('a review GitHub rejects (422) is posted again without inline comments', async () => {
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(24, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    gh.fail({ method: 'POST', path: /\/pulls\/24\/reviews$/, status: 422, body: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] } });
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'g5', name: 'pull_request', payload: pullRequestPayload('opened', { number: 24, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const reviews = gh.reviews(OWNER, REPO, 24) as PostedReview[];
    expect(reviews).toHaveLength(1);
    expect(reviews[0].comments).toEqual([]);
    expect(reviews[0].body).toContain('did not accept the inline comments');
    expect(gh.checkRuns(OWNER, REPO)).toHaveLength(1);
  });
});

describe('kernel patches carried as .patch files', () => {
  it('reviews the embedded patch and comments on the .patch file\'s lines', async () => {
    const patch = (await import('node:fs')).readFileSync('examples/acme-new-driver.patch', 'utf8');
    const path = 'target/linux/generic/pending-6.6/900-net-acme-add-driver.patch';
    const { gh, url } = await standInWithPull(30, [{ filename: path, status: 'added', patch: addedFilePatch(patch) }], { [path]: patch });
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'p1', name: 'pull_request', payload: pullRequestPayload('opened', { number: 30, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const review = (gh.reviews(OWNER, REPO, 30) as PostedReview[])[0];
    expect(review.comments.length).toBeGreaterThanOrEqual(6);
    const lines = patch.split('\n');
    for (const c of review.comments) {
      expect(c.path).toBe(path);
      expect(lines[c.line - 1].startsWith('+')).toBe(true);
    }
    const kfree = review.comments.find((c) => c.body.includes('netdev-free-api'));
    expect(lines[(kfree?.line ?? 0) - 1]).toBe('+\tkfree(ndev);');
    expect(kfree?.body).toContain('```suggestion\n+\tfree_netdev(ndev);\n```');
  });

  it('only what the pull request changed in a .patch file is its responsibility', async () => {
    const before = (await import('node:fs')).readFileSync('examples/acme-new-driver.patch', 'utf8');
    const after = before.replace('+\tnetif_start_queue(dev);\n+\treturn 0;', '+\tnetif_start_queue(dev);\n+\tmsleep(10);\n+\treturn 0;');
    const path = 'target/linux/generic/pending-6.6/900-net-acme-add-driver.patch';
    const { gh, url } = await standInWithPull(31, [{ filename: path, status: 'modified', patch: modifiedFilePatch(before, after) }], { [path]: after });
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'p2', name: 'pull_request', payload: pullRequestPayload('opened', { number: 31, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    // msleep in ndo_open is fine (process context, rtnl held): the change introduces nothing.
    expect(gh.reviews(OWNER, REPO, 31)).toEqual([]);
    expect((gh.checkRuns(OWNER, REPO) as { conclusion: string }[])[0].conclusion).toBe('success');
  });
});

describe('GitHub limits and errors, with the server\'s Octokit', () => {
  it('waits out a secondary rate limit on the review and then posts it', async () => {
    const { Probot } = await import('probot');
    const { AppOctokit } = await import('../../src/github/app-octokit.js');
    const { createApp } = await import('../../src/app.js');
    const drv = exampleDriver();
    const { gh, url } = await standInWithPull(40, [{ filename: drv.path, status: 'added', patch: addedFilePatch(drv.buggy) }], { [drv.path]: drv.buggy });
    stands.push(gh);
    gh.fail({ method: 'POST', path: /\/pulls\/40\/reviews$/, status: 403, headers: { 'retry-after': '1' } });
    const probot = new Probot({ githubToken: (await import('./app-fixture.js')).TOKEN, baseUrl: url, Octokit: AppOctokit, logLevel: 'fatal' });
    const { app, handle } = createApp();
    await probot.load(app);
    await probot.receive({ id: 'r1', name: 'pull_request', payload: pullRequestPayload('opened', { number: 40, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const attempts = gh.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/pulls/40/reviews'));
    expect(attempts.map((c) => c.status)).toEqual([403, 200]);
    expect(gh.reviews(OWNER, REPO, 40)).toHaveLength(1);
  }, 20_000);

  it('sends more than 50 annotations in pages of 50 (create, then updates)', async () => {
    const body = Array.from({ length: 120 }, (_, i) => `\tkfree(dev${i % 2 ? '' : ''});`).join('\n');
    const text = `static void acme_release(struct net_device *dev)\n{\n${body}\n}\n`;
    const path = 'drivers/net/ethernet/acme/acme_release.c';
    const { gh, url } = await standInWithPull(41, [{ filename: path, status: 'added', patch: addedFilePatch(text) }], { [path]: text });
    stands.push(gh);
    const { probot, handle } = await probotFor(url);
    await probot.receive({ id: 'r2', name: 'pull_request', payload: pullRequestPayload('opened', { number: 41, head: HEAD_SHA }) as never });
    await handle.queue.onIdle();
    const writesToChecks = gh.calls.filter((c) => c.path.includes('/check-runs') && c.method !== 'GET');
    expect(writesToChecks.map((c) => c.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    for (const c of writesToChecks) expect(((c.body as { output: { annotations: unknown[] } }).output.annotations ?? []).length).toBeLessThanOrEqual(50);
    const run = (gh.checkRuns(OWNER, REPO) as { output: { annotations: unknown[] } }[])[0];
    expect(run.output.annotations).toHaveLength(120);
  });
});
