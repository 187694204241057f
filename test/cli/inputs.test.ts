// CLI end to end: what `check` reads — format-patch, an mbox series, a bare diff, stdin, a reply, several files at once.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { checkJson, ensureBuilt, expectNoStackTrace, FIXTURES, findingKeys, fixture, runCli } from './harness.js';

beforeAll(() => ensureBuilt());

const KS8 = 'drivers/net/ethernet/kestrel/ks8_main.c';
/** What ks8-new-driver.patch (a new driver file, whole functions) must produce. */
const NEW_DRIVER_FINDINGS = ['xmit-return-type@24', 'sleep-in-atomic-ndo@31', 'xmit-return-type@35', 'netdev-free-api@76'];

describe('a git format-patch file', () => {
  it('is reviewed as one patch: subject, tag target, findings in line order', () => {
    const { status, report } = checkJson([fixture('ks8-new-driver.patch')]);
    expect(status).toBe(1);
    expect(report.reviews).toHaveLength(1);
    const review = report.reviews[0]!;
    expect(review).toMatchObject({
      origin: fixture('ks8-new-driver.patch'),
      subject: '[PATCH net-next] net: ethernet: add Kestrel KS8 driver',
      target: { version: 'mainline', source: 'subject' },
    });
    expect(review.skipped ?? null).toBeNull();
    expect(findingKeys(review)).toEqual(NEW_DRIVER_FINDINGS);
    for (const f of review.findings) {
      expect(f.file).toBe(KS8);
      expect(f.scope).toBe('change');
    }
    expect(report.inputErrors).toEqual([]);
  });
});

describe('an mbox holding a series with a cover letter', () => {
  it('skips the cover letter, reviews 1/3..3/3 and keeps their order', () => {
    const { status, report } = checkJson([fixture('series.mbox')]);
    expect(status).toBe(1);
    expect(report.reviews.map((r) => r.origin)).toEqual([1, 2, 3, 4].map((n) => `${fixture('series.mbox')}#${n}`));
    expect(report.reviews.map((r) => r.subject)).toEqual([
      '[PATCH net-next 0/3] net: kestrel: MAC address, stats and teardown',
      '[PATCH net-next 1/3] net: kestrel: read the MAC address from the EEPROM shadow registers',
      '[PATCH net-next 2/3] net: kestrel: expose ndo_get_stats64',
      '[PATCH net-next 3/3] net: kestrel: unmap the register window on remove',
    ]);
    const [cover, p1, p2, p3] = report.reviews;
    expect(cover!.skipped).toBe('cover letter');
    expect(cover!.findings).toEqual([]);
    expect(p1!.skipped ?? null).toBeNull();
    expect(findingKeys(p1!)).toEqual([]);
    // 2/3 takes a mutex in ndo_start_xmit; 3/3 reads priv after free_netdev().
    expect(findingKeys(p2!)).toEqual(['sleep-in-atomic-ndo@71']);
    expect(findingKeys(p3!)).toEqual(['netdev-use-after-free@147']);
    expect(p3!.findings[0]!.message).toContain('free_netdev() at line 146');
    expect(report.inputErrors).toEqual([]);
  });

  it('shows the cover letter as skipped in text output, in series order', () => {
    const r = runCli(['check', fixture('series.mbox')]);
    expect(r.status).toBe(1);
    const cover = r.stdout.indexOf('series.mbox#1: skipped: cover letter');
    const second = r.stdout.indexOf('series.mbox#3: [PATCH net-next 2/3]');
    const third = r.stdout.indexOf('series.mbox#4: [PATCH net-next 3/3]');
    expect(cover).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(cover);
    expect(third).toBeGreaterThan(second);
    expect(r.stdout).toMatch(/2 errors, 0 warnings, 0 infos in 3 patches \(1 skipped\)/);
  });
});

describe('a bare unified diff (diff -up, no mail, no git header)', () => {
  it('is reviewed, with the default target', () => {
    const { status, report } = checkJson([fixture('bare.diff')]);
    expect(status).toBe(1);
    const review = report.reviews[0]!;
    expect(review.origin).toBe(fixture('bare.diff'));
    expect(review.subject ?? null).toBeNull();
    expect(review.target).toEqual({ version: 'mainline', source: 'default' });
    expect(findingKeys(review)).toEqual(['netdev-free-api@126']);
    expect(review.findings[0]!.fix?.replacement).toBe('\tfree_netdev(ndev);');
  });
});

