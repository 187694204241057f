// Mail stage tests over the shared archive of 600 list mails: read, review, triage, assemble (skipped when absent).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ALL_RULES } from '../../rules/index.js';
import { readPatches } from '../../src/ingest/read-input.js';
import { assembleSeries, type SeriesRecord } from '../../src/mail/series.js';
import { triagePatch, type PatchTriage } from '../../src/mail/triage.js';
import { reviewPatch } from '../../src/review/review-patch.js';

const MAILS = path.resolve('../shared/corpus/mails');

async function triageArchive(): Promise<PatchTriage[]> {
  const records: PatchTriage[] = [];
  let ordinal = 0;
  for (const name of readdirSync(MAILS).sort()) {
    for (const patch of await readPatches(readFileSync(path.join(MAILS, name)), name)) {
      // Arrival order across files, not within one file, is what series assembly sorts by.
      patch.ordinal = ordinal++;
      const review = await reviewPatch(patch, { rules: ALL_RULES, audit: false });
      if (patch.kind !== 'patch' && review.skipped === undefined) throw new Error(`${name}: a ${patch.kind} was reviewed`);
      records.push(triagePatch(patch, review));
    }
  }
  return records;
}

function row(s: SeriesRecord): string {
  const present = s.patches.map((p) => p.index).join(',');
  const tree = s.tree === 'stable' ? `stable ${s.stableVersion ?? ''}` : s.treeName ?? '-';
  return `${s.title.slice(0, 60).padEnd(60)} ${tree.padEnd(10)} v${s.revision} ${String(s.patches.length).padStart(2)}/${s.total}${s.coverLetter ? ' cover' : ''}${s.pullRequest ? ' pull' : ''} [${present}] replies=${s.replies}${s.supersededBy ? ` superseded→${s.supersededBy}` : ''}${s.relevant ? ' relevant' : ''}`;
}

describe.skipIf(!existsSync(MAILS))('mail corpus: 600 list mails assembled into series', () => {
  it('reviews no reply, puts every patch in a series, takes titles from cover letters', async () => {
    const records = await triageArchive();
    expect(records.length).toBeGreaterThanOrEqual(600);
    const series = assembleSeries(records);
    console.log(`${series.length} series\n${series.map(row).join('\n')}`);

    // No reply is ever reviewed as a patch (the ingest stage's kind is what the reviewer keys on).
    const replies = records.filter((r) => r.kind === 'reply');
    expect(replies.length).toBeGreaterThan(200);
    expect(replies.filter((r) => r.reviewed || r.findings.length > 0).map((r) => r.origin)).toEqual([]);
    const listed = new Set(series.flatMap((s) => s.patches.map((p) => p.messageId)));
    expect(replies.filter((r) => listed.has(r.messageId))).toEqual([]);

    // Every patch mail belongs to exactly one series.
    const patches = records.filter((r) => r.kind === 'patch');
    expect(patches.filter((r) => !listed.has(r.messageId)).map((r) => r.origin)).toEqual([]);
    expect(series.reduce((n, s) => n + s.patches.length, 0)).toBe(patches.length);

    // Cover letters give titles.
    for (const cover of records.filter((r) => r.kind === 'cover-letter' || r.kind === 'pull-request')) {
      const s = series.find((x) => x.coverLetter === cover.messageId);
      expect(s?.title, cover.origin).toBe(cover.title);
    }

    // Spot checks on series known to be in the archive.
    const byTitle = (title: string, revision: number) => series.find((s) => s.title.startsWith(title) && s.revision === revision);
    const grcan = byTitle('can: grcan: Enhance driver with CANFD Support', 3);
    expect(grcan?.coverLetter).toBe('20260122121038.7910-1-arun.muthusamy@gaisler.com');
    expect(grcan?.patches.map((p) => p.index)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const v5 = byTitle('mmc: host: renesas_sdhi_core: support configuring', 5);
    const v6 = byTitle('mmc: host: renesas_sdhi_core: support configuring', 6);
    expect(v5?.supersededBy).toBe(v6?.key);
    const v7 = byTitle('mmc: host: renesas_sdhi_core: support configuring', 7);
    expect(v6?.supersededBy).toBe(v7?.key);
    expect(v7?.supersededBy).toBeUndefined();
    // Backports of one fix to two stable versions share a title but are not resends.
    const stable = series.filter((s) => s.tree === 'stable' && s.title.startsWith('can: gs_usb: gs_usb_receive_bulk_callback(): fix URB'));
    expect(stable.map((s) => [s.stableVersion, s.supersededBy])).toEqual([['5.15', undefined], ['5.10', undefined]]);
    const dummyV1 = byTitle('dummy_can: fix packet statistics', 1);
    const dummyV2 = byTitle('dummy_can: fix packet statistics', 2);
    expect(dummyV1?.supersededBy).toBe(dummyV2?.key);
    const pull = series.find((s) => s.coverLetter === '20260116200323.366877-1-mkl@pengutronix.de');
    expect(pull?.pullRequest).toBe(true);
    expect(pull?.patches).toHaveLength(7);
  }, 120_000);
});
