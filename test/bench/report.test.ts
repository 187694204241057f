// Benchmark tests: the performance record rendered from a made-up run — tables, skipped parts, memory verdict, plot.

import { describe, expect, it } from 'vitest';
import type { BenchRecord, MemoryRun, Throughput } from '../../bench/record.js';
import { goalSection, memoryVerdict, renderRecord, renderTimeVsSize, timeVsSizePlot } from '../../bench/report.js';

const machine: BenchRecord['machine'] = {
  cpu: 'Test CPU 3000',
  cores: 2,
  ramGB: 8,
  os: 'Linux 6.1 x64',
  node: 'v20.0.0',
  treeSitter: '0.22.4',
  treeSitterC: '0.23.6',
  date: '2025-01-02T03:04:05.678Z',
  commit: 'abc1234',
  load: 0.5,
};

const patches: Throughput = {
  input: '../corpus/patches',
  unit: 'patch',
  files: 4,
  items: 5,
  bytes: 2_000_000,
  findings: 3,
  ms: 1000,
  stages: { ingest: 100, diff: 50, source: 50, parse: 300, analysis: 200, rules: 200, citations: 0, render: 50 },
  peakRssMB: 150,
  floor: { ms: 250, bytes: 1_000_000, units: 6 },
  warmup: 2,
  perItem: [
    { bytes: 500, ms: 1, floorMs: 0.2 },
    { bytes: 5000, ms: 3, floorMs: 1 },
    { bytes: 50_000, ms: 20 },
    { bytes: 500_000, ms: 200, floorMs: 50 },
  ],
};

const audit: Throughput = {
  input: '/linux/drivers/net',
  unit: 'file',
  files: 10,
  items: 10,
  bytes: 5_000_000,
  findings: 7,
  ms: 4000,
  stages: { ingest: 100, diff: 0, source: 0, parse: 1000, analysis: 1500, rules: 1000, citations: 10, render: 90 },
  peakRssMB: 300,
  floor: { ms: 1000, bytes: 5_000_000, units: 10 },
  warmup: 0,
};

function memory(liveHeap: (i: number) => number, code: (i: number) => number = () => 3): MemoryRun {
  const samples = Array.from({ length: 8 }, (_, i) => ({ items: (i + 1) * 500, rssMB: 200 + (i % 2), heapMB: 60 + i, liveHeapMB: liveHeap(i) + code(i), codeMB: code(i) }));
  return { input: '../corpus/patches', cycles: 4, perCycle: 1000, every: 500, ms: 20_000, baseline: { items: 0, rssMB: 100, heapMB: 20, liveHeapMB: 18 }, samples, peakRssMB: 210 };
}

/** The trimmed cells of the table row starting with `first`. */
function row(md: string, first: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith('|') && l.split('|')[1].trim().startsWith(first)) ?? '';
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

const record = (over: Partial<BenchRecord> = {}): BenchRecord => ({
  machine,
  patches,
  audit,
  cli: { command: 'node bin/netdev-review.js check x.patch', ms: [300, 100, 200, 400, 500], statuses: [1, 1, 1, 1, 1] },
  memory: memory(() => 40),
  totalMs: 185_000,
  plot: 'plot.svg',
  ...over,
});

