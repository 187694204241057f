// Ingest stage tests: where a diff starts and ends inside a message body, and what the commit message is.

import { describe, expect, it } from 'vitest';

import { findDiffEnd, findDiffStart, splitPatchText } from '../../src/ingest/patch-text.js';

const HUNK = [
  'diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c',
  'index 1111111..2222222 100644',
  '--- a/drivers/net/ethernet/acme/acme_main.c',
  '+++ b/drivers/net/ethernet/acme/acme_main.c',
  '@@ -10,3 +10,3 @@ static void acme_remove(struct pci_dev *pdev)',
  ' \tstruct net_device *ndev = pci_get_drvdata(pdev);',
  '-\tfree_netdev(ndev);',
  '+\tunregister_netdev(ndev);',
  ' }',
];

describe('findDiffStart', () => {
  it('finds diff --git, Index:+===, and ---/+++/@@ openings', () => {
    expect(findDiffStart(['msg', '', ...HUNK])).toBe(2);
    expect(findDiffStart(['Index: a/x.c', '='.repeat(67), '--- a/x.c', '+++ b/x.c', '@@ -1 +1 @@'])).toBe(0);
    expect(findDiffStart(['text', '--- a/x.c', '+++ b/x.c', '@@ -1 +1 @@', '-a', '+b'])).toBe(1);
  });

  it('takes diff -urN output only with its --- line', () => {
    expect(findDiffStart(['diff -urN a/x.c b/x.c', '--- a/x.c\t2024-01-01', '+++ b/x.c\t2024-01-02', '@@ -1 +1 @@'])).toBe(0);
    expect(findDiffStart(['diff -u shows the change better', 'than a plain diff does.'])).toBe(-1);
  });

  it('ignores a --- separator, quoted diffs and a ---/+++ pair without a hunk', () => {
    expect(findDiffStart(['---', ' x.c | 2 +-', '> diff --git a/x.c b/x.c', '--- not', '+++ a hunk'])).toBe(-1);
  });
});

describe('findDiffEnd', () => {
  it('stops after the last counted hunk line, before the signature', () => {
    const lines = [...HUNK, '-- ', '2.43.0', ''];
    expect(findDiffEnd(lines, 0)).toBe(HUNK.length);
  });

  it('stops at b4\'s --- before base-commit:', () => {
    const lines = [...HUNK, '', '---', 'base-commit: 1234567', 'change-id: 20250101-x', '', 'Best regards,', '-- ', ' ~ Dana'];
    expect(findDiffEnd(lines, 0)).toBe(HUNK.length);
  });

  it('keeps a hunk line that the header did not count, and ends at the signature', () => {
    const lines = [...HUNK, '+\tfree_netdev(ndev);', '-- ', '2.43.0'];
    expect(findDiffEnd(lines, 0)).toBe(HUNK.length + 1);
  });

  it('passes a cut-off hunk on to the end of the body', () => {
    const lines = HUNK.slice(0, 7);
    expect(findDiffEnd(lines, 0)).toBe(7);
  });

  it('reads "-- " as the signature when a short hunk swallowed it', () => {
    const lines = [...HUNK.slice(0, 4), '@@ -10,5 +10,5 @@', ' a', '-b', '+c', '-- ', '2.43.0', ''];
    expect(findDiffEnd(lines, 0)).toBe(8);
  });

  it('keeps going past a mangled hunk header when more hunks follow', () => {
    const lines = [...HUNK, 'a@@ -40,3 +40,3 @@', ' x', '-y', '+z', '@@ -60,1 +60,1 @@', '-p', '+q', '-- ', '2.43.0'];
    expect(findDiffEnd(lines, 0)).toBe(lines.length - 2);
  });

  it('keeps a file header a mailer wrapped', () => {
    const lines = ['diff --git a/drivers/net/x.c ', 'b/drivers/net/x.c', 'index 1..2 100644', '--- a/drivers/net/x.c', '+++ b/drivers/net/x.c', '@@ -1 +1 @@', '-a', '+b'];
    expect(findDiffEnd(lines, 0)).toBe(lines.length);
  });

  it('counts a blank line inside a hunk as context whose space was stripped', () => {
    const lines = [...HUNK.slice(0, 4), '@@ -1,3 +1,3 @@', ' a', '', '-b', '+c', 'Thanks,', 'Dana'];
    expect(findDiffEnd(lines, 0)).toBe(9);
  });

  it('keeps a counted blank context line at the end of the last hunk', () => {
    const lines = [...HUNK.slice(0, 4), '@@ -1,3 +1,3 @@', '-a', '+b', ' c', '', '', '-- ', '2.43.0'];
    expect(findDiffEnd(lines, 0)).toBe(9);
  });

  it('reads a GIT binary patch block as part of the diff', () => {
    const lines = [
      'diff --git a/fw.bin b/fw.bin',
      'new file mode 100644',
      'index 0000000..1234567',
      'GIT binary patch',
      'literal 12',
      'zcmZ?wbhEHbWMp7uU}9hZ',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
      '-- ',
      '2.43.0',
    ];
    expect(findDiffEnd(lines, 0)).toBe(9);
  });
});

describe('splitPatchText', () => {
  it('splits message, notes and diff, and lets in-body From: name the author', () => {
    const text = splitPatchText([
      'From: Lee Okafor <lee.okafor@example.com>',
      '',
      'acme_remove() frees the netdev too early.',
      '',
      'Signed-off-by: Lee Okafor <lee.okafor@example.com>',
      '---',
      'v2: reword',
      '',
      ...HUNK,
      '-- ',
      '2.43.0',
    ]);
    expect(text.inBody).toEqual({ from: 'Lee Okafor <lee.okafor@example.com>' });
    expect(text.description).toBe('acme_remove() frees the netdev too early.\n\nSigned-off-by: Lee Okafor <lee.okafor@example.com>');
    expect(text.diffStart).toBe(8);
    expect(text.diff).toBe(`${HUNK.join('\n')}\n`);
    expect(text.otherText).toContain('v2: reword');
    expect(text.otherText).not.toContain('free_netdev');
  });

  it('reads a message fenced in --- lines (OpenWrt/quilt headers)', () => {
    const text = splitPatchText(['---', '[v2] net: acme: title', '', 'Body.', '---', 'v2: notes', '---', '', ...HUNK]);
    expect(text.description).toBe('[v2] net: acme: title\n\nBody.');
  });

  it('gives an empty message when the body opens with the diffstat separator', () => {
    const text = splitPatchText(['---', ' x.c | 2 +-', '', ...HUNK]);
    expect(text.description).toBe('');
    expect(text.diffStart).toBe(3);
  });

  it('marks quoted diff lines and finds no diff in them', () => {
    const text = splitPatchText(['On Mon, Dana wrote:', '> @@ -10,3 +10,3 @@', '> -\tfree_netdev(ndev);', '', 'Why?']);
    expect(text.quotesDiff).toBe(true);
    expect(text.diffStart).toBe(-1);
    expect(text.diff).toBe('');
  });
});
