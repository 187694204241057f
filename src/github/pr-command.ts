// GitHub way in, from the command line: `netdev-review pr URL` runs the app's review of a pull request
// with a token and prints what the app would post (`--post` posts it).

import type { PushOutcome } from './review-push.js';

/** `https://github.com/OWNER/REPO/pull/N` (or an Enterprise host) → its parts. */
export function parsePullUrl(url: string): { host: string; owner: string; repo: string; number: number } | undefined {
  // Only what GitHub allows: a host name (and port), owner and repository names of [A-Za-z0-9_.-], and a pull
  // number from 1 that is exact as a number. `[^/]+` let `?`, `#`, `@`, spaces and controls into the parts, and
  // `pull/0` or `pull/99999999999999999999` (1e20, not the number typed) through.
  const m = /^https?:\/\/([A-Za-z0-9.-]+(?::\d+)?)\/([\w.-]+)\/([\w.-]+)\/pull\/([1-9]\d*)(?:[/?#].*)?$/.exec(url.trim());
  if (!m || !Number.isSafeInteger(Number(m[4]))) return undefined;
  return { host: m[1], owner: m[2], repo: m[3], number: Number(m[4]) };
}

/** The REST base URL for a host: api.github.com for github.com, `/api/v3` on Enterprise. */
export function apiUrlFor(host: string): string {
  return host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
}

export interface PrCommandOptions {
  url: string;
  token: string;
  apiUrl?: string;
  post: boolean;
}

/** Runs the review of one pull request; returns the outcome (the CLI renders it). */
export async function runPrCommand(options: PrCommandOptions): Promise<{ outcome: PushOutcome; pull: string }> {
  const ref = parsePullUrl(options.url);
  if (!ref) throw new Error(`pr: '${options.url}' is not a pull request URL (https://github.com/OWNER/REPO/pull/N)`);
  // Loaded here: the rest of the CLI starts faster without Probot.
  const { ProbotOctokit } = await import('probot');
  const { octokitPort } = await import('./github-port.js');
  const { reviewPush } = await import('./review-push.js');
  const { ALL_RULES } = await import('../../rules/index.js');
  const octokit = new ProbotOctokit({ auth: { token: options.token }, baseUrl: options.apiUrl ?? apiUrlFor(ref.host) });
  const { data: pr } = await octokit.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.number });
  const port = octokitPort(octokit, { owner: ref.owner, repo: ref.repo, number: ref.number });
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const outcome = await reviewPush(
    { port, rules: ALL_RULES, log: quiet, baseCache: new Map() },
    {
      action: 'synchronize',
      number: ref.number,
      draft: false,
      headSha: pr.head.sha,
      baseSha: pr.base.sha,
      repoHtmlUrl: pr.base.repo.html_url,
    },
    { post: options.post },
  );
  return { outcome, pull: `${ref.owner}/${ref.repo}#${ref.number}` };
}

/** What the app would post (or posted), for people. */
export function renderOutcome(pull: string, outcome: PushOutcome, posted: boolean): string {
  const out: string[] = [];
  const verb = posted ? 'posted' : 'would post';
  if (outcome.skipped) out.push(`${pull}: skipped: ${outcome.skipped}`);
  if (outcome.review) {
    out.push(`${pull}: review (${outcome.review.event}) ${verb}, ${outcome.review.comments.length} inline comment(s):`, '', outcome.review.body, '');
    for (const c of outcome.review.comments) out.push(`--- ${c.path}:${c.start_line ? `${c.start_line}-` : ''}${c.line}`, c.body, '');
  } else if (!outcome.skipped) {
    out.push(`${pull}: no review ${posted ? 'posted' : 'to post'} (nothing new to say inline)`);
  }
  if (outcome.checkRun) {
    out.push(`check run ${verb}: ${outcome.checkRun.conclusion} — ${outcome.checkRun.title} (${outcome.checkRun.annotations} annotations)`, '', outcome.checkRun.summary);
  }
  return out.join('\n') + '\n';
}
