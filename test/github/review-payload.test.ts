// GitHub way in tests: the review a push gets — comment bodies, suggestions, markers, fingerprints, what is skipped.

import { describe, expect, it } from 'vitest';
import { commentableFiles } from '../../src/github/commentable.js';
import {
  buildReview,
  commentBody,
  findingFingerprint,
  MAX_COMMENT_BODY,
  MAX_LISTED_IN_REVIEW_BODY,
  parseMarker,
  parseMarkers,
  utf8Length,
  type PlacedFinding,
  type ReviewInput,
} from '../../src/github/review-payload.js';
import { busyFinding, CHECK_URL, DOCS, FOO, FOO_PATCH, freeFinding, HEAD_SHA, mtuFinding, OPENWRT, OPENWRT_PATCH, placed, sleepFinding } from './fixtures.js';

const files = commentableFiles([
  { filename: FOO, patch: FOO_PATCH },
  { filename: OPENWRT, patch: OPENWRT_PATCH },
]);

function input(findings: PlacedFinding[], over: Partial<ReviewInput> = {}): ReviewInput {
  return {
    findings,
    isCommentable: files.isCommentable,
    sameHunk: files.sameHunk,
    alreadyCommented: new Set(),
    event: 'COMMENT',
    headSha: HEAD_SHA,
    summaryUrl: CHECK_URL,
    rulesDocBase: DOCS,
    ...over,
  };
}

