// Diff-model stage tests: statuses, paths, line numbers and robustness of parseUnifiedDiff.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DiffLine, DiffModel, FileDiff } from '../../src/diff/model.js';
import { isCFile, parseUnifiedDiff } from '../../src/diff/parse.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/diff/${name}`, import.meta.url), 'utf8');

/** Every DiffLine must point at a line of the input that reads as its prefix plus its text. */
function expectLinesPointIntoText(text: string, model: DiffModel): void {
  const input = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (const file of model.files) {
    for (const hunk of file.hunks) {
      expect(input[hunk.diffLine! - 1]).toMatch(/^@@ /);
      for (const line of hunk.lines) {
        const prefix = line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' ';
        const source = input[line.diffLine - 1];
        // Context lines a mailer damaged (trailing space trimmed, space eaten before a tab) read as context.
        const damaged = line.kind === 'ctx' && source === line.text && (source === '' || source.startsWith('\t'));
        if (!damaged) expect(source).toBe(prefix + line.text);
      }
    }
  }
}

function file(model: DiffModel, path: string): FileDiff {
  const found = model.files.find((f) => (f.newPath ?? f.oldPath) === path);
  if (!found) throw new Error(`no file ${path} in ${model.files.map((f) => f.newPath ?? f.oldPath).join(', ')}`);
  return found;
}

const pick = (l: DiffLine): [string, number | undefined, number | undefined, number] => [l.kind, l.oldLine, l.newLine, l.diffLine];

describe('parseUnifiedDiff on a format-patch mail touching nine files', () => {
  const text = fixture('acme-series.patch');
  const model = parseUnifiedDiff(text);

  it('finds every file with its status and paths, in order', () => {
    expect(model.files.map((f) => [f.status, f.oldPath, f.newPath])).toEqual([
      ['modified', 'drivers/net/ethernet/acme/Kconfig', 'drivers/net/ethernet/acme/Kconfig'],
      ['added', undefined, 'drivers/net/ethernet/acme/acme_ethtool.c'],
      ['renamed', 'drivers/net/ethernet/acme/acme_hw.h', 'drivers/net/ethernet/acme/acme_regs.h'],
      ['deleted', 'drivers/net/ethernet/acme/acme_legacy.h', undefined],
      ['modified', 'drivers/net/ethernet/acme/acme_main.c', 'drivers/net/ethernet/acme/acme_main.c'],
      ['renamed', 'drivers/net/ethernet/acme/acme_phy.c', 'drivers/net/ethernet/acme/acme_mdio.c'],
      ['mode-only', 'scripts/acme-fw.sh', 'scripts/acme-fw.sh'],
      ['binary', 'firmware/acme/acme-fw.bin', 'firmware/acme/acme-fw.bin'],
      ['binary', undefined, 'firmware/acme/acme-cal.bin'],
    ]);
    expect(model.notes).toEqual([]);
  });

  it('numbers old, new and diff lines of a modified file exactly', () => {
    const main = file(model, 'drivers/net/ethernet/acme/acme_main.c');
    expect(main.diffLine).toBe(62);
    expect(main.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines, h.diffLine])).toEqual([
      [7, 6, 7, 7, 66],
      [20, 8, 21, 8, 74],
      [68, 6, 69, 7, 85],
      [77, 6, 79, 7, 93],
    ]);
    const poll = main.hunks[1]!;
    expect(poll.section).toBe('static int acme_poll(struct napi_struct *napi, int budget)');
    expect(poll.lines.map(pick)).toEqual([
      ['ctx', 20, 21, 75],
      ['ctx', 21, 22, 76],
      ['ctx', 22, 23, 77],
      ['del', 23, undefined, 78],
      ['del', 24, undefined, 79],
      ['add', undefined, 24, 80],
      ['add', undefined, 25, 81],
      ['ctx', 25, 26, 82],
      ['ctx', 26, 27, 83],
      ['ctx', 27, 28, 84],
    ]);
    expect(poll.lines[5]!.text).toBe('\tif (done < budget && napi_complete_done(napi, done))');
    expect([...main.added]).toEqual([10, 24, 25, 72, 82]);
    // The two removed lines sat where new line 24 (the first replacement line) now is.
    expect([...main.deletedAt]).toEqual([24]);
  });

  it('gives each hunk its post-image: context and added lines, in order', () => {
    const main = file(model, 'drivers/net/ethernet/acme/acme_main.c');
    const postImage = readFileSync(new URL('../fixtures/diff/acme_main.post.c', import.meta.url), 'utf8').split('\n');
    for (const hunk of main.hunks) {
      expect(hunk.postImage).toBe(postImage.slice(hunk.newStart - 1, hunk.newStart - 1 + hunk.newLines).join('\n'));
    }
  });

  it('marks lines followed by "\\ No newline at end of file" and does not count the marker', () => {
    const kconfig = file(model, 'drivers/net/ethernet/acme/Kconfig');
    const hunk = kconfig.hunks[0]!;
    expect(hunk.lines.map((l) => [l.kind, l.noNewline === true])).toEqual([
      ['ctx', false],
      ['ctx', false],
      ['ctx', false],
      ['del', true],
      ['add', true],
    ]);
    expect(hunk.lines[4]!.diffLine).toBe(27);
    expect(hunk.postImage.endsWith('Say N if unsure.')).toBe(true);
  });

  it('reads a new file, a deleted file and modes', () => {
    const ethtool = file(model, 'drivers/net/ethernet/acme/acme_ethtool.c');
    expect(ethtool.hunks[0]!.lines.every((l) => l.kind === 'add')).toBe(true);
    expect(ethtool.added.size).toBe(12);
    expect(ethtool.newMode).toBe('100644');
    const legacy = model.files[3]!;
    expect(legacy.hunks[0]!.lines.map((l) => l.oldLine)).toEqual([1, 2, 3, 4, 5]);
    expect(legacy.added.size + legacy.deletedAt.size).toBe(0);
    const script = file(model, 'scripts/acme-fw.sh');
    expect([script.oldMode, script.newMode, script.hunks.length]).toEqual(['100644', '100755', 0]);
  });

  it('skips binary files with a note, including the GIT binary patch payload', () => {
    const cal = file(model, 'firmware/acme/acme-cal.bin');
    expect(cal.hunks).toEqual([]);
    expect(cal.notes).toContain('binary file skipped');
  });

  it('points every line at the matching line of the input', () => {
    expectLinesPointIntoText(text, model);
  });
});

