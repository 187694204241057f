// GitHub way in: the `netdev-review` check run a push gets — conclusion, summary table, details, annotations in pages.

import type { Finding, Severity } from '../engine/finding.js';
import { countFindings, type FindingCounts } from '../report/count-findings.js';
import { CONFIG_PATH } from './config.js';
import {
  byPlace,
  citationLink,
  codeSpan,
  escapeMarkdown,
  fenced,
  fitToLimit,
  plural,
  safeUrl,
  severityCounts,
  utf8Length,
  type PlacedFinding,
} from './review-payload.js';

/*
 * Limits of `POST /repos/{owner}/{repo}/check-runs` and `PATCH …/check-runs/{check_run_id}`, as GitHub's
 * OpenAPI description states them (docs.github.com/rest/checks/runs; the same text is in
 * @octokit/openapi-types `checks/create` → `output`, and in the clients generated from it, e.g. docs.rs
 * openapi-github `ChecksCreateRequestOutput`, pub.dev github `CheckRunAnnotation`): "The Checks API limits the number of annotations to
 * a maximum of 50 per API request. To create more than 50 annotations, you have to make multiple requests
 * to the Update a check run endpoint"; summary and text "Maximum length: 65535 characters"; an
 * annotation's message and raw_details "The maximum size is 64 KB", its title "255 characters". Lengths
 * are measured here in UTF-8 bytes: GitHub's "characters" behave as bytes for non-ASCII text
 * (github/rest-api-description#5399), and bytes are never fewer than characters.
 */
/** Annotations per create or update request. */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
/** `output.summary`. */
export const MAX_SUMMARY = 65535;
/** `output.text`. */
export const MAX_TEXT = 65535;
/** An annotation's `message` ("64 KB"). */
export const MAX_ANNOTATION_MESSAGE = 64 * 1024;
/** An annotation's `raw_details` ("64 KB"). */
export const MAX_ANNOTATION_RAW_DETAILS = 64 * 1024;
/** An annotation's `title`. */
export const MAX_ANNOTATION_TITLE = 255;

export type CheckConclusion = 'success' | 'neutral' | 'failure';

/** One annotation of a check run's `output.annotations`. */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface CheckRunBuild {
  conclusion: CheckConclusion;
  output: CheckRunOutput;
  /**
   * Annotations in pages of at most MAX_ANNOTATIONS_PER_REQUEST: the first goes with the create call, each
   * further page with an update of the same run (GitHub appends them). Empty when there are no findings.
   */
  annotationPages: Annotation[][];
}

export interface CheckRunInput {
  findings: readonly PlacedFinding[];
  /** Skipped files, config in effect, and other things worth a line in the summary. */
  notes: readonly string[];
  /** The previous push's number of findings, so a clean push can say it fixed them. */
  previous?: { findings: number };
  /** `error`: conclusion `failure` when an error finding exists. `never`: never `failure`. */
  failOn: 'error' | 'never';
  /** Overrides the run's title (default: the counts). */
  title?: string;
  /** Base URL of the rules' pages (`<base>/<id>.md`); rule ids are not linked without it. */
  rulesDocBase?: string;
}

const LEVEL: Record<Severity, Annotation['annotation_level']> = { error: 'failure', warning: 'warning', info: 'notice' };

/**
 * The check run of a push. Conclusion: `failure` only when an `error` finding exists and `failOn` is
 * `error`; otherwise `neutral` with findings and `success` without. The summary holds a table of findings
 * per rule and severity and the notes; the text, every finding with its citation and fix; one annotation
 * per finding.
 */
