// GitHub way in tests: the lines of a pull request file GitHub takes review comments on, from its `patch`.

import { describe, expect, it } from 'vitest';
import { commentableFiles, commentableLines, isCommentable, sameHunk } from '../../src/github/commentable.js';
import { FOO, FOO_PATCH, OPENWRT, OPENWRT_PATCH } from './fixtures.js';

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('commentableLines on a C file with three hunks', () => {
  const lines = commentableLines(FOO_PATCH);

  it('RIGHT: context and added lines of every hunk, in new-file numbers', () => {
    expect([...lines.right.keys()]).toEqual([...range(210, 217), ...range(412, 417), ...range(532, 535)]);
  });

  it('LEFT: context and removed lines, in old-file numbers', () => {
    expect([...lines.left.keys()]).toEqual([...range(210, 215), ...range(410, 415), ...range(530, 532)]);
  });

  it('numbers the hunks in patch order', () => {
    expect(lines.hunks).toBe(3);
    expect([213, 415, 535].map((l) => lines.right.get(l))).toEqual([0, 1, 2]);
  });

  it('does not count "\\ No newline at end of file" as a line', () => {
    // The last hunk replaces a last line without newline with two lines (the last again without one).
    expect(isCommentable(FOO_PATCH, 535)).toBe(true);
    expect(isCommentable(FOO_PATCH, 536)).toBe(false);
    expect(isCommentable(FOO_PATCH, 532, 'LEFT')).toBe(true);
    expect(isCommentable(FOO_PATCH, 533, 'LEFT')).toBe(false);
  });
});

describe('isCommentable', () => {
  it('is true inside hunks and false between and around them', () => {
    expect(isCommentable(FOO_PATCH, 213)).toBe(true); // added
    expect(isCommentable(FOO_PATCH, 210)).toBe(true); // context, first line of the hunk
    expect(isCommentable(FOO_PATCH, 209)).toBe(false);
    expect(isCommentable(FOO_PATCH, 218)).toBe(false);
    expect(isCommentable(FOO_PATCH, 300)).toBe(false);
    expect(isCommentable(FOO_PATCH, 411)).toBe(false);
  });

  it('reads the LEFT side with old-file numbers: a removed line is there, not on the RIGHT', () => {
    // free_netdev(ndev) was old line 413; kfree(ndev) is new line 415.
    expect(isCommentable(FOO_PATCH, 413, 'LEFT')).toBe(true);
    expect(isCommentable(FOO_PATCH, 416, 'LEFT')).toBe(false);
    expect(isCommentable(FOO_PATCH, 417, 'RIGHT')).toBe(true);
  });

  it('has nothing commentable without a patch (binary file, or a diff GitHub would not show)', () => {
    expect(isCommentable(undefined, 1)).toBe(false);
    expect(isCommentable(undefined, 1, 'LEFT')).toBe(false);
    expect(isCommentable('', 1)).toBe(false);
    expect(commentableLines(undefined)).toEqual({ right: new Map(), left: new Map(), hunks: 0 });
  });

  it('answers for whichever patch it is given, one after another', () => {
    expect(isCommentable(OPENWRT_PATCH, 18)).toBe(true);
    expect(isCommentable(FOO_PATCH, 18)).toBe(false);
    expect(isCommentable(OPENWRT_PATCH, 18)).toBe(true);
  });
});

describe('a kernel patch carried as a file (OpenWrt)', () => {
  it('a new .patch file: every line is commentable on the RIGHT, its mail signature included', () => {
    const lines = commentableLines(OPENWRT_PATCH);
    expect([...lines.right.keys()]).toEqual(range(1, 22));
    expect(lines.left.size).toBe(0);
  });

  it('a refresh that removes a `-` line at the end of a hunk keeps it on the LEFT (a mail reader takes `--` for a signature)', () => {
    const refresh = [
      '@@ -18,8 +18,7 @@ Subject: [PATCH] net: foo: free the netdev after unregister',
      ' @@ -410,7 +410,6 @@ static void foo_remove(struct pci_dev *pdev)',
      '  	struct net_device *ndev = pci_get_drvdata(pdev);',
      '  ',
      '  	unregister_netdev(ndev);',
      ' -	free_netdev(ndev);',
      ' +	kfree(ndev);',
      '  	pci_disable_device(pdev);',
      '--',
    ].join('\n');
    const lines = commentableLines(refresh);
    expect([...lines.left.keys()]).toEqual(range(18, 25));
    expect([...lines.right.keys()]).toEqual(range(18, 24));
  });
});

