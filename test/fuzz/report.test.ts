// Fuzz: the output writers — any finding text and any line numbers give valid JSON and SARIF; text and checkpatch never throw.

import type * as Sarif from 'sarif';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Citation, Finding, SectionKey, Severity } from '../../src/engine/finding.js';
import type { Patch } from '../../src/ingest/patch.js';
import { renderCheckpatch } from '../../src/report/checkpatch.js';
import type { JsonReport } from '../../src/report/json.js';
import { renderJson } from '../../src/report/json.js';
import { oneLine } from '../../src/report/one-line.js';
import { renderSarif, SARIF_SCHEMA } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import type { PatchReview, RuleInfo, RunResult } from '../../src/review/result.js';
import { mangledDiff, wellFormedDiff } from './diff-arbitraries.js';
import { check, TEST_TIMEOUT } from './settings.js';
import { anyText, hostileText, isWellFormed } from './text-arbitraries.js';

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const SECTIONS: SectionKey[] = ['lifetime', 'mtu', 'sync', 'napi', 'instance-lock', 'kernel-locking'];
const RULE_IDS = ['netdev-free-api', 'xmit-busy', 'sleep-in-atomic-ndo'];

/** Mostly real line numbers, and now and then one no rule should produce: 0, negative, huge, fractional, not finite. */
const lineNumber: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 5000 }), weight: 8 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.constantFrom(0, -1, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e21, 1.5, Number.NaN, Infinity, -Infinity), weight: 1 },
);

const text = anyText(30);
const path = fc.oneof(fc.constantFrom('drivers/net/ethernet/acme/acme_main.c', './net/core/dev.c', '/abs/x.c', 'a b/#%?.c', ''), hostileText(20));

const citation: fc.Arbitrary<Citation> = fc.record(
  { section: text, entry: text, url: text, docLabel: text, lines: fc.record({ start: lineNumber, end: lineNumber }) },
  { requiredKeys: ['section', 'url', 'docLabel'] },
);

const finding: fc.Arbitrary<Finding> = fc.record(
  {
    ruleId: fc.oneof({ arbitrary: fc.constantFrom(...RULE_IDS), weight: 3 }, hostileText(12)),
    messageId: text,
    severity: fc.constantFrom(...SEVERITIES),
    file: path,
    line: lineNumber,
    endLine: lineNumber,
    message: text,
    doc: fc.record({ section: fc.constantFrom(...SECTIONS), entry: text }, { requiredKeys: ['section'] }),
    citation,
    fix: fc.record({ line: lineNumber, endLine: lineNumber, replacement: text, description: text }),
    chain: fc.array(text, { maxLength: 4 }),
    evidence: fc.array(lineNumber, { maxLength: 3 }),
    sourceLine: text,
    scope: fc.constantFrom('change', 'pre-existing'),
    inputLine: lineNumber,
  },
  { requiredKeys: ['ruleId', 'severity', 'file', 'line', 'message', 'doc', 'evidence'] },
);

const ruleInfo = (id: fc.Arbitrary<string>): fc.Arbitrary<RuleInfo> =>
  fc.record(
    {
      id,
      severity: fc.constantFrom(...SEVERITIES),
      description: text,
      doc: fc.record({ section: fc.constantFrom(...SECTIONS), entry: text }, { requiredKeys: ['section'] }),
      since: fc.constantFrom('2.6.29', '6.1', 'mainline'),
      until: fc.constantFrom('6.9', '4.12'),
      fixable: fc.boolean(),
      helpUri: text,
    },
    { requiredKeys: ['id', 'severity', 'description', 'doc', 'fixable', 'helpUri'] },
  );

const patch: fc.Arbitrary<Patch> = fc
  .record({
    origin: fc.oneof(fc.constantFrom('-', '-#2', 'series.mbox#1', '0001-x.patch', '<stdin>'), hostileText(20)),
    subject: fc.option(text, { nil: undefined }),
    messageId: fc.option(text, { nil: undefined }),
    diff: fc.oneof(fc.constant(''), wellFormedDiff.map((d) => d.text), mangledDiff, text),
  })
  .map(({ origin, subject, messageId, diff }) => {
    const p: Patch = {
      origin,
      ordinal: 0,
      references: [],
      tags: { title: '', revision: 1, rfc: false, raw: [], isReply: false },
      description: '',
      trailers: { fixes: [], signedOffBy: [] },
      diff,
      diffStartLine: diff === '' ? 0 : 1,
      kind: 'patch',
      notes: [],
    };
    if (subject !== undefined) p.subject = subject;
    if (messageId !== undefined) p.messageId = messageId;
    return p;
  });

