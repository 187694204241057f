// GitHub way in: one push of a pull request → config, files, review pipeline, one review, one check run.
// Everything it talks to comes in as arguments (the port, the rules, the log), so tests pass stand-ins.

import type { Rule } from '../engine/rule.js';
import type { NetdevDoc } from '../citations/document.js';
import { anyTriggerMatches } from '../engine/run.js';
import { MAINLINE } from '../kernel/version.js';
import { CONFIG_PATH, applyRuleConfig, parseRepoConfig, pathSelected, type RepoConfig } from './config.js';
import { isCommentable, sameHunk } from './commentable.js';
import { buildReview, findingFingerprint, parseMarker, parseMarkers } from './review-payload.js';
import { buildCheckRun, configErrorCheckRun } from './check-run-payload.js';
import { statusOf, type CheckAnnotation, type GitHubPort, type PrFile, type ReviewPayload } from './github-port.js';
import { baseDocument, prPathsToRead, reviewPullRequest, type PrFinding, type PrReviewResult, type PullBase } from './pr-review.js';
import type { PullTask } from '../review/tasks.js';
import { secondsSince, type Metrics } from '../ops/metrics.js';

/** Name of the check run (and what tells a reviewed head commit). */
export const CHECK_NAME = 'netdev-review';

const DOC_PATHS = ['Documentation/networking/netdevices.rst', 'Documentation/networking/netdevices.txt'];

