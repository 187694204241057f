// CLI end to end: which kernel a patch targets (--kernel-version, subject tag, --tree Makefile), --all, and --tree.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { checkJson, ensureBuilt, findingKeys, fixture, runCli } from './harness.js';

beforeAll(() => ensureBuilt());

describe('kernel ranges: xmit-return-type applies since 2.6.32', () => {
  it('fires with --kernel-version 6.1', () => {
    const { status, report } = checkJson(['--kernel-version', '6.1', fixture('stable-5.10.patch')]);
    expect(status).toBe(1);
    expect(report.reviews[0]!.target).toEqual({ version: '6.1', source: 'flag' });
    expect(findingKeys(report.reviews[0]!)).toEqual(['xmit-return-type@49']);
    expect(report.reviews[0]!.findings[0]!.citation?.url).toContain('/doc/html/v6.1/');
  });

  it('is silent with --kernel-version 2.6.28 (before netdev_tx_t)', () => {
    const { status, report } = checkJson(['--kernel-version', '2.6.28', fixture('stable-5.10.patch')]);
    expect(status).toBe(0);
    expect(report.reviews[0]!.target).toEqual({ version: '2.6.28', source: 'flag' });
    expect(report.reviews[0]!.findings).toEqual([]);
  });

  it('fires from 2.6.32 on, the first release in range', () => {
    const { report } = checkJson(['-k', '2.6.32', fixture('stable-5.10.patch')]);
    expect(findingKeys(report.reviews[0]!)).toEqual(['xmit-return-type@49']);
    expect(report.reviews[0]!.target.version).toBe('2.6.32');
  });

  it('takes the same range through the text and checkpatch formats', () => {
    const text = runCli(['check', '-k', '2.6.28', fixture('stable-5.10.patch')]).stdout;
    expect(text).toContain('  target: 2.6.28 (from --kernel-version)\n  no findings\n');
    expect(runCli(['check', '-f', 'checkpatch', '-k', '2.6.28', fixture('stable-5.10.patch')]).stdout).not.toContain('XMIT_RETURN_TYPE');
    expect(runCli(['check', '-f', 'checkpatch', '-k', '6.1', fixture('stable-5.10.patch')]).stdout).toContain('ERROR:XMIT_RETURN_TYPE:');
  });
});

describe('the subject tag sets the target', () => {
  it('[PATCH 5.10 1/2] targets 5.10', () => {
    const { status, report } = checkJson([fixture('stable-5.10.patch')]);
    expect(status).toBe(1);
    expect(report.reviews[0]!.subject).toBe('[PATCH 5.10 1/2] net: kestrel: allow changing the MAC address');
    expect(report.reviews[0]!.target).toEqual({ version: '5.10', source: 'subject' });
    expect(report.reviews[0]!.findings[0]!.citation?.url).toContain('/doc/html/v5.10/');
  });

  it('--kernel-version overrides the tag', () => {
    const { report } = checkJson(['--kernel-version', '6.1', fixture('stable-5.10.patch')]);
    expect(report.reviews[0]!.target).toEqual({ version: '6.1', source: 'flag' });
  });

  it('net-next targets mainline; no tag and no tree is the mainline default', () => {
    expect(checkJson([fixture('clean.patch')]).report.reviews[0]!.target).toEqual({ version: 'mainline', source: 'subject' });
    expect(checkJson([fixture('bare.diff')]).report.reviews[0]!.target).toEqual({ version: 'mainline', source: 'default' });
  });
});

describe('--all', () => {
  // The patch changes one line of ks8_start_xmit (whole function as context, `git format-patch -W`);
  // the function already returned -EBUSY elsewhere.
  it('without --all, a bug the change did not introduce is not reported', () => {
    const { status, report } = checkJson([fixture('function-context.patch')]);
    expect(status).toBe(0);
    expect(report.reviews[0]!.findings).toEqual([]);
  });

  it('with --all, it is reported and labelled pre-existing', () => {
    const { status, report } = checkJson(['--all', fixture('function-context.patch')]);
    expect(status).toBe(1);
    const [f, ...rest] = report.reviews[0]!.findings;
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'xmit-return-type', line: 49, scope: 'pre-existing' });
    expect(f!.message).toContain('-EBUSY');
    expect(runCli(['check', '-a', fixture('function-context.patch')]).stdout).toMatch(/:49: error: .*\[xmit-return-type\] \(pre-existing\)/);
  });

  it('with --all, findings the change introduced keep scope "change"', () => {
    const { report } = checkJson(['--all', fixture('ks8-new-driver.patch')]);
    expect(report.reviews[0]!.findings.every((f) => f.scope === 'change')).toBe(true);
  });
});

const TREE = '/opt/linux/linux-source-6.1';
const E1000 = 'drivers/net/ethernet/intel/e1000/e1000_main.c';

