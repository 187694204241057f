// Dev stand-in for GitHub: the JSON bodies its REST answers carry, shaped after GitHub's documented responses.

import { createHash } from 'node:crypto';
import { CONTENTS_INLINE_MAX, PULL_FILES_LIMIT } from './github-limits.js';
import type { StandInFile } from './github-stand-in.js';
import {
  APP,
  BOT_USER,
  DEFAULT_BRANCH,
  blobSha,
  fileCounts,
  type CheckRunState,
  type CommentState,
  type PullState,
  type RepoState,
  type ReviewState,
} from './stand-in-model.js';

/** GET /repos/{owner}/{repo}/pulls/{n}: the fields Octokit users read (number, draft, head, base with repo). */
export function pullBody(state: RepoState, pull: PullState): unknown {
  const { spec } = pull;
  const repoJson = repositoryBody(state);
  const files = spec.files.slice(0, PULL_FILES_LIMIT).map((file) => fileCounts(file));
  return {
    url: `https://api.github.com/repos/${state.owner}/${state.repo}/pulls/${spec.number}`,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: `https://github.com/${state.owner}/${state.repo}/pull/${spec.number}`,
    number: spec.number,
    state: 'open',
    locked: false,
    title: `Pull request ${spec.number}`,
    user: { login: 'contributor', id: 1, type: 'User' },
    body: null,
    draft: spec.draft ?? false,
    merged: false,
    mergeable: null,
    head: {
      label: `${state.owner}:${spec.headRef ?? `pr-${spec.number}`}`,
      ref: spec.headRef ?? `pr-${spec.number}`,
      sha: spec.headSha,
      user: { login: state.owner },
      repo: repoJson,
    },
    base: {
      label: `${state.owner}:${spec.baseRef ?? DEFAULT_BRANCH}`,
      ref: spec.baseRef ?? DEFAULT_BRANCH,
      sha: spec.baseSha,
      user: { login: state.owner },
      repo: repoJson,
    },
    author_association: 'CONTRIBUTOR',
    comments: 0,
    review_comments: pull.comments.filter((comment) => !comment.pending).length,
    commits: 1,
    additions: files.reduce((sum, file) => sum + file.additions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
    changed_files: spec.files.length,
  };
}

/** One entry of GET /repos/{owner}/{repo}/pulls/{n}/files; `patch` left out when GitHub would (binary, too large). */
export function fileBody(state: RepoState, pull: PullState, file: StandInFile): unknown {
  const counts = fileCounts(file);
  const content = file.status === 'removed' ? undefined : state.files.get(pull.spec.headSha)?.get(file.filename);
  const sha = content ? blobSha(content) : createHash('sha1').update(`${file.filename}\0${file.patch ?? ''}`).digest('hex');
  const blob = `https://github.com/${state.owner}/${state.repo}/blob/${pull.spec.headSha}/${file.filename}`;
  return {
    sha,
    filename: file.filename,
    status: file.status,
    additions: counts.additions,
    deletions: counts.deletions,
    changes: counts.changes,
    blob_url: blob,
    raw_url: blob.replace('/blob/', '/raw/'),
    contents_url: `https://api.github.com/repos/${state.owner}/${state.repo}/contents/${file.filename}?ref=${pull.spec.headSha}`,
    ...(file.patch === undefined ? {} : { patch: file.patch }),
    ...(file.previous_filename === undefined ? {} : { previous_filename: file.previous_filename }),
  };
}

/** A review comment as the pulls comments endpoints return it; `in_reply_to_id` only on replies, as on GitHub. */
export function commentBody(state: RepoState, pull: PullState, comment: CommentState): unknown {
  const api = `https://api.github.com/repos/${state.owner}/${state.repo}`;
  return {
    url: `${api}/pulls/comments/${comment.id}`,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: comment.nodeId,
    diff_hunk: comment.diffHunk,
    path: comment.path,
    position: comment.position,
    original_position: comment.position,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    ...(comment.inReplyToId === undefined ? {} : { in_reply_to_id: comment.inReplyToId }),
    user: BOT_USER,
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
    html_url: commentHtmlUrl(state, pull, comment),
    pull_request_url: `${api}/pulls/${pull.spec.number}`,
    author_association: 'NONE',
    start_line: comment.startLine,
    original_start_line: comment.startLine,
    start_side: comment.startSide,
    line: comment.line,
    original_line: comment.line,
    side: comment.side,
    subject_type: comment.subjectType,
  };
}

/** A pull request review as POST/GET …/reviews returns it; `submitted_at` absent while pending. */
export function reviewBody(state: RepoState, pull: PullState, review: ReviewState): unknown {
  const html = `https://github.com/${state.owner}/${state.repo}/pull/${pull.spec.number}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: review.nodeId,
    user: BOT_USER,
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: `https://api.github.com/repos/${state.owner}/${state.repo}/pulls/${pull.spec.number}`,
    author_association: 'NONE',
    _links: { html: { href: html }, pull_request: { href: `https://api.github.com/repos/${state.owner}/${state.repo}/pulls/${pull.spec.number}` } },
    ...(review.submittedAt === undefined ? {} : { submitted_at: review.submittedAt }),
    commit_id: review.commitId,
  };
}