export interface PushInfo {
  action: string;
  number: number;
  draft: boolean;
  headSha: string;
  baseSha: string;
  /** `https://github.com/OWNER/REPO` (or the Enterprise host's), for permalinks to the base's document. */
  repoHtmlUrl: string;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ReviewPushDeps {
  port: GitHubPort;
  rules: readonly Rule[];
  log: Logger;
  /** Documents and Makefiles by base commit: they do not change, and a busy repo shares bases. */
  baseCache?: Map<string, BaseEntry>;
  /**
   * Runs the review of the fetched files somewhere else (the server's review processes, which stop a
   * review that runs too long). Without it the review runs here, reading files as it goes.
   */
  reviewFiles?: (task: PullTask) => Promise<PrReviewResult>;
  /** Where each rule's page lives, for links in comments. */
  rulesDocBase?: string;
  /** Reviews, their duration and findings, counted when given. */
  metrics?: Metrics;
}

/** What a review of one push did (for logs, the CLI and tests). */
export interface PushOutcome {
  skipped?: string;
  review?: ReviewPayload;
  /** The check run as created, and each annotation page posted after it. */
  checkRun?: { conclusion: string; title: string; summary: string; annotations: number };
  findings: PrFinding[];
  resolvedThreads: number;
  dryRun: boolean;
}

/** Title of the check run posted when a push could not be reviewed. */
const FAILED_TITLE = 'netdev-review could not review this push';

/** Reviews the head commit of a pull request, posting at most one review and one check run. */
export async function reviewPush(deps: ReviewPushDeps, push: PushInfo, options: { post: boolean } = { post: true }): Promise<PushOutcome> {
  const { metrics } = deps;
  if (!metrics) return reviewPushOnce(deps, push, options);
  const start = performance.now();
  let outcome: PushOutcome;
  try {
    outcome = await reviewPushOnce(deps, push, options);
  } catch (error) {
    metrics.review('github', 'failed', secondsSince(start));
    throw error;
  }
  const failed = outcome.checkRun?.title === FAILED_TITLE;
  metrics.review('github', failed ? 'failed' : outcome.skipped ? 'skipped' : 'reviewed', secondsSince(start), outcome.findings.map((f) => f.finding));
  return outcome;
}

async function reviewPushOnce(deps: ReviewPushDeps, push: PushInfo, options: { post: boolean }): Promise<PushOutcome> {
  const { port, log } = deps;
  const outcome: PushOutcome = { findings: [], resolvedThreads: 0, dryRun: !options.post };

  const parsed = parseRepoConfig(await port.getContent(CONFIG_PATH, push.baseSha));
  if (!parsed.ok) {
    log.warn({ pull: push.number, error: parsed.error.slice(0, 2000) }, 'invalid repository config');
    const run = configErrorCheckRun(parsed.error);
    if (options.post) await port.createCheckRun({ name: CHECK_NAME, head_sha: push.headSha, status: 'completed', ...run });
    outcome.checkRun = { conclusion: run.conclusion, title: run.output.title, summary: run.output.summary, annotations: 0 };
    outcome.skipped = 'invalid config';
    return outcome;
  }
  const config = parsed.config;
  if (config.dry_run) outcome.dryRun = true;
  const post = options.post && !config.dry_run;
  if (push.draft && !config.drafts) return { ...outcome, skipped: 'draft pull request' };

  if (options.post) {
    const earlier = await port.listCheckRuns(push.headSha, CHECK_NAME);
    if (earlier.some((r) => r.status === 'completed')) return { ...outcome, skipped: `head ${push.headSha.slice(0, 12)} already reviewed` };
  }

  let files: PrFile[];
  try {
    files = await port.listFiles();
  } catch (error) {
    return failedRun(deps, push, outcome, `could not list the pull request's files (${describe(error)})`, post);
  }
  const relevantAtAll = files.some((f) => f.patch !== undefined && pathSelected(config, f.filename) && anyTriggerMatches(deps.rules, f.patch, MAINLINE));
  const base: BaseEntry = relevantAtAll ? await readBase(deps, push) : { source: { repoHtmlUrl: push.repoHtmlUrl, baseSha: push.baseSha } };

  const input = {
    files,
    baseDoc: base.doc,
    baseMakefile: base.source.makefile,
    kernelVersion: config.kernel_version,
    rules: deps.rules,
    selectPath: (path: string) => pathSelected(config, path),
  };
  let result: PrReviewResult;
  if (deps.reviewFiles) {
    // Fetch first (only this process talks to GitHub), then review where a runaway review can be stopped.
    const contents: Record<string, string | null> = {};
    try {
      for (const path of prPathsToRead(input)) contents[path] = (await port.getContent(path, push.headSha)) ?? null;
    } catch (error) {
      return failedRun(deps, push, outcome, `could not read the pull request's files (${describe(error)})`, post);
    }
    try {
      result = await deps.reviewFiles({
        kind: 'pull', files, contents, base: base.source, kernelVersion: config.kernel_version, config,
        ruleIds: deps.rules.map((r) => r.meta.id),
      });
    } catch (error) {
      return failedRun(deps, push, outcome, describe(error), post);
    }
  } else {
    try {
      result = await reviewPullRequest({ ...input, readHead: (path) => port.getContent(path, push.headSha) });
    } catch (error) {
      return failedRun(deps, push, outcome, `could not read the pull request's files (${describe(error)})`, post);
    }
  }
  const findings = applyRuleConfig(config, result.findings);
  outcome.findings = findings;

  // Earlier comments of ours: not repeated on unchanged lines, and resolved when fixed.
  const earlier = push.action === 'opened' ? [] : (await port.listReviewComments()).flatMap((c) => {
    const marker = parseMarker(c.body);
    return marker ? [{ comment: c, marker }] : [];
  });
  // Findings shown only in the check run were listed (with markers) in earlier review bodies.
  const listedInBodies = push.action === 'opened' ? [] : (await port.listReviewBodies()).flatMap((b) => parseMarkers(b).map((m) => m.fingerprint));
  const current = new Set(findings.map((f) => findingFingerprint(f.finding, f.path)));
  const patches = new Map(files.map((f) => [f.filename, f.patch]));
  const review = buildReview({
    findings,
    isCommentable: (path, line) => isCommentable(patches.get(path), line),
    sameHunk: (path, start, end) => sameHunk(patches.get(path), start, end),
    alreadyCommented: new Set([...earlier.map((e) => e.marker.fingerprint), ...listedInBodies]),
    event: config.review.event,
    headSha: push.headSha,
    rulesDocBase: deps.rulesDocBase,
  });
  if (review) {
    outcome.review = { commit_id: review.commit_id, event: review.event, body: review.body, comments: review.comments };
    if (post) await postReview(deps, push, outcome.review);
  }

  const fixed = earlier.filter((e) => !current.has(e.marker.fingerprint));
  if (post && fixed.length > 0) outcome.resolvedThreads = await resolveFixed(deps, push, fixed.map((e) => e.comment.id));

  const run = buildCheckRun({
    findings,
    notes: result.notes,
    previous: earlier.length > 0 ? { findings: new Set(earlier.map((e) => e.marker.fingerprint)).size } : undefined,
    failOn: config.check.fail_on,
  });
  outcome.checkRun = {
    conclusion: run.conclusion,
    title: run.output.title,
    summary: run.output.summary,
    annotations: run.annotationPages.reduce((n, p) => n + p.length, 0),
  };
  if (post) await postCheckRun(deps, push, run.conclusion, run.output, run.annotationPages);
  log.info({ pull: push.number, head: push.headSha, findings: findings.length, comments: review?.comments.length ?? 0, dryRun: !post }, 'reviewed');
  return outcome;
}

/** A base commit as read once: the texts (which cross to review threads) and the parsed document. */
export interface BaseEntry {
  source: PullBase;
  doc?: NetdevDoc;
}

async function readBase(deps: ReviewPushDeps, push: PushInfo): Promise<BaseEntry> {
  const hit = deps.baseCache?.get(push.baseSha);
  if (hit) return hit;
  const source: PullBase = { repoHtmlUrl: push.repoHtmlUrl, baseSha: push.baseSha };
  for (const path of DOC_PATHS) {
    const text = await deps.port.getContent(path, push.baseSha);
    if (text === undefined) continue;
    source.doc = { path, text };
    break;
  }
  if (source.doc) source.makefile = await deps.port.getContent('Makefile', push.baseSha);
  const base = { source, doc: baseDocument(source) };
  deps.baseCache?.set(push.baseSha, base);
  return base;
}

/**
 * Posts the review. GitHub rejects the whole review (422) when one comment sits outside the diff; the
 * findings are all in the check run anyway, so the review is posted again without inline comments.
 */
async function postReview(deps: ReviewPushDeps, push: PushInfo, review: ReviewPayload): Promise<void> {
  try {
    await deps.port.createReview(review);
  } catch (error) {
    if (statusOf(error) !== 422 || review.comments.length === 0) throw error;
    deps.log.warn({ pull: push.number, error: describe(error) }, 'review with inline comments rejected; posting it without them');
    await deps.port.createReview({
      ...review,
      comments: [],
      body: `${review.body}\n\nGitHub did not accept the inline comments of this review; every finding is in the ${CHECK_NAME} check run.`,
    });
  }
}

/** Resolves the threads of comments whose finding is gone; where GraphQL cannot, says so in a reply. */
async function resolveFixed(deps: ReviewPushDeps, push: PushInfo, commentIds: number[]): Promise<number> {
  const ids = new Set(commentIds);
  let resolved = 0;
  try {
    const threads = await deps.port.listReviewThreads();
    for (const t of threads) {
      if (t.isResolved || !t.commentIds.some((id) => ids.has(id))) continue;
      await deps.port.resolveThread(t.id);
      resolved++;
    }
  } catch (error) {
    deps.log.warn({ pull: push.number, error: describe(error) }, 'cannot resolve review threads; replying instead');
    for (const id of ids) {
      await deps.port.replyToComment(id, `Fixed in ${push.headSha.slice(0, 12)}.`).catch(() => undefined);
      resolved++;
    }
  }
  return resolved;
}

async function postCheckRun(
  deps: ReviewPushDeps,
  push: PushInfo,
  conclusion: 'success' | 'neutral' | 'failure',
  output: { title: string; summary: string; text?: string },
  pages: CheckAnnotation[][],
): Promise<void> {
  const [first = [], ...rest] = pages;
  const id = await deps.port.createCheckRun({
    name: CHECK_NAME,
    head_sha: push.headSha,
    status: 'completed',
    conclusion,
    output: { ...output, annotations: first },
  });
  // The checks API takes at most 50 annotations a request: the rest go in updates.
  for (const page of rest) await deps.port.updateCheckRun(id, { output: { ...output, annotations: page } });
}

async function failedRun(deps: ReviewPushDeps, push: PushInfo, outcome: PushOutcome, reason: string, post: boolean): Promise<PushOutcome> {
  deps.log.error({ pull: push.number, head: push.headSha, reason }, 'review failed');
  const output = { title: FAILED_TITLE, summary: `${reason}. The review will run again on the next push.` };
  if (post) {
    await deps.port
      .createCheckRun({ name: CHECK_NAME, head_sha: push.headSha, status: 'completed', conclusion: 'neutral', output })
      .catch((error: unknown) => deps.log.error({ pull: push.number, error: describe(error) }, 'could not post the check run either'));
  }
  return { ...outcome, skipped: reason, checkRun: { conclusion: 'neutral', title: output.title, summary: output.summary, annotations: 0 } };
}

function describe(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return status ? `HTTP ${status}: ${message}` : message;
}

export type { RepoConfig };