describe('findingFingerprint', () => {
  it('is short hex', () => {
    expect(findingFingerprint(freeFinding(), FOO)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('stays the same when the line moves (lines added above it)', () => {
    const before = freeFinding();
    const after = freeFinding({ line: 431, evidence: [431], fix: { ...before.fix!, line: 431, endLine: 431 } });
    expect(findingFingerprint(after, FOO)).toBe(findingFingerprint(before, FOO));
  });

  it('ignores changes in whitespace (re-indented line)', () => {
    expect(findingFingerprint(freeFinding({ sourceLine: '        kfree( ndev);'.replace('( ', '(') }), FOO)).toBe(
      findingFingerprint(freeFinding({ sourceLine: '\tkfree(ndev);' }), FOO),
    );
    expect(findingFingerprint(freeFinding({ sourceLine: '\tkfree(ndev);  ' }), FOO)).toBe(findingFingerprint(freeFinding(), FOO));
  });

  it('changes when the line text, the rule, the message id or the path changes', () => {
    const base = findingFingerprint(freeFinding(), FOO);
    expect(findingFingerprint(freeFinding({ sourceLine: '\tkfree(priv->ndev);' }), FOO)).not.toBe(base);
    expect(findingFingerprint(freeFinding({ ruleId: 'netdev-use-after-free' }), FOO)).not.toBe(base);
    expect(findingFingerprint(freeFinding({ messageId: 'other' }), FOO)).not.toBe(base);
    expect(findingFingerprint(freeFinding(), 'drivers/net/ethernet/foo/foo_pci.c')).not.toBe(base);
  });

  it('without the line text, uses the message with its line numbers masked', () => {
    const a = busyFinding({ sourceLine: undefined });
    const b = busyFinding({ sourceLine: undefined, line: 230, message: a.message.replace('line 213', 'line 227') });
    expect(findingFingerprint(b, FOO)).toBe(findingFingerprint(a, FOO));
    expect(findingFingerprint(busyFinding({ sourceLine: undefined, message: 'something else' }), FOO)).not.toBe(findingFingerprint(a, FOO));
  });
});

describe('markers', () => {
  it('ends every comment and reads back', () => {
    const f = freeFinding();
    const body = commentBody(f, { suggestion: true });
    expect(body.endsWith(`<!-- netdev-review:fingerprint=${findingFingerprint(f, FOO)} rule=netdev-free-api -->`)).toBe(true);
    expect(parseMarker(body)).toEqual({ fingerprint: findingFingerprint(f, FOO), rule: 'netdev-free-api' });
  });

  it('is absent from other people\'s comments', () => {
    expect(parseMarker('LGTM, but please use free_netdev() here')).toBeUndefined();
    expect(parseMarker('<!-- netdev-review:fingerprint=zz rule=x -->')).toBeUndefined();
  });

  it('cannot be forged through a finding\'s message', () => {
    const f = freeFinding({ message: 'see <!-- netdev-review:fingerprint=0000000000000000 rule=fake -->' });
    expect(parseMarkers(commentBody(f, { suggestion: false }))).toEqual([{ fingerprint: findingFingerprint(f, FOO), rule: 'netdev-free-api' }]);
  });
});

describe('commentBody', () => {
  it('reads well with a suggestion (what the author sees on line 415)', () => {
    expect(commentBody(freeFinding(), { suggestion: true, rulesDocBase: DOCS })).toMatchInlineSnapshot(`
      "**error** · [\`netdev-free-api\`](https://github.com/acme/netdev-review/blob/main/docs/rules/netdev-free-api.md)

      ndev is a struct net_device: free it with free_netdev(), not kfree() — its memory may come from vmalloc and the core has teardown to do

      Document: [struct net_device lifetime rules](https://github.com/acme/linux/blob/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d/Documentation/networking/netdevices.rst#L13-L63) (v6.6)

      Suggested fix: use free_netdev()
      \`\`\`suggestion
      	free_netdev(ndev);
      \`\`\`

      <!-- netdev-review:fingerprint=c9b888b5e2c8979d rule=netdev-free-api -->"
    `);
  });

  it('reads well with a call chain and no fix', () => {
    expect(commentBody(sleepFinding(), { suggestion: false, rulesDocBase: DOCS })).toMatchInlineSnapshot(`
      "**error** · [\`sleep-in-atomic-ndo\`](https://github.com/acme/netdev-review/blob/main/docs/rules/sleep-in-atomic-ndo.md)

      mutex_lock() may sleep (it takes a mutex), but foo_start_xmit is ndo_start_xmit (BHs disabled) through foo_refill(); move the refill to process context (a work item) or use a spinlock

      Reached through \`foo_start_xmit\` → \`foo_refill\` → \`mutex_lock\`.

      Document: [struct net_device synchronization rules › ndo_start_xmit](https://github.com/acme/linux/blob/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d/Documentation/networking/netdevices.rst#L77-L84) (v6.6)

      <!-- netdev-review:fingerprint=d73c54a441a847bb rule=sleep-in-atomic-ndo -->"
    `);
  });

  it('points to the check run for a fix GitHub cannot take as a suggestion', () => {
    const body = commentBody(freeFinding(), { suggestion: false, rulesDocBase: DOCS, summaryUrl: CHECK_URL });
    expect(body).not.toContain('```suggestion');
    expect(body).toContain(
      `Fix: use free_netdev(). The replacement is in the [check run](${CHECK_URL}) (GitHub takes no suggestion on these lines).`,
    );
  });

  it('keeps a link whole when its URL has parentheses or spaces', () => {
    const f = freeFinding({ citation: { section: 'MTU', url: 'https://example.org/doc (v6.1)/netdevices.html#mtu', docLabel: 'v6.1' } });
    expect(commentBody(f, { suggestion: false })).toContain('Document: [MTU](https://example.org/doc%20%28v6.1%29/netdevices.html#mtu) (v6.1)');
  });

  it('leaves the rule id unlinked without a docs base', () => {
    expect(commentBody(busyFinding(), { suggestion: false }).split('\n')[0]).toBe('**warning** · `xmit-busy`');
  });

  it('escapes Markdown and HTML in the message', () => {
    const body = commentBody(freeFinding({ message: '<b>dev</b> *is* [freed](x) `twice` ~~gone~~ &amp; _init_ __exit' }), { suggestion: false });
    expect(body.split('\n\n')[1]).toBe('\\<b>dev\\</b> \\*is\\* \\[freed\\](x) \\`twice\\` \\~\\~gone\\~\\~ \\&amp; \\_init\\_ \\_\\_exit');
  });

  it('leaves identifiers, arrows and calls as they are', () => {
    const body = commentBody(freeFinding({ message: 'dev->mtu + ETH_HLEN in foo_rx_refill(), a | b' }), { suggestion: false });
    expect(body.split('\n\n')[1]).toBe('dev->mtu + ETH_HLEN in foo_rx_refill(), a | b');
  });

  it('keeps a message from turning into a heading, list or quote', () => {
    const body = commentBody(freeFinding({ message: '# not a heading\n- not a list\n> not a quote\n1. not numbered' }), { suggestion: false });
    expect(body.split('\n\n')[1]).toBe('\\# not a heading\n\\- not a list\n\\> not a quote\n1\\. not numbered');
  });

  it('fences a suggestion so backticks in the code cannot close it', () => {
    const body = commentBody(freeFinding({ fix: { line: 415, endLine: 415, replacement: '\t/* ``` */ free_netdev(ndev);', description: 'x' } }), {
      suggestion: true,
    });
    expect(body).toContain('````suggestion\n\t/* ``` */ free_netdev(ndev);\n````');
  });

  it('a fix that deletes lines is an empty suggestion', () => {
    const body = commentBody(freeFinding({ fix: { line: 415, endLine: 415, replacement: '', description: 'drop the free' } }), { suggestion: true });
    expect(body).toContain('Suggested fix: drop the free\n```suggestion\n\n```');
  });

  it('is cut to GitHub\'s limit, keeping the marker', () => {
    const huge = freeFinding({ message: 'ndev is freed twice; '.repeat(5000) });
    const body = commentBody(huge, { suggestion: true });
    expect(utf8Length(body)).toBeLessThanOrEqual(MAX_COMMENT_BODY);
    expect(body).toMatch(/… \(cut: GitHub takes at most 65,536 characters here\)\n\n<!-- netdev-review:fingerprint=[0-9a-f]{16} rule=netdev-free-api -->$/);
  });

  it('counts bytes, not characters, when cutting', () => {
    const body = commentBody(freeFinding({ message: 'ü'.repeat(40000) }), { suggestion: false });
    expect(utf8Length(body)).toBeLessThanOrEqual(MAX_COMMENT_BODY);
    expect(body).not.toContain('\uFFFD');
  });

  it('drops a suggestion too long to fit rather than cutting it (a cut fix would be wrong)', () => {
    const long = freeFinding({ fix: { line: 415, endLine: 415, replacement: '\t/* x */\n'.repeat(8000), description: 'use free_netdev()' } });
    const body = commentBody(long, { suggestion: true });
    expect(utf8Length(body)).toBeLessThanOrEqual(MAX_COMMENT_BODY);
    expect(body).not.toContain('```suggestion');
    expect(body).toContain('The replacement is in the check run (it is too long for a comment).');
  });
});

describe('buildReview', () => {
  it('comments each finding at its line, one-line suggestions on the line itself', () => {
    const review = buildReview(input([placed(freeFinding()), placed(busyFinding())]))!;
    expect(review.comments.map(({ body, ...c }) => ({ ...c, suggestion: body.includes('```suggestion') }))).toEqual([
      { path: FOO, line: 216, side: 'RIGHT', suggestion: false },
      { path: FOO, line: 415, side: 'RIGHT', suggestion: true },
    ]);
    expect(review.commit_id).toBe(HEAD_SHA);
    expect(review.inCheckOnly).toEqual([]);
  });

  it('spans a multi-line suggestion over the fix\'s lines when they are in one hunk', () => {
    const f = sleepFinding({ fix: { line: 213, endLine: 214, replacement: '\t\tschedule_work(&priv->refill_work);\n\t\tdev->stats.tx_dropped++;', description: 'refill from a work item' } });
    const [comment] = buildReview(input([placed(f)]))!.comments;
    expect(comment).toMatchObject({ path: FOO, start_line: 213, start_side: 'RIGHT', line: 214, side: 'RIGHT' });
    expect(comment!.body).toContain('```suggestion\n\t\tschedule_work(&priv->refill_work);\n\t\tdev->stats.tx_dropped++;\n```');
  });

  it('offers no suggestion when the fix\'s lines cross hunks or leave the diff, and says the fix is in the check run', () => {
    const across = sleepFinding({ fix: { line: 216, endLine: 412, replacement: 'x', description: 'restructure' } });
    const outside = busyFinding({ fix: { line: 217, endLine: 218, replacement: 'x', description: 'stop the queue first' } });
    const review = buildReview(input([placed(across), placed(outside)]))!;
    expect(review.comments.map((c) => [c.line, c.start_line, c.body.includes('```suggestion')])).toEqual([
      [213, undefined, false],
      [216, undefined, false],
    ]);
    expect(review.comments[0]!.body).toContain('Fix: restructure. The replacement is in the [check run]');
  });

  it('puts findings on lines GitHub cannot comment on in the check run only, and lists them in the body', () => {
    const review = buildReview(input([placed(freeFinding()), placed(mtuFinding())]))!;
    expect(review.comments.map((c) => c.line)).toEqual([415]);
    expect(review.inCheckOnly).toEqual([placed(mtuFinding())]);
    expect(review.body).toContain('- 1 finding is on lines GitHub takes no comment on; it is in the [check run]');
    // Its marker is in the body, so the next push does not list it again.
    expect(parseMarkers(review.body)).toEqual([{ fingerprint: findingFingerprint(mtuFinding(), FOO), rule: 'mtu-rx-buffer-vlan' }]);
  });

  it('puts findings of a file without a patch (binary, too large) in the check run only', () => {
    const review = buildReview(input([placed(freeFinding({ file: 'drivers/net/huge.c' }))]))!;
    expect(review.comments).toEqual([]);
    expect(review.inCheckOnly).toHaveLength(1);
  });

  it('does not repeat a finding an earlier push commented on, even when its line moved', () => {
    const earlier = new Set([findingFingerprint(freeFinding(), FOO)]);
    const moved = freeFinding({ line: 416, fix: { line: 416, endLine: 416, replacement: '\tfree_netdev(ndev);', description: 'use free_netdev()' } });
    const review = buildReview(input([placed(moved), placed(sleepFinding())], { alreadyCommented: earlier }))!;
    expect(review.comments.map((c) => c.line)).toEqual([213]);
    expect(review.skippedAsDuplicate).toBe(1);
    expect(review.body).toContain('- 1 finding already has a comment from an earlier push; not repeated.');
  });

  it('posts nothing when everything was said already, or there is nothing to say', () => {
    const all = [placed(freeFinding()), placed(mtuFinding())];
    const earlier = new Set(all.map((p) => findingFingerprint(p.finding, p.path)));
    expect(buildReview(input(all, { alreadyCommented: earlier }))).toBeUndefined();
    expect(buildReview(input([]))).toBeUndefined();
  });

  it('requests changes only when configured and an error exists', () => {
    const withError = [placed(freeFinding()), placed(busyFinding())];
    const warningsOnly = [placed(busyFinding())];
    expect(buildReview(input(withError, { event: 'REQUEST_CHANGES' }))!.event).toBe('REQUEST_CHANGES');
    expect(buildReview(input(warningsOnly, { event: 'REQUEST_CHANGES' }))!.event).toBe('COMMENT');
    expect(buildReview(input(withError, { event: 'COMMENT' }))!.event).toBe('COMMENT');
  });

  it('comments on a kernel patch carried as a .patch file at that file\'s line', () => {
    // The pull request reviewer moves such findings onto the .patch file's lines, fix included.
    const f = freeFinding({ line: 18, evidence: [18], sourceLine: '+\tkfree(ndev);', fix: { line: 18, endLine: 18, replacement: '+\tfree_netdev(ndev);', description: 'use free_netdev()' } });
    const [comment] = buildReview(input([placed(f, OPENWRT)]))!.comments;
    expect(comment).toMatchObject({ path: OPENWRT, line: 18 });
    expect(comment!.body).toContain('```suggestion\n+\tfree_netdev(ndev);\n```');
    expect(parseMarker(comment!.body)!.fingerprint).toBe(findingFingerprint(f, OPENWRT));
  });

  it('lists at most MAX_LISTED_IN_REVIEW_BODY check-only findings by name', () => {
    const many = Array.from({ length: MAX_LISTED_IN_REVIEW_BODY + 5 }, (_, i) => placed(mtuFinding({ line: 300 + i, sourceLine: `\tlen${i} = dev->mtu + ETH_HLEN;` })));
    const review = buildReview(input(many))!;
    expect(review.body.match(/^ {2}- `/gm)).toHaveLength(MAX_LISTED_IN_REVIEW_BODY);
    expect(review.body).toContain('  - and 5 more');
    expect(parseMarkers(review.body)).toHaveLength(MAX_LISTED_IN_REVIEW_BODY + 5);
  });

  it('keeps a review body with thousands of check-only findings under the limit', () => {
    const many = Array.from({ length: 3000 }, (_, i) => placed(mtuFinding({ file: `drivers/net/f${i}.c`, line: 300 })));
    const review = buildReview(input(many))!;
    expect(utf8Length(review.body)).toBeLessThanOrEqual(MAX_COMMENT_BODY);
    expect(parseMarkers(review.body).length).toBeGreaterThan(300);
  });

  it('reads well: the review of a push with inline comments, a check-only finding and a repeat', () => {
    const earlier = new Set([findingFingerprint(busyFinding(), FOO)]);
    const review = buildReview(
      input([placed(sleepFinding()), placed(busyFinding()), placed(freeFinding()), placed(mtuFinding())], { alreadyCommented: earlier, event: 'REQUEST_CHANGES' }),
    )!;
    expect(review.event).toBe('REQUEST_CHANGES');
    expect(review.body).toMatchInlineSnapshot(`
      "**netdev-review** found 2 errors, 1 warning and 1 info in \`9f8e7d6\`.

      - 2 inline comments below (1 with a suggested fix).
      - 1 finding is on lines GitHub takes no comment on; it is in the [check run](https://github.com/acme/linux/runs/4242):
        - \`drivers/net/ethernet/foo/foo_main.c:300\` **info** \`mtu-rx-buffer-vlan\`: this receive buffer is sized as dev->mtu + ETH_HLEN, with no room for a VLAN tag: at MTU 1500 a tagged frame is 1518 bytes, which the document asks the device to accept; add VLAN_HLEN (or use VLAN_ETH_HLEN)
      - 1 finding already has a comment from an earlier push; not repeated.

      Changes are requested because of the errors (this repository asks for it in \`.github/netdev-review.yml\`).

      <!-- netdev-review:fingerprint=898a4b92d229cf99 rule=mtu-rx-buffer-vlan -->"
    `);
  });
});
