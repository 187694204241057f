// Test helper: runs one rule over tables of valid and invalid driver code, ESLint RuleTester style.

import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/engine/rule.js';
import type { Finding, Severity } from '../../src/engine/finding.js';
import { runRules } from '../../src/engine/run.js';
import { extractFileFacts } from '../../src/analysis/extract.js';
import { Program } from '../../src/analysis/program.js';
import { analyzeDiff } from '../../src/review/analyze.js';
import { MAINLINE, parseKernelVersion, type KernelVersion } from '../../src/kernel/version.js';
import type { SourceFile } from '../../src/source/source-file.js';

export interface ValidCase {
  name: string;
  /** A whole C file (every line counts as added), or… */
  code?: string;
  /** …a unified diff: only what it adds is the change, and only its hunks are visible. */
  patch?: string;
  /** Post-image path of `code` (default drivers/net/ethernet/acme/acme_main.c). */
  path?: string;
  /** Target kernel (default mainline). */
  kernel?: string;
  /** Whole-function audit (`--all`). */
  audit?: boolean;
}

export interface ExpectedFinding {
  line: number;
  messageId: string;
  severity?: Severity;
  /** Expected replacement text of the fix (whole lines). */
  fix?: string;
  /** A substring the message must contain. */
  message?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
}

const DEFAULT_PATH = 'drivers/net/ethernet/acme/acme_main.c';

/** Runs `rule` on a case and returns its findings. */
export async function runRuleOn(rule: Rule, c: ValidCase): Promise<Finding[]> {
  const target: KernelVersion = c.kernel ? (parseKernelVersion(c.kernel) ?? MAINLINE) : MAINLINE;
  if (c.patch !== undefined) {
    const change = await analyzeDiff(c.patch);
    return runRules({ program: change.program, sources: change.sources, target, rules: [rule], audit: c.audit ?? false });
  }
  const code = c.code ?? '';
  const path = c.path ?? DEFAULT_PATH;
  const lines = code.split('\n').length;
  const source: SourceFile = {
    path,
    completeness: 'full',
    units: [{ text: code, firstLine: 1 }],
    added: new Set(Array.from({ length: lines }, (_, i) => i + 1)),
    deletedAt: new Set(),
    notes: [],
  };
  const program = new Program([extractFileFacts(source)]);
  return runRules({ program, sources: new Map([[path, source]]), target, rules: [rule], audit: c.audit ?? false });
}

/** Declares the tests of one rule: every valid case silent, every invalid case exactly its expected findings. */
export function ruleTester(rule: Rule, tables: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  const names = [...tables.valid, ...tables.invalid].map((c) => c.name);
  const bodies = [...tables.valid, ...tables.invalid].map((c) => `${c.kernel ?? ''}\u0000${c.code ?? c.patch ?? ''}`);
  describe(rule.meta.id, () => {
    it('has at least 3 valid and 3 invalid cases, none duplicated', () => {
      expect(tables.valid.length).toBeGreaterThanOrEqual(3);
      expect(tables.invalid.length).toBeGreaterThanOrEqual(3);
      expect(new Set(names).size).toBe(names.length);
      expect(new Set(bodies).size).toBe(bodies.length);
      for (const c of tables.invalid) {
        expect(c.errors.length, `invalid case "${c.name}" must expect findings`).toBeGreaterThan(0);
        expect(rule.meta.triggers.test(c.code ?? c.patch ?? ''), `triggers of ${rule.meta.id} miss invalid case "${c.name}"`).toBe(true);
      }
    });
    describe('valid', () => {
      for (const c of tables.valid) {
        it(c.name, async () => {
          const findings = await runRuleOn(rule, c);
          expect(findings.map(summary), 'noisy: the rule fired on valid code').toEqual([]);
        });
      }
    });
    describe('invalid', () => {
      for (const c of tables.invalid) {
        it(c.name, async () => {
          const findings = await runRuleOn(rule, c);
          expect(findings.length, `missing or extra findings: ${JSON.stringify(findings.map(summary))}`).toBe(c.errors.length);
          c.errors.forEach((e, i) => {
            const f = findings[i];
            expect(f.ruleId).toBe(rule.meta.id);
            expect({ line: f.line, messageId: f.messageId }).toEqual({ line: e.line, messageId: e.messageId });
            if (e.severity) expect(f.severity).toBe(e.severity);
            if (e.message) expect(f.message).toContain(e.message);
            if (e.fix !== undefined) expect(f.fix?.replacement).toBe(e.fix);
            expect(f.doc.section).toBeTruthy();
          });
        });
      }
    });
  });
}

function summary(f: Finding): string {
  return `${f.line}:${f.messageId}:${f.severity}: ${f.message}`;
}
