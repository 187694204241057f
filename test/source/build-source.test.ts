// Source-stage tests: stitching hunk post-images, applying a patch to a tree (offsets, whitespace, failure), fallbacks.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileDiff } from '../../src/diff/model.js';
import { parseUnifiedDiff } from '../../src/diff/parse.js';
import { applyHunks, buildSource, buildSourceSync, sourceFromPreImage, stitchSource } from '../../src/source/build-source.js';
import type { SourceFile } from '../../src/source/source-file.js';
import { unifiedDiff } from './unified-diff.js';
import { scaling } from '../lib/scaling.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/diff/${name}`, import.meta.url), 'utf8');
const MAIN = 'drivers/net/ethernet/acme/acme_main.c';
const series = parseUnifiedDiff(fixture('acme-series.patch'));
const fileOf = (p: string): FileDiff => series.files.find((f) => (f.newPath ?? f.oldPath) === p)!;
const mainDiff = fileOf(MAIN);
const preText = fixture('acme_main.c');
const postText = fixture('acme_main.post.c');

const trees: string[] = [];
afterAll(() => {
  for (const t of trees) rmSync(t, { recursive: true, force: true });
});

/** A scratch kernel tree holding the given files. */
function makeTree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'netdev-review-tree-'));
  trees.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
const textOf = (src: SourceFile): string => src.units.map((u) => u.text).join('\n');

