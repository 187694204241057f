// Pipeline: the closing table of a whole-tree audit — findings per rule, files, throughput.

import type { AuditResult } from './audit.js';
import type { RunResult } from './result.js';

/** A plain-text table: one row per rule that fired (and every rule that ran, with zeros), then totals. */
export function renderAuditSummary(results: readonly AuditResult[], run: RunResult): string {
  const counts = new Map<string, { error: number; warning: number; info: number }>();
  for (const r of run.rules) counts.set(r.id, { error: 0, warning: 0, info: 0 });
  for (const review of run.reviews) {
    for (const f of review.findings) {
      const c = counts.get(f.ruleId) ?? { error: 0, warning: 0, info: 0 };
      c[f.severity]++;
      counts.set(f.ruleId, c);
    }
  }
  const rows = [...counts].map(([id, c]) => [id, String(c.error), String(c.warning), String(c.info)]);
  const head = ['rule', 'errors', 'warnings', 'infos'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const files = results.reduce((n, r) => n + r.files, 0);
  const bytes = results.reduce((n, r) => n + r.bytes, 0);
  const ms = results.reduce((n, r) => n + r.ms, 0);
  const withFindings = run.reviews.filter((r) => r.findings.length > 0).length;
  return [
    line(head),
    ...rows.map(line),
    '',
    `${files} files (${(bytes / 1e6).toFixed(1)} MB) in ${(ms / 1000).toFixed(1)} s: ${(files / Math.max(ms / 1000, 0.001)).toFixed(0)} files/s, ` +
      `${(bytes / 1e6 / Math.max(ms / 1000, 0.001)).toFixed(2)} MB/s; ${withFindings} files with findings`,
    '',
  ].join('\n');
}
