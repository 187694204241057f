// Pipeline: what the catalog says about each rule, for `netdev-review rules`, SARIF and the README table.

import type { Rule } from '../engine/rule.js';
import type { RuleInfo } from './result.js';
import { cite } from '../citations/cite.js';
import { MAINLINE } from '../kernel/version.js';

/** Catalog entries of the given rules, with a link to the section each enforces (mainline docs). */
export function ruleInfos(rules: readonly Rule[]): RuleInfo[] {
  return rules.map((r) => ({
    id: r.meta.id,
    severity: r.meta.severity,
    description: r.meta.description,
    doc: r.meta.doc,
    since: r.meta.since,
    until: r.meta.until,
    helpUri: cite(r.meta.doc, { version: MAINLINE }).url,
    fixable: r.meta.fixable,
  }));
}

/** "since 4.12", "before 4.7", "2.6.29–4.7", or "all". */
export function kernelRange(info: Pick<RuleInfo, 'since' | 'until'>): string {
  if (info.since && info.until) return `${info.since}–${info.until}`;
  if (info.since) return `since ${info.since}`;
  if (info.until) return `before ${info.until}`;
  return 'all';
}

/** The section heading (and entry) a rule cites, as the newest document writes it. */
export function sectionLabel(info: RuleInfo): string {
  const c = cite(info.doc, { version: MAINLINE });
  return c.entry ? `${c.section} › ${c.entry}` : c.section;
}

/** A plain-text table: id, severity, kernel range, fix, section. */
export function renderRuleList(infos: readonly RuleInfo[]): string {
  const rows = infos.map((i) => [i.id, i.severity, kernelRange(i), i.fixable ? 'fix' : '', sectionLabel(i)]);
  const head = ['rule', 'severity', 'kernels', 'fix', 'section'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  for (const i of infos) out.push('', `${i.id}: ${i.description}`, `  ${i.helpUri}`);
  return out.join('\n') + '\n';
}

/** The README's rule table (Markdown); a test keeps README.md in sync with the catalog. */
export function renderRulesMarkdown(infos: readonly RuleInfo[]): string {
  const rows = infos.map(
    (i) => `| \`${i.id}\` | ${i.severity} | ${kernelRange(i)} | ${i.fixable ? 'yes' : ''} | [${sectionLabel(i)}](${i.helpUri}) | ${i.description.replace(/\|/g, '\\|')} |`,
  );
  return ['| rule | severity | kernels | fix | section | what it flags |', '|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
