// Test helpers for the GitHub App: a stand-in GitHub seeded with a kernel-like repository, real webhook
// payloads from @octokit/webhooks-examples, and a Probot instance pointed at the stand-in.

import { readFileSync } from 'node:fs';
import { Probot, ProbotOctokit } from 'probot';
import { GitHubStandIn, type StandInFile } from '../../src/dev/github-stand-in.js';
import { createApp } from '../../src/app.js';
import { addedFilePatch, addedFileText, pullRequestPayload as sharedPayload, type PullAction } from '../../src/dev/pull-request-fixture.js';

export { addedFilePatch };

export const OWNER = 'acme';
export const REPO = 'linux';
export const TOKEN = 'ghs_test_installation_token';
export const BASE_SHA = 'b'.repeat(40);
export const HEAD_SHA = 'c'.repeat(40);
export const FIXED_SHA = 'd'.repeat(40);

/** The example buggy driver's post-image (from the shipped example patch), and a corrected version. */
export function exampleDriver(): { path: string; buggy: string; fixed: string } {
  const buggy = addedFileText(readFileSync('examples/acme-new-driver.patch', 'utf8'));
  const fixed = buggy
    .replace('alloc_skb(1536, GFP_KERNEL)', 'alloc_skb(1536, GFP_ATOMIC)')
    .replace('static int acme_start_xmit(', 'static netdev_tx_t acme_start_xmit(')
    .replace('\tif (!acme_tx_room(priv))\n\t\treturn -EBUSY;', '\tif (!acme_tx_room(priv)) {\n\t\tnetif_stop_queue(dev);\n\t\treturn NETDEV_TX_BUSY;\n\t}')
    .replace('\tmutex_lock(&priv->cfg_lock);\n\tacme_queue_skb(priv, skb);\n\tmutex_unlock(&priv->cfg_lock);', '\tspin_lock(&priv->tx_lock);\n\tacme_queue_skb(priv, skb);\n\tspin_unlock(&priv->tx_lock);')
    .replace('\tif (IS_ERR(priv->base))\n\t\treturn PTR_ERR(priv->base);', '\tif (IS_ERR(priv->base)) {\n\t\terr = PTR_ERR(priv->base);\n\t\tgoto err_free;\n\t}')
    .replace('\tkfree(ndev);', '\tfree_netdev(ndev);')
    .replace('\tunregister_netdev(ndev);\n\tfree_netdev(ndev);\n\tclk_disable_unprepare(priv->clk);', '\tunregister_netdev(ndev);\n\tclk_disable_unprepare(priv->clk);\n\tfree_netdev(ndev);');
  return { path: 'drivers/net/ethernet/acme/acme_eth.c', buggy, fixed };
}

/** A unified hunk list between two versions of a file (whole-file hunk with every line as context or change). */
export function modifiedFilePatch(before: string, after: string): string {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  // A simple LCS diff: the files here are a few hundred lines.
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(` ${a[i]}`);
      i++;
      j++;
    } else if (j < m && (i >= n || dp[i][j + 1] >= dp[i + 1][j])) {
      out.push(`+${b[j++]}`);
    } else {
      out.push(`-${a[i++]}`);
    }
  }
  return `@@ -1,${n} +1,${m} @@\n${out.join('\n')}`;
}

/** A real `pull_request.<action>` payload from @octokit/webhooks-examples, pointed at our repository. */
export function pullRequestPayload(
  action: PullAction,
  opts: { number: number; head: string; base?: string; draft?: boolean; installation?: number },
) {
  return sharedPayload(action, { ...opts, owner: OWNER, repo: REPO, base: opts.base ?? BASE_SHA });
}

/** A small network-device document (our own words, same headings as the kernel's). */
export const DOC = readFileSync('test/fixtures/citations/netdev-new.rst', 'utf8');
export const MAKEFILE = 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n';

/** A stand-in with a kernel-like base commit (document, Makefile) and one pull request. */
export async function standInWithPull(number: number, files: StandInFile[], head: Record<string, string>, opts: { headSha?: string; draft?: boolean } = {}) {
  const gh = new GitHubStandIn({ token: TOKEN, installationId: 1 });
  const { url } = await gh.start();
  gh.setFile(OWNER, REPO, BASE_SHA, 'Documentation/networking/netdevices.rst', DOC);
  gh.setFile(OWNER, REPO, BASE_SHA, 'Makefile', MAKEFILE);
  const headSha = opts.headSha ?? HEAD_SHA;
  for (const [path, content] of Object.entries(head)) gh.setFile(OWNER, REPO, headSha, path, content);
  gh.addPull({ number, owner: OWNER, repo: REPO, baseSha: BASE_SHA, headSha, draft: opts.draft, files });
  return { gh, url };
}

/** A real Probot instance with the app loaded, talking to the stand-in (throttling off: tests, not GitHub). */
export async function probotFor(url: string, secret = 'test-secret') {
  const probot = new Probot({
    githubToken: TOKEN,
    baseUrl: url,
    secret,
    // Probot replaces a plain `throttle` default with its own: switch it off in a function default instead.
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      throttle: { ...(options.throttle as object), enabled: false },
      retry: { retries: 1, retryAfterBaseValue: 10 },
    })),
    logLevel: 'fatal',
  });
  const { app, handle } = createApp();
  await probot.load(app);
  return { probot, handle };
}