describe.skipIf(!existsSync(path.join(TREE, E1000)))('--tree with a real kernel checkout (6.1)', () => {
  /** Two hunks built from the tree's own text, so the context matches: one in ndo_set_rx_mode, one in ndo_start_xmit. */
  let patchFile: string;
  let rxModeLine: number;
  let xmitLine: number;

  beforeAll(() => {
    const lines = readFileSync(path.join(TREE, E1000), 'utf8').split('\n');
    const definition = (head: string) => lines.findIndex((l, i) => l.startsWith(head) && !l.trimEnd().endsWith(';') && !lines[i + 1]!.trimEnd().endsWith(';'));
    const after = (from: number, text: string) => lines.findIndex((l, i) => i > from && l === text);
    const ctx = (from: number, to: number) => lines.slice(from, to).map((l) => ` ${l}\n`).join('');

    // Hunk 1: e1000_set_rx_mode's GFP_ATOMIC allocation turned into GFP_KERNEL (a one-line change).
    const rxFn = definition('static void e1000_set_rx_mode(');
    const alloc = after(rxFn, '\tu32 *mcarray = kcalloc(mta_reg_count, sizeof(u32), GFP_ATOMIC);');
    expect(rxFn).toBeGreaterThan(0);
    expect(alloc).toBeGreaterThan(rxFn);
    rxModeLine = alloc + 1;
    const h1 =
      `@@ -${alloc - 2},7 +${alloc - 2},7 @@ ${lines[rxFn]}\n` +
      ctx(alloc - 3, alloc) +
      `-${lines[alloc]}\n+${lines[alloc]!.replace('GFP_ATOMIC', 'GFP_KERNEL')}\n` +
      ctx(alloc + 1, alloc + 4);

    // Hunk 2: a mutex taken in e1000_xmit_frame, after `tx_ring = adapter->tx_ring;`.
    const xmitFn = definition('static netdev_tx_t e1000_xmit_frame(');
    const anchor = after(xmitFn, '\ttx_ring = adapter->tx_ring;');
    expect(anchor).toBeGreaterThan(xmitFn);
    xmitLine = anchor + 2;
    const h2 = `@@ -${anchor - 1},6 +${anchor - 1},7 @@ ${lines[xmitFn]}\n` + ctx(anchor - 2, anchor + 1) + '+\tmutex_lock(&adapter->mutex);\n' + ctx(anchor + 1, anchor + 4);

    patchFile = path.join(mkdtempSync(path.join(tmpdir(), 'netdev-review-tree-')), 'e1000.patch');
    writeFileSync(
      patchFile,
      'From: Priya Raman <priya.raman@example.net>\nSubject: [PATCH] e1000: serialize transmit with the adapter mutex\n\n' +
        'Signed-off-by: Priya Raman <priya.raman@example.net>\n---\n' +
        `diff --git a/${E1000} b/${E1000}\n--- a/${E1000}\n+++ b/${E1000}\n` +
        h1 +
        h2,
    );
  });

  it('applies the patch to the tree file and reports both findings, with roles from the real ops table', () => {
    const { status, report } = checkJson(['--tree', TREE, patchFile]);
    expect(status).toBe(1);
    const review = report.reviews[0]!;
    expect(review.notes.join('\n')).toContain(`applied to ${path.join(TREE, E1000)}`);
    expect(findingKeys(review)).toEqual([`sleep-in-atomic-ndo@${rxModeLine}`, `sleep-in-atomic-ndo@${xmitLine}`]);
    const [rx, xmit] = review.findings;
    // e1000_set_rx_mode's signature says nothing of its role: only e1000_netdev_ops binds it, so an error.
    expect(rx).toMatchObject({ severity: 'error', file: E1000 });
    expect(rx!.message).toContain('e1000_set_rx_mode is ndo_set_rx_mode');
    expect(rx!.fix?.replacement).toContain('GFP_ATOMIC');
    expect(xmit).toMatchObject({ severity: 'error', file: E1000 });
    expect(xmit!.message).toContain('mutex_lock() may sleep');
    expect(xmit!.message).toContain('e1000_xmit_frame is ndo_start_xmit');
  });

  it('without the tree, the same rx_mode change has only the name to go by: a warning', () => {
    const { report } = checkJson([patchFile]);
    const rx = report.reviews[0]!.findings.find((f) => f.line === rxModeLine);
    expect(rx).toMatchObject({ ruleId: 'sleep-in-atomic-ndo', severity: 'warning' });
  });

  it('without the tree, the xmit change is still found from the hunk alone', () => {
    const { report } = checkJson([patchFile]);
    expect(report.reviews[0]!.findings.map((f) => f.line)).toContain(xmitLine);
  });

  it("cites the tree's own document (docLabel and lines in it)", () => {
    const { report } = checkJson(['--tree', TREE, patchFile]);
    const doc = readFileSync(path.join(TREE, 'Documentation/networking/netdevices.rst'), 'utf8').split('\n');
    const [rx, xmit] = report.reviews[0]!.findings;
    for (const [f, entry] of [[rx!, 'ndo_set_rx_mode'], [xmit!, 'ndo_start_xmit']] as const) {
      expect(f.citation?.docLabel).toMatch(/tree/);
      expect(f.citation?.docLabel).toContain('6.1');
      expect(f.citation?.entry).toBe(entry);
      const lines = f.citation?.lines;
      expect(lines).toBeTruthy();
      expect(lines!.end).toBeGreaterThanOrEqual(lines!.start);
      expect(doc[lines!.start - 1]).toMatch(new RegExp(`^${entry}\\b`));
    }
  });

  it("takes the target from the tree's Makefile (6.1) when the subject has no tag", () => {
    const { report } = checkJson(['--tree', TREE, patchFile]);
    expect(report.reviews[0]!.target).toEqual({ version: '6.1', source: 'tree' });
  });

  it('still lets --kernel-version and a subject tag win over the tree', () => {
    expect(checkJson(['--tree', TREE, '-k', '5.10', patchFile]).report.reviews[0]!.target).toEqual({ version: '5.10', source: 'flag' });
    expect(checkJson(['--tree', TREE, fixture('clean.patch')]).report.reviews[0]!.target).toEqual({ version: 'mainline', source: 'subject' });
  });
});
