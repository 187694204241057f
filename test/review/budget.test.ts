// The per-patch time budget (reviewPatch's budgetMs, default PATCH_BUDGET_MS): past it no further file is
// analysed and no further rule starts, and the review says so — a partial review, never a hang or a crash.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../rules/index.js';
import { readPatches } from '../../src/ingest/read-input.js';
import { PATCH_BUDGET_MS, reviewPatch } from '../../src/review/review-patch.js';
import { hugeXmitMail } from '../lib/pathological.js';

async function examplePatch() {
  const [patch] = await readPatches(readFileSync('examples/acme-new-driver.patch'), 'example');
  return patch!;
}

/** A patch adding one transmit function of `n` locked branches. */
async function hugePatch(n: number) {
  const [patch] = await readPatches(hugeXmitMail(n), 'big');
  return patch!;
}

describe('per-patch time budget', () => {
  it('is generous by default: the example gets its whole review', async () => {
    const review = await reviewPatch(await examplePatch(), { rules: ALL_RULES, audit: false });
    expect(PATCH_BUDGET_MS).toBeGreaterThanOrEqual(10_000);
    expect(review.findings).toHaveLength(7);
    expect(review.notes.some((n) => n.includes('time budget'))).toBe(false);
  });

  it('spent before it starts: nothing analysed, every applicable rule named as not run', async () => {
    const review = await reviewPatch(await examplePatch(), { rules: ALL_RULES, audit: false, budgetMs: -1 });
    expect(review.findings).toEqual([]);
    expect(review.notes).toContain("drivers/net/ethernet/acme/acme_eth.c: not analysed: the patch's time budget ran out");
    const ruleNote = review.notes.find((n) => n.startsWith('time budget of -0.001 s ran out: rules not run: '));
    expect(ruleNote).toBeDefined();
    expect(ruleNote).toContain('netdev-free-api');
    expect(ruleNote).toContain('xmit-return-type');
  });

  it('spent half-way through a pathological patch: the rules after it are skipped and named', async () => {
    const review = await reviewPatch(await hugePatch(6_000), { rules: ALL_RULES, audit: false, budgetMs: 50 });
    const ruleNote = review.notes.find((n) => n.startsWith('time budget of 0.05 s ran out: rules not run: '));
    expect(ruleNote).toBeDefined();
    const notRun = ruleNote!.slice(ruleNote!.lastIndexOf(': ') + 2).split(', ');
    expect(notRun.length).toBeGreaterThan(0);
    expect(notRun.every((id) => ALL_RULES.some((r) => r.meta.id === id))).toBe(true);
    // What did run may still report; nothing it reports comes from a rule it says was not run.
    expect(review.findings.every((f) => !notRun.includes(f.ruleId))).toBe(true);
  });
});
