// Ingest stage tests: which lines separate mbox messages, and the spans between them.

import { describe, expect, it } from 'vitest';

import { isFromLine, splitMbox } from '../../src/ingest/mbox-split.js';
import { RawText } from '../../src/ingest/raw-text.js';

describe('isFromLine', () => {
  it.each([
    'From 3f1c2a9d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c Mon Sep 17 00:00:00 2001',
    'From mkl@pengutronix.de Thu Jan 15 09:06:25 2026',
    'From - Thu Jan  1 09:06:25 2026',
    'From dana@example.org Wed Feb 12 14:00 2025',
    'From dana@example.org Wed, Feb 12 14:00:00 +0100 2025',
  ])('accepts %s', (line) => {
    expect(isFromLine(line)).toBe(true);
  });

  it.each([
    'From v1[0]:',
    'From the datasheet, at 10:30 in 2019 the chip resets',
    'From: Dana Ruiz <dana.ruiz@example.org>',
    '>From mkl@pengutronix.de Thu Jan 15 09:06:25 2026',
    'from mkl@pengutronix.de Thu Jan 15 09:06:25 2026',
  ])('rejects %s', (line) => {
    expect(isFromLine(line)).toBe(false);
  });
});

describe('splitMbox', () => {
  const sep = 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001';

  it('cuts at each From_ line and keeps text before the first one as its own span', () => {
    const raw = new RawText(Buffer.from(['preamble', sep, 'Subject: a', '', 'body', sep, 'Subject: b', '', 'From the start', ''].join('\n')));
    expect(splitMbox(raw)).toEqual([
      { start: 0, end: 1, hasSeparator: false },
      { start: 1, end: 5, hasSeparator: true },
      { start: 5, end: 9, hasSeparator: true },
    ]);
  });

  it('drops blank spans and empty messages', () => {
    const raw = new RawText(Buffer.from(['', '  ', sep, '', sep, 'Subject: b', '', 'x'].join('\n')));
    expect(splitMbox(raw)).toEqual([{ start: 4, end: 8, hasSeparator: true }]);
  });

  it('reads a single mail as one span without a separator', () => {
    const raw = new RawText(Buffer.from('Subject: a\r\n\r\nbody\r\n'));
    expect(splitMbox(raw)).toEqual([{ start: 0, end: 3, hasSeparator: false }]);
    expect(raw.line(0)).toBe('Subject: a');
  });
});