describe('parseUnifiedDiff on damaged input', () => {
  it('stops a truncated hunk at the next file instead of swallowing it', () => {
    const text = [
      'diff --git a/drivers/net/foo.c b/drivers/net/foo.c',
      '--- a/drivers/net/foo.c',
      '+++ b/drivers/net/foo.c',
      '@@ -10,7 +10,8 @@ static int foo_open(struct net_device *dev)',
      ' \tnetif_carrier_off(dev);',
      '-\tnapi_enable(&priv->napi);',
      '+\tnapi_enable(&priv->napi);',
      '+\tnetif_start_queue(dev);',
      'diff --git a/drivers/net/bar.c b/drivers/net/bar.c',
      '--- a/drivers/net/bar.c',
      '+++ b/drivers/net/bar.c',
      '@@ -1,2 +1,2 @@',
      '-#include <linux/kernel.h>',
      '+#include <linux/netdevice.h>',
      ' #include <linux/module.h>',
      '',
    ].join('\n');
    const model = parseUnifiedDiff(text);
    expect(model.files.map((f) => f.newPath)).toEqual(['drivers/net/foo.c', 'drivers/net/bar.c']);
    const [foo, bar] = model.files as [FileDiff, FileDiff];
    expect(foo.hunks[0]!.truncated).toBe(true);
    expect(foo.hunks[0]!.lines).toHaveLength(4);
    expect(foo.notes.join('\n')).toMatch(/@@ -10,7 \+10,8 @@ at diff line 4 is truncated: 2 old \/ 3 new line\(s\) present/);
    expect([...foo.added]).toEqual([11, 12]);
    expect(bar.hunks[0]!.lines.map(pick)).toEqual([
      ['del', 1, undefined, 13],
      ['add', undefined, 1, 14],
      ['ctx', 2, 2, 15],
    ]);
    expect(bar.hunks[0]!.truncated).toBeUndefined();
    expectLinesPointIntoText(text, model);
  });

  it('does not take the format-patch signature for a removed line when the last hunk is short', () => {
    const text = [
      '--- a/drivers/net/foo.c',
      '+++ b/drivers/net/foo.c',
      '@@ -40,4 +40,3 @@ static void foo_remove(struct pci_dev *pdev)',
      ' \tunregister_netdev(ndev);',
      '-\tfree_netdev(ndev);',
      '-- ',
      '2.39.2',
      '',
    ].join('\n');
    const model = parseUnifiedDiff(text);
    const hunk = model.files[0]!.hunks[0]!;
    expect(hunk.lines.map((l) => l.kind)).toEqual(['ctx', 'del']);
    expect(hunk.truncated).toBe(true);
    expect(model.notes).toEqual([]);
  });

  it('keeps a removed line that starts with "- " (a list item) inside a hunk', () => {
    const text = [
      '--- a/Documentation/networking/foo.rst',
      '+++ b/Documentation/networking/foo.rst',
      '@@ -3,3 +3,2 @@',
      ' Locking:',
      '-- rtnl held',
      ' - may sleep',
      '-- ',
      '2.43.0',
    ].join('\n');
    const hunk = parseUnifiedDiff(text).files[0]!.hunks[0]!;
    expect(hunk.lines.map((l) => [l.kind, l.text])).toEqual([
      ['ctx', 'Locking:'],
      ['del', '- rtnl held'],
      ['ctx', '- may sleep'],
    ]);
    expect(hunk.truncated).toBeUndefined();
  });

  it('notes an unreadable hunk header, skips its lines and reads the next hunk', () => {
    const text = [
      'diff --git a/drivers/net/foo.c b/drivers/net/foo.c',
      '--- a/drivers/net/foo.c',
      '+++ b/drivers/net/foo.c',
      '@@ -12,3 +1x2,4 @@ static int foo_open(struct net_device *dev)',
      ' a',
      '+b',
      ' c',
      '@@ -30,3 +31,4 @@',
      ' x',
      '+y',
      ' z',
      ' w',
    ].join('\n');
    const model = parseUnifiedDiff(text);
    const foo = model.files[0]!;
    expect(foo.hunks).toHaveLength(1);
    expect(foo.hunks[0]!.oldStart).toBe(30);
    expect([...foo.added]).toEqual([32]);
    expect(foo.notes[0]).toMatch(/^unreadable hunk header at diff line 4/);
  });

  it('reads CRLF input like LF input, with a note', () => {
    const lf = fixture('acme-series.patch');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parseUnifiedDiff(lf);
    const b = parseUnifiedDiff(crlf);
    expect(b.files).toEqual(a.files);
    expect(b.notes).toEqual([`${lf.split('\n').length - 1} line(s) ended in CRLF; read as LF`]);
    expectLinesPointIntoText(crlf, b);
  });

  it('returns no files, with a note, for empty input and for prose', () => {
    for (const text of ['', '\n\n', 'Hi Jakub,\n\nthis is a reply with no diff in it.\n']) {
      const model = parseUnifiedDiff(text);
      expect(model.files).toEqual([]);
      expect(model.notes).toEqual(['no file changes found in the diff']);
    }
  });

  it('reads two mails of a series concatenated and notes the mail text between them', () => {
    const one = [
      'Subject: [PATCH 1/2] net: foo: a',
      '---',
      'diff --git a/drivers/net/foo.c b/drivers/net/foo.c',
      '--- a/drivers/net/foo.c',
      '+++ b/drivers/net/foo.c',
      '@@ -1,1 +1,1 @@',
      '-int a;',
      '+int b;',
      '-- ',
      '2.39.2',
      '',
      'From 1234 Mon Sep 17 00:00:00 2001',
      'Subject: [PATCH 2/2] net: foo: b',
      '',
      'Second change.',
      '---',
      'diff --git a/drivers/net/foo.h b/drivers/net/foo.h',
      '--- a/drivers/net/foo.h',
      '+++ b/drivers/net/foo.h',
      '@@ -5,0 +6,1 @@',
      '+#define FOO_B 1',
    ].join('\n');
    const model = parseUnifiedDiff(one);
    expect(model.files.map((f) => f.newPath)).toEqual(['drivers/net/foo.c', 'drivers/net/foo.h']);
    expect(model.notes).toEqual(['3 line(s) between files belong to no file header or hunk (first at diff line 12)']);
    expect([...model.files[1]!.added]).toEqual([6]);
  });

  it('reads a context line whose leading space a mailer ate before a tab, and one trimmed to nothing', () => {
    const text = [
      '--- a/drivers/net/foo.h',
      '+++ b/drivers/net/foo.h',
      '@@ -20,5 +20,6 @@ struct foo_priv {',
      ' \tint ip_align;',
      '\tspinlock_t lock;',
      '',
      '+\tstruct foo_ppe ppe;',
      ' \tu32 flags;',
      ' };',
    ].join('\n');
    const model = parseUnifiedDiff(text);
    const hunk = model.files[0]!.hunks[0]!;
    expect(hunk.lines.map((l) => [l.kind, l.text, l.newLine])).toEqual([
      ['ctx', '\tint ip_align;', 20],
      ['ctx', '\tspinlock_t lock;', 21],
      ['ctx', '', 22],
      ['add', '\tstruct foo_ppe ppe;', 23],
      ['ctx', '\tu32 flags;', 24],
      ['ctx', '};', 25],
    ]);
    expect(model.files[0]!.notes[0]).toMatch(/1 context line\(s\) of hunk .* start with a tab instead of a space \(first at diff line 5\)/);
    expectLinesPointIntoText(text, model);
  });

  it('keeps hunks that come without a file header, with a note', () => {
    const model = parseUnifiedDiff('@@ -3,2 +3,3 @@ foo\n a\n+b\n c\n');
    const f = model.files[0]!;
    expect([f.oldPath, f.newPath, f.status]).toEqual([undefined, undefined, 'modified']);
    expect([...f.added]).toEqual([4]);
    expect(f.notes).toEqual(['hunks without a file header (first at diff line 1)']);
  });

  it('drops a hunk cut off right after its header', () => {
    const model = parseUnifiedDiff('--- a/x.c\n+++ b/x.c\n@@ -3,2 +3,3 @@\n');
    expect(model.files[0]!.hunks).toEqual([]);
    expect(model.files[0]!.notes).toEqual(['hunk @@ -3,2 +3,3 @@ at diff line 3 has no lines; skipped']);
  });
});

