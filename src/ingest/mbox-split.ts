// Ingest stage: splits an mbox (a `git format-patch --stdout` series, a list archive) into messages by line range.
//
// Not `mbox-reader`: measured on this corpus it (1) starts a new message at *any* line
// beginning with "From ", so a commit message line like "From v1[0]:" cuts a patch in two
// (iwl-20231211-idpf-fix-corrupted-frames...), (2) reports no line offsets, which
// `diffStartLine` needs, and (3) is quadratic (`Array.shift()` per line): 72 s for a 17 MB
// mbox. This splitter accepts only real From_ lines (asctime date, as `git mailsplit` and
// mutt expect) and is one linear pass.

import type { RawText } from './raw-text.js';

/** One message of an mbox: lines [start, end) of the input, the From_ line included when there is one. */
export interface MessageSpan {
  start: number;
  end: number;
  /** The span opens with an mbox From_ separator line (skip it before reading headers). */
  hasSeparator: boolean;
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
// `From 1a2b... Mon Sep 17 00:00:00 2001` (git), `From user@host Thu Jan 15 09:06:25 2026`, `From - Thu ...`.
const FROM_LINE = new RegExp(
  `^From \\S+ +${DAY},? +${MONTH} +\\d{1,2} +\\d{1,2}:\\d\\d(?::\\d\\d)? +(?:[A-Z]{3,5} +|[+-]\\d{4} +)?\\d{4}\\b`,
);

/** True for an mbox From_ separator line. */
export function isFromLine(line: string): boolean {
  return line.startsWith('From ') && FROM_LINE.test(line);
}

/**
 * Splits the input at From_ lines. Text before the first From_ line (all of it, for a single
 * mail or a bare diff) is the first span, without a separator; a span of only blank lines is dropped.
 */
export function splitMbox(raw: RawText): MessageSpan[] {
  const spans: MessageSpan[] = [];
  let start = 0;
  let hasSeparator = false;
  const mayHaveSeparators = raw.binary.startsWith('From ') || raw.binary.includes('\nFrom ');
  for (let line = 0; mayHaveSeparators && line < raw.lineCount; line++) {
    if (!raw.lineStartsWith(line, 'From ') || !isFromLine(raw.line(line))) continue;
    if (line > start) pushSpan(raw, spans, { start, end: line, hasSeparator });
    start = line;
    hasSeparator = true;
  }
  pushSpan(raw, spans, { start, end: raw.lineCount, hasSeparator });
  return spans;
}

function pushSpan(raw: RawText, spans: MessageSpan[], span: MessageSpan): void {
  // A span holding nothing but blank lines (after its separator) is no message.
  for (let line = span.hasSeparator ? span.start + 1 : span.start; line < span.end; line++) {
    if (raw.line(line).trim() !== '') {
      spans.push(span);
      return;
    }
  }
}
