// Pipeline output: what reviewing one Patch produced, handed to every reporter.

import type { Finding } from '../engine/finding.js';
import type { RuleMeta } from '../engine/rule.js';
import type { Patch } from '../ingest/patch.js';
import type { KernelVersion } from '../kernel/version.js';

/** Where the target kernel version came from, most specific first. */
export type VersionSource = 'flag' | 'subject' | 'tree' | 'default';

export interface PatchReview {
  patch: Patch;
  target: { version: KernelVersion; source: VersionSource };
  /** Findings after scope filtering and citation, sorted by file and line. */
  findings: Finding[];
  /** Skips and oddities worth showing (binary hunk skipped, patch did not apply to --tree, ...). */
  notes: string[];
  /** Set when the patch was not reviewed at all (cover letter, reply, pull request, no diff). */
  skipped?: string;
  /** Diff lines examined, counted as checkpatch counts them (kept so the diff text itself can be let go). */
  linesChecked?: number;
}

/** What reporters need to know about a rule (SARIF `tool.driver.rules`, `netdev-review rules`): its catalog data. */
export interface RuleInfo extends Pick<RuleMeta<string>, 'id' | 'severity' | 'description' | 'doc' | 'since' | 'until' | 'fixable'> {
  /** Link to the rule's documentation (the kernel document section it enforces). */
  helpUri: string;
}

/** A whole `check` run: every input file's reviews, plus inputs that could not be read. */
export interface RunResult {
  /** What each review is about: a patch (`check`), or a source file (`audit`). Default: patch. */
  unit?: 'patch' | 'file';
  reviews: PatchReview[];
  /** Inputs that failed: unreadable, empty, no patch in them. Each message names the file. */
  inputErrors: { origin: string; message: string }[];
  rules: RuleInfo[];
}
