// Benchmark tests: percentiles, summaries, fitted lines, growth verdicts and binned medians on small made-up data.

import { describe, expect, it } from 'vitest';
import { fitLine, growth, logBinMedians, median, percentile, summarize } from '../../bench/stats.js';

describe('percentile', () => {
  it('interpolates between the nearest ranks', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1);
    expect(percentile([10, 20, 30], 0)).toBe(10);
    expect(percentile([10, 20, 30], 100)).toBe(30);
  });

  it('is the value itself for one value, NaN for none, and clamps p', () => {
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(percentile([1, 2], 150)).toBe(2);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('summarize', () => {
  it('gives count, extremes, mean, median and p90', () => {
    expect(summarize([5, 1, 9, 3, 7])).toEqual({ n: 5, min: 1, max: 9, mean: 5, median: 5, p90: 8.2 });
  });

  it('is NaN but for n on an empty list', () => {
    const s = summarize([]);
    expect(s.n).toBe(0);
    expect(s.median).toBeNaN();
    expect(s.max).toBeNaN();
  });
});

describe('fitLine', () => {
  it('finds the line through points on a line', () => {
    const line = fitLine([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 1 })));
    expect(line.slope).toBeCloseTo(2);
    expect(line.intercept).toBeCloseTo(1);
  });

  it('is flat through the mean when x does not vary', () => {
    expect(fitLine([{ x: 1, y: 2 }, { x: 1, y: 4 }])).toEqual({ slope: 0, intercept: 3 });
  });
});

describe('growth', () => {
  const tolerance = { absolute: 4, relative: 0.05 };
  const run = (values: number[]) => values.map((value, i) => ({ items: (i + 1) * 500, value }));

  it('calls a sawtooth around a level flat, ignoring the warm-up before fromItem', () => {
    const g = growth(run([50, 90, 100, 101, 99, 100, 102, 99, 100]), 1500, tolerance);
    expect(g?.grows).toBe(false);
    expect(g?.from).toBe(100);
    expect(g?.to).toBe(100);
  });

  it('calls a steady climb growth, with its rate per 1,000 items', () => {
    const g = growth(run([100, 102, 104, 106, 108, 110, 112, 114]), 500, tolerance);
    expect(g?.grows).toBe(true);
    expect(g?.perThousand).toBeCloseTo(4);
    expect(g?.total).toBeCloseTo(14);
  });

  it('tolerates the larger of the absolute and relative bounds', () => {
    // +6 over the run: above 4 MB, under 5 % of 200.
    expect(growth(run([200, 202, 204, 206]), 0, tolerance)?.grows).toBe(false);
  });

  it('needs two samples', () => {
    expect(growth(run([1, 2]), 1000, tolerance)).toBeUndefined();
  });
});

describe('logBinMedians', () => {
  it('takes the median x and y of each logarithmic bin, in order', () => {
    const points = [
      { x: 1000, y: 5 },
      { x: 2000, y: 1 },
      { x: 3000, y: 3 },
      { x: 20, y: 9 },
      { x: 30, y: 7 },
    ];
    expect(logBinMedians(points, 1)).toEqual([
      { x: 25, y: 8, n: 2 },
      { x: 2000, y: 3, n: 3 },
    ]);
  });

  it('drops thin bins and points it cannot place', () => {
    const points = [{ x: 0, y: 1 }, { x: -5, y: 1 }, { x: 10, y: 1 }, { x: 11, y: 2 }, { x: 500, y: 3 }];
    expect(logBinMedians(points, 1, 2)).toEqual([{ x: 10.5, y: 1.5, n: 2 }]);
  });
});