describe('damaged patches', () => {
  it('a hunk cut short keeps what was read and nothing more', () => {
    const cut = '@@ -10,8 +10,9 @@ static int foo_open(struct net_device *dev)\n \tint err;\n+\tnapi_enable(&priv->napi);\n \terr = foo_hw_start(priv);';
    const lines = commentableLines(cut);
    expect([...lines.right.keys()]).toEqual([10, 11, 12]);
    expect([...lines.left.keys()]).toEqual([10, 11]);
  });

  it('a hunk cut short does not swallow the next hunk', () => {
    const cut = '@@ -10,8 +10,8 @@\n \ta;\n-\tb;\n+\tc;\n@@ -40,2 +40,2 @@\n \td;\n \te;';
    const lines = commentableLines(cut);
    expect([...lines.right.keys()]).toEqual([10, 11, 40, 41]);
    expect(lines.hunks).toBe(2);
    expect(sameHunk(cut, 10, 40)).toBe(false);
  });

  it('reads CRLF patches and a context line whose space was trimmed', () => {
    const crlf = '@@ -1,3 +1,4 @@\r\n a\r\n\r\n+b\r\n c';
    expect([...commentableLines(crlf).right.keys()]).toEqual([1, 2, 3, 4]);
  });

  it('reads a header without counts as one line', () => {
    expect([...commentableLines('@@ -5 +5 @@\n-old\n+new').right.keys()]).toEqual([5]);
  });
});

describe('sameHunk', () => {
  it('is true for a range inside one hunk', () => {
    expect(sameHunk(FOO_PATCH, 213, 214)).toBe(true);
    expect(sameHunk(FOO_PATCH, 210, 217)).toBe(true);
    expect(sameHunk(FOO_PATCH, 415, 415)).toBe(true);
  });

  it('is false across hunks, outside them, reversed, or without a patch', () => {
    expect(sameHunk(FOO_PATCH, 216, 412)).toBe(false);
    expect(sameHunk(FOO_PATCH, 217, 218)).toBe(false);
    expect(sameHunk(FOO_PATCH, 300, 301)).toBe(false);
    expect(sameHunk(FOO_PATCH, 214, 213)).toBe(false);
    expect(sameHunk(undefined, 1, 2)).toBe(false);
  });

  it('tells apart hunks whose lines are numbered one after the other', () => {
    // Possible with a small context setting (git diff -U0): new lines 3 and 4 are in different hunks.
    const adjacent = '@@ -3 +3 @@\n-a\n+A\n@@ -4 +4 @@\n-b\n+B';
    expect(isCommentable(adjacent, 3) && isCommentable(adjacent, 4)).toBe(true);
    expect(sameHunk(adjacent, 3, 4)).toBe(false);
  });
});

describe('commentableFiles', () => {
  it('answers by path over a pull request file list', () => {
    const files = commentableFiles([
      { filename: FOO, patch: FOO_PATCH },
      { filename: OPENWRT, patch: OPENWRT_PATCH },
      { filename: 'firmware/foo.bin' },
    ]);
    expect(files.isCommentable(FOO, 415)).toBe(true);
    expect(files.isCommentable(OPENWRT, 18)).toBe(true);
    expect(files.isCommentable('firmware/foo.bin', 1)).toBe(false);
    expect(files.isCommentable('not/in/the/pr.c', 1)).toBe(false);
    expect(files.sameHunk(FOO, 213, 214)).toBe(true);
    expect(files.sameHunk(FOO, 216, 412)).toBe(false);
  });
});