describe('stdin', () => {
  const bytes = readFileSync(path.join(FIXTURES, 'ks8-new-driver.patch'));

  it("reads '-' as stdin, named <stdin>", () => {
    const { status, report } = checkJson(['-'], { input: bytes });
    expect(status).toBe(1);
    expect(report.reviews[0]!.origin).toBe('<stdin>');
    expect(findingKeys(report.reviews[0]!)).toEqual(NEW_DRIVER_FINDINGS);
  });

  it('gives the same checkpatch lines as the file (line numbers of the input)', () => {
    const fromFile = runCli(['check', '-f', 'checkpatch', fixture('ks8-new-driver.patch')]);
    const fromStdin = runCli(['check', '-f', 'checkpatch', '-'], { input: bytes });
    const located = (s: string) => s.split('\n').filter((l) => /^#\d+: FILE: /.test(l));
    expect(located(fromStdin.stdout)).toEqual(located(fromFile.stdout));
    expect(located(fromStdin.stdout)).toHaveLength(4);
  });

  it('mixes stdin with files, in argument order', () => {
    const { report } = checkJson([fixture('clean.patch'), '-', fixture('bare.diff')], { input: bytes });
    expect(report.reviews.map((r) => r.origin)).toEqual([fixture('clean.patch'), '<stdin>', fixture('bare.diff')]);
  });

  it('says so when stdin is empty (exit 2)', () => {
    const r = runCli(['check', '-'], { input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('netdev-review: <stdin>: empty input\n');
  });
});

describe('a reply mail quoting a patch', () => {
  it('is not reviewed: shown as a skipped reply, and exit 2 (no patch in the input)', () => {
    const { status, report, stderr } = checkJson([fixture('reply.eml')]);
    expect(status).toBe(2);
    expect(report.reviews).toHaveLength(1);
    expect(report.reviews[0]!.subject).toMatch(/^Re: \[PATCH net-next 3\/3\]/);
    expect(report.reviews[0]!.skipped).toMatch(/reply/);
    // The quoted `> +\tpci_iounmap(pdev, priv->regs);` is the bug 3/3 has, but it is not this mail's change.
    expect(report.reviews[0]!.findings).toEqual([]);
    expect(stderr).toBe('netdev-review: reply.eml: no patch to review (found: reply)\n'.replace('reply.eml', fixture('reply.eml')));
  });

  it('next to the series it answers: the series is reviewed, the reply is not', () => {
    const { status, report } = checkJson([fixture('series.mbox'), fixture('reply.eml')]);
    expect(status).toBe(2);
    expect(report.reviews.filter((r) => !r.skipped)).toHaveLength(3);
    expect(report.reviews.at(-1)!.skipped).toMatch(/reply/);
  });
});

describe('several files in one process', () => {
  it('reports the findings of each, in argument order', () => {
    const { status, report } = checkJson([fixture('clean.patch'), fixture('ks8-new-driver.patch'), fixture('bare.diff'), fixture('stable-5.10.patch')]);
    expect(status).toBe(1);
    expect(report.reviews.map((r) => r.origin)).toEqual(['clean.patch', 'ks8-new-driver.patch', 'bare.diff', 'stable-5.10.patch'].map(fixture));
    expect(report.reviews.map(findingKeys)).toEqual([[], NEW_DRIVER_FINDINGS, ['netdev-free-api@126'], ['xmit-return-type@49']]);
    expect(report.summary).toEqual({ errors: 6, warnings: 0, infos: 0 });
  });

  it('prints one text block per patch and one total', () => {
    const r = runCli(['check', fixture('clean.patch'), fixture('bare.diff')]);
    expectNoStackTrace(r.stderr);
    expect(r.stdout).toContain(`${fixture('clean.patch')}: [PATCH net-next] net: kestrel: report missed frames in ndo_get_stats64`);
    expect(r.stdout).toContain(`${KS8}:126: error:`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 error, 0 warnings, 0 infos in 2 patches');
  });
});