const review: fc.Arbitrary<PatchReview> = fc
  .record({
    patch,
    version: fc.oneof(fc.constant({ kind: 'mainline' as const }), fc.record({ kind: fc.constant('release' as const), major: fc.nat({ max: 700 }), minor: fc.nat({ max: 700 }) })),
    source: fc.constantFrom('flag', 'subject', 'tree', 'default'),
    findings: fc.array(finding, { maxLength: 5 }),
    notes: fc.array(text, { maxLength: 3 }),
    skipped: fc.option(text, { nil: undefined }),
    linesChecked: fc.option(fc.nat(), { nil: undefined }),
  })
  .map(({ patch: p, version, source, findings, notes, skipped, linesChecked }) => {
    const r: PatchReview = { patch: p, target: { version, source }, findings, notes };
    if (skipped !== undefined) r.skipped = skipped;
    if (linesChecked !== undefined) r.linesChecked = linesChecked;
    return r;
  });

/** A whole run: a catalog with unique rule ids, reviews whose findings may name rules outside it, input errors. */
const run: fc.Arbitrary<RunResult> = fc
  .record({
    rules: fc.uniqueArray(ruleInfo(fc.oneof(fc.constantFrom(...RULE_IDS), hostileText(12))), { selector: (r) => r.id, maxLength: 4 }),
    reviews: fc.array(review, { maxLength: 3 }),
    inputErrors: fc.array(fc.record({ origin: text, message: text }), { maxLength: 2 }),
    unit: fc.constantFrom(undefined, 'patch', 'file'),
  })
  .map(({ rules, reviews, inputErrors, unit }) => {
    const r: RunResult = { reviews, inputErrors, rules };
    if (unit !== undefined) r.unit = unit;
    return r;
  });

const isPositiveInteger = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;

/** What a SARIF consumer (code scanning, a SARIF viewer) relies on, checked on the parsed log. */
function expectSarifShape(log: Sarif.Log, input: RunResult): void {
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toBe(SARIF_SCHEMA);
  expect(log.runs).toHaveLength(1);
  const sarifRun = log.runs[0]!;
  const driver = sarifRun.tool.driver;
  expect(typeof driver.name).toBe('string');
  expect(driver.name).not.toBe('');
  const rules = driver.rules ?? [];
  const ids = rules.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of rules) {
    expect(typeof rule.id).toBe('string');
    expect(typeof rule.shortDescription?.text).toBe('string');
    if (rule.defaultConfiguration?.level !== undefined) expect(['none', 'note', 'warning', 'error']).toContain(rule.defaultConfiguration.level);
  }
  const baseIds = Object.keys(sarifRun.originalUriBaseIds ?? {});
  const results = sarifRun.results ?? [];
  const findings = input.reviews.flatMap((r) => r.findings);
  expect(results).toHaveLength(findings.length);
  results.forEach((result, i) => {
    const f = findings[i]!;
    expect(result.ruleId).toBe(f.ruleId);
    expect(ids).toContain(result.ruleId);
    expect(Number.isInteger(result.ruleIndex)).toBe(true);
    expect(rules[result.ruleIndex!]?.id).toBe(result.ruleId);
    expect(['none', 'note', 'warning', 'error']).toContain(result.level);
    expect(typeof result.message.text).toBe('string');
    expect(result.message.text).toBe(f.message);
    for (const fingerprint of Object.values(result.partialFingerprints ?? {})) expect(typeof fingerprint).toBe('string');
    for (const location of result.locations ?? []) {
      const physical = location.physicalLocation!;
      const artifact = physical.artifactLocation!;
      // A relative URI reference: nothing a URI parser would refuse, and its base declared in the run.
      expect(artifact.uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/);
      expect(() => decodeURIComponent(artifact.uri!)).not.toThrow();
      expect(baseIds).toContain(artifact.uriBaseId);
      expectRegion(physical.region!);
    }
    for (const fix of result.fixes ?? []) {
      expect(typeof fix.description?.text).toBe('string');
      for (const change of fix.artifactChanges) {
        expect(baseIds).toContain(change.artifactLocation.uriBaseId);
        for (const replacement of change.replacements) {
          expectRegion(replacement.deletedRegion);
          if (replacement.insertedContent !== undefined) expect(typeof replacement.insertedContent.text).toBe('string');
        }
      }
    }
  });
  for (const invocation of sarifRun.invocations ?? []) {
    expect(typeof invocation.executionSuccessful).toBe('boolean');
    for (const n of invocation.toolExecutionNotifications ?? []) expect(typeof n.message.text).toBe('string');
  }
}