describe('parseUnifiedDiff never throws', () => {
  it('on every prefix of a patch (a mail cut anywhere), with line numbers that hold', () => {
    const text = fixture('acme-series.patch');
    const lines = text.split('\n');
    for (let n = 0; n <= lines.length; n++) {
      const cut = lines.slice(0, n).join('\n');
      const model = parseUnifiedDiff(cut);
      expectLinesPointIntoText(cut, model);
      for (const f of model.files) {
        for (const h of f.hunks) {
          const counted = [h.lines.filter((l) => l.kind !== 'add').length, h.lines.filter((l) => l.kind !== 'del').length];
          if (!h.truncated) expect(counted).toEqual([h.oldLines, h.newLines]);
        }
      }
    }
  });

  it('on lines dropped, repeated and mangled at random', () => {
    const lines = fixture('acme-series.patch').split('\n');
    let seed = 12345;
    const random = (k: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % k;
    };
    const junk = ['', '\\ No newline at end of file', '@@', '@@ -1 +1 @@', '-- ', '+++ b/x.c', '--- a/x.c', 'diff --git a/x b/x', '\t}', 'GIT binary patch'];
    for (let round = 0; round < 300; round++) {
      const mutated = [...lines];
      for (let m = 0; m < 5; m++) {
        const at = random(mutated.length);
        const op = random(3);
        if (op === 0) mutated.splice(at, 1);
        else if (op === 1) mutated.splice(at, 0, mutated[random(mutated.length)]!);
        else mutated.splice(at, 0, junk[random(junk.length)]!);
      }
      const text = mutated.join('\n');
      expectLinesPointIntoText(text, parseUnifiedDiff(text));
    }
  });

  it('on a no-newline marker right after a hunk header', () => {
    const model = parseUnifiedDiff('--- a/x.c\n+++ b/x.c\n@@ -1,1 +1,1 @@\n\\ No newline at end of file\n-a\n+b\n');
    expect(model.files[0]!.hunks).toEqual([]);
    expect(model.files[0]!.notes[0]).toMatch(/has no lines; skipped/);
  });
});

