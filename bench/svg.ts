// Benchmark: a small log–log scatter plot as SVG text (dots, trend lines, ticks, labels, legend), no library.

/** A point in data units. */
export interface Point {
  x: number;
  y: number;
}

/** One series: a cloud of dots, or a line joining its points in order. */
export interface Series {
  label: string;
  /** Any SVG color. */
  color: string;
  style: 'dots' | 'line';
  points: readonly Point[];
}

/** A log–log plot. Points with x ≤ 0 or y ≤ 0 cannot be drawn and are left out. */
export interface LogLogPlot {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  width?: number;
  height?: number;
  /** Tick label of a value on each axis (default: the plain number). */
  formatX?: (value: number) => string;
  formatY?: (value: number) => string;
}

const MARGIN = { left: 64, right: 16, top: 34, bottom: 46 };

/**
 * Powers of ten that enclose the positive values: [lo, hi] with 10^lo ≤ every value ≤ 10^hi and
 * hi > lo. [0, 1] when there is no positive value.
 */
export function decadeRange(values: readonly number[]): [number, number] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return [0, 1];
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  return [lo, hi > lo ? hi : lo + 1];
}

/** Maps a value to a pixel coordinate: 10^lo to `from`, 10^hi to `to`, logarithmic in between. */
export function logScale(lo: number, hi: number, from: number, to: number): (value: number) => number {
  return (value) => from + ((Math.log10(value) - lo) / (hi - lo)) * (to - from);
}

/** A tick value: its place on the axis and whether it is a power of ten (labelled, gridded). */
export interface Tick {
  value: number;
  major: boolean;
}

/** Ticks of a log axis from 10^lo to 10^hi: each power of ten, and 2…9 times it in between. */
export function logTicks(lo: number, hi: number): Tick[] {
  const ticks: Tick[] = [];
  for (let e = lo; e <= hi; e++) {
    const decade = 10 ** e;
    ticks.push({ value: clean(decade), major: true });
    if (e < hi) for (let m = 2; m <= 9; m++) ticks.push({ value: clean(m * decade), major: false });
  }
  return ticks;
}

/** A byte count as a short label: 500 B, 1 kB, 10 kB, 1 MB (decimal units). */
export function formatBytes(value: number): string {
  if (value >= 1e6) return `${clean(value / 1e6)} MB`;
  if (value >= 1e3) return `${clean(value / 1e3)} kB`;
  return `${clean(value)} B`;
}

/** Escapes text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders the plot as a standalone SVG document (whole-pixel coordinates, one path per dot series). */
export function renderLogLogSvg(plot: LogLogPlot): string {
  const width = plot.width ?? 720;
  const height = plot.height ?? 440;
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const drawable = plot.series.map((s) => ({ ...s, points: s.points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y)) }));
  const all = drawable.flatMap((s) => s.points);
  const [xlo, xhi] = decadeRange(all.map((p) => p.x));
  const [ylo, yhi] = decadeRange(all.map((p) => p.y));
  const sx = logScale(xlo, xhi, left, right);
  const sy = logScale(ylo, yhi, bottom, top);
  const fx = plot.formatX ?? ((v: number) => String(v));
  const fy = plot.formatY ?? ((v: number) => String(v));
  const r = Math.round;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${r(width / 2)}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(plot.title)}</text>`,
  );

  // Grid and ticks: a grid line at each power of ten, short ticks at the multiples in between.
  const grid: string[] = [];
  const ticks: string[] = [];
  const labels: string[] = [];
  for (const t of logTicks(xlo, xhi)) {
    const x = r(sx(t.value));
    if (t.major) {
      grid.push(`M${x} ${top}V${bottom}`);
      labels.push(`<text x="${x}" y="${bottom + 16}" text-anchor="middle">${escapeXml(fx(t.value))}</text>`);
    }
    ticks.push(`M${x} ${bottom}v${t.major ? 6 : 3}`);
  }
  for (const t of logTicks(ylo, yhi)) {
    const y = r(sy(t.value));
    if (t.major) {
      grid.push(`M${left} ${y}H${right}`);
      labels.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${escapeXml(fy(t.value))}</text>`);
    }
    ticks.push(`M${left} ${y}h${t.major ? -6 : -3}`);
  }
  out.push(`<path d="${grid.join('')}" stroke="#e3e3e3" fill="none"/>`);
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#888"/>`);
  out.push(`<path d="${ticks.join('')}" stroke="#888" fill="none"/>`, ...labels);
  out.push(
    `<text x="${r((left + right) / 2)}" y="${height - 10}" text-anchor="middle">${escapeXml(plot.xLabel)}</text>`,
    `<text transform="translate(16 ${r((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(plot.yLabel)}</text>`,
  );

  // Data: dots first (all series), lines over them.
  for (const s of drawable.filter((d) => d.style === 'dots')) {
    const seen = new Set<string>();
    const d: string[] = [];
    for (const p of s.points) {
      const key = `M${r(sx(p.x))} ${r(sy(p.y))}`;
      if (seen.has(key)) continue;
      seen.add(key);
      d.push(`${key}h0`);
    }
    out.push(`<path d="${d.join('')}" stroke="${escapeXml(s.color)}" stroke-width="3" stroke-linecap="round" stroke-opacity="0.45" fill="none"/>`);
  }
  for (const s of drawable.filter((d) => d.style === 'line')) {
    const pts = s.points.map((p) => `${r(sx(p.x))},${r(sy(p.y))}`).join(' ');
    out.push(`<polyline points="${pts}" stroke="${escapeXml(s.color)}" stroke-width="2.5" fill="none" stroke-linejoin="round"/>`);
  }

  // Legend, top left inside the plot area.
  const rowHeight = 18;
  const legendWidth = 34 + Math.max(0, ...plot.series.map((s) => s.label.length)) * 6.6;
  const lx = left + 10;
  const ly = top + 10;
  out.push(`<rect x="${lx}" y="${ly}" width="${r(legendWidth)}" height="${plot.series.length * rowHeight + 8}" fill="#fff" fill-opacity="0.9" stroke="#bbb"/>`);
  plot.series.forEach((s, i) => {
    const cy = ly + 4 + rowHeight * i + rowHeight / 2;
    const color = escapeXml(s.color);
    out.push(
      s.style === 'dots'
        ? `<circle cx="${lx + 14}" cy="${cy}" r="3" fill="${color}" fill-opacity="0.7"/>`
        : `<path d="M${lx + 6} ${cy}h16" stroke="${color}" stroke-width="2.5"/>`,
      `<text x="${lx + 28}" y="${cy + 4}">${escapeXml(s.label)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** Removes floating-point noise from a tick value (3 × 0.1 → 0.3). */
function clean(value: number): number {
  return Number(value.toPrecision(6));
}
