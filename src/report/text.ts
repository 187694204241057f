// Report stage: the human-readable CLI report — compiler-style locations, the offending line, reach chain, citation, fix.

import type { Finding, Fix, Severity } from '../engine/finding.js';
import { formatKernelVersion } from '../kernel/version.js';
import type { PatchReview, RunResult, VersionSource } from '../review/result.js';
import { countFindings } from './count-findings.js';
import { oneLine } from './one-line.js';

export interface TextOptions {
  /** Emit ANSI colors; the CLI decides (isTTY, NO_COLOR, FORCE_COLOR). */
  color: boolean;
}

const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;
type Style = keyof typeof SGR;
type Paint = (text: string, ...styles: Style[]) => string;

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'cyan' };

const SOURCE_LABEL: Record<VersionSource, string> = {
  flag: '--kernel-version',
  subject: 'subject tag',
  tree: 'tree Makefile',
  default: 'default',
};

/**
 * Renders a run for people at a terminal, in the GNU error-message shape (`file:line: severity: message`,
 * as gcc and editors' "jump to error" expect), one block per patch and a closing summary line.
 */
export function renderText(run: RunResult, opts: TextOptions): string {
  const paint: Paint = opts.color
    ? (text, ...styles) => (styles.length === 0 ? text : `\x1b[${styles.map((s) => SGR[s]).join(';')}m${text}\x1b[0m`)
    : (text) => text;

  const blocks: string[] = [];
  if (run.inputErrors.length > 0) {
    blocks.push(run.inputErrors.map((e) => `${paint('error', 'bold', 'red')}: ${oneLine(e.message)}`).join('\n'));
  }
  for (const review of run.reviews) blocks.push(reviewBlock(review, paint));
  blocks.push(summaryLine(run));
  return blocks.join('\n\n') + '\n';
}

function reviewBlock(review: PatchReview, paint: Paint): string {
  const { patch } = review;
  const origin = oneLine(patch.origin);
  if (review.skipped !== undefined) return `${origin}: ${paint('skipped', 'dim')}: ${oneLine(review.skipped)}`;

  const title = patch.subject !== undefined ? `${origin}: ${oneLine(patch.subject)}` : origin;
  const head = [
    paint(title, 'bold'),
    `  target: ${formatKernelVersion(review.target.version)} (from ${SOURCE_LABEL[review.target.source]})`,
    ...review.notes.map((n) => paint(`  note: ${oneLine(n)}`, 'dim')),
  ];
  if (review.findings.length === 0) head.push('  no findings');
  return [head.join('\n'), ...review.findings.map((f) => findingBlock(f, paint))].join('\n\n');
}

function findingBlock(f: Finding, paint: Paint): string {
  const scope = f.scope === 'pre-existing' ? paint(' (pre-existing)', 'dim') : '';
  const lines = [
    `${paint(`${oneLine(f.file)}:${f.line}:`, 'bold')} ${paint(`${f.severity}:`, 'bold', SEVERITY_STYLE[f.severity])} ` +
      `${oneLine(f.message)} ${paint(`[${oneLine(f.ruleId)}]`, 'dim')}${scope}`,
  ];
  if (f.sourceLine !== undefined && f.sourceLine.trim() !== '') lines.push(`    ${oneLine(f.sourceLine.trim())}`);
  if (f.chain !== undefined && f.chain.length > 0) lines.push(paint(`  via ${f.chain.map(oneLine).join(' → ')}`, 'dim'));
  if (f.citation !== undefined) {
    const { section, entry, url } = f.citation;
    const where = entry !== undefined ? `${section} › ${entry}` : section;
    lines.push(paint(`  see: ${oneLine(where)} — ${oneLine(url)}`, 'dim'));
  }
  // Not push(...preview): a replacement of 300,000 lines, spread as arguments, overflowed the call stack.
  return (f.fix !== undefined ? lines.concat(fixPreview(f, f.fix, paint)) : lines).join('\n');
}

/** A short diff of the fix: the removed line when we know its text, then the replacement, dedented as a whole. */
function fixPreview(f: Finding, fix: Fix, paint: Paint): string[] {
  const lines = [`  fix: ${oneLine(fix.description)}`];
  const removedKnown = fix.line === f.line && fix.endLine === f.line && f.sourceLine !== undefined;
  const span = fix.endLine > fix.line ? `lines ${fix.line}-${fix.endLine}` : `line ${fix.line}`;
  lines.push(paint(`    - ${removedKnown ? oneLine((f.sourceLine ?? '').trim()) : `(${span})`}`, 'red'));
  const added = fix.replacement === '' ? [] : fix.replacement.replace(/\n$/, '').split('\n');
  for (const line of dedent(added)) lines.push(paint(`    + ${oneLine(line)}`, 'green'));
  return lines;
}

/** Drops the indentation the lines share, keeping their relative indentation (kernel code is tab-deep). */
function dedent(lines: string[]): string[] {
  // A loop, not Math.min(...indents): spreading that many lines as arguments overflows the call stack too.
  let common = Infinity;
  for (const l of lines) if (l.trim() !== '') common = Math.min(common, /^[ \t]*/.exec(l)?.[0].length ?? 0);
  if (common === Infinity) common = 0;
  return lines.map((l) => l.slice(Math.min(common, l.length - l.trimStart().length)).trimEnd());
}

function summaryLine(run: RunResult): string {
  const counts = countFindings(run.reviews.flatMap((r) => r.findings));
  const reviewed = run.reviews.filter((r) => r.skipped === undefined).length;
  const skipped = run.reviews.length - reviewed;
  const extra = [
    skipped > 0 ? `${skipped} skipped` : '',
    run.inputErrors.length > 0 ? plural(run.inputErrors.length, 'input error') : '',
  ].filter((s) => s !== '');
  return (
    `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')} ` +
    `in ${run.unit === 'file' ? plural(reviewed, 'file') : plural(reviewed, 'patch', 'patches')}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
