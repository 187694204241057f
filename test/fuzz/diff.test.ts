// Fuzz: the diff model — parseUnifiedDiff and linesChecked on well-formed, mangled and random text.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiffModel } from '../../src/diff/model.js';
import { linesChecked } from '../../src/diff/lines-checked.js';
import { parseUnifiedDiff } from '../../src/diff/parse.js';
import { mangledDiff, noiseDiff, wellFormedDiff, type GenDiff } from './diff-arbitraries.js';
import { check, TEST_TIMEOUT } from './settings.js';
import { hostileText, longText } from './text-arbitraries.js';

const STATUSES = new Set(['modified', 'added', 'deleted', 'renamed', 'copied', 'binary', 'mode-only']);

/**
 * What holds for any input: every hunk and line points at a line of the text that reads as it, numbers
 * count up one by one from the hunk header, counts never exceed the header's (less only when truncated),
 * and `added` is exactly the post-image numbers of the added lines.
 */
export function expectSaneModel(text: string, model: DiffModel): void {
  const input = text.split('\n').map((l) => l.replace(/\r$/, ''));
  expect(Array.isArray(model.notes)).toBe(true);
  let lastFileLine = 0;
  for (const file of model.files) {
    expect(STATUSES.has(file.status)).toBe(true);
    expect(file.diffLine).toBeGreaterThan(lastFileLine);
    lastFileLine = file.diffLine!;
    const added = new Set<number>();
    let lastLine = file.diffLine! - 1;
    for (const hunk of file.hunks) {
      expect(hunk.diffLine).toBeGreaterThan(lastLine);
      expect(input[hunk.diffLine! - 1]).toMatch(/^@@/);
      lastLine = hunk.diffLine!;
      let oldNext = hunk.oldStart;
      let newNext = hunk.newStart;
      let olds = 0;
      let news = 0;
      for (const line of hunk.lines) {
        expect(line.diffLine).toBeGreaterThan(lastLine);
        lastLine = line.diffLine;
        const source = input[line.diffLine - 1];
        const prefix = line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' ';
        // Context lines a mailer damaged (lone space trimmed, space eaten before a tab) read as context.
        const damaged = line.kind === 'ctx' && source === line.text && (source === '' || source.startsWith('\t'));
        if (!damaged) expect(source).toBe(prefix + line.text);
        if (line.kind !== 'add') {
          expect(line.oldLine).toBe(oldNext++);
          olds++;
        }
        if (line.kind !== 'del') {
          expect(line.newLine).toBe(newNext++);
          news++;
        }
        if (line.kind === 'add') added.add(line.newLine!);
      }
      expect(olds).toBeLessThanOrEqual(hunk.oldLines);
      expect(news).toBeLessThanOrEqual(hunk.newLines);
      expect(hunk.truncated === true).toBe(olds !== hunk.oldLines || news !== hunk.newLines);
      expect(hunk.lines.length).toBeGreaterThan(0);
    }
    expect([...file.added].sort((a, b) => a - b)).toEqual([...added].sort((a, b) => a - b));
    for (const n of [...file.added, ...file.deletedAt]) {
      expect(Number.isSafeInteger(n)).toBe(true);
      expect(n).toBeGreaterThanOrEqual(1);
    }
  }
}

/** A well-formed diff parses to exactly the files, hunks and lines it was generated from. */
function expectModelOf(diff: GenDiff, model: DiffModel): void {
  expect(model.files.map((f) => [f.status, f.oldPath, f.newPath])).toEqual(diff.files.map((f) => [f.status, f.oldPath, f.newPath]));
  diff.files.forEach((gen, i) => {
    const file = model.files[i]!;
    expect(file.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines, h.section, h.truncated ?? false])).toEqual(
      gen.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines, h.section, false]),
    );
    gen.hunks.forEach((h, k) => {
      const lines = file.hunks[k]!.lines;
      expect(lines.map((l) => [l.kind, l.text, l.oldLine, l.newLine])).toEqual(h.lines.map((l) => [l.kind, l.text, l.oldLine, l.newLine]));
      expect(lines.at(-1)?.noNewline ?? false).toBe(h.noNewline);
    });
    const added = gen.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add').map((l) => l.newLine!));
    expect([...file.added].sort((a, b) => a - b)).toEqual(added.sort((a, b) => a - b));
  });
  expect(model.notes).toEqual([]);
}

describe('fuzz: parseUnifiedDiff', () => {
  it('reads a well-formed diff as exactly what it holds', () => {
    check('diff/well-formed', 400, [wellFormedDiff], (diff) => {
      const model = parseUnifiedDiff(diff.text);
      expectModelOf(diff, model);
      expectSaneModel(diff.text, model);
    });
  }, TEST_TIMEOUT);

  it('reads a well-formed diff the same with CRLF line ends, and after a mail signature', () => {
    check('diff/crlf', 150, [wellFormedDiff], (diff) => {
      const crlf = parseUnifiedDiff(diff.text.replace(/\n/g, '\r\n'));
      expectModelOf(diff, { ...crlf, notes: [] });
      const signed = parseUnifiedDiff(`${diff.text}-- \n2.43.0\n\n`);
      expectModelOf(diff, signed);
    });
  }, TEST_TIMEOUT);

  it('keeps a sane model of a mangled diff', () => {
    check('diff/mangled', 600, [mangledDiff], (text) => {
      expectSaneModel(text, parseUnifiedDiff(text));
    });
  }, TEST_TIMEOUT);

  it('keeps a sane model of any text', () => {
    check('diff/noise', 400, [fc.oneof(noiseDiff, hostileText(200), longText(20_000))], (text) => {
      expectSaneModel(text, parseUnifiedDiff(text));
    });
  }, TEST_TIMEOUT);
});

describe('fuzz: linesChecked', () => {
  it('counts at most the diff lines, and every hunk line of a well-formed diff', () => {
    check('diff/lines-checked', 300, [fc.oneof(wellFormedDiff.map((d) => d.text), mangledDiff, noiseDiff)], (text) => {
      const n = linesChecked(text);
      expect(Number.isSafeInteger(n)).toBe(true);
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThanOrEqual(text.split('\n').length);
    });
    check('diff/lines-checked-exact', 200, [wellFormedDiff], (diff) => {
      // checkpatch counts hunk lines up to the last post-image line: a trailing run of removals is not counted.
      const expected = diff.files.reduce(
        (sum, f) =>
          sum +
          f.hunks.reduce((s, h) => {
            let last = h.lines.length;
            while (last > 0 && h.lines[last - 1]!.kind === 'del') last--;
            return s + (h.newLines === 0 ? 0 : last);
          }, 0),
        0,
      );
      expect(linesChecked(diff.text)).toBe(expected);
    });
  }, TEST_TIMEOUT);
});
