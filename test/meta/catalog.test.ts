// Meta-tests: the rule catalog stays honest — every rule has its module, tests and README entry.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { ALL_RULES } from '../../rules/index.js';
import { ruleInfos, renderRulesMarkdown } from '../../src/review/rule-info.js';
import { cite } from '../../src/citations/cite.js';
import { parseKernelVersion, MAINLINE } from '../../src/kernel/version.js';

const ruleFiles = readdirSync('rules').filter((f) => f.endsWith('.ts') && f !== 'index.ts');

describe('rule catalog', () => {
  it('every module under rules/ is in the index, named by its id', () => {
    const ids = ALL_RULES.map((r) => r.meta.id).sort();
    expect(ruleFiles.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const rule of ALL_RULES) {
    describe(rule.meta.id, () => {
      it('has a test file', () => {
        expect(existsSync(`test/rules/${rule.meta.id}.test.ts`)).toBe(true);
      });
      it('has a well-formed meta', () => {
        const m = rule.meta;
        expect(['error', 'warning', 'info']).toContain(m.severity);
        expect(m.description.length).toBeGreaterThan(20);
        expect(Object.keys(m.messages).length).toBeGreaterThan(0);
        for (const text of Object.values(m.messages)) expect(text.trim()).not.toBe('');
        expect(m.triggers).toBeInstanceOf(RegExp);
        if (m.since) expect(parseKernelVersion(m.since)).toBeDefined();
        if (m.until) expect(parseKernelVersion(m.until)).toBeDefined();
      });
      it('cites a section for mainline and for an old release', () => {
        for (const version of [MAINLINE, parseKernelVersion('4.19'), parseKernelVersion('2.6.30')]) {
          const c = cite(rule.meta.doc, { version: version ?? MAINLINE });
          expect(c.url).toMatch(/^https:\/\//);
          expect(c.section.length).toBeGreaterThan(0);
        }
      });
    });
  }

  it('README.md lists exactly the catalog (regenerate with `netdev-review rules --format markdown`)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const m = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme);
    expect(m, 'README.md has the rules markers').not.toBeNull();
    expect(m?.[1]).toBe(renderRulesMarkdown(ruleInfos(ALL_RULES)));
  });

  it('README opens with the two commands', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1].trim().split('\n');
    expect(block).toEqual(['npm ci && npx netdev-review check examples/acme-new-driver.patch', 'npm test']);
    expect(existsSync('examples/acme-new-driver.patch')).toBe(true);
  });
});