describe('stitchSource (no tree)', () => {
  it('gives one unit per hunk post-image, placed by new line numbers', () => {
    const src = stitchSource(mainDiff);
    expect(src.completeness).toBe('stitched');
    expect(src.path).toBe(MAIN);
    const post = postText.split('\n');
    expect(src.units.map((u) => u.firstLine)).toEqual([7, 21, 69, 79]);
    for (const unit of src.units) {
      const n = unit.text.split('\n').length;
      expect(unit.text).toBe(post.slice(unit.firstLine - 1, unit.firstLine - 1 + n).join('\n'));
    }
    expect(sorted(src.added)).toEqual([10, 24, 25, 72, 82]);
    expect(sorted(src.deletedAt)).toEqual([24]);
    expect(src.lineMap!.get(24)).toMatchObject({ kind: 'add', newLine: 24, diffLine: 80 });
    expect(src.lineMap!.get(21)).toMatchObject({ kind: 'ctx', oldLine: 20, diffLine: 75 });
    expect(src.lineMap!.has(15)).toBe(false);
  });

  it('merges hunks whose post-images touch, and keeps a gap as a separate unit', () => {
    const text = [
      '--- a/drivers/net/foo.c',
      '+++ b/drivers/net/foo.c',
      '@@ -10,2 +10,3 @@',
      ' static int foo_open(struct net_device *dev)',
      ' {',
      '+\tnetif_carrier_off(dev);',
      '@@ -12,2 +13,2 @@',
      '-\tnapi_enable(&priv->napi);',
      '+\tnapi_enable(&priv->napi);',
      ' \treturn 0;',
      '@@ -30,1 +31,2 @@',
      ' }',
      '+',
    ].join('\n');
    const src = stitchSource(parseUnifiedDiff(text).files[0]!);
    expect(src.units).toEqual([
      {
        firstLine: 10,
        text: 'static int foo_open(struct net_device *dev)\n{\n\tnetif_carrier_off(dev);\n\tnapi_enable(&priv->napi);\n\treturn 0;',
      },
      { firstLine: 31, text: '}\n' },
    ]);
    expect(sorted(src.added)).toEqual([12, 13, 32]);
    expect(sorted(src.deletedAt)).toEqual([13]);
  });

  it('calls a new file given whole by one hunk full', () => {
    const src = stitchSource(fileOf('drivers/net/ethernet/acme/acme_ethtool.c'));
    expect(src.completeness).toBe('full');
    expect(src.units).toHaveLength(1);
    expect(src.units[0]!.firstLine).toBe(1);
    expect(src.units[0]!.text.split('\n')).toHaveLength(12);
    expect(src.units[0]!.text).toMatch(/^\/\/ SPDX-License-Identifier: GPL-2.0\n#include <linux\/ethtool.h>/);
  });
});

describe('buildSource with a tree', () => {
  it('applies the patch to the pre-image and returns the whole post-image', async () => {
    const tree = makeTree({ [MAIN]: preText });
    const src = await buildSource(mainDiff, { tree });
    expect(src.completeness).toBe('full');
    expect(src.units).toEqual([{ firstLine: 1, text: postText }]);
    expect(sorted(src.added)).toEqual([10, 24, 25, 72, 82]);
    expect(sorted(src.deletedAt)).toEqual([24]);
    expect(src.notes).toEqual([`applied to ${path.join(tree, MAIN)}`]);
    expect(src.lineMap!.get(82)).toMatchObject({ kind: 'add', text: '\tnetif_napi_del(&priv->napi);', diffLine: 97 });
  });

  it('finds hunks at an offset and reports the real post-image lines', async () => {
    const header = ['/*', ' * Copyright (C) 2025 Acme Networks.', ' *', ' * Register layout from the Acme 10G datasheet, rev 3.', ' */', ''];
    const pre = preText.split('\n');
    // Six lines at the top move every hunk; four more in acme_open move the last two again.
    const at = pre.indexOf('\tnapi_enable(&priv->napi);');
    const extra = ['\tif (!priv->regs)', '\t\treturn -ENODEV;', '\tnetif_carrier_off(ndev);', '\tacme_hw_reset(priv);'];
    const shifted = [...pre.slice(0, 3), ...header, ...pre.slice(3, at), ...extra, ...pre.slice(at)].join('\n');
    const post = postText.split('\n');
    const postAt = post.indexOf('\tnapi_enable(&priv->napi);');
    const expected = [...post.slice(0, 3), ...header, ...post.slice(3, postAt), ...extra, ...post.slice(postAt)].join('\n');

    const tree = makeTree({ [MAIN]: shifted });
    const src = await buildSource(mainDiff, { tree });
    expect(src.completeness).toBe('full');
    expect(src.units[0]!.text).toBe(expected);
    expect(sorted(src.added)).toEqual([16, 30, 31, 82, 92]);
    expect(sorted(src.deletedAt)).toEqual([30]);
    const lines = expected.split('\n');
    for (const n of src.added) expect(src.lineMap!.get(n)!.text).toBe(lines[n - 1]);
    // The map leads back to the patch's own numbering and place in the diff text.
    expect(src.lineMap!.get(30)).toMatchObject({ kind: 'add', newLine: 24, diffLine: 80 });
    expect(src.notes).toEqual([
      `applied to ${path.join(tree, MAIN)}`,
      'hunk @@ -7,6 +7,7 @@ applied at offset +6 line(s)',
      'hunk @@ -20,8 +21,8 @@ applied at offset +6 line(s)',
      'hunk @@ -68,6 +69,7 @@ applied at offset +10 line(s)',
      'hunk @@ -77,6 +79,7 @@ applied at offset +10 line(s)',
    ]);
  });

  it('finds a hunk earlier than its header says (negative offset)', () => {
    const pre = preText.split('\n');
    const trimmed = [...pre.slice(0, 1), ...pre.slice(3)].join('\n');
    const src = sourceFromPreImage(mainDiff, trimmed, 'acme_main.c');
    expect(src.completeness).toBe('full');
    expect(sorted(src.added)).toEqual([8, 22, 23, 70, 80]);
    expect(src.notes).toContain('hunk @@ -77,6 +79,7 @@ applied at offset -2 line(s)');
  });

  it('applies a hunk whose context differs only in whitespace, keeping the file\'s own text', () => {
    const damaged = preText.replace('\treturn err;\n}', '        return err;\n}');
    const src = sourceFromPreImage(mainDiff, damaged, 'acme_main.c');
    expect(src.completeness).toBe('full');
    expect(src.units[0]!.text).toBe(postText.replace('\treturn err;\n}', '        return err;\n}'));
    expect(src.notes).toContain('hunk @@ -77,6 +79,7 @@ applied ignoring whitespace');
  });

  it('falls back to the stitched hunks, naming the hunk that does not apply', async () => {
    const drifted = preText.replace('\tpriv->ndev = ndev;', '\tpriv->netdev = ndev;');
    const tree = makeTree({ [MAIN]: drifted });
    const src = await buildSource(mainDiff, { tree });
    expect(src.completeness).toBe('stitched');
    expect(src.units.map((u) => u.firstLine)).toEqual([7, 21, 69, 79]);
    expect(sorted(src.added)).toEqual([10, 24, 25, 72, 82]);
    expect(src.notes).toEqual([
      `patch does not apply to ${path.join(tree, MAIN)} at hunk @@ -68,6 +69,7 @@; using hunk fragments`,
    ]);
  });

  it('keeps a missing final newline where the patch says so', () => {
    const kconfig = fileOf('drivers/net/ethernet/acme/Kconfig');
    const pre = 'config ACME_10G\n\ttristate "Acme 10G support"\n\tdepends on PCI\n\thelp\n\t  Support for the Acme 10G adapter.\n\t  Say Y if unsure.';
    const src = sourceFromPreImage(kconfig, pre, 'Kconfig');
    expect(src.units[0]!.text).toBe(pre.replace('Say Y', 'Say N'));
    expect(sorted(src.added)).toEqual([6]);
    expect(sorted(src.deletedAt)).toEqual([6]);
  });

  it('ties a removal at the end of the file to the new last line', () => {
    const pre = ['static int debug;', '', 'module_init(foo_init);', 'module_exit(foo_exit);', 'MODULE_LICENSE("GPL");'];
    const { diff } = unifiedDiff('drivers/net/foo.c', pre, [{ at: 3, remove: 2, add: [] }]);
    const src = sourceFromPreImage(parseUnifiedDiff(diff).files[0]!, `${pre.join('\n')}\n`, 'foo.c');
    expect(src.units[0]!.text).toBe('static int debug;\n\nmodule_init(foo_init);\n');
    expect(sorted(src.deletedAt)).toEqual([3]);
  });

  it('reads the pre-image of a renamed file from its old path, and an unchanged file whole', async () => {
    const renamed = fileOf('drivers/net/ethernet/acme/acme_mdio.c');
    const phy = '// SPDX-License-Identifier: GPL-2.0\n/* Acme PHY access */\n#include <linux/phy.h>\n#include "acme_regs.h"\n\nint acme_mdio_read(int addr);\n';
    const tree = makeTree({ 'drivers/net/ethernet/acme/acme_phy.c': phy, 'scripts/acme-fw.sh': '#!/bin/sh\necho fw\n' });
    const src = await buildSource(renamed, { tree });
    expect(src.path).toBe('drivers/net/ethernet/acme/acme_mdio.c');
    expect(src.units[0]!.text).toBe(phy.replace('Acme PHY access', 'Acme MDIO bus access'));
    const script = await buildSource(fileOf('scripts/acme-fw.sh'), { tree });
    expect([script.completeness, script.units[0]!.text]).toEqual(['full', '#!/bin/sh\necho fw\n']);
  });

  it('uses the hunk of a new file even when a tree is given', async () => {
    const tree = makeTree({});
    const src = await buildSource(fileOf('drivers/net/ethernet/acme/acme_ethtool.c'), { tree });
    expect(src.completeness).toBe('full');
    expect(src.notes).toEqual([]);
  });

  it('falls back with a note, never a throw, when the pre-image cannot be used', async () => {
    const tree = makeTree({
      'drivers/net/ethernet/acme/acme_main.c/keep': 'a directory where the file should be',
      'drivers/net/foo.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]),
    });
    const dir = await buildSource(mainDiff, { tree });
    expect(dir.notes).toEqual([`${path.join(tree, MAIN)} is a directory; using hunk fragments`]);
    expect(dir.completeness).toBe('stitched');

    const missing = await buildSource(mainDiff, { tree: path.join(tree, 'nowhere') });
    expect(missing.notes).toEqual([`${path.join(tree, 'nowhere', MAIN)} does not exist in the tree; using hunk fragments`]);

    const binary = await buildSource({ ...mainDiff, oldPath: 'drivers/net/foo.c', newPath: 'drivers/net/foo.c' }, { tree });
    expect(binary.notes).toEqual([`${path.join(tree, 'drivers/net/foo.c')} is binary; using hunk fragments`]);

    const escape = await buildSource({ ...mainDiff, oldPath: '../../../etc/passwd' }, { tree });
    expect(escape.notes).toEqual(['path "../../../etc/passwd" leaves the tree; using hunk fragments']);
    expect(escape.units.length).toBe(4);
  });

  it('gives no text for deleted and binary files', async () => {
    const tree = makeTree({});
    const deleted = await buildSource(fileOf('drivers/net/ethernet/acme/acme_legacy.h'), { tree });
    expect([deleted.path, deleted.completeness, deleted.units, deleted.notes]).toEqual([
      'drivers/net/ethernet/acme/acme_legacy.h',
      'full',
      [],
      ['file deleted; no post-image'],
    ]);
    const binary = await buildSource(fileOf('firmware/acme/acme-fw.bin'), { tree });
    expect([binary.units, binary.notes]).toEqual([[], ['binary file skipped', 'binary file; no source text']]);
  });

  it('gives the same answer synchronously', async () => {
    const tree = makeTree({ [MAIN]: preText });
    expect(buildSourceSync(mainDiff, { tree })).toEqual(await buildSource(mainDiff, { tree }));
    expect(buildSourceSync(mainDiff)).toEqual(await buildSource(mainDiff));
  });
});

describe('applyHunks', () => {
  it('places hunks in order and never lets a later hunk match before an earlier one', () => {
    // Both hunks have the same text; the second must land after the first even though its header points earlier.
    const pre = ['a', 'x', 'b', 'c', 'd', 'e', 'f', 'g', 'x', 'h'];
    const diff = ['--- a/f.c', '+++ b/f.c', '@@ -2,1 +2,1 @@', '-x', '+y', '@@ -1,1 +1,1 @@', '-x', '+z'].join('\n');
    const result = applyHunks(pre, true, parseUnifiedDiff(diff).files[0]!.hunks);
    expect(result.ok && result.lines).toEqual(['a', 'y', 'b', 'c', 'd', 'e', 'f', 'g', 'z', 'h']);
  });

  it('keeps a hunk without trailing context at the end of the file, as git apply does', () => {
    const tail = ['\treturn 0;', '}'];
    const diff = ['--- a/f.c', '+++ b/f.c', '@@ -4,2 +4,3 @@', ' \treturn 0;', ' }', '+EXPORT_SYMBOL_GPL(foo_init);'].join('\n');
    const hunks = parseUnifiedDiff(diff).files[0]!.hunks;
    const atEnd = applyHunks(['int foo_init(void)', '{', '\tfoo_hw_init();', ...tail], true, hunks);
    expect(atEnd.ok && atEnd.lines.at(-1)).toBe('EXPORT_SYMBOL_GPL(foo_init);');
    // The same two lines earlier in a longer file are not the end of the file: no place for the hunk.
    const notAtEnd = applyHunks(['int foo_init(void)', '{', ...tail, '', 'int foo_exit(void)', '{', '\tfoo_hw_stop();', ...tail, 'MODULE_LICENSE("GPL");'], true, hunks);
    expect(notAtEnd.ok).toBe(false);
  });

  it('fails on the first hunk that matches nowhere', () => {
    const diff = ['--- a/f.c', '+++ b/f.c', '@@ -1,1 +1,1 @@', '-a', '+b', '@@ -3,1 +3,1 @@', '-q', '+r'].join('\n');
    const result = applyHunks(['a', 'b', 'c'], true, parseUnifiedDiff(diff).files[0]!.hunks);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.hunk.oldStart).toBe(3);
  });

  it('applies 500 hunks to a 300 KB file, in linear time', () => {
    /** A file of 20n lines with n edits, made on a base with 40 fewer lines at the top: every hunk sits 40 lines later. */
    const setup = (n: number) => {
      const pre = Array.from({ length: 20 * n }, (_, i) => `\tst[${i}] = readl(regs + STAT(${i % 97}));`);
      const edits = Array.from({ length: n }, (_, k) => ({ at: 100 + k * 19, remove: 1, add: [`\tst[${k}] = 0;`, '\twmb();'] }));
      const { diff, post } = unifiedDiff('drivers/net/acme/acme_stats.c', pre, edits, -40);
      return { file: parseUnifiedDiff(diff).files[0]!, preText: `${pre.join('\n')}\n`, post };
    };
    const { file, preText, post } = setup(500);
    const src = sourceFromPreImage(file, preText, 'acme_stats.c');
    expect(src.units[0]!.text).toBe(`${post.join('\n')}\n`);
    expect(src.added.size).toBe(1000);
    const inputs = new Map([60, 480].map((n) => [n, setup(n)]));
    const { ratio, linearBound } = scaling((n) => {
      const { file: f, preText: p } = inputs.get(n)!;
      sourceFromPreImage(f, p, 'acme_stats.c');
    }, 60, 480);
    expect(ratio).toBeLessThan(linearBound);
  });
});

