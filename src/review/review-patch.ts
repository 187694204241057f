// Pipeline: one Patch → PatchReview (target version, analysis, rules, citations, positions in the input).

import type { Patch } from '../ingest/patch.js';
import type { Rule } from '../engine/rule.js';
import type { Finding } from '../engine/finding.js';
import { anyTriggerMatches, runRules } from '../engine/run.js';
import { cite } from '../citations/cite.js';
import { readTreeDocument, readTreeVersion, resolveTarget } from '../citations/target-version.js';
import type { NetdevDoc } from '../citations/document.js';
import type { KernelVersion } from '../kernel/version.js';
import type { SourceFile } from '../source/source-file.js';
import { analyzeDiff } from './analyze.js';
import { SeriesOverlay } from '../source/series-overlay.js';
import type { PatchReview } from './result.js';
import { timed, type StageTimings } from './timings.js';

export interface ReviewOptions {
  rules: readonly Rule[];
  /** `--kernel-version` as typed. */
  kernelVersion?: string;
  /** `--all`: also report what the change did not introduce. */
  audit: boolean;
  /** A kernel checkout, read once per run (see `openTree`). */
  tree?: TreeContext;
  /** When given, time spent per stage is added to it (for the benchmark). */
  timings?: StageTimings;
  /** Time one patch's analysis and rules may take (default PATCH_BUDGET_MS); past it the rest is skipped with a note. */
  budgetMs?: number;
}

/**
 * Time budget of one patch. The corpus averages under 2 ms a patch and its slowest takes well under a
 * second; a patch that needs more is generated or hostile, and gets a partial review with a note rather
 * than holding a terminal, a CI job or a review process for minutes.
 */
export const PATCH_BUDGET_MS = 20_000;

/** The note a review carries when its time budget ran out before these rules could run. */
export function budgetSpentNote(budgetMs: number, rulesNotRun: readonly string[]): string {
  return `time budget of ${budgetMs / 1000} s ran out: rules not run: ${rulesNotRun.join(', ')}`;
}

/** What a kernel checkout tells a review: its version, its own document. */
export interface TreeContext {
  dir: string;
  version?: KernelVersion;
  doc?: NetdevDoc;
  /** The document's text, for rules gated on what the document says. */
  docText?: string;
  /** Files as the patches reviewed so far left them (a series applies in order). */
  overlay: SeriesOverlay;
}

/** Reads a kernel checkout's Makefile version and network-device document once. */
export async function openTree(dir: string): Promise<TreeContext> {
  const [version, doc] = await Promise.all([readTreeVersion(dir), readTreeDocument(dir)]);
  return { dir, version, doc, docText: doc ? doc.lines.map((l) => l.text).join('\n') : undefined, overlay: new SeriesOverlay() };
}

const SKIP_REASONS: Record<Exclude<Patch['kind'], 'patch'>, string> = {
  'cover-letter': 'cover letter',
  reply: 'a reply quoting a patch, not a patch',
  'pull-request': 'a pull request, not a patch',
  'no-diff': 'no diff in this message',
};

/** Reviews one patch. Throws only on internal errors; bad C is skipped with notes. */
export async function reviewPatch(patch: Patch, options: ReviewOptions): Promise<PatchReview> {
  const target = resolveTarget({ flag: options.kernelVersion, tags: patch.tags, treeVersion: options.tree?.version });
  if (patch.kind !== 'patch') {
    return { patch, target, findings: [], notes: [...patch.notes], skipped: SKIP_REASONS[patch.kind] };
  }
  const t = options.timings;
  const budgetMs = options.budgetMs ?? PATCH_BUDGET_MS;
  const deadline = performance.now() + budgetMs;
  const relevant = (text: string) => anyTriggerMatches(options.rules, text, target.version, options.tree?.docText);
  const change = await analyzeDiff(patch.diff, { tree: options.tree?.dir, overlay: options.tree?.overlay, timings: t, relevant, deadline });
  const budgetNotes: string[] = [];
  const findings = timed(t, 'rules', () => runRules({
    program: change.program,
    sources: change.sources,
    target: target.version,
    targetDocText: options.tree?.docText,
    rules: options.rules,
    audit: options.audit,
    deadline,
    onBudgetSpent: (notRun) => budgetNotes.push(budgetSpentNote(budgetMs, notRun)),
  }));
  const doc = options.tree?.doc;
  timed(t, 'citations', () => {
    for (const f of findings) {
      f.citation = cite(f.doc, { version: target.version, document: doc });
      f.inputLine = inputLineOf(f, change.sources, patch);
    }
  });
  return { patch, target, findings, notes: [...patch.notes, ...change.notes, ...budgetNotes] };
}

function inputLineOf(f: Finding, sources: ReadonlyMap<string, SourceFile>, patch: Patch): number | undefined {
  const dl = sources.get(f.file)?.lineMap?.get(f.line);
  return dl ? dl.diffLine + patch.diffStartLine - 1 : undefined;
}
