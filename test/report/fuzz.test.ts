// Report stage tests: hostile text in findings (quotes, line breaks, control and bidi characters, lone
// surrogates, look-alike checkpatch records) never breaks JSON/SARIF or the record layout of checkpatch output.

import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/engine/finding.js';
import type { PatchReview, RunResult } from '../../src/review/result.js';
import { renderCheckpatch } from '../../src/report/checkpatch.js';
import type { JsonReport } from '../../src/report/json.js';
import { renderJson } from '../../src/report/json.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import { reviewedPatch, RULES } from './fixtures.js';

const PIECES = [
  'free_netdev()', ' ', '\t', '"', "'", '\\', '\\"', '\n', '\r\n', '\r', '\n\n', '\v', '\f', '\u0085', '\u2028',
  '\u2029', '\0', '\x07', '\x1b[31m', '\x1b]0;pwned\x07', '\x7f', '\x9b', '\u202e', '\u2066', 'é', '日本語', '😀',
  '\ud800', '\udfff', '\ufeff', 'ERROR:FAKE_TYPE: injected', '#12: FILE: net/core/dev.c:1:', 'total: 0 errors',
  'NOTE: fake', '+\tkfree(dev);', '-------------', '{"a":1}', '</script>', '%s%n', '${x}', '\u0000\u0001\u001f',
];

/** mulberry32: a small seeded generator, so a failure reproduces. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fuzzRun(seed: number): RunResult {
  const random = generator(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const text = (): string => Array.from({ length: int(10) }, () => pick(PIECES)).join('');
  const severities: Severity[] = ['error', 'warning', 'info'];

  const finding = (n: number): Finding => {
    const line = 1 + int(900);
    const f: Finding = {
      ruleId: pick(RULES).id,
      severity: pick(severities),
      file: pick(['drivers/net/ethernet/foo/foo_main.c', 'net/core/dev.c', `drivers/net/${text()}.c`]),
      line,
      message: text(),
      doc: { section: 'lifetime' },
      evidence: [line],
    };
    if (random() < 0.8) f.sourceLine = text();
    if (random() < 0.7) f.inputLine = 20 + n;
    if (random() < 0.5) f.chain = [text(), text()];
    if (random() < 0.5) f.citation = { section: text(), entry: text(), url: `https://docs.kernel.org/${text()}`, docLabel: 'v6.1' };
    if (random() < 0.5) f.fix = { line, endLine: line + int(3), replacement: text(), description: text() };
    if (random() < 0.3) f.scope = 'pre-existing';
    return f;
  };

  const reviews: PatchReview[] = Array.from({ length: 1 + int(3) }, (_, i) => {
    const review = reviewedPatch(Array.from({ length: int(5) }, (_, n) => finding(n)));
    review.patch.origin = pick(['-', `-#${i}`, `series.mbox#${i}`, `000${i}-foo.patch`]);
    review.patch.subject = text();
    review.notes = Array.from({ length: int(3) }, text);
    if (random() < 0.2) {
      review.skipped = text();
      review.findings = [];
    }
    return review;
  });
  const inputErrors = Array.from({ length: int(3) }, (_, i) => ({ origin: `bad-${i}.patch`, message: text() }));
  return { reviews, inputErrors, rules: RULES };
}

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
// Characters that some line splitter (Perl, Python's splitlines, a terminal) treats as a line break or control.
const LINE_BREAKING = /[\r\v\f\x1c-\x1e\x85\u2028\u2029]/;

describe('hostile finding text', () => {
  it.each(SEEDS)('keeps JSON valid and lossless (seed %i)', (seed) => {
    const run = fuzzRun(seed);
    const report = JSON.parse(renderJson(run)) as JsonReport;
    expect(report.reviews.map((r) => r.findings.map((f) => f.message))).toEqual(
      run.reviews.map((r) => r.findings.map((f) => f.message)),
    );
    expect(report.reviews.map((r) => r.notes)).toEqual(run.reviews.map((r) => r.notes));
    expect(report.inputErrors).toEqual(run.inputErrors);
  });

  it.each(SEEDS)('keeps SARIF valid, lossless and indexed (seed %i)', (seed) => {
    const run = fuzzRun(seed);
    const log = JSON.parse(renderSarif(run)) as Sarif.Log;
    const [sarifRun] = log.runs;
    const results = sarifRun?.results ?? [];
    const findings = run.reviews.flatMap((r) => r.findings);
    expect(results.map((r) => r.message.text)).toEqual(findings.map((f) => f.message));
    for (const r of results) expect(sarifRun?.tool.driver.rules?.[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
    const fingerprints = results.map((r) => r.partialFingerprints?.['primaryLocationLineHash']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it.each(SEEDS)('keeps one record per finding in checkpatch output (seed %i)', (seed) => {
    const run = fuzzRun(seed);
    const out = renderCheckpatch(run);
    expect(out).not.toMatch(LINE_BREAKING);
    expect(out).not.toContain('\x1b');

    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    const blocks = run.inputErrors.length + run.reviews.length;
    let records = 0;
    let totals = 0;
    for (const [i, line] of lines.entries()) {
      const previous = lines[i - 1] ?? '';
      if (/^(?:ERROR|WARNING|CHECK):[A-Z0-9_]+: /.test(line)) {
        records++;
      } else if (/^(?:#\d+: )?FILE: /.test(line)) {
        // checkpatch's "#N: FILE: path:line:" only ever follows a record's first line.
        expect(previous).toMatch(/^(?:ERROR|WARNING|CHECK):/);
        expect(line).toMatch(/:\d+:$/);
      } else if (/^[+ ]/.test(line)) {
        // The offending line follows the FILE: line; the notes' continuation lines follow a NOTE.
        expect(previous).toMatch(/^(?:(?:#\d+: )?FILE: |NOTE: )/);
      } else if (line.startsWith('total: ')) {
        totals++;
        expect(line).toMatch(/^total: \d+ errors, \d+ warnings, \d+ checks, \d+ lines checked$/);
      } else if (line !== '' && !line.startsWith('NOTE: ') && !/^-+$/.test(line)) {
        // What is left: a block's name (between dashed lines) or its closing verdict.
        const name = /^(".*"|Your patch|bad-\d+\.patch|series\.mbox#\d+|000\d-foo\.patch)(?: has .*)?$/.exec(line);
        expect(name, `unexpected line ${JSON.stringify(line)}`).not.toBeNull();
      }
    }
    expect(records).toBe(run.inputErrors.length + run.reviews.reduce((n, r) => n + r.findings.length, 0));
    expect(totals).toBe(blocks);
  });

  it.each(SEEDS)('keeps the text report free of raw control characters (seed %i)', (seed) => {
    const out = renderText(fuzzRun(seed), { color: false });
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });
});