/** A text region: 1-based lines, end not before start, columns 1-based and in order on one line. */
function expectRegion(region: Sarif.Region): void {
  expect(isPositiveInteger(region.startLine), `startLine ${region.startLine}`).toBe(true);
  if (region.endLine !== undefined) {
    expect(isPositiveInteger(region.endLine), `endLine ${region.endLine}`).toBe(true);
    expect(region.endLine).toBeGreaterThanOrEqual(region.startLine!);
  }
  if (region.startColumn !== undefined) expect(isPositiveInteger(region.startColumn)).toBe(true);
  if (region.endColumn !== undefined) {
    expect(isPositiveInteger(region.endColumn)).toBe(true);
    if ((region.endLine ?? region.startLine) === region.startLine) expect(region.endColumn).toBeGreaterThanOrEqual(region.startColumn ?? 1);
  }
}

/** C0 and C1 controls (tab and newline aside), line separators and bidi controls: none may reach a terminal raw. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('fuzz: report writers', () => {
  it('writes valid, lossless JSON for any finding', () => {
    check('report/json', 300, [run], (input) => {
      const out = renderJson(input);
      expect(isWellFormed(out)).toBe(true);
      const report = JSON.parse(out) as JsonReport;
      expect(report.version).toBe(1);
      expect(report.reviews).toHaveLength(input.reviews.length);
      report.reviews.forEach((r, i) => {
        const source = input.reviews[i]!;
        expect(r.notes).toEqual(source.notes);
        expect(r.findings.map((f) => [f.ruleId, f.file, f.message])).toEqual(source.findings.map((f) => [f.ruleId, f.file, f.message]));
      });
      expect(report.inputErrors).toEqual(input.inputErrors.map((e) => ({ origin: e.origin, message: e.message })));
    });
  }, TEST_TIMEOUT);

  it('writes SARIF 2.1.0 a consumer can read for any finding and any line numbers', () => {
    check('report/sarif', 300, [run], (input) => {
      const out = renderSarif(input);
      expect(isWellFormed(out)).toBe(true);
      expectSarifShape(JSON.parse(out) as Sarif.Log, input);
    });
  }, TEST_TIMEOUT);

  it('writes text with no raw control characters, in color or not', () => {
    check('report/text', 300, [run, fc.boolean()], (input, color) => {
      const out = renderText(input, { color });
      expect(out.endsWith('\n')).toBe(true);
      const plain = color ? out.replace(/\x1b\[[0-9;]*m/g, '') : out;
      expect(plain).not.toMatch(RAW_CONTROL);
    });
  }, TEST_TIMEOUT);

  it('writes checkpatch records that stay one per finding', () => {
    check('report/checkpatch', 300, [run], (input) => {
      // checkpatch prints a file's name as given, and so does this format: a file named like a record reads as
      // one. Names are the caller's, not the patch's (stdin shows the quoted subject); leave those out.
      const names = [...input.inputErrors.map((e) => e.origin), ...input.reviews.map((r) => r.patch.origin)];
      if (names.some((name) => /^(?:ERROR|WARNING|CHECK):/.test(oneLine(name)))) return;
      const out = renderCheckpatch(input);
      expect(out).not.toMatch(RAW_CONTROL);
      const records = out.split('\n').filter((l) => /^(?:ERROR|WARNING|CHECK):[A-Z0-9_]*: /.test(l)).length;
      expect(records).toBe(input.inputErrors.length + input.reviews.reduce((n, r) => n + r.findings.length, 0));
    });
  }, TEST_TIMEOUT);
});
