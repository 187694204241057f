// Benchmark: markdown tables and number formats for the performance record.

/** Column alignment: left (text) or right (numbers). */
export type Align = 'left' | 'right';

/**
 * A GitHub-flavoured markdown table. Cells are padded to their column's width so the source reads
 * as a table too; `|` in a cell is escaped and line breaks become spaces. Missing cells are empty.
 */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const cell = (s: string | undefined) => (s ?? '').replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const body = rows.map((r) => head.map((_, i) => cell(r[i])));
  const heads = head.map((h) => cell(h));
  const widths = heads.map((h, i) => Math.max(3, h.length, ...body.map((r) => r[i].length)));
  const pad = (s: string, i: number) => (align[i] === 'right' ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(heads), rule, ...body.map(line)].join('\n') + '\n';
}

/** A number with `digits` decimals and thousands separated by commas (1234.5 → "1,234.5"); "–" for NaN. */
export function num(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A share of a total as a percentage with one decimal ("12.5 %"); "–" when the total is 0. */
export function percent(part: number, total: number): string {
  return total > 0 ? `${num((100 * part) / total, 1)} %` : '–';
}

/** Milliseconds in a readable unit: "850 ms", "12.3 s", "2 min 05 s". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${num(ms, ms < 10 ? 2 : 0)} ms`;
  if (ms < 120_000) return `${num(ms / 1000, 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
