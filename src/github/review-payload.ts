// GitHub way in: the pull request review a push gets — one inline comment per finding, suggestions, hidden markers.

import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../engine/finding.js';
import { countFindings, type FindingCounts } from '../report/count-findings.js';

/**
 * Longest comment body GitHub stores: a longer one is refused with 422 "body is too long (maximum is 65536
 * characters)". The limit is not in the REST reference; the error text is quoted in mshick/add-pr-comment#93
 * and github.com/orgs/community/discussions/41331, and client libraries use the same number (docs.rs
 * `fallow_api::MAX_COMMENT_BODY_BYTES`). Bodies are measured here in UTF-8 bytes, never fewer than the
 * characters GitHub counts, so a body cut to it is always accepted.
 */
export const MAX_COMMENT_BODY = 65536;
/** A review's own body is stored like a comment and has the same limit. */
export const MAX_REVIEW_BODY = MAX_COMMENT_BODY;
/** Findings listed by name in a review body; the rest are counted, and all are in the check run. */
export const MAX_LISTED_IN_REVIEW_BODY = 20;

/** A finding placed on a file of the pull request. Its `line`, `endLine` and fix lines are lines of `path` at the head. */
export interface PlacedFinding {
  finding: Finding;
  /** Path in the pull request (for a kernel patch carried as a `.patch` file, that file's path). */
  path: string;
}

/** One inline comment of `POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews`, in line/side form. */
export interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  /** Present only for a range: GitHub refuses a start_line equal to line ("start line must precede the end line"). */
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
}

export interface ReviewInput {
  findings: readonly PlacedFinding[];
  /** Whether GitHub accepts a comment on this RIGHT-side line (see `commentable.ts`). */
  isCommentable(path: string, line: number): boolean;
  /** Whether RIGHT-side lines start..end are in one hunk, as a multi-line comment needs. */
  sameHunk(path: string, start: number, end: number): boolean;
  /** Fingerprints found in markers of comments this app posted on earlier pushes. */
  alreadyCommented: ReadonlySet<string>;
  /** The configured event; `REQUEST_CHANGES` is used only when an `error` finding exists. */
  event: 'COMMENT' | 'REQUEST_CHANGES';
  headSha: string;
  /** The check run's page, linked where findings are only there. */
  summaryUrl?: string;
  /** Base URL of the rules' pages (`<base>/<id>.md`); rule ids are not linked without it. */
  rulesDocBase?: string;
}

export interface ReviewBuild {
  comments: ReviewComment[];
  body: string;
  event: 'COMMENT' | 'REQUEST_CHANGES';
  commit_id: string;
  /** New findings on lines GitHub takes no comment on: they are in the check run (and listed in the body). */
  inCheckOnly: PlacedFinding[];
  /** Findings left out because an earlier push's comment (same fingerprint) already says it. */
  skippedAsDuplicate: number;
}

