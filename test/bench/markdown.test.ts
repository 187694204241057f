// Benchmark tests: markdown tables and number formats of the performance record.

import { describe, expect, it } from 'vitest';
import { duration, markdownTable, num, percent } from '../../bench/markdown.js';

describe('markdownTable', () => {
  it('pads columns and marks right-aligned ones', () => {
    expect(markdownTable(['stage', 'ms'], [['parse', '1,234'], ['rules', '5']], ['left', 'right'])).toBe(
      ['| stage |    ms |', '|-------|------:|', '| parse | 1,234 |', '| rules |     5 |', ''].join('\n'),
    );
  });

  it('escapes pipes, flattens line breaks and fills missing cells', () => {
    const t = markdownTable(['a', 'b'], [['x|y\nz']]);
    expect(t.split('\n')[2]).toBe('| x\\|y z |     |');
  });

  it('renders a header alone when there are no rows', () => {
    expect(markdownTable(['a'], [])).toBe('| a   |\n|-----|\n');
  });
});

describe('number formats', () => {
  it('num separates thousands and fixes decimals', () => {
    expect(num(1234.567, 1)).toBe('1,234.6');
    expect(num(0.5)).toBe('1');
    expect(num(NaN)).toBe('–');
  });

  it('percent of a total', () => {
    expect(percent(1, 8)).toBe('12.5 %');
    expect(percent(1, 0)).toBe('–');
  });

  it('duration picks ms, s or min', () => {
    expect(duration(3.14159)).toBe('3.14 ms');
    expect(duration(850)).toBe('850 ms');
    expect(duration(12_345)).toBe('12.3 s');
    expect(duration(185_000)).toBe('3 min 05 s');
  });
});