export function buildCheckRun(input: CheckRunInput): CheckRunBuild {
  const findings = [...input.findings].sort(byPlace);
  const counts = countFindings(findings.map((p) => p.finding));
  const conclusion: CheckConclusion =
    counts.errors > 0 && input.failOn === 'error' ? 'failure' : findings.length > 0 ? 'neutral' : 'success';

  const previous = input.previous?.findings ?? 0;
  const fixedAll = findings.length === 0 && previous > 0;
  const fixedLine = fixedAll
    ? `Clean: ${previous === 1 ? 'the finding of the previous push is fixed' : `the ${previous} findings of the previous push are fixed`}.`
    : undefined;
  const title = input.title ?? (findings.length > 0 ? capitalize(severityCounts(counts)) : fixedLine !== undefined ? fixedLine.replace(/\.$/, '') : 'No findings');

  const summary: string[] = [];
  if (findings.length > 0) {
    summary.push(
      `${capitalize(plural(findings.length, 'finding'))} in this push: ${severityCounts(counts)}.` +
        (conclusion === 'failure' ? ' The check fails because of the errors (`check.fail_on: error`).' : ''),
      '',
      ruleTable(findings, input.rulesDocBase),
      '',
      'Each finding is an annotation on its line (Files changed tab) and is listed with its fix below.',
    );
  } else {
    summary.push(fixedLine ?? 'No findings in this push.');
  }
  if (input.notes.length > 0) {
    summary.push('', '**Notes**', '', ...input.notes.map((n) => `- ${escapeMarkdown(n.replace(/\s*[\r\n]+\s*/g, ' '))}`));
  }

  const output: CheckRunOutput = { title: cutTitle(title), summary: fitToLimit(summary.join('\n'), MAX_SUMMARY) };
  if (findings.length > 0) output.text = fitToLimit(details(findings), MAX_TEXT);

  return { conclusion, output, annotationPages: pages(findings.map(annotation), MAX_ANNOTATIONS_PER_REQUEST) };
}

/**
 * The check run of a push whose settings file is invalid: `neutral` (the pull request is not at fault, and
 * a required check must not block on it), nothing reviewed, and the error with the lines to fix.
 */
export function configErrorCheckRun(error: string): { conclusion: 'neutral'; output: CheckRunOutput } {
  const summary = [
    `netdev-review did not review this push: ${codeSpan(CONFIG_PATH)} is invalid.`,
    '',
    fenced('text', error),
    '',
    'Pull requests are not reviewed until it is fixed. Every key is described in the "Configuration" section of netdev-review\'s `docs/github-app.md`; without the file, the defaults apply.',
  ].join('\n');
  return { conclusion: 'neutral', output: { title: `Invalid ${CONFIG_PATH}`, summary: fitToLimit(summary, MAX_SUMMARY) } };
}

/** Findings per rule and severity, the worst rules first, with a total row. */
function ruleTable(findings: readonly PlacedFinding[], rulesDocBase: string | undefined): string {
  const byRule = new Map<string, Finding[]>();
  for (const { finding } of findings) {
    const list = byRule.get(finding.ruleId) ?? [];
    list.push(finding);
    byRule.set(finding.ruleId, list);
  }
  const rows = [...byRule].map(([id, list]) => ({ id, counts: countFindings(list) }));
  rows.sort((a, b) => b.counts.errors - a.counts.errors || b.counts.warnings - a.counts.warnings || b.counts.infos - a.counts.infos || (a.id < b.id ? -1 : 1));
  const cell = (n: number) => (n === 0 ? '' : String(n));
  const row = (label: string, c: FindingCounts) => `| ${label} | ${cell(c.errors)} | ${cell(c.warnings)} | ${cell(c.infos)} |`;
  const total = countFindings(findings.map((p) => p.finding));
  return [
    '| rule | error | warning | info |',
    '| :--- | ---: | ---: | ---: |',
    ...rows.map((r) => row(ruleLink(r.id, rulesDocBase), r.counts)),
    `| **total** | **${total.errors}** | **${total.warnings}** | **${total.infos}** |`,
  ].join('\n');
}

function ruleLink(id: string, rulesDocBase: string | undefined): string {
  return rulesDocBase !== undefined ? `[${codeSpan(id)}](${safeUrl(`${rulesDocBase.replace(/\/+$/, '')}/${id}.md`)})` : codeSpan(id);
}

