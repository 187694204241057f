// CLI end to end: hunks that hold only part of a function (no --tree) — the shapes `git format-patch -U3` produces.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { checkJson, ensureBuilt, FIXTURES, findingKeys, fixture } from './harness.js';

beforeAll(() => ensureBuilt());

// Each fixture also adds a line to ks8_netdev_ops in a second hunk, so ks8_start_xmit is bound as
// ndo_start_xmit by the patch itself, and its @@ header names ks8_start_xmit.

describe('hunks the fragment reader handles', () => {
  it('a hunk wholly inside the function that ends with its closing brace', () => {
    const { status, report } = checkJson([fixture('garbage-c.patch'), fixture('stable-5.10.patch')]);
    expect(status).toBe(1);
    expect(report.reviews.map(findingKeys)).toEqual([['sleep-in-atomic-ndo@58'], ['xmit-return-type@49']]);
  });

  it('a hunk wholly inside the function whose braces balance (series 2/3)', () => {
    const { report } = checkJson([fixture('series.mbox')]);
    expect(findingKeys(report.reviews[2]!)).toEqual(['sleep-in-atomic-ndo@71']);
  });

  it('a hunk inside the function whose trailing context ends a block comment it opened', () => {
    // The control for the dangling-comment case below: the same patch with the comment closed in context.
    const text = readFileSync(path.join(FIXTURES, 'xmit-hunk-before-comment.patch'), 'utf8')
      .replace('@@ -41,6 +41,7 @@', '@@ -41,7 +41,8 @@')
      .replace(' \t * drop rather than an error (the ring did not see it).\n', ' \t * drop rather than an error (the ring did not see it).\n \t */\n');
    const { status, report } = checkJson(['-'], { input: text });
    expect(status).toBe(1);
    expect(findingKeys(report.reviews[0]!)).toEqual(['sleep-in-atomic-ndo@44']);
  });
});

describe('hunks whose function is lost (missing findings)', () => {
  it('a hunk that starts at the opening brace and ends inside the body', () => {
    const { status, report } = checkJson([fixture('xmit-hunk-from-brace.patch')]);
    expect(findingKeys(report.reviews[0]!)).toContain('xmit-return-type@43');
    expect(status).toBe(1);
  });

  it('a hunk that starts at the signature and ends inside the body', () => {
    const { status, report } = checkJson([fixture('xmit-hunk-from-signature.patch')]);
    expect(findingKeys(report.reviews[0]!)).toContain('xmit-return-type@42');
    expect(status).toBe(1);
  });

  it('a hunk that starts by closing an inner block and ends inside the body', () => {
    const { status, report } = checkJson([fixture('xmit-hunk-after-inner-block.patch')]);
    expect(findingKeys(report.reviews[0]!)).toContain('sleep-in-atomic-ndo@53');
    expect(status).toBe(1);
  });

  it('a hunk inside the body whose trailing context opens a block comment', () => {
    const { status, report } = checkJson([fixture('xmit-hunk-before-comment.patch')]);
    expect(findingKeys(report.reviews[0]!)).toContain('sleep-in-atomic-ndo@44');
    expect(status).toBe(1);
  });
});
