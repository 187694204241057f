// GitHub way in tests: the check run a push gets — conclusion, summary, details, annotations in pages of 50.

import { describe, expect, it } from 'vitest';
import {
  buildCheckRun,
  configErrorCheckRun,
  MAX_ANNOTATIONS_PER_REQUEST,
  MAX_SUMMARY,
  type CheckRunInput,
} from '../../src/github/check-run-payload.js';
import { parseRepoConfig } from '../../src/github/config.js';
import { utf8Length, type PlacedFinding } from '../../src/github/review-payload.js';
import { busyFinding, DOCS, FOO, freeFinding, mtuFinding, OPENWRT, placed, sleepFinding } from './fixtures.js';

function run(findings: PlacedFinding[], over: Partial<CheckRunInput> = {}) {
  return buildCheckRun({ findings, notes: [], failOn: 'never', rulesDocBase: DOCS, ...over });
}

/** `n` distinct findings, on lines 1..n. */
function many(n: number): PlacedFinding[] {
  return Array.from({ length: n }, (_, i) => placed(busyFinding({ line: i + 1, sourceLine: `\treturn ${i};` })));
}

describe('annotation pages', () => {
  it.each([
    [0, []],
    [1, [1]],
    [50, [50]],
    [51, [50, 1]],
    [101, [50, 50, 1]],
  ])('%i findings → pages of %j', (n, sizes) => {
    const pages = run(many(n)).annotationPages;
    expect(pages.map((p) => p.length)).toEqual(sizes);
    expect(pages.flat().map((a) => a.start_line)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('never puts more than GitHub takes in one request', () => {
    expect(MAX_ANNOTATIONS_PER_REQUEST).toBe(50);
    expect(run(many(237)).annotationPages.every((p) => p.length <= MAX_ANNOTATIONS_PER_REQUEST)).toBe(true);
  });
});

describe('conclusion', () => {
  const withError = [placed(freeFinding()), placed(busyFinding())];
  const warningsOnly = [placed(busyFinding()), placed(mtuFinding())];

  it('is failure only when an error exists and fail_on is error', () => {
    expect(run(withError, { failOn: 'error' }).conclusion).toBe('failure');
  });

  it('is neutral with findings otherwise', () => {
    expect(run(withError, { failOn: 'never' }).conclusion).toBe('neutral');
    expect(run(warningsOnly, { failOn: 'error' }).conclusion).toBe('neutral');
    expect(run(warningsOnly, { failOn: 'never' }).conclusion).toBe('neutral');
  });

  it('is success without findings', () => {
    expect(run([], { failOn: 'error' }).conclusion).toBe('success');
    expect(run([], { failOn: 'never' }).conclusion).toBe('success');
  });
});

describe('annotations', () => {
  it('carry path, lines, level, the message, the rule id as title, and the citation and fix as raw details', () => {
    // In file order, whatever order the findings came in.
    const [warning, info, error] = run([placed(mtuFinding()), placed(busyFinding()), placed(freeFinding())]).annotationPages.flat();
    expect(warning).toEqual({
      path: FOO,
      start_line: 216,
      end_line: 216,
      annotation_level: 'warning',
      message: busyFinding().message,
      title: 'xmit-busy',
      raw_details: `Document (v6.6): struct net_device synchronization rules › ndo_start_xmit\n${busyFinding().citation!.url}`,
    });
    expect(info).toMatchObject({ start_line: 300, annotation_level: 'notice', title: 'mtu-rx-buffer-vlan' });
    expect(error).toMatchObject({ start_line: 415, annotation_level: 'failure', title: 'netdev-free-api' });
    expect(error!.raw_details).toBe(
      [
        'Document (v6.6): struct net_device lifetime rules',
        freeFinding().citation!.url,
        '',
        'Fix: use free_netdev()',
        '-\tkfree(ndev);',
        '+\tfree_netdev(ndev);',
      ].join('\n'),
    );
  });

  it('cover a finding\'s whole line span', () => {
    const [a] = run([placed(sleepFinding({ line: 213, endLine: 216 }))]).annotationPages.flat();
    expect([a!.start_line, a!.end_line]).toEqual([213, 216]);
  });

  it('name the patched file for a kernel patch carried as a .patch file', () => {
    const f = freeFinding({ line: 18, sourceLine: '+\tkfree(ndev);', fix: undefined });
    const [a] = run([placed(f, OPENWRT)]).annotationPages.flat();
    expect(a).toMatchObject({ path: OPENWRT, start_line: 18, message: `${FOO}: ${f.message}` });
  });
});

describe('title and summary', () => {
  it('says the previous push\'s findings are fixed when this one is clean', () => {
    const clean = run([], { previous: { findings: 3 } });
    expect(clean.output.title).toBe('Clean: the 3 findings of the previous push are fixed');
    expect(clean.output.summary).toBe('Clean: the 3 findings of the previous push are fixed.');
    expect(clean.output.text).toBeUndefined();
    expect(run([], { previous: { findings: 1 } }).output.summary).toBe('Clean: the finding of the previous push is fixed.');
  });

  it('says nothing about a previous push that had no findings, or when findings remain', () => {
    expect(run([], { previous: { findings: 0 } }).output).toEqual({ title: 'No findings', summary: 'No findings in this push.' });
    expect(run([placed(busyFinding())], { previous: { findings: 2 } }).output.summary).not.toContain('Clean');
  });

  it('takes a title from the caller', () => {
    expect(run([placed(busyFinding())], { title: 'netdev-review (dry run)' }).output.title).toBe('netdev-review (dry run)');
  });

  it('lists notes, even on a clean push', () => {
    const out = run([], { notes: ['firmware/foo.bin: skipped: GitHub gives no diff for it (binary, or too large)', 'rules turned off: lltx-deprecated'] }).output;
    expect(out.summary).toBe(
      [
        'No findings in this push.',
        '',
        '**Notes**',
        '',
        '- firmware/foo.bin: skipped: GitHub gives no diff for it (binary, or too large)',
        '- rules turned off: lltx-deprecated',
      ].join('\n'),
    );
  });

  it('is cut to GitHub\'s limit', () => {
    const notes = Array.from({ length: 3000 }, (_, i) => `drivers/net/ethernet/vendor/file${i}.c: skipped: GitHub gives no diff for it (binary, or too large)`);
    const out = run(many(3), { notes }).output;
    expect(utf8Length(out.summary)).toBeLessThanOrEqual(MAX_SUMMARY);
    expect(out.summary).toMatch(/… \(cut: GitHub takes at most 65,535 characters here\)$/);
  });

  it('reads well: the check run of a push with findings of three severities', () => {
    const out = run([placed(sleepFinding()), placed(busyFinding()), placed(freeFinding()), placed(mtuFinding()), placed(freeFinding({ line: 520, sourceLine: '\tkfree(priv->ndev);', fix: undefined }))], {
      failOn: 'error',
      notes: ['drivers/net/ethernet/foo/foo_fw.bin: skipped: GitHub gives no diff for it (binary, or too large)'],
    });
    expect(out.conclusion).toBe('failure');
    expect(out.output.title).toBe('3 errors, 1 warning and 1 info');
    expect(out.output.summary).toMatchInlineSnapshot(`
      "5 findings in this push: 3 errors, 1 warning and 1 info. The check fails because of the errors (\`check.fail_on: error\`).

      | rule | error | warning | info |
      | :--- | ---: | ---: | ---: |
      | [\`netdev-free-api\`](https://github.com/acme/netdev-review/blob/main/docs/rules/netdev-free-api.md) | 2 |  |  |
      | [\`sleep-in-atomic-ndo\`](https://github.com/acme/netdev-review/blob/main/docs/rules/sleep-in-atomic-ndo.md) | 1 |  |  |
      | [\`xmit-busy\`](https://github.com/acme/netdev-review/blob/main/docs/rules/xmit-busy.md) |  | 1 |  |
      | [\`mtu-rx-buffer-vlan\`](https://github.com/acme/netdev-review/blob/main/docs/rules/mtu-rx-buffer-vlan.md) |  |  | 1 |
      | **total** | **3** | **1** | **1** |

      Each finding is an annotation on its line (Files changed tab) and is listed with its fix below.

      **Notes**

      - drivers/net/ethernet/foo/foo_fw.bin: skipped: GitHub gives no diff for it (binary, or too large)"
    `);
    expect(out.output.text).toMatchInlineSnapshot(`
      "### \`drivers/net/ethernet/foo/foo_main.c\`

      **error** \`sleep-in-atomic-ndo\` at line 213: mutex_lock() may sleep (it takes a mutex), but foo_start_xmit is ndo_start_xmit (BHs disabled) through foo_refill(); move the refill to process context (a work item) or use a spinlock

      Reached through \`foo_start_xmit\` → \`foo_refill\` → \`mutex_lock\`.

      Document: [struct net_device synchronization rules › ndo_start_xmit](https://github.com/acme/linux/blob/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d/Documentation/networking/netdevices.rst#L77-L84) (v6.6)

      **warning** \`xmit-busy\` at line 216: foo_start_xmit returns NETDEV_TX_BUSY after foo_refill() queued the skb at line 213: the core keeps the skb and sends it again, so it is sent twice; once the skb is freed or in the ring, return NETDEV_TX_OK

      Document: [struct net_device synchronization rules › ndo_start_xmit](https://github.com/acme/linux/blob/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d/Documentation/networking/netdevices.rst#L77-L84) (v6.6)

      **info** \`mtu-rx-buffer-vlan\` at line 300: this receive buffer is sized as dev->mtu + ETH_HLEN, with no room for a VLAN tag: at MTU 1500 a tagged frame is 1518 bytes, which the document asks the device to accept; add VLAN_HLEN (or use VLAN_ETH_HLEN)

      Document: [MTU](https://www.kernel.org/doc/html/v6.6/networking/netdevices.html#mtu) (v6.6)

      Fix: use VLAN_ETH_HLEN
      \`\`\`diff
      -	len = dev->mtu + ETH_HLEN;
      +	len = dev->mtu + VLAN_ETH_HLEN;
      \`\`\`

      **error** \`netdev-free-api\` at line 415: ndev is a struct net_device: free it with free_netdev(), not kfree() — its memory may come from vmalloc and the core has teardown to do

      Document: [struct net_device lifetime rules](https://github.com/acme/linux/blob/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d/Documentation/networking/netdevices.rst#L13-L63) (v6.6)

      Fix: use free_netdev()
      \`\`\`diff
      -	kfree(ndev);
      +	free_netdev(ndev);
      \`\`\`

      **error** \`netdev-free-api\` at line 520: ndev is a struct net_device: free it with free_netdev(), not kfree() — its memory may come from vmalloc and the core has teardown to do

      Document: [struct net_device lifetime rules](https://github.com/acme/linux/blob/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d/Documentation/networking/netdevices.rst#L13-L63) (v6.6)"
    `);
  });
});

describe('configErrorCheckRun', () => {
  it('is neutral, names the file, and shows the errors as they are', () => {
    const parsed = parseRepoConfig('review:\n  event: APPROVE\nrules:\n  netdev-free-apis: off\n');
    if (parsed.ok) throw new Error('expected an invalid config');
    const out = configErrorCheckRun(parsed.error);
    expect(out.conclusion).toBe('neutral');
    expect(out.output.title).toBe('Invalid .github/netdev-review.yml');
    expect(out.output.summary).toMatchInlineSnapshot(`
      "netdev-review did not review this push: \`.github/netdev-review.yml\` is invalid.

      \`\`\`text
      line 2: review.event: expected "COMMENT" or "REQUEST_CHANGES", got "APPROVE"
      line 4: rules: unknown rule id "netdev-free-apis"; did you mean "netdev-free-api"?
      \`\`\`

      Pull requests are not reviewed until it is fixed. Every key is described in the "Configuration" section of netdev-review's \`docs/github-app.md\`; without the file, the defaults apply."
    `);
  });

  it('fences an error that holds backticks', () => {
    expect(configErrorCheckRun('line 1: ```').output.summary).toContain('````text\nline 1: ```\n````');
  });
});
