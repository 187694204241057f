// Mail stage: the triage record of one list mail — target tree, relevance to net_device code, findings, Fixes: check.

import type { Severity } from '../engine/finding.js';
import type { Patch } from '../ingest/patch.js';
import type { PatchReview } from '../review/result.js';

/** The tree a mail targets, as maintainers sort them. `none`: the subject names no tree. */
export type TriageTree = 'net' | 'net-next' | 'stable' | 'other' | 'none';

/** Findings per severity (same keys as `Severity`, so a count can be indexed by a finding's severity). */
export type SeverityCounts = Record<Severity, number>;

/** One finding as the triage page and the reply draft show it. */
export interface TriageFinding {
  ruleId: string;
  severity: Severity;
  file: string;
  /** Post-image line (1-based) in `file`. */
  line: number;
  endLine?: number;
  message: string;
  /** Link to the cited section of the document for the target tree's version. */
  citationUrl?: string;
  /** Heading of the cited section, as that version writes it. */
  citationSection?: string;
  /** One-line description of the mechanical fix, when the rule has one. */
  fix?: string;
  /** Line of the mail (1-based) where the offending diff line is, when the engine knows it. */
  inputLine?: number;
  /** The offending line's text. */
  sourceLine?: string;
}

/** The triage record of one mail: what a maintainer wants to know before reading it. */
export interface PatchTriage {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Arrival position in the input, to keep series and "latest" decisions stable. */
  ordinal: number;
  origin: string;
  subject: string;
  /** The subject without `Re:` and bracket tags. */
  title: string;
  from?: string;
  date?: string;
  kind: Patch['kind'];
  tree: TriageTree;
  /** The tree token as written (`net`, `bpf-next`, `iwl-net`...); absent for `none`. */
  treeName?: string;
  /** For `stable`: the "X.Y" version. */
  stableVersion?: string;
  revision: number;
  index?: number;
  total?: number;
  rfc: boolean;
  /** True only for kind `patch`: everything else is skipped by the reviewer. */
  reviewed: boolean;
  /** Touches net_device lifetime / ndo / NAPI code: see `isRelevant`. */
  relevant: boolean;
  findings: TriageFinding[];
  counts: SeverityCounts;
  /** `Fixes:` trailers as written. */
  fixes: string[];
  /** A patch for `net` without a `Fixes:` trailer (see `isMissingFixes`). */
  missingFixes: boolean;
  notes: string[];
}

/**
 * Identifiers whose appearance on a changed line means the patch touches net_device lifetime,
 * its ops or NAPI: the objects `Documentation/networking/netdevices.rst` governs. Matched on
 * whole words so `my_napi_weight` or `netdevice_notifier_x` in a comment does not count, but
 * any `napi_*`/`ndo_*` call or member, `struct net_device`, the register/free pair and the
 * `alloc_*dev*` allocators (`alloc_netdev_mqs`, `alloc_etherdev`, `devm_alloc_etherdev`,
 * `alloc_candev`) do.
 */
const RELEVANT_WORD =
  /\b(?:net_device(?:_ops)?|netdev_ops|ndo_\w+|napi_\w+|netif_napi_\w+|(?:un)?register_netdev(?:ice)?\w*|free_netdev|(?:devm_)?alloc_\w*dev\w*|(?:netdev|dev)_(?:hold|put)|netdev_priv)\b/;

/**
 * Whether a reviewed patch touches net_device lifetime / ndo / NAPI code. Precisely: it is a
 * `patch` (cover letters, replies and pull requests never are), and either the engine found
 * something, or an added or removed line of the diff — or a hunk header's function context,
 * which names the function the change sits in — contains one of the `RELEVANT_WORD`
 * identifiers. Unchanged context lines alone do not count: a patch near such code is not one
 * that changes it.
 */
export function isRelevant(patch: Patch, review: PatchReview): boolean {
  if (patch.kind !== 'patch') return false;
  if (review.findings.length > 0) return true;
  for (const line of patch.diff.split('\n')) {
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    const changed = line.startsWith('+') || line.startsWith('-');
    const hunkContext = line.startsWith('@@') ? line.replace(/^@@[^@]*@@/, '') : undefined;
    const text = changed ? line.slice(1) : hunkContext;
    if (text !== undefined && RELEVANT_WORD.test(text)) return true;
  }
  return false;
}

/**
 * Whether a missing `Fixes:` trailer is worth a note. The netdev rules
 * (Documentation/process/maintainer-netdev.rst) make `net` the fixes-only tree and ask every
 * fix to carry `Fixes:`, so any `patch` aimed at `net` without one gets the note — guessing
 * "is this a fix" from the word "fix" would miss "avoid a use-after-free" and add nothing
 * for a tree that only takes fixes. Other trees, cover letters and replies never do.
 */
export function isMissingFixes(patch: Patch): boolean {
  return patch.kind === 'patch' && patch.tags.tree === 'net' && patch.trailers.fixes.length === 0;
}

/** Sorts a subject tag's tree into the buckets the triage page filters on. */
export function triageTree(tree: string | undefined): TriageTree {
  if (tree === undefined) return 'none';
  if (tree === 'net' || tree === 'net-next' || tree === 'stable') return tree;
  return 'other';
}

/** An all-zero severity count. */
export function zeroCounts(): SeverityCounts {
  return { error: 0, warning: 0, info: 0 };
}

/** Builds the triage record of one mail from the mail and its review. */
export function triagePatch(patch: Patch, review: PatchReview): PatchTriage {
  const findings: TriageFinding[] = review.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    file: f.file,
    line: f.line,
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    message: f.message,
    ...(f.citation ? { citationUrl: f.citation.url, citationSection: f.citation.section } : {}),
    ...(f.fix ? { fix: f.fix.description } : {}),
    ...(f.inputLine !== undefined ? { inputLine: f.inputLine } : {}),
    ...(f.sourceLine !== undefined ? { sourceLine: f.sourceLine } : {}),
  }));
  const counts = zeroCounts();
  for (const f of findings) counts[f.severity]++;
  const missingFixes = isMissingFixes(patch);
  const notes = [...review.notes];
  if (review.skipped) notes.push(`not reviewed: ${review.skipped}`);
  if (missingFixes) notes.push('a patch for net without a Fixes: trailer (maintainer-netdev.rst asks every fix to name the commit it fixes)');
  const tree = triageTree(patch.tags.tree);
  return {
    ...(patch.messageId !== undefined ? { messageId: patch.messageId } : {}),
    ...(patch.inReplyTo !== undefined ? { inReplyTo: patch.inReplyTo } : {}),
    references: [...patch.references],
    ordinal: patch.ordinal,
    origin: patch.origin,
    subject: patch.subject ?? '',
    title: patch.tags.title,
    ...(patch.from !== undefined ? { from: patch.from } : {}),
    ...(patch.date !== undefined ? { date: patch.date } : {}),
    kind: patch.kind,
    tree,
    ...(patch.tags.tree !== undefined ? { treeName: patch.tags.tree } : {}),
    ...(patch.tags.stableVersion !== undefined ? { stableVersion: patch.tags.stableVersion } : {}),
    revision: patch.tags.revision,
    ...(patch.tags.index !== undefined ? { index: patch.tags.index } : {}),
    ...(patch.tags.total !== undefined ? { total: patch.tags.total } : {}),
    rfc: patch.tags.rfc,
    reviewed: patch.kind === 'patch' && review.skipped === undefined,
    relevant: isRelevant(patch, review),
    findings,
    counts,
    fixes: [...patch.trailers.fixes],
    missingFixes,
    notes,
  };
}
