// Benchmark: pure statistics for the performance record — percentiles, summaries, trends, binned medians.

/**
 * The p-th percentile (0–100) of `values`, interpolating linearly between the two nearest ranks
 * (the usual "type 7" definition: p50 of [1, 2, 3, 4] is 2.5). NaN for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const clamped = Math.min(100, Math.max(0, p));
  const rank = (clamped / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Count, extremes, mean, median and 90th percentile of a list of measurements. */
export interface Summary {
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p90: number;
}

/** Summarizes `values`; every field but `n` is NaN when the list is empty. */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n, min: NaN, max: NaN, mean: NaN, median: NaN, p90: NaN };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { n, min, max, mean: sum / n, median: median(values), p90: percentile(values, 90) };
}

/** A straight line y = intercept + slope·x. */
export interface Line {
  slope: number;
  intercept: number;
}

/** Least-squares line through the points; slope 0 through the mean when x does not vary. */
export function fitLine(points: readonly { x: number; y: number }[]): Line {
  const n = points.length;
  if (n === 0) return { slope: 0, intercept: NaN };
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** What a series of memory samples did once its working set was warm. */
export interface Growth {
  /** Value at the first sample considered and at the last. */
  from: number;
  to: number;
  /** Fitted growth over the samples considered, in the value's unit per 1,000 items. */
  perThousand: number;
  /** Fitted growth from the first sample considered to the last. */
  total: number;
  /** True when the fitted growth exceeds the tolerance (`absolute`, or `relative` of `from`, whichever is larger). */
  grows: boolean;
}

/**
 * Whether a quantity sampled along a run keeps growing: fits a line to the samples at or after
 * `fromItem` (skip the first pass over the inputs, where caches fill) and compares its rise over
 * that stretch with a tolerance — `absolute` units or `relative` × the first value, whichever is larger.
 */
export function growth(
  samples: readonly { items: number; value: number }[],
  fromItem: number,
  tolerance: { absolute: number; relative: number },
): Growth | undefined {
  const kept = samples.filter((s) => s.items >= fromItem);
  if (kept.length < 2) return undefined;
  const line = fitLine(kept.map((s) => ({ x: s.items, y: s.value })));
  const span = kept[kept.length - 1].items - kept[0].items;
  const total = line.slope * span;
  const from = kept[0].value;
  return {
    from,
    to: kept[kept.length - 1].value,
    perThousand: line.slope * 1000,
    total,
    grows: total > Math.max(tolerance.absolute, tolerance.relative * from),
  };
}

/**
 * Medians of y over logarithmic bins of x (`perDecade` bins per power of ten), for a trend line through
 * a log–log scatter. Each bin gives the median x and median y of its points; bins with fewer than
 * `minPoints` points are dropped. Points with x ≤ 0 are ignored.
 */
export function logBinMedians(
  points: readonly { x: number; y: number }[],
  perDecade: number,
  minPoints = 1,
): { x: number; y: number; n: number }[] {
  const bins = new Map<number, { xs: number[]; ys: number[] }>();
  for (const p of points) {
    if (!(p.x > 0) || !Number.isFinite(p.y)) continue;
    const key = Math.floor(Math.log10(p.x) * perDecade);
    const bin = bins.get(key) ?? { xs: [], ys: [] };
    bin.xs.push(p.x);
    bin.ys.push(p.y);
    bins.set(key, bin);
  }
  return [...bins]
    .sort(([a], [b]) => a - b)
    .filter(([, b]) => b.xs.length >= minPoints)
    .map(([, b]) => ({ x: median(b.xs), y: median(b.ys), n: b.xs.length }));
}