/** GET /app, and the `app` of a check run. */
export function appBody(): unknown {
  return { id: APP.id, slug: APP.slug, name: APP.name, owner: { login: 'netdev-review', type: 'Organization' } };
}
/** The repository object nested in a pull request’s `head` and `base`. */
export function repositoryBody(state: RepoState): unknown {
  return {
    id: state.id,
    node_id: `R_kgDOStandIn${state.id}`,
    name: state.repo,
    full_name: `${state.owner}/${state.repo}`,
    owner: { login: state.owner, type: 'Organization' },
    private: false,
    html_url: `https://github.com/${state.owner}/${state.repo}`,
    default_branch: DEFAULT_BRANCH,
  };
}
/** GET /repos/{owner}/{repo}/contents/{path} for a file, default media type. */
export function contentBody(state: RepoState, ref: string, path: string, content: Buffer): unknown {
  const api = `https://api.github.com/repos/${state.owner}/${state.repo}`;
  const sha = blobSha(content);
  const inline = content.length <= CONTENTS_INLINE_MAX;
  return {
    type: 'file',
    // Over 1 MB GitHub keeps the metadata but leaves the bytes out: use the raw media type.
    encoding: inline ? 'base64' : 'none',
    size: content.length,
    name: path.split('/').at(-1) ?? path,
    path,
    // GitHub wraps the base64 at 60 characters, as `git` does.
    content: inline ? (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + (content.length > 0 ? '\n' : '') : '',
    sha,
    url: `${api}/contents/${path}?ref=${ref}`,
    git_url: `${api}/git/blobs/${sha}`,
    html_url: `https://github.com/${state.owner}/${state.repo}/blob/${ref}/${path}`,
    download_url: `https://raw.githubusercontent.com/${state.owner}/${state.repo}/${ref}/${path}`,
    _links: { self: `${api}/contents/${path}?ref=${ref}`, git: `${api}/git/blobs/${sha}`, html: `https://github.com/${state.owner}/${state.repo}/blob/${ref}/${path}` },
  };
}
/** The JSON array GitHub answers for a directory path; undefined when nothing lies under it. */
export function directoryListing(state: RepoState, ref: string, files: Map<string, Buffer>, dir: string): unknown[] | undefined {
  const prefix = dir === '' ? '' : `${dir}/`;
  const entries = new Map<string, { type: 'file' | 'dir'; size: number; sha: string }>();
  for (const [path, content] of files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const [first, ...deeper] = rest.split('/');
    if (!first) continue;
    if (deeper.length > 0) entries.set(first, { type: 'dir', size: 0, sha: createHash('sha1').update(`tree ${prefix}${first}`).digest('hex') });
    else entries.set(first, { type: 'file', size: content.length, sha: blobSha(content) });
  }
  if (entries.size === 0) return undefined;
  const api = `https://api.github.com/repos/${state.owner}/${state.repo}`;
  return [...entries.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, entry]) => ({
      type: entry.type,
      name,
      path: `${prefix}${name}`,
      sha: entry.sha,
      size: entry.size,
      url: `${api}/contents/${prefix}${name}?ref=${ref}`,
      download_url: entry.type === 'file' ? `https://raw.githubusercontent.com/${state.owner}/${state.repo}/${ref}/${prefix}${name}` : null,
    }));
}
/** A check run as the Checks API returns it (`output.annotations_count`, not the annotations). */
export function checkRunBody(state: RepoState, run: CheckRunState): unknown {
  const api = `https://api.github.com/repos/${state.owner}/${state.repo}`;
  return {
    id: run.id,
    node_id: run.nodeId,
    head_sha: run.headSha,
    external_id: run.externalId ?? '',
    url: `${api}/check-runs/${run.id}`,
    html_url: `https://github.com/${state.owner}/${state.repo}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `https://github.com/apps/${APP.slug}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotations.length,
      annotations_url: `${api}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: 600000 + run.id },
    app: appBody(),
    pull_requests: [],
  };
}
/** Where a review comment lives on github.com. */
export function commentHtmlUrl(state: RepoState, pull: PullState, comment: CommentState): string {
  return `https://github.com/${state.owner}/${state.repo}/pull/${pull.spec.number}#discussion_r${comment.id}`;
}
