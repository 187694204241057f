// Report stage: output in the shape of the kernel's scripts/checkpatch.pl, for tooling that parses checkpatch.

import type { Finding, Severity } from '../engine/finding.js';
import type { PatchReview, RunResult } from '../review/result.js';
import { countFindings } from './count-findings.js';
import { linesChecked } from '../diff/lines-checked.js';
import { oneLine } from './one-line.js';

/** checkpatch's three message levels; `CHECK` is what `--strict` (always on for drivers/net/ and net/) adds. */
const LEVEL: Record<Severity, 'ERROR' | 'WARNING' | 'CHECK'> = { error: 'ERROR', warning: 'WARNING', info: 'CHECK' };

/**
 * Renders a run as `scripts/checkpatch.pl --show-types` prints it (the format of `report()`, `process()` and the
 * per-file loop of checkpatch.pl in torvalds/linux), each patch taking the place of one checked file:
 *
 * ```
 * WARNING:NETDEV_FREE_API: message          ← `$level:$type: $msg` (--show-types)
 * #42: FILE: drivers/net/foo.c:310:          ← `#$linenr: FILE: $realfile:$realline:` (input line, file line)
 * +	kfree(dev);                              ← the raw diff line, then a blank line ending the record
 *
 * total: 1 errors, 1 warnings, 0 checks, 57 lines checked
 *
 * 0001-foo.patch has style problems, please review.
 * ```
 *
 * With several patches each is headed by its name between dashed lines, as checkpatch heads each of several files.
 * The `checks` count is always printed: checkpatch prints it whenever `--strict` is in effect, which it forces
 * for files under drivers/net/ and net/ — the files this tool reviews.
 */
export function renderCheckpatch(run: RunResult): string {
  const blocks = [
    ...run.inputErrors.map((e) => ({ name: checkedName(e.origin), body: inputErrorBody(e.origin, e.message) })),
    ...run.reviews.map((r) => ({ name: checkedName(r.patch.origin, r.patch.subject), body: reviewBody(r) })),
  ];
  let out = '';
  for (const { name, body } of blocks) {
    if (blocks.length > 1) {
      // Perl's length() counts the bytes of an undecoded name, so the rules are as long in bytes, not characters.
      const rule = '-'.repeat(Buffer.byteLength(name, 'utf8'));
      out += `${rule}\n${name}\n${rule}\n`;
    }
    out += body;
  }
  return out;
}

/**
 * checkpatch's `$vname`: the file name, or for standard input (`-`) the quoted Subject, else "Your patch".
 * An mbox entry's origin is `file#N`, so `-#N` is also standard input.
 */
function checkedName(origin: string, subject?: string): string {
  if (origin !== '-' && !origin.startsWith('-#')) return oneLine(origin);
  return subject !== undefined ? `"${oneLine(subject)}"` : 'Your patch';
}

function reviewBody(review: PatchReview): string {
  const findings = [...review.findings].sort(byInputLine);
  const counts = countFindings(findings);
  const clean = findings.length === 0;
  const name = checkedName(review.patch.origin, review.patch.subject);

  let out = findings.map(record).join('');
  out += `total: ${counts.errors} errors, ${counts.warnings} warnings, ${counts.infos} checks, ${review.linesChecked ?? linesChecked(review.patch.diff)} lines checked\n`;
  // checkpatch follows a dirty report with a note on what --fix can do; ours has no --fix, but has fixes to show.
  if (findings.some((f) => f.fix !== undefined)) {
    out += note('For some of the reported defects, netdev-review has a mechanical fix:', 'see --format text, json or sarif.');
  }
  if (review.skipped !== undefined) out += note(`not reviewed: ${oneLine(review.skipped)}`);
  for (const n of review.notes) out += note(oneLine(n));
  out += clean
    ? `\n${name} has no obvious style problems and is ready for submission.\n`
    : `\n${name} has style problems, please review.\n`;
  return out;
}

/** An input that could not be read is reported the way checkpatch reports a file that is not a patch. */
function inputErrorBody(origin: string, message: string): string {
  return (
    `ERROR:INPUT_ERROR: ${oneLine(message)}\n\n` +
    'total: 1 errors, 0 warnings, 0 checks, 0 lines checked\n' +
    `\n${checkedName(origin)} has style problems, please review.\n`
  );
}

/** One record: level and type, then where (`#N: ` only when the input line is known), the line, a blank line. */
function record(f: Finding): string {
  const here = `${f.inputLine !== undefined ? `#${f.inputLine}: ` : ''}FILE: ${oneLine(f.file)}:${f.line}:`;
  // The raw diff line: an added line keeps its '+'; a pre-existing finding sits on a context line (' ').
  const raw = f.sourceLine !== undefined ? `${f.scope === 'pre-existing' ? ' ' : '+'}${oneLine(f.sourceLine)}\n` : '';
  return `${LEVEL[f.severity]}:${checkpatchType(f.ruleId)}: ${oneLine(f.message)}\n${here}\n${raw}\n`;
}

/** `netdev-free-api` → `NETDEV_FREE_API`: checkpatch types are upper-case words joined by `_`. */
export function checkpatchType(ruleId: string): string {
  return ruleId.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

function note(first: string, ...more: string[]): string {
  return `\nNOTE: ${first}\n${more.map((m) => `      ${m}\n`).join('')}`;
}

/** checkpatch reports in input order; findings whose input line is unknown go last, like its file-level messages. */
function byInputLine(a: Finding, b: Finding): number {
  return (a.inputLine ?? Number.POSITIVE_INFINITY) - (b.inputLine ?? Number.POSITIVE_INFINITY) || 0;
}

