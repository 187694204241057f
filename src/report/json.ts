// Report stage: the machine-readable JSON report (schema version 1), for scripts and other tools.

import type { Citation, Finding, Fix, Severity } from '../engine/finding.js';
import { formatKernelVersion } from '../kernel/version.js';
import type { PatchReview, RunResult, VersionSource } from '../review/result.js';
import { countFindings, type FindingCounts } from './count-findings.js';
import { toolInfo } from './tool.js';

/**
 * The JSON report, schema version 1. Keys are always present; a value that is unknown or does not apply is
 * `null` (the one exception is `skipped`, present only on a patch that was not reviewed). Additive changes keep
 * `version: 1`; renaming or removing a key, or changing a value's meaning, bumps it.
 */
export interface JsonReport {
  version: 1;
  tool: { name: string; version: string };
  /** One entry per patch read, in input order (a series gives one per message, cover letter included). */
  reviews: JsonReview[];
  /** Inputs that could not be read at all; `message` names the file. */
  inputErrors: { origin: string; message: string }[];
  /** Totals over all reviews. */
  summary: FindingCounts;
}

export interface JsonReview {
  /** The input file, plus `#N` for the Nth message of an mbox. */
  origin: string;
  /** The mail subject as written, tags included (`[PATCH net-next v2 1/3] …`). */
  subject: string | null;
  messageId: string | null;
  /** The kernel the patch was reviewed against: `"6.1"`, `"2.6.29"` or `"mainline"`, and where that came from. */
  target: { version: string; source: VersionSource };
  /** Why the patch was not reviewed (cover letter, reply, no diff, ...); absent when it was. */
  skipped?: string;
  notes: string[];
  /** Sorted by file and line. */
  findings: JsonFinding[];
}

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  /** Post-image path, relative to the tree root. */
  file: string;
  /** 1-based post-image lines; `endLine` equals `line` for a one-line finding. */
  line: number;
  endLine: number;
  message: string;
  /** Where the rule's section is in the document the target tree ships. */
  citation: { section: string; entry: string | null; url: string; docLabel: string; lines: { start: number; end: number } | null } | null;
  /** Replace post-image lines `line..endLine` with `replacement`. */
  fix: { line: number; endLine: number; replacement: string; description: string } | null;
  /** How a context reaches the flagged call, e.g. `["foo_start_xmit", "foo_refill", "mutex_lock"]`. */
  chain: string[] | null;
  /** `change`: the patch introduces it; `pre-existing`: it was already there (reported with --all). */
  scope: 'change' | 'pre-existing' | null;
  /** Line of the input file (patch or mbox) where the finding's anchor line is, when it is a line of the diff. */
  inputLine: number | null;
}

/** Renders a run as the JSON report described by {@link JsonReport}, pretty-printed, ending in a newline. */
export function renderJson(run: RunResult): string {
  const { name, version } = toolInfo();
  const report: JsonReport = {
    version: 1,
    tool: { name, version },
    reviews: run.reviews.map(jsonReview),
    inputErrors: run.inputErrors.map((e) => ({ origin: e.origin, message: e.message })),
    summary: countFindings(run.reviews.flatMap((r) => r.findings)),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

function jsonReview(review: PatchReview): JsonReview {
  const { patch } = review;
  const out: JsonReview = {
    origin: patch.origin,
    subject: patch.subject ?? null,
    messageId: patch.messageId ?? null,
    target: { version: formatKernelVersion(review.target.version), source: review.target.source },
    notes: [...review.notes],
    findings: review.findings.map(jsonFinding),
  };
  if (review.skipped !== undefined) out.skipped = review.skipped;
  return out;
}

function jsonFinding(f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    file: f.file,
    line: f.line,
    endLine: f.endLine ?? f.line,
    message: f.message,
    citation: f.citation !== undefined ? jsonCitation(f.citation) : null,
    fix: f.fix !== undefined ? jsonFix(f.fix) : null,
    chain: f.chain !== undefined ? [...f.chain] : null,
    scope: f.scope ?? null,
    inputLine: f.inputLine ?? null,
  };
}

function jsonCitation(c: Citation): NonNullable<JsonFinding['citation']> {
  return {
    section: c.section,
    entry: c.entry ?? null,
    url: c.url,
    docLabel: c.docLabel,
    lines: c.lines !== undefined ? { start: c.lines.start, end: c.lines.end } : null,
  };
}

function jsonFix(fix: Fix): NonNullable<JsonFinding['fix']> {
  return { line: fix.line, endLine: fix.endLine, replacement: fix.replacement, description: fix.description };
}