describe('renderRecord', () => {
  const md = renderRecord(record());

  it('names the machine, the software and the run', () => {
    expect(md).toContain('Measured 2025-01-02 03:04:05 UTC at commit `abc1234` on Test CPU 3000, 2 cores, 8.0 GB RAM');
    expect(md).toContain('tree-sitter 0.22.4, tree-sitter-c 0.23.6');
    expect(md).toContain('this run took 3 min 05 s');
  });

  it('gives items/s, MB/s and the ratio to the floor for both inputs', () => {
    expect(row(md, 'patches (pipeline)')).toEqual([
      'patches (pipeline) `../corpus/patches`', '5 patches', '2.0 MB', '1.0 s', '5.0 patches/s', '2.00', '250 ms (6 units, 1.0 MB of C)', '4.00', '150 MB',
    ]);
    const audited = row(md, 'driver tree (audit)');
    expect(audited[4]).toBe('2.5 files/s');
    expect(audited[5]).toBe('1.25');
    expect(audited[7]).toBe('4.00');
  });

  it('breaks the time down by stage with shares, per item, the rest and the total', () => {
    expect(row(md, 'parse')).toEqual(['parse', '300', '30.0 %', '60.000', '1,000', '25.0 %', '100.000']);
    expect(row(md, 'other').slice(0, 3)).toEqual(['other', '50', '5.0 %']);
    expect(row(md, 'total').slice(0, 3)).toEqual(['total', '1,000', '100.0 %']);
  });

  it('gives the cold runs median and p90', () => {
    expect(row(md, '5')).toEqual(['5', '300 ms', '460 ms', '100 ms', '500 ms']);
  });

  it('gives memory first, last, max and calls a level heap flat', () => {
    expect(row(md, 'first')).toEqual(['first', '200.0', '60.0', '43.0', '3.0']);
    expect(row(md, 'last')).toEqual(['last', '201.0', '67.0', '43.0', '3.0']);
    expect(row(md, 'max')).toEqual(['max', '201.0', '67.0', '43.0', '3.0']);
    expect(md).toContain('Verdict: **flat**');
    // 1,000 items a pass, samples every 500: RSS 200, 201 | 200, 201 | …
    expect(md).toContain('Highest per pass over the corpus — RSS: 201.0, 201.0, 201.0, 201.0 MB; live heap: 43.0, 43.0, 43.0, 43.0 MB.');
  });

  it('links the plot', () => {
    expect(md).toContain('](plot.svg)');
  });

  it('says which parts were skipped and why, and has no plot without patches', () => {
    const skipped = renderRecord(record({ patches: { skipped: '/x is absent' }, memory: { skipped: '/x is absent' }, cli: { skipped: 'dist is absent' }, plot: undefined }));
    expect(row(skipped, 'patches (pipeline): skipped')[1]).toBe('/x is absent');
    expect(skipped).toContain('Skipped: dist is absent.');
    expect(skipped).toContain('No plot: the patch run was skipped.');
    expect(skipped).not.toContain('](plot.svg)');
  });
});

describe('goalSection', () => {
  it("puts the run's own numbers against 1.3× the floor", () => {
    const text = goalSection(patches);
    // 1000 ms against a 250 ms floor; ingest+diff+source+parse = 500 ms; 1.3× = 325 ms leaves nothing; the rest is 500 ms.
    expect(text).toContain('4.00×');
    expect(text).toContain('1.3× would be 325 ms');
    expect(text).toContain('already take 500 ms, which would leave 0.00 ms');
    expect(text).toContain('it takes 500 ms (100.000 ms a patch)');
    expect(goalSection({ skipped: 'no corpus' })).toBe('The patch run was skipped.');
    // With the floor's tree freeing measured: said apart, and the ratio with it.
    const withFree = goalSection({ ...patches, floor: { ...patches.floor, freeMs: 250 } });
    expect(withFree).toContain('at most 250 ms more there');
    expect(withFree).toContain('with it the ratio is 2.00×');
  });
});

describe('memoryVerdict', () => {
  it('judges the second half of the run and calls steady growth there growth', () => {
    // Samples every 500 items, 1,000 items a pass: the first sample is in the first pass.
    const v = memoryVerdict(memory((i) => (i < 1 ? 10 : 40 + 5 * i)));
    expect(v.flat).toBe(false);
    expect(v.text.startsWith('**grows**')).toBe(true);
    expect(memoryVerdict(memory((i) => (i < 1 ? 10 : 40))).flat).toBe(true);
  });

  it("leaves V8's compiled code out: a heap that grows only in code is flat", () => {
    expect(memoryVerdict(memory(() => 40, (i) => 3 + 2 * i)).flat).toBe(true);
    expect(memoryVerdict(memory((i) => 40 + 2 * i, () => 3)).flat).toBe(false);
  });
});

describe('time against size plot', () => {
  it('plots every patch, and a floor only for patches with C', () => {
    const plot = timeVsSizePlot(patches.perItem ?? []);
    expect(plot.series[0].points).toHaveLength(4);
    expect(plot.series[1].points).toHaveLength(3);
    expect(plot.series.map((s) => s.label)).toContain('tree-sitter parse only, each patch');
  });

  it('renders to SVG', () => {
    const svg = renderTimeVsSize(patches.perItem ?? []);
    expect(svg).toContain('<svg');
    expect(svg).toContain('patch size');
  });
});
