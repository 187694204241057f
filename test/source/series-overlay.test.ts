import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDiff } from '../../src/review/analyze.js';
import { SeriesOverlay } from '../../src/source/series-overlay.js';

const PRE = ['#include <linux/netdevice.h>', '', 'static int acme_open(struct net_device *dev)', '{', '\treturn 0;', '}', ''].join('\n');

const PATCH1 = `diff --git a/drivers/net/acme.c b/drivers/net/acme.c
--- a/drivers/net/acme.c
+++ b/drivers/net/acme.c
@@ -3,4 +3,5 @@
 static int acme_open(struct net_device *dev)
 {
+\tnetif_start_queue(dev);
 \treturn 0;
 }
`;

// Applies only on top of PATCH1: its context contains the line PATCH1 added.
const PATCH2 = `diff --git a/drivers/net/acme.c b/drivers/net/acme.c
--- a/drivers/net/acme.c
+++ b/drivers/net/acme.c
@@ -4,3 +4,4 @@
 {
 \tnetif_start_queue(dev);
+\tnetif_carrier_on(dev);
 \treturn 0;
`;

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nr-tree-'));
  mkdirSync(join(dir, 'drivers/net'), { recursive: true });
  writeFileSync(join(dir, 'drivers/net/acme.c'), PRE);
  return dir;
}

describe('series overlay', () => {
  it('applies a later patch of a series on top of the earlier ones', async () => {
    const dir = tree();
    const overlay = new SeriesOverlay();
    const first = await analyzeDiff(PATCH1, { tree: dir, overlay });
    expect(first.sources.get('drivers/net/acme.c')?.completeness).toBe('full');
    const second = await analyzeDiff(PATCH2, { tree: dir, overlay });
    const src = second.sources.get('drivers/net/acme.c');
    expect(src?.completeness).toBe('full');
    expect(src?.units[0].text).toContain('\tnetif_start_queue(dev);\n\tnetif_carrier_on(dev);\n');
    expect([...(src?.added ?? [])]).toEqual([6]);
  });

  it('without the earlier patch, the later one falls back to hunks with a note', async () => {
    const second = await analyzeDiff(PATCH2, { tree: tree() });
    const src = second.sources.get('drivers/net/acme.c');
    expect(src?.completeness).toBe('stitched');
    expect(second.notes.join('\n')).toMatch(/does not apply/);
  });

  it('keeps at most its size bound, dropping the oldest files', () => {
    const o = new SeriesOverlay(10);
    o.set('a', '12345');
    o.set('b', '12345');
    o.set('c', '123');
    expect(o.get('a')).toBeUndefined();
    expect(o.get('b')).toBe('12345');
    expect(o.get('c')).toBe('123');
    o.set('huge', '12345678901');
    expect(o.get('huge')).toBeUndefined();
  });
});