describe('parseUnifiedDiff paths and removal anchors', () => {
  it('strips quilt-style top directories and timestamps of a plain diff -u', () => {
    const text = [
      '--- linux-5.4.77.orig/net/dsa/tag_foo.c\t2020-11-13 10:00:00.000000000 +0100',
      '+++ linux-5.4.77/net/dsa/tag_foo.c\t2020-11-13 10:05:00.000000000 +0100',
      '@@ -1,1 +1,2 @@',
      ' #include <net/dsa.h>',
      '+#include <linux/etherdevice.h>',
    ].join('\n');
    const f = parseUnifiedDiff(text).files[0]!;
    expect([f.oldPath, f.newPath, f.status]).toEqual(['net/dsa/tag_foo.c', 'net/dsa/tag_foo.c', 'modified']);
  });

  it('takes paths from a git header with no ---/+++ (pure rename, mode change)', () => {
    const text = 'diff --git a/drivers/net/a b.c b/drivers/net/a b.c\nold mode 100644\nnew mode 100755\n';
    const f = parseUnifiedDiff(text).files[0]!;
    expect([f.oldPath, f.newPath, f.status]).toEqual(['drivers/net/a b.c', 'drivers/net/a b.c', 'mode-only']);
  });

  it('reads a copy, and a modified file whose mode also changed', () => {
    const text = [
      'diff --git a/drivers/net/foo.c b/drivers/net/foo2.c',
      'similarity index 95%',
      'copy from drivers/net/foo.c',
      'copy to drivers/net/foo2.c',
      '--- a/drivers/net/foo.c',
      '+++ b/drivers/net/foo2.c',
      '@@ -1 +1 @@',
      '-int foo;',
      '+int foo2;',
      'diff --git a/tools/run.sh b/tools/run.sh',
      'old mode 100644',
      'new mode 100755',
      '--- a/tools/run.sh',
      '+++ b/tools/run.sh',
      '@@ -1 +1 @@',
      '-#!/bin/sh',
      '+#!/bin/bash',
    ].join('\n');
    const [copy, script] = parseUnifiedDiff(text).files as [FileDiff, FileDiff];
    expect([copy.status, copy.oldPath, copy.newPath]).toEqual(['copied', 'drivers/net/foo.c', 'drivers/net/foo2.c']);
    expect(copy.hunks[0]!.lines.map(pick)).toEqual([
      ['del', 1, undefined, 8],
      ['add', undefined, 1, 9],
    ]);
    expect(script.status).toBe('modified');
    expect(script.notes).toEqual(['mode changed 100644 → 100755']);
  });

  it('ties a removal at the end of a file to the new last line, and a -U0 removal to the line after it', () => {
    const text = [
      '--- a/drivers/net/foo.c',
      '+++ b/drivers/net/foo.c',
      '@@ -50,4 +50,2 @@ static void foo_exit(void)',
      ' }',
      ' ',
      '-module_exit(foo_exit);',
      '-MODULE_LICENSE("GPL");',
      '@@ -10,2 +9,0 @@',
      '-static int debug;',
      '-module_param(debug, int, 0);',
    ].join('\n');
    const f = parseUnifiedDiff(text).files[0]!;
    expect([...f.deletedAt].sort((a, b) => a - b)).toEqual([10, 51]);
  });

  it('knows C files', () => {
    expect(['foo.c', 'include/linux/netdevice.h', 'Kconfig', 'foo.cc', 'a.c.orig', undefined].map(isCFile)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('parseUnifiedDiff on a large diff', () => {
  it('parses a 20 MB diff in linear time', () => {
    const hunk = (n: number): string =>
      [
        `@@ -${n},7 +${n},8 @@ static int foo_poll_${n}(struct napi_struct *napi, int budget)`,
        ' \tstruct foo_priv *priv = container_of(napi, struct foo_priv, napi);',
        ' \tint done = 0;',
        ' ',
        '-\tdone = foo_clean_rx(priv, budget);',
        '+\tdone = foo_clean_rx_ring(priv, budget);',
        '+\tfoo_clean_tx(priv);',
        ' \tif (done < budget)',
        ' \t\tnapi_complete_done(napi, done);',
        ' \treturn done;',
      ].join('\n');
    const fileText = (i: number): string =>
      [
        `diff --git a/drivers/net/foo/foo_${i}.c b/drivers/net/foo/foo_${i}.c`,
        `index 0123456..789abcd 100644`,
        `--- a/drivers/net/foo/foo_${i}.c`,
        `+++ b/drivers/net/foo/foo_${i}.c`,
        ...Array.from({ length: 20 }, (_, k) => hunk(100 + k * 40)),
      ].join('\n');
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 20 * 1024 * 1024; i++) {
      const t = fileText(i);
      parts.push(t);
      size += t.length + 1;
    }
    const big = parts.join('\n') + '\n';
    const small = parts.slice(0, Math.ceil(parts.length / 10)).join('\n') + '\n';

    parseUnifiedDiff(small);
    const t0 = performance.now();
    const smallModel = parseUnifiedDiff(small);
    const t1 = performance.now();
    const model = parseUnifiedDiff(big);
    const t2 = performance.now();
    console.log(`parse: ${(big.length / 1048576).toFixed(1)} MB in ${(t2 - t1).toFixed(0)} ms; a tenth of it in ${(t1 - t0).toFixed(0)} ms`);

    expect(model.files).toHaveLength(parts.length);
    expect(smallModel.files).toHaveLength(Math.ceil(parts.length / 10));
    expect(model.notes).toEqual([]);
    expect(model.files.at(-1)!.hunks.at(-1)!.lines.at(-1)!.diffLine).toBe(big.split('\n').length - 1);
    // Linear: ten times the input takes nowhere near a hundred times as long (a ratio in one run, no wall-clock limit).
    expect(t2 - t1).toBeLessThan(30 * Math.max(t1 - t0, 1));
  });
});