describe('buildSource never throws', () => {
  it('on every prefix of a patch, stitched or applied, and its units never overlap', async () => {
    const tree = makeTree({ [MAIN]: preText });
    const lines = fixture('acme-series.patch').split('\n');
    for (let n = 0; n <= lines.length; n++) {
      for (const file of parseUnifiedDiff(lines.slice(0, n).join('\n')).files) {
        for (const src of [await buildSource(file, { tree }), stitchSource(file)]) {
          let end = 0;
          for (const unit of src.units) {
            expect(unit.firstLine).toBeGreaterThan(end);
            end = unit.firstLine + unit.text.split('\n').length - 1;
          }
        }
      }
    }
  });

  it('stitches a 20 MB single-file patch, in linear time', () => {
    const build = (bytes: number) => {
    const hunks: string[] = ['--- a/drivers/net/foo/foo_main.c', '+++ b/drivers/net/foo/foo_main.c'];
    let size = 0;
    for (let k = 0; size < bytes; k++) {
      const h = [
        `@@ -${10 + k * 12},7 +${10 + k * 13},8 @@ static int foo_poll_${k}(struct napi_struct *napi, int budget)`,
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
      hunks.push(h);
      size += h.length + 1;
    }
    return parseUnifiedDiff(hunks.join('\n')).files[0]!;
    };
    const file = build(20 * 1024 * 1024);
    const src = stitchSource(file);
    expect(src.units).toHaveLength(file.hunks.length);
    expect(src.added.size).toBe(2 * file.hunks.length);
    const inputs = new Map([1, 8].map((mb) => [mb, build(mb * 1024 * 1024)]));
    const { ratio, linearBound } = scaling((mb) => void stitchSource(inputs.get(mb)!), 1, 8);
    expect(ratio).toBeLessThan(linearBound);
  });
});

const LINUX = '/opt/linux/linux-source-6.1';
const E1000E = 'drivers/net/ethernet/intel/e1000e/netdev.c';

describe.skipIf(!existsSync(path.join(LINUX, E1000E)))('buildSource on a real kernel tree (Debian linux-source-6.1)', () => {
  it('applies a generated patch made against an older base, at its offset', async () => {
    const original = readFileSync(path.join(LINUX, E1000E), 'utf8');
    const pre = original.split('\n');
    pre.pop();
    const open = pre.indexOf('int e1000e_open(struct net_device *netdev)');
    const ops = pre.findIndex((l) => l.startsWith('\t.ndo_open'));
    expect(open).toBeGreaterThan(0);
    expect(ops).toBeGreaterThan(open);
    const { diff, post } = unifiedDiff(E1000E, pre, [
      { at: open + 2, remove: 0, add: ['\t/* Checked by the netdev-review source-stage test. */'] },
      { at: ops, remove: 1, add: ['\t.ndo_open\t\t= e1000e_open_checked,'] },
    ], -12);
    const file = parseUnifiedDiff(diff).files[0]!;
    const src = await buildSource(file, { tree: LINUX });
    expect(src.completeness).toBe('full');
    expect(src.units[0]!.text).toBe(`${post.join('\n')}\n`);
    expect(sorted(src.added)).toEqual([open + 3, ops + 2]);
    expect(sorted(src.deletedAt)).toEqual([ops + 2]);
    expect(src.notes.filter((n) => n.includes('offset +12'))).toHaveLength(2);
    // Header numbering is 12 lower than the real file's; the map carries both.
    expect(src.lineMap!.get(ops + 2)!.newLine).toBe(ops + 2 - 12);
  });
});
