// Dev stand-in for GitHub: which patch lines a review comment may anchor on, by side and by legacy position.

import { describe, expect, it } from 'vitest';
import { diffHunkFor, hunkLines } from '../../src/dev/hunk-lines.js';

const PATCH = [
  '@@ -1,3 +1,3 @@',
  ' a',
  '-b',
  '+B',
  ' c',
  '@@ -20,2 +20,3 @@ int f(void)',
  ' x',
  '+y',
  ' z',
  '\\ No newline at end of file',
].join('\n');

describe('hunkLines', () => {
  it('numbers each side and counts positions through later hunk headers', () => {
    const lines = hunkLines(PATCH);
    expect([...lines.bySide.RIGHT.keys()]).toEqual([1, 2, 3, 20, 21, 22]);
    expect([...lines.bySide.LEFT.keys()]).toEqual([1, 2, 3, 20, 21]);
    expect(lines.bySide.RIGHT.get(2)).toMatchObject({ position: 3, hunk: 0, text: '+B' });
    expect(lines.bySide.LEFT.get(2)).toMatchObject({ position: 2, text: '-b' });
    // The second header is position 5; its first line is 6.
    expect(lines.byPosition.get(5)?.text).toBe('@@ -20,2 +20,3 @@ int f(void)');
    expect(lines.bySide.RIGHT.get(20)).toMatchObject({ position: 6, hunk: 1 });
    expect(lines.byPosition.get(9)?.text).toBe('\\ No newline at end of file');
    expect([lines.additions, lines.deletions]).toEqual([2, 1]);
  });

  it('has nothing to anchor on without a patch', () => {
    expect(hunkLines(undefined).lines).toEqual([]);
    expect(hunkLines('').bySide.RIGHT.size).toBe(0);
  });
});

describe('diffHunkFor', () => {
  it('cuts the hunk from its header to the commented line', () => {
    const lines = hunkLines(PATCH);
    expect(diffHunkFor(PATCH, lines.bySide.RIGHT.get(21)!)).toBe('@@ -20,2 +20,3 @@ int f(void)\n x\n+y');
    expect(diffHunkFor(PATCH, lines.bySide.LEFT.get(2)!)).toBe('@@ -1,3 +1,3 @@\n a\n-b');
  });
});