export interface CommentBodyOptions {
  /** Add a ```suggestion block with `fix.replacement`; the comment must then span exactly `fix.line..fix.endLine`. */
  suggestion: boolean;
  /** Base URL of the rules' pages (`<base>/<id>.md`). */
  rulesDocBase?: string;
  /** The pull request path the comment is on, for the fingerprint; default `f.file`. */
  path?: string;
  /** The check run's page, linked when a fix could not be a suggestion. */
  summaryUrl?: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * A finding's identity across pushes: rule, path, message id and the offending line's text with blanks
 * collapsed — not its line number, so a comment is not repeated when lines above it move. Without the
 * line's text, the message stands in, its numbers masked (messages cite other lines by number).
 */
export function findingFingerprint(f: Finding, path: string): string {
  const text = f.sourceLine !== undefined && /\w/.test(f.sourceLine) ? f.sourceLine : f.message.replace(/\d+/g, '#');
  const normalized = text.replace(/\s+/g, ' ').trim();
  return createHash('sha256')
    .update(`${f.ruleId}\0${path}\0${f.messageId ?? ''}\0${normalized}`)
    .digest('hex')
    .slice(0, 16);
}

/** The hidden marker that ends every comment: how a later push knows what was said already. */
export function marker(fingerprint: string, ruleId: string): string {
  return `<!-- netdev-review:fingerprint=${fingerprint} rule=${ruleId} -->`;
}

/** A marker is a line of its own; escaped text cannot start a line with `<`, so a message cannot forge one. */
const MARKER = /^<!-- netdev-review:fingerprint=([0-9a-f]{8,64}) rule=([A-Za-z0-9_.-]+) -->\r?$/gm;

/** The marker of a comment this app posted (the last one in the body), or undefined for anyone else's. */
export function parseMarker(body: string): { fingerprint: string; rule: string } | undefined {
  const all = parseMarkers(body);
  return all[all.length - 1];
}

/** Every marker in a body: a review body carries one per finding that is only in the check run. */
export function parseMarkers(body: string): { fingerprint: string; rule: string }[] {
  return [...body.matchAll(MARKER)].map((m) => ({ fingerprint: m[1]!, rule: m[2]! }));
}

/**
 * The Markdown of one inline comment: severity and rule, the message, the call chain, the cited section of
 * the document, the fix (as a suggestion when asked), and the hidden marker. At most MAX_COMMENT_BODY;
 * a suggestion that does not fit is dropped whole rather than cut, since a cut one would be a wrong fix.
 */
export function commentBody(f: Finding, opts: CommentBodyOptions): string {
  const tail = `\n\n${marker(findingFingerprint(f, opts.path ?? f.file), f.ruleId)}`;
  const parts = [headline(f, opts.rulesDocBase), escapeMarkdown(f.message)];
  if (f.chain !== undefined && f.chain.length > 0) parts.push(`Reached through ${f.chain.map(codeSpan).join(' → ')}.`);
  if (f.citation !== undefined) parts.push(`Document: ${citationLink(f)}`);

  const withSuggestion = opts.suggestion && f.fix !== undefined ? [...parts, suggestionBlock(f.fix.description, f.fix.replacement)] : undefined;
  if (withSuggestion !== undefined) {
    const body = withSuggestion.join('\n\n') + tail;
    if (utf8Length(body) <= MAX_COMMENT_BODY) return body;
  }
  if (f.fix !== undefined) {
    const where = opts.summaryUrl !== undefined ? `the [check run](${safeUrl(opts.summaryUrl)})` : 'the check run';
    const why = withSuggestion !== undefined ? 'it is too long for a comment' : 'GitHub takes no suggestion on these lines';
    parts.push(`Fix: ${escapeMarkdown(f.fix.description)}. The replacement is in ${where} (${why}).`);
  }
  return fitToLimit(parts.join('\n\n'), MAX_COMMENT_BODY, tail);
}

function headline(f: Finding, rulesDocBase: string | undefined): string {
  const id = codeSpan(f.ruleId);
  const rule = rulesDocBase !== undefined ? `[${id}](${safeUrl(`${rulesDocBase.replace(/\/+$/, '')}/${f.ruleId}.md`)})` : id;
  return `**${f.severity}** · ${rule}`;
}

/** `[section › entry](url) (v6.1)`: the heading as the target tree's document writes it, and which document. */
export function citationLink(f: Finding): string {
  const c = f.citation;
  if (c === undefined) return '';
  const label = c.entry !== undefined ? `${c.section} › ${c.entry}` : c.section;
  return `[${escapeMarkdown(label)}](${safeUrl(c.url)}) (${escapeMarkdown(c.docLabel)})`;
}

function suggestionBlock(description: string, replacement: string): string {
  // The block holds the new text of the lines the comment spans; the fence ends the last line.
  const text = replacement.replace(/\r?\n$/, '');
  return `Suggested fix: ${escapeMarkdown(description)}\n${fenced('suggestion', text)}`;
}

/**
 * Builds the one review a push gets (`POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews`, all comments
 * in one call): a comment per new finding at its line — with a suggestion when the fix's lines are all
 * commentable in one hunk — findings GitHub cannot take a comment on in `inCheckOnly`, and findings an
 * earlier comment already covers skipped. Undefined when there is nothing new to say.
 */
export function buildReview(input: ReviewInput): ReviewBuild | undefined {
  const placedComments: { comment: ReviewComment; at: PlacedFinding }[] = [];
  const inCheckOnly: PlacedFinding[] = [];
  let skippedAsDuplicate = 0;
  let suggestions = 0;

  for (const placed of input.findings) {
    const { finding: f, path } = placed;
    if (input.alreadyCommented.has(findingFingerprint(f, path))) {
      skippedAsDuplicate++;
      continue;
    }
    const bodyOptions = { rulesDocBase: input.rulesDocBase, path, summaryUrl: input.summaryUrl };
    const fix = f.fix;
    if (fix !== undefined && suggestionFits(input, path, fix.line, fix.endLine)) {
      const comment: ReviewComment = { path, line: fix.endLine, side: 'RIGHT', body: commentBody(f, { ...bodyOptions, suggestion: true }) };
      if (fix.line < fix.endLine) {
        comment.start_line = fix.line;
        comment.start_side = 'RIGHT';
      }
      placedComments.push({ comment, at: placed });
      suggestions++;
    } else if (input.isCommentable(path, f.line)) {
      placedComments.push({ comment: { path, line: f.line, side: 'RIGHT', body: commentBody(f, { ...bodyOptions, suggestion: false }) }, at: placed });
    } else {
      inCheckOnly.push(placed);
    }
  }
  if (placedComments.length === 0 && inCheckOnly.length === 0) return undefined;

  const comments = placedComments.sort((a, b) => byPlace(a.at, b.at)).map((c) => c.comment);
  const all = input.findings.map((p) => p.finding);
  const hasError = all.some((f) => f.severity === 'error');
  return {
    comments,
    body: reviewBody(input, countFindings(all), comments.length, suggestions, inCheckOnly, skippedAsDuplicate),
    event: input.event === 'REQUEST_CHANGES' && hasError ? 'REQUEST_CHANGES' : 'COMMENT',
    commit_id: input.headSha,
    inCheckOnly,
    skippedAsDuplicate,
  };
}

/** A suggestion replaces exactly the lines its comment spans, so they must all be commentable in one hunk. */
function suggestionFits(input: ReviewInput, path: string, start: number, end: number): boolean {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) return false;
  return start === end ? input.isCommentable(path, start) : input.sameHunk(path, start, end);
}