/** Every finding, grouped by file: where, what, why (the document), and the fix as a diff. */
function details(findings: readonly PlacedFinding[]): string {
  const out: string[] = [];
  let file: string | undefined;
  for (const { finding: f, path } of findings) {
    if (path !== file) {
      file = path;
      out.push(`### ${codeSpan(path)}`, '');
    }
    const lines = lineSpan(f);
    const inFile = f.file !== path ? ` (in ${codeSpan(f.file)})` : '';
    out.push(`**${f.severity}** ${codeSpan(f.ruleId)} at ${lines.start === lines.end ? `line ${lines.start}` : `lines ${lines.start}–${lines.end}`}${inFile}: ${escapeMarkdown(f.message)}`);
    if (f.chain !== undefined && f.chain.length > 0) out.push('', `Reached through ${f.chain.map(codeSpan).join(' → ')}.`);
    if (f.citation !== undefined) out.push('', `Document: ${citationLink(f)}`);
    if (f.fix !== undefined) out.push('', `Fix: ${escapeMarkdown(f.fix.description)}`, fenced('diff', fixDiff(f)));
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** The fix as a small diff: the line it replaces when its text is known, then the replacement. */
function fixDiff(f: Finding): string {
  const fix = f.fix!;
  const removed =
    fix.line === f.line && fix.endLine === f.line && f.sourceLine !== undefined
      ? [`-${f.sourceLine}`]
      : [`@@ replaces ${fix.line === fix.endLine ? `line ${fix.line}` : `lines ${fix.line}–${fix.endLine}`} @@`];
  const added = fix.replacement === '' ? [] : fix.replacement.replace(/\r?\n$/, '').split(/\r?\n/).map((l) => `+${l}`);
  return [...removed, ...added].join('\n');
}

function annotation({ finding: f, path }: PlacedFinding): Annotation {
  const lines = lineSpan(f);
  // Annotations are plain text. For a kernel patch carried as a file, the patched file is worth naming.
  const message = f.file !== path ? `${f.file}: ${f.message}` : f.message;
  const a: Annotation = {
    path,
    start_line: lines.start,
    end_line: lines.end,
    annotation_level: LEVEL[f.severity],
    message: fitToLimit(message, MAX_ANNOTATION_MESSAGE),
    title: cutTitle(f.ruleId),
  };
  const raw = rawDetails(f);
  if (raw !== '') a.raw_details = fitToLimit(raw, MAX_ANNOTATION_RAW_DETAILS);
  return a;
}

/** Plain text shown under "Raw output" of an annotation: the chain, the document, and the fix. */
function rawDetails(f: Finding): string {
  const parts: string[] = [];
  if (f.chain !== undefined && f.chain.length > 0) parts.push(`Reached through ${f.chain.join(' → ')}.`);
  if (f.citation !== undefined) {
    const c = f.citation;
    parts.push(`Document (${c.docLabel}): ${c.entry !== undefined ? `${c.section} › ${c.entry}` : c.section}\n${c.url}`);
  }
  if (f.fix !== undefined) parts.push(`Fix: ${f.fix.description}\n${fixDiff(f)}`);
  return parts.join('\n\n');
}

/** GitHub wants 1 ≤ start_line ≤ end_line. */
function lineSpan(f: Finding): { start: number; end: number } {
  const start = Math.max(1, f.line);
  return { start, end: Math.max(start, f.endLine ?? start) };
}

function pages<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A title cut to MAX_ANNOTATION_TITLE; the run's own title has no stated limit and is held to the same. */
function cutTitle(title: string): string {
  if (utf8Length(title) <= MAX_ANNOTATION_TITLE) return title;
  const chars = [...title];
  while (utf8Length(chars.join('')) > MAX_ANNOTATION_TITLE - 3) chars.pop();
  return `${chars.join('')}…`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
