// The per-patch time budget (reviewPatch's budgetMs, default PATCH_BUDGET_MS): past it no further file is
// analysed and no further rule starts, and the review says so — a partial review, never a hang or a crash.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../rules/index.js';
import { readPatches } from '../../src/ingest/read-input.js';
import { PATCH_BUDGET_MS, reviewPatch } from '../../src/review/review-patch.js';

async function examplePatch() {
  const [patch] = await readPatches(readFileSync('examples/acme-new-driver.patch'), 'example');
  return patch!;
}

/** A patch adding one transmit function of `n` locked branches. */
async function hugePatch(n: number) {
  const body = ['#include <linux/netdevice.h>', 'static netdev_tx_t big_xmit(struct sk_buff *skb, struct net_device *dev)', '{', '\tint x = skb->len;'];
  for (let i = 0; i < n; i++) body.push(`\tif (x == ${i}) { spin_lock(&lock${i % 7}); x += ${i}; spin_unlock(&lock${i % 7}); }`);
  body.push('\treturn NETDEV_TX_OK;', '}', 'static const struct net_device_ops big_ops = { .ndo_start_xmit = big_xmit };');
  const diff = ['diff --git a/drivers/net/big.c b/drivers/net/big.c', 'new file mode 100644', '--- /dev/null', '+++ b/drivers/net/big.c',
    `@@ -0,0 +1,${body.length} @@`, ...body.map((l) => `+${l}`)].join('\n');
  const [patch] = await readPatches(Buffer.from(`From: a <a@example.org>\nSubject: [PATCH net-next] net: big\n\n---\n${diff}\n`), 'big');
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