function reviewBody(
  input: ReviewInput,
  counts: FindingCounts,
  commented: number,
  suggestions: number,
  checkOnly: readonly PlacedFinding[],
  duplicates: number,
): string {
  const checkRun = input.summaryUrl !== undefined ? `[check run](${safeUrl(input.summaryUrl)})` : 'check run';
  const lines = [`**netdev-review** found ${severityCounts(counts)} in ${codeSpan(input.headSha.slice(0, 7))}.`, ''];
  if (commented > 0) {
    const withFix = suggestions > 0 ? ` (${suggestions === commented ? (commented === 1 ? 'with' : 'all with') : `${suggestions} with`} a suggested fix)` : '';
    lines.push(`- ${plural(commented, 'inline comment')} below${withFix}.`);
  }
  if (checkOnly.length > 0) {
    lines.push(
      `- ${plural(checkOnly.length, 'finding')} ${checkOnly.length === 1 ? 'is' : 'are'} on lines GitHub takes no comment on; ` +
        `${checkOnly.length === 1 ? 'it is' : 'they are'} in the ${checkRun}:`,
    );
    const sorted = [...checkOnly].sort(byPlace);
    for (const { finding: f, path } of sorted.slice(0, MAX_LISTED_IN_REVIEW_BODY)) {
      lines.push(`  - ${codeSpan(`${path}:${f.line}`)} **${f.severity}** ${codeSpan(f.ruleId)}: ${escapeMarkdown(oneLine(f.message))}`);
    }
    if (sorted.length > MAX_LISTED_IN_REVIEW_BODY) lines.push(`  - and ${sorted.length - MAX_LISTED_IN_REVIEW_BODY} more`);
  }
  if (duplicates > 0) {
    lines.push(`- ${plural(duplicates, 'finding')} already ${duplicates === 1 ? 'has a comment' : 'have comments'} from an earlier push; not repeated.`);
  }
  if (input.event === 'REQUEST_CHANGES' && counts.errors > 0) {
    lines.push('', 'Changes are requested because of the errors (this repository asks for it in `.github/netdev-review.yml`).');
  }
  // Markers for check-only findings: the next push reads them back and does not list these again. At
  // most half the body: past that, a finding may be listed again on a later push, which is harmless.
  let markers = '';
  for (const { finding: f, path } of checkOnly) {
    const next = `${markers}\n${marker(findingFingerprint(f, path), f.ruleId)}`;
    if (utf8Length(next) > MAX_REVIEW_BODY / 2) break;
    markers = next;
  }
  return fitToLimit(lines.join('\n'), MAX_REVIEW_BODY, markers === '' ? '' : `\n${markers}`);
}

