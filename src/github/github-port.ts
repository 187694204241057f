// GitHub way in: the calls the app makes, as one small port over Octokit (the app and `netdev-review pr` share it).

import type { ProbotOctokit } from 'probot';

type Octokit = InstanceType<typeof ProbotOctokit>;

/** GitHub lists at most this many files of a pull request (REST `pulls/{n}/files`). */
export const MAX_PR_FILES = 3000;
/** Page size of list calls (GitHub's maximum). */
export const PER_PAGE = 100;

/** A file of a pull request as GitHub lists it. `patch` is absent for binary files and diffs GitHub truncated. */
export interface PrFile {
  filename: string;
  status: string;
  patch?: string;
  previous_filename?: string;
}

export interface ExistingComment {
  id: number;
  body: string;
  path: string;
  line?: number | null;
  /** Comment author is a bot (ours, as far as the marker says). */
  byBot: boolean;
}

export interface ReviewThread {
  id: string;
  isResolved: boolean;
  /** Database ids of the comments in the thread. */
  commentIds: number[];
}

export interface ReviewPayload {
  commit_id: string;
  event: 'COMMENT' | 'REQUEST_CHANGES';
  body: string;
  comments: { path: string; line: number; side: 'RIGHT'; start_line?: number; start_side?: 'RIGHT'; body: string }[];
}

/** One check-run annotation (REST checks API). */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export type CheckConclusion = 'success' | 'neutral' | 'failure';

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

/** The pull request a port talks about. */
export interface PullRef {
  owner: string;
  repo: string;
  number: number;
}

export interface GitHubPort {
  readonly pull: PullRef;
  /** Every file of the pull request (paginated, at most MAX_PR_FILES). */
  listFiles(): Promise<PrFile[]>;
  /** A file's raw content at a ref, or undefined when it does not exist there. */
  getContent(path: string, ref: string): Promise<string | undefined>;
  listReviewComments(): Promise<ExistingComment[]>;
  /** Bodies of the pull request's reviews (check-only findings are listed there with their markers). */
  listReviewBodies(): Promise<string[]>;
  createReview(review: ReviewPayload): Promise<void>;
  /** Check runs named `name` on a commit (newest first). */
  listCheckRuns(sha: string, name: string): Promise<{ id: number; status: string; conclusion: string | null; summary: string }[]>;
  createCheckRun(run: { name: string; head_sha: string; status: 'completed' | 'in_progress'; conclusion?: CheckConclusion; output: CheckRunOutput }): Promise<number>;
  updateCheckRun(id: number, run: { status?: 'completed'; conclusion?: CheckConclusion; output: CheckRunOutput }): Promise<void>;
  listReviewThreads(): Promise<ReviewThread[]>;
  resolveThread(threadId: string): Promise<void>;
  replyToComment(commentId: number, body: string): Promise<void>;
}

/** The port over an authenticated Octokit (Probot's context.octokit, or one built from a token). */
export function octokitPort(octokit: Octokit, pull: PullRef): GitHubPort {
  const { owner, repo, number: pull_number } = pull;
  return {
    pull,
    /** REST `GET /repos/{owner}/{repo}/pulls/{pull_number}/files`. */
    async listFiles() {
      const files: PrFile[] = [];
      for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { owner, repo, pull_number, per_page: PER_PAGE })) {
        for (const f of page.data) files.push({ filename: f.filename, status: f.status, patch: f.patch, previous_filename: f.previous_filename });
        if (files.length >= MAX_PR_FILES) break;
      }
      return files.slice(0, MAX_PR_FILES);
    },
    /** REST `GET /repos/{owner}/{repo}/contents/{path}` with the raw media type (works past 1 MB). */
    async getContent(path, ref) {
      try {
        const res = await octokit.rest.repos.getContent({ owner, repo, path, ref, mediaType: { format: 'raw' } });
        const data: unknown = res.data;
        if (typeof data === 'string') return data;
        if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
        return undefined;
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    /** REST `GET /repos/{owner}/{repo}/pulls/{pull_number}/comments`. */
    async listReviewComments() {
      const out: ExistingComment[] = [];
      for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listReviewComments, { owner, repo, pull_number, per_page: PER_PAGE })) {
        for (const c of page.data) out.push({ id: c.id, body: c.body, path: c.path, line: c.line, byBot: c.user?.type === 'Bot' });
      }
      return out;
    },
    /** REST `GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews`. */
    async listReviewBodies() {
      const out: string[] = [];
      for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listReviews, { owner, repo, pull_number, per_page: PER_PAGE })) {
        for (const r of page.data) if (r.body) out.push(r.body);
      }
      return out;
    },
    /** REST `POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews` — all comments in one call. */
    async createReview(review) {
      await octokit.rest.pulls.createReview({ owner, repo, pull_number, ...review });
    },
    /** REST `GET /repos/{owner}/{repo}/commits/{ref}/check-runs`. */
    async listCheckRuns(sha, name) {
      const res = await octokit.rest.checks.listForRef({ owner, repo, ref: sha, check_name: name, per_page: PER_PAGE });
      return res.data.check_runs.map((r) => ({ id: r.id, status: r.status, conclusion: r.conclusion, summary: r.output?.summary ?? '' }));
    },
    /** REST `POST /repos/{owner}/{repo}/check-runs`. */
    async createCheckRun(run) {
      const res = await octokit.rest.checks.create({ owner, repo, ...run });
      return res.data.id;
    },
    /** REST `PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}` (adds annotations page by page). */
    async updateCheckRun(id, run) {
      await octokit.rest.checks.update({ owner, repo, check_run_id: id, ...run });
    },
    /** GraphQL `repository.pullRequest.reviewThreads`. */
    async listReviewThreads() {
      const res = await octokit.graphql<ThreadsResponse>(THREADS_QUERY, { owner, repo, number: pull_number });
      return (res.repository?.pullRequest?.reviewThreads?.nodes ?? []).map((t) => ({
        id: t.id,
        isResolved: t.isResolved,
        commentIds: (t.comments?.nodes ?? []).map((c) => c.databaseId),
      }));
    },
    /** GraphQL mutation `resolveReviewThread`. */
    async resolveThread(threadId) {
      await octokit.graphql(RESOLVE_MUTATION, { threadId });
    },
    /** REST `POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies`. */
    async replyToComment(commentId, body) {
      await octokit.rest.pulls.createReplyForReviewComment({ owner, repo, pull_number, comment_id: commentId, body });
    },
  };
}

/** HTTP status of an Octokit error, when it has one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const s = (error as { status: unknown }).status;
    return typeof s === 'number' ? s : undefined;
  }
  return undefined;
}

interface ThreadsResponse {
  repository?: {
    pullRequest?: {
      reviewThreads?: { nodes?: { id: string; isResolved: boolean; comments?: { nodes?: { databaseId: number }[] } }[] };
    };
  };
}

const THREADS_QUERY = `query ($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100) {
        nodes { id isResolved comments(first: 50) { nodes { databaseId } } }
      }
    }
  }
}`;

const RESOLVE_MUTATION = `mutation ($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}`;
