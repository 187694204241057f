// Pipeline: the reviews a server hands to its review processes — a stored mail, or a pull request's files
// already fetched — as plain data that crosses a process boundary, and the one function that runs them
// (in a review process, or in-process where no pool is used), so both places review identically.

import type { Rule } from '../engine/rule.js';
import { ALL_RULES } from '../../rules/index.js';
import { reviewMail, type MailTriage } from '../mail/review-mail.js';
import { pathSelected, type RepoConfig } from '../github/config.js';
import type { PrFile } from '../github/github-port.js';
import { baseDocument, reviewPullRequest, type PrReviewResult, type PullBase } from '../github/pr-review.js';

/** One review, as data. */
export type ReviewTask =
  | { kind: 'mail'; raw: Uint8Array; id: number }
  | PullTask;

/** A pull request's files to review, with what the review reads already fetched. */
export interface PullTask {
  kind: 'pull';
  files: PrFile[];
  /** Head contents of the paths the review reads (`prPathsToRead`); null when it could not be read. */
  contents: Record<string, string | null>;
  base: PullBase;
  kernelVersion?: string;
  config: RepoConfig;
  /** Ids of the rules to run (rules are code: they do not cross processes). */
  ruleIds: string[];
}

/** What each task kind produces. */
export interface ReviewTaskResult {
  mail: MailTriage;
  pull: PrReviewResult;
}

function rulesById(ids: readonly string[], all: readonly Rule[]): Rule[] {
  const wanted = new Set(ids);
  return all.filter((r) => wanted.has(r.meta.id));
}

/** Runs one task with `rules` (default: every rule). */
export async function runTask(task: ReviewTask, rules: readonly Rule[] = ALL_RULES): Promise<MailTriage | PrReviewResult> {
  if (task.kind === 'mail') {
    const raw = Buffer.isBuffer(task.raw) ? task.raw : Buffer.from(task.raw.buffer, task.raw.byteOffset, task.raw.byteLength);
    return reviewMail(raw, task.id, rules);
  }
  return reviewPullRequest({
    files: task.files,
    readHead: async (path) => task.contents[path] ?? undefined,
    baseDoc: baseDocument(task.base),
    baseMakefile: task.base.makefile,
    kernelVersion: task.kernelVersion,
    rules: rulesById(task.ruleIds, rules),
    selectPath: (path) => pathSelected(task.config, path),
  });
}

/** A task's outcome as it crosses back from a review process: errors by name, since the boundary loses their class. */
export type TaskOutcome = { ok: true; value: unknown } | { ok: false; name: string; message: string };

/** Runs a task and never throws: what a review process sends back. */
export async function runTaskSafely(task: ReviewTask): Promise<TaskOutcome> {
  try {
    return { ok: true, value: await runTask(task) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, name: e.name, message: e.message };
  }
}
