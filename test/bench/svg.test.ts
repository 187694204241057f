// Benchmark tests: the log–log SVG plot — scales, ticks, labels, legend, well-formed and compact markup.

import { describe, expect, it } from 'vitest';
import { decadeRange, escapeXml, formatBytes, logScale, logTicks, renderLogLogSvg, type LogLogPlot } from '../../bench/svg.js';

/** Checks that every element opened is closed in order (enough for the markup this module writes). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-z]+)\b[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

const plot = (over: Partial<LogLogPlot> = {}): LogLogPlot => ({
  title: 'Time <per> patch & size',
  xLabel: 'size',
  yLabel: 'ms',
  formatX: formatBytes,
  series: [
    { label: 'ours', color: '#123456', style: 'dots', points: [{ x: 150, y: 2 }, { x: 4000, y: 9 }, { x: 4001, y: 9 }, { x: 0, y: 1 }, { x: 10, y: -1 }] },
    { label: 'floor', color: '#654321', style: 'line', points: [{ x: 150, y: 0.5 }, { x: 4000, y: 1 }] },
  ],
  ...over,
});

describe('log axes', () => {
  it('decadeRange encloses the positive values in powers of ten', () => {
    expect(decadeRange([150, 4000])).toEqual([2, 4]);
    expect(decadeRange([0.02, 0, -3, 7])).toEqual([-2, 1]);
    expect(decadeRange([100])).toEqual([2, 3]);
    expect(decadeRange([])).toEqual([0, 1]);
  });

  it('logScale maps powers of ten to the ends and the middle decade to the middle', () => {
    const s = logScale(0, 2, 100, 300);
    expect(s(1)).toBe(100);
    expect(s(10)).toBe(200);
    expect(s(100)).toBe(300);
    // A y axis runs upwards: larger values get smaller coordinates.
    expect(logScale(0, 1, 400, 0)(10)).toBe(0);
  });

  it('logTicks gives each power of ten as major and 2…9 times it as minor', () => {
    const ticks = logTicks(-1, 0);
    expect(ticks.filter((t) => t.major).map((t) => t.value)).toEqual([0.1, 1]);
    expect(ticks.filter((t) => !t.major).map((t) => t.value)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  });

  it('formatBytes uses decimal units', () => {
    expect([100, 1000, 10_000, 1e6, 2.5e6].map(formatBytes)).toEqual(['100 B', '1 kB', '10 kB', '1 MB', '2.5 MB']);
  });
});

describe('renderLogLogSvg', () => {
  const svg = renderLogLogSvg(plot());

  it('is one well-formed svg element with its size', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="720" height="440" viewBox="0 0 720 440"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(balanced(svg)).toBe(true);
  });

  it('escapes text', () => {
    expect(svg).toContain('Time &lt;per&gt; patch &amp; size');
    expect(escapeXml('"a" < b')).toBe('&quot;a&quot; &lt; b');
  });

  it('labels the decades with the formatter, and both axes', () => {
    for (const label of ['100 B', '1 kB', '10 kB', '>size<', '>ms<']) expect(svg).toContain(label);
    // y from 0.1 (the floor line) to 10.
    for (const label of ['>0.1<', '>1<', '>10<']) expect(svg).toContain(label);
  });

  it('draws each visible dot once, on whole pixels, and leaves out what a log axis cannot show', () => {
    const dots = /<path d="([^"]*)" stroke="#123456"/.exec(svg)?.[1] ?? '';
    const marks = dots.match(/M\d+ \d+h0/g) ?? [];
    // 4000 and 4001 fall on the same pixel; x = 0 and y < 0 are dropped.
    expect(marks).toHaveLength(2);
    expect(dots.replace(/M\d+ \d+h0/g, '')).toBe('');
  });

  it('draws line series as a polyline and lists every series in the legend', () => {
    expect(svg).toMatch(/<polyline points="\d+,\d+ \d+,\d+" stroke="#654321"/);
    expect(svg).toContain('>ours</text>');
    expect(svg).toContain('>floor</text>');
  });

  it('still renders axes for an empty plot', () => {
    const empty = renderLogLogSvg(plot({ series: [] }));
    expect(balanced(empty)).toBe(true);
    expect(empty).toContain('>size<');
  });

  it('stays small for many points', () => {
    const points = Array.from({ length: 3000 }, (_, i) => ({ x: 100 + i * 37, y: 0.5 + (i % 97) / 10 }));
    const big = renderLogLogSvg(plot({ series: [{ label: 'many', color: '#000', style: 'dots', points }] }));
    expect(big.length).toBeLessThan(3000 * 14);
  });
});