/** "1 error, 2 warnings and 1 info" (zeros left out), or "nothing". */
export function severityCounts(c: FindingCounts): string {
  const parts = [
    c.errors > 0 ? plural(c.errors, 'error') : '',
    c.warnings > 0 ? plural(c.warnings, 'warning') : '',
    c.infos > 0 ? plural(c.infos, 'info') : '',
  ].filter((p) => p !== '');
  if (parts.length === 0) return 'nothing';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Order of findings for people: by file, then line, then severity. */
export function byPlace(a: PlacedFinding, b: PlacedFinding): number {
  return (
    compareText(a.path, b.path) ||
    a.finding.line - b.finding.line ||
    SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] ||
    compareText(a.finding.ruleId, b.finding.ruleId)
  );
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "1 finding", "2 findings". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// --- Markdown text ------------------------------------------------------------------------------------

/**
 * Plain text made safe for GitHub Markdown, escaping with backslashes (rendered as the character itself)
 * only what could start something: emphasis (`*`, `~`, and `_` except inside a word — GitHub leaves
 * `free_netdev` alone), a link, a code span, HTML (a fake marker, hidden text), an entity, or at a line's
 * start a heading, list item or quote. `dev->mtu` and `free_netdev()` stay readable in the raw text.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*~[\]<]/g, '\\$&')
    .replace(/_/g, (u, at: number, all: string) => (/[A-Za-z0-9]/.test(all[at - 1] ?? '') && /[A-Za-z0-9]/.test(all[at + 1] ?? '') ? u : '\\_'))
    .replace(/&(?=#?\w+;)/g, '\\&')
    // Blanks within the line only: `^(\s*)` also ran across line breaks, retried from every line start,
    // quadratic on many blank lines (3 s for a 100,000-line citation). A mark after blank lines is met at its own line start.
    .replace(/^([^\S\n\r\u2028\u2029]*)([-+=#>]|\d+[.)])/gm, (_m, space: string, mark: string) => `${space}${mark.replace(/[-+=#>.)]$/, '\\$&')}`);
}

/** `text` as an inline code span, with a fence longer than any backtick run inside it. */
export function codeSpan(text: string): string {
  const flat = oneLine(text);
  const longest = longestRun(flat, '`');
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run in `text`, so the text cannot close it. */
export function fenced(info: string, text: string): string {
  const longest = longestRun(text, '`');
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

/** A URL as a Markdown link target: characters that would end or break it are percent-encoded. */
export function safeUrl(url: string): string {
  // encodeURIComponent leaves parentheses alone, and they are what ends a link target.
  return url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * The longest run of `ch` in `text`. A loop, not `Math.max(...matches)`: spreading 200,000 runs (a message
 * of backtick pairs) overflowed the call stack.
 */
function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** Line breaks and the blanks around them become one space. */
function oneLine(text: string): string {
  // Split at the breaks, then trim: a `\s*[\r\n]+\s*` pattern retried its leading `\s*` from every blank of a
  // long run with no break, quadratic time (7 s for 100,000 spaces).
  const pieces = text.split(/[\r\n]+/);
  if (pieces.length === 1) return text;
  const last = pieces.length - 1;
  return pieces
    .map((piece, i) => (i === 0 ? piece.trimEnd() : i === last ? piece.trimStart() : piece.trim()))
    .filter((piece, i) => i === 0 || i === last || piece !== '')
    .join(' ');
}

/** Size as GitHub's limits are checked here: UTF-8 bytes. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * `head` cut so that `head + tail` is at most `max` UTF-8 bytes, with a line saying it was cut; `tail`
 * (the hidden markers) is always kept whole. Cuts at a line end when one is near, never inside a character.
 */
export function fitToLimit(head: string, max: number, tail = ''): string {
  if (utf8Length(head) + utf8Length(tail) <= max) return head + tail;
  const note = `\n\n… (cut: GitHub takes at most ${max.toLocaleString('en-US')} characters here)`;
  // Room for a fence closed below (a fence is a backtick run at most this long in practice).
  const budget = max - utf8Length(tail) - utf8Length(note) - 16;
  if (budget <= 0) throw new RangeError(`fitToLimit: the kept tail alone is over ${max} bytes`);
  let cut = Buffer.from(head, 'utf8').subarray(0, budget).toString('utf8');
  // A partial multi-byte character decodes as U+FFFD; drop it.
  cut = cut.replace(/\uFFFD$/, '');
  const lineEnd = cut.lastIndexOf('\n');
  if (lineEnd > budget * 0.8) cut = cut.slice(0, lineEnd);
  // An open code fence would swallow the note and the markers' line break; close it.
  const fences = cut.match(/^`{3,}/gm) ?? [];
  const open = fences[fences.length - 1];
  if (fences.length % 2 === 1 && open !== undefined && open.length <= 15) cut += `\n${open}`;
  return cut + note + tail;
}
