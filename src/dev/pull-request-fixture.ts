// Dev tooling: what tests and the load test send a GitHub App — real `pull_request` payloads from
// @octokit/webhooks-examples (a dev dependency, read only when called) pointed at a repository of
// theirs, and a new file's text and GitHub-style hunks from the shipped example patch.

import { createRequire } from 'node:module';

export type PullAction = 'opened' | 'synchronize' | 'reopened' | 'ready_for_review';

/** A real `pull_request.<action>` payload, pointed at `owner/repo`, pull request `number`, commits `head` and `base`. */
export function pullRequestPayload(
  action: PullAction,
  opts: { owner: string; repo: string; number: number; head: string; base: string; draft?: boolean; installation?: number },
): Record<string, any> {
  const require = createRequire(import.meta.url);
  const index = require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: Record<string, unknown>[] }[];
  const examples = index.find((e) => e.name === 'pull_request')?.examples ?? [];
  const example = examples.find((e) => e.action === action) ?? examples.find((e) => e.action === 'opened');
  const payload = structuredClone(example) as Record<string, any>;
  const { owner, repo } = opts;
  payload.action = action;
  payload.number = opts.number;
  // Without an installation the receiver authenticates with a token; with one it acts as an installed app.
  if (opts.installation !== undefined) payload.installation = { id: opts.installation, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  else delete payload.installation;
  payload.repository = { ...payload.repository, name: repo, full_name: `${owner}/${repo}`, html_url: `https://github.com/${owner}/${repo}`, owner: { ...payload.repository.owner, login: owner } };
  payload.pull_request = {
    ...payload.pull_request,
    number: opts.number,
    draft: opts.draft ?? false,
    head: { ...payload.pull_request.head, sha: opts.head },
    base: { ...payload.pull_request.base, sha: opts.base },
  };
  return payload;
}

/** The text of the file a patch adds (its `@@ -0,0` hunk's added lines), e.g. the example driver. */
export function addedFileText(patch: string): string {
  const body = patch.slice(patch.indexOf('@@ -0,0'));
  return body.split('\n').slice(1).filter((l) => l.startsWith('+')).map((l) => l.slice(1)).join('\n') + '\n';
}

/** GitHub's per-file patch of a new file. */
export function addedFilePatch(content: string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n` + lines.map((l) => `+${l}`).join('\n');
}
