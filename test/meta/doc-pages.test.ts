// Meta-tests: every rule has its documentation page, and the page's Bad/Good examples behave.

import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ALL_RULES } from '../../rules/index.js';
import { runRuleOn } from '../lib/rule-tester.js';

const SECTIONS = ['What it checks', 'Why', 'Bad', 'Good', 'When it stays silent'];

/** The C blocks under a `## <heading>`, each with the kernel version a preceding `<!-- kernel: X.Y -->` names. */
function examples(page: string, heading: string): { code: string; kernel?: string; path?: string }[] {
  const m = new RegExp(`^## ${heading}\\n([\\s\\S]*?)(?=^## |$(?![\\s\\S]))`, 'm').exec(page);
  if (!m) return [];
  const out: { code: string; kernel?: string; path?: string }[] = [];
  const re = /(?:<!--\s*((?:kernel|path):[^>]*?)\s*-->\s*\n)?```c\n([\s\S]*?)```/g;
  for (let b = re.exec(m[1]); b; b = re.exec(m[1])) {
    const hints = Object.fromEntries(
      (b[1] ?? '')
        .split(/\s*;\s*/)
        .filter(Boolean)
        .map((h) => h.split(/:\s*/, 2) as [string, string]),
    );
    out.push({ code: b[2], kernel: hints.kernel, path: hints.path });
  }
  return out;
}

describe('rule documentation pages', () => {
  it('there is no page without a rule', () => {
    const ids = new Set(ALL_RULES.map((r) => r.meta.id));
    for (const f of readdirSync('docs/rules')) expect(ids.has(f.replace(/\.md$/, '')), `docs/rules/${f}`).toBe(true);
  });

  for (const rule of ALL_RULES) {
    describe(rule.meta.id, () => {
      const file = `docs/rules/${rule.meta.id}.md`;
      it('has a page with every section', () => {
        expect(existsSync(file), file).toBe(true);
        const page = readFileSync(file, 'utf8');
        expect(page.startsWith(`# ${rule.meta.id}\n`)).toBe(true);
        for (const s of SECTIONS) expect(page, `${file} lacks "## ${s}"`).toContain(`\n## ${s}\n`);
      });
      it('its Bad examples are flagged and its Good examples are not', async () => {
        if (!existsSync(file)) return;
        const page = readFileSync(file, 'utf8');
        const bad = examples(page, 'Bad');
        const good = examples(page, 'Good');
        expect(bad.length, 'at least one Bad example').toBeGreaterThan(0);
        expect(good.length, 'at least one Good example').toBeGreaterThan(0);
        for (const [i, ex] of bad.entries()) {
          const findings = await runRuleOn(rule, { name: `bad ${i}`, ...ex });
          expect(findings.length, `Bad example ${i + 1} of ${file} is not flagged`).toBeGreaterThan(0);
        }
        for (const [i, ex] of good.entries()) {
          const findings = await runRuleOn(rule, { name: `good ${i}`, ...ex });
          expect(findings.map((f) => `${f.line}: ${f.message}`), `Good example ${i + 1} of ${file} is flagged`).toEqual([]);
        }
      });
    });
  }
});
