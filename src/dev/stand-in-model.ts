// Dev stand-in for GitHub: the in-memory model's shapes, and the small helpers every part of the stand-in shares.

import { createHash } from 'node:crypto';
import type { DiffSide } from './hunk-lines.js';
import { hunkLines } from './hunk-lines.js';
import { DOCS } from './github-limits.js';
import type { StandInFile, StandInPull } from './github-stand-in.js';

/** The app the stand-in pretends is installed. */
export const APP = { id: 4242, slug: 'netdev-review', name: 'netdev-review' } as const;
/** REST shows an app's comments as `<slug>[bot]`; GraphQL's Bot.login has no suffix. */
export const BOT_USER = { login: `${APP.slug}[bot]`, id: 900001, node_id: 'BOT_kgDOStandIn', type: 'Bot', site_admin: false } as const;
/** The branch a contents request without `ref` reads. */
export const DEFAULT_BRANCH = 'main';

/** A review as posted; `request` is the body the app sent. */
export interface ReviewState {
  id: number;
  nodeId: string;
  state: string;
  event?: string;
  body: string;
  commitId: string;
  commentIds: number[];
  request: Record<string, unknown>;
  submittedAt?: string;
}

/** A review comment (or reply), anchored; pending ones belong to an unsubmitted review and stay hidden. */
export interface CommentState extends Anchor {
  id: number;
  nodeId: string;
  reviewId: number;
  threadId: string;
  body: string;
  path: string;
  commitId: string;
  inReplyToId?: number;
  createdAt: string;
  pending: boolean;
}

/** A review thread: its first comment and replies, and whether it was resolved. */
export interface ThreadState {
  id: string;
  commentIds: number[];
  isResolved: boolean;
}

/** A pull request with what was posted on it. */
export interface PullState {
  spec: StandInPull;
  id: number;
  nodeId: string;
  /** Every head the pull request has had: a review may name an older one. */
  heads: Set<string>;
  reviews: ReviewState[];
  comments: CommentState[];
  threads: ThreadState[];
}

/** A check-run annotation as sent. */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  message: string;
  [key: string]: unknown;
}

/** A check run: current state, all annotations so far, and every request that shaped it (`updates`). */
export interface CheckRunState {
  id: number;
  nodeId: string;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: Annotation[] };
  updates: Record<string, unknown>[];
}

/** Everything known about one repository. */
export interface RepoState {
  owner: string;
  repo: string;
  id: number;
  pulls: Map<number, PullState>;
  /** ref (sha or branch) → path → bytes. */
  files: Map<string, Map<string, Buffer>>;
  checkRuns: CheckRunState[];
}

/** What a handler answers; `send` adds the common headers. */
export interface Reply {
  status: number;
  json?: unknown;
  raw?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Where a review comment lands once validated. */
export interface Anchor {
  line: number | null;
  side: DiffSide | null;
  startLine: number | null;
  startSide: DiffSide | null;
  position: number | null;
  subjectType: 'line' | 'file';
  diffHunk: string;
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** A timestamp the way GitHub writes them (no milliseconds). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/** The git blob id of some bytes, as GitHub reports `sha` for contents. */
export function blobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
/** additions/deletions/changes of a pull-request file, counted from its patch unless given. */
export function fileCounts(file: StandInFile): { additions: number; deletions: number; changes: number } {
  const lines = file.additions === undefined || file.deletions === undefined ? hunkLines(file.patch) : undefined;
  const additions = file.additions ?? lines!.additions;
  const deletions = file.deletions ?? lines!.deletions;
  return { additions, deletions, changes: file.changes ?? additions + deletions };
}
/** A JSON error answer shaped like GitHub’s (`message`, `documentation_url`, `status` as a string). */
export function errorReply(status: number, message: string, documentationUrl: string = DOCS.root, extra: Record<string, unknown> = {}): Reply {
  return { status, json: { message, ...extra, documentation_url: documentationUrl, status: String(status) } };
}
/** A JSON-schema rejection: GitHub answers these 422 with the reasons after "Invalid request.". */
export function invalidRequest(reasons: string, documentationUrl: string): Reply {
  return errorReply(422, reasons.startsWith('Invalid request.') ? reasons : `Invalid request.\n\n${reasons}`, documentationUrl);
}
