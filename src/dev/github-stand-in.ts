// Dev stand-in for GitHub: a node:http server answering the REST and GraphQL calls the app makes, from an in-memory model, recording every call.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyCheckRunInput, validateCheckRunInput } from './check-run-input.js';
import { BODY_MAX, CONTENTS_MAX, DEFAULT_PER_PAGE, DOCS, MAX_PER_PAGE, MESSAGES, PULL_FILES_LIMIT, RATE_LIMIT, toSentence } from './github-limits.js';
import { graphqlRoots, type GraphqlWorld } from './graphql-roots.js';
import { diffHunkFor, hunkLines, type DiffSide, type HunkLines, type PatchLine } from './hunk-lines.js';
import { appBody, checkRunBody, commentBody, contentBody, directoryListing, fileBody, pullBody, reviewBody } from './rest-bodies.js';
import { runGraphql } from './run-graphql.js';
import {
  APP,
  BOT_USER,
  DEFAULT_BRANCH,
  errorReply,
  invalidRequest,
  isRecord,
  isoSeconds,
  type Anchor,
  type CheckRunState,
  type CommentState,
  type PullState,
  type RepoState,
  type Reply,
  type ReviewState,
} from './stand-in-model.js';

/*
 * One server, three users: the app's handler tests (Probot given `baseUrl`), the end-to-end test
 * (`npm start` with GHE_HOST/GHE_PROTOCOL, so every route is also served under `/api/v3` and
 * GraphQL under `/api/graphql`), and the load test. What it answers is shaped after GitHub's
 * documented responses, because Octokit parses them (Link headers for pagination, status codes
 * and `x-ratelimit-*`/`retry-after` for its retry and throttling plugins). Everything it knows is
 * in memory and deterministic: ids count up from fixed bases and reset() starts them again, so
 * the views (`reviews()`, `checkRuns()`, …) snapshot the same way every run.
 */

/** A file of a pull request, as "list pull request files" reports it. */
export interface StandInFile {
  filename: string;
  status: 'added' | 'modified' | 'removed' | 'renamed';
  /** The hunks GitHub sends (`@@ … @@` onward); absent for binary or too-large diffs, as on GitHub. */
  patch?: string;
  previous_filename?: string;
  /** Counted from `patch` when not given. */
  additions?: number;
  deletions?: number;
  changes?: number;
}

/** A pull request the stand-in serves. Adding it again (same owner/repo/number) is a new push: comments and threads stay. */
export interface StandInPull {
  number: number;
  owner: string;
  repo: string;
  baseSha: string;
  headSha: string;
  baseRef?: string;
  headRef?: string;
  draft?: boolean;
  files: StandInFile[];
}

/** One request as the stand-in saw it. */
export interface RecordedCall {
  method: string;
  /** Percent-decoded, without the `/api/v3` prefix and without the query (GraphQL: `/graphql`). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  status: number;
  /** Date.now() when the request arrived. */
  at: number;
}

/** A failure to inject: the next matching request(s) get this answer instead of the real one. */
export interface Failure {
  /** Matches any method when absent. */
  method?: string;
  /** Tested against the recorded path (decoded, no `/api/v3`, no query). */
  path: RegExp;
  status: number;
  /** Defaults to GitHub's body for that status (rate-limit bodies when the headers say so). */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail; default 1. */
  times?: number;
}

const DEFAULT_TOKEN = 'ghs_StandInInstallationToken0000000000';
/** A guard against a runaway client, not a GitHub limit: larger requests get 413 unread. */
const MAX_REQUEST_BYTES = 50 * 1024 * 1024;
const REVIEW_EVENTS = ['APPROVE', 'REQUEST_CHANGES', 'COMMENT'] as const;
const REVIEW_STATES: Record<string, string> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };

interface RequestInfo {
  method: string;
  path: string;
  rawPath: string;
  /** `/api/v3` when the request came that way, so Link headers point back the same way. */
  prefix: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
  rawBody: Buffer;
}

type AuthKind = 'jwt' | 'installation';

interface Route {
  method: string;
  pattern: RegExp;
  auth: AuthKind;
  /** Parse the body as JSON (POST/PATCH). */
  json?: boolean;
  handle: (request: RequestInfo, params: string[]) => Reply;
}

/**
 * A local GitHub for tests: start it, point Probot/Octokit at its URL, seed pull requests and
 * files, and assert on what the app posted (`reviews()`, `checkRuns()`, `reviewComments()`,
 * `resolvedThreads()`) and on every call it made (`calls`).
 */
export class GitHubStandIn {
  /** Every request, in the order answered (arrival time in `at`). */
  readonly calls: RecordedCall[] = [];

  private readonly token: string;
  private readonly installationId: number;
  /** Every installation id it answers for (the first is `installationId`). */
  private readonly installationIds: ReadonlySet<number>;
  private readonly perPageMax: number;
  private server: Server | undefined;
  private readonly repos = new Map<string, RepoState>();
  private failures: (Failure & { left: number })[] = [];
  private resolved: string[] = [];
  private readonly waiters = new Set<() => void>();
  private counters = freshCounters();
  private rate = freshRate();
  private readonly routes: Route[];

  /**
   * Creates a stand-in; nothing listens until start(). `installationId` is the installation (default
   * 1); `moreInstallations` adds others (a load test spreads pull requests over several), which share
   * its token and see every repository — a simplification: on GitHub each has its own token and repos.
   * `token` is the installation token it issues and accepts (default a fixed `ghs_…` string),
   * `perPageMax` the largest `per_page` honoured (default 100, GitHub's).
   */
  constructor(options: { installationId?: number; moreInstallations?: readonly number[]; token?: string; perPageMax?: number } = {}) {
    this.installationId = options.installationId ?? 1;
    this.installationIds = new Set([this.installationId, ...(options.moreInstallations ?? [])]);
    this.token = options.token ?? DEFAULT_TOKEN;
    this.perPageMax = options.perPageMax ?? MAX_PER_PAGE;
    this.routes = this.buildRoutes();
  }

  /** Listens on 127.0.0.1 (port 0: any free port) and resolves with the base URL to give Octokit. */
  start(port = 0): Promise<{ url: string }> {
    if (this.server) return Promise.reject(new Error('GitHubStandIn already started'));
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch((error: unknown) => {
        // Last resort for a bug outside dispatch's own guard: answer or drop the socket, never crash the test process.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ message: `stand-in error: ${String(error)}` }));
        } else {
          res.destroy();
        }
      });
    });
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address() as AddressInfo;
        resolve({ url: `http://127.0.0.1:${address.port}` });
      });
    });
  }

  /** Closes the server and every open connection. */
  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Octokit keeps connections alive; without this close() would wait for them to time out.
      server.closeAllConnections();
    });
  }

  /** Adds a pull request, or replaces it (a new push) keeping its reviews, comments and threads. */
  addPull(pull: StandInPull): void {
    const repo = this.repoState(pull.owner, pull.repo);
    const existing = repo.pulls.get(pull.number);
    const spec = { ...pull, files: pull.files.map((file) => ({ ...file })) };
    if (existing) {
      existing.spec = spec;
      existing.heads.add(pull.headSha);
      return;
    }
    const id = this.counters.pull++;
    repo.pulls.set(pull.number, {
      spec,
      id,
      nodeId: `PR_kwDOStandIn${id}`,
      heads: new Set([pull.headSha]),
      reviews: [],
      comments: [],
      threads: [],
    });
  }

  /** Stores a file at a ref (a sha or a branch; requests without `ref` read branch `main`). */
  setFile(owner: string, repo: string, ref: string, path: string, content: string | Buffer): void {
    const state = this.repoState(owner, repo);
    const files = state.files.get(ref) ?? new Map<string, Buffer>();
    files.set(path.replace(/^\/+/, ''), typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content));
    state.files.set(ref, files);
  }

  /** Makes the next matching request(s) fail with the given status, body and headers. */
  fail(failure: Failure): void {
    this.failures.push({ ...failure, left: failure.times ?? 1 });
  }

  /** Reviews posted on a pull request: what was sent, with the ids GitHub would have given. */
  reviews(owner: string, repo: string, number: number): unknown[] {
    const pull = this.findRepo(owner, repo)?.pulls.get(number);
    if (!pull) return [];
    return pull.reviews.map((review) => {
      const sent = Array.isArray(review.request.comments) ? (review.request.comments as unknown[]) : [];
      return {
        id: review.id,
        node_id: review.nodeId,
        state: review.state,
        commit_id: review.commitId,
        event: review.event ?? null,
        body: review.body,
        comments: sent.map((comment, index) => ({
          id: review.commentIds[index],
          ...(isRecord(comment) ? comment : {}),
        })),
      };
    });
  }

  /** Check runs of a repository: current state (all annotations so far) and every request that shaped it. */
  checkRuns(owner: string, repo: string): unknown[] {
    const state = this.findRepo(owner, repo);
    if (!state) return [];
    return state.checkRuns.map((run) => ({
      id: run.id,
      name: run.name,
      head_sha: run.headSha,
      status: run.status,
      conclusion: run.conclusion,
      details_url: run.detailsUrl,
      external_id: run.externalId,
      output: { ...run.output, annotations: run.output.annotations.map((annotation) => ({ ...annotation })) },
      updates: structuredClone(run.updates),
    }));
  }

  /** Published review comments of a pull request (replies included), oldest first. */
  reviewComments(owner: string, repo: string, number: number): unknown[] {
    const pull = this.findRepo(owner, repo)?.pulls.get(number);
    if (!pull) return [];
    return pull.comments
      .filter((comment) => !comment.pending)
      .map((comment) => ({
        id: comment.id,
        node_id: comment.nodeId,
        thread_id: comment.threadId,
        pull_request_review_id: comment.reviewId,
        ...(comment.inReplyToId === undefined ? {} : { in_reply_to_id: comment.inReplyToId }),
        path: comment.path,
        line: comment.line,
        side: comment.side,
        start_line: comment.startLine,
        start_side: comment.startSide,
        commit_id: comment.commitId,
        body: comment.body,
        user: BOT_USER.login,
      }));
  }

  /** Thread ids passed to a successful `resolveReviewThread`, in order (a repeat shows as a repeat). */
  resolvedThreads(): string[] {
    return [...this.resolved];
  }

  /** Resolves once `predicate(calls)` holds (checked now and after every call); rejects after `timeoutMs` (default 5 s). */
  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    try {
      if (predicate(this.calls)) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = (): void => {
        try {
          if (!predicate(this.calls)) return;
          cleanup();
          resolve();
        } catch (error) {
          cleanup();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.calls.map((call) => `  ${call.method} ${call.path} → ${call.status}`).join('\n');
        reject(new Error(`waitFor: condition not met within ${timeoutMs} ms; ${this.calls.length} calls recorded${seen ? `:\n${seen}` : ''}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Forgets everything: pulls, files, posts, calls, injected failures, counters and the rate-limit window. */
  reset(): void {
    this.calls.length = 0;
    this.repos.clear();
    this.failures = [];
    this.resolved = [];
    this.counters = freshCounters();
    this.rate = freshRate();
  }

  // -------------------------------------------------------------------------------------------
  // HTTP plumbing.

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    let url: URL;
    try {
      // Prefixing (rather than resolving against a base) keeps `//x` a path, not a host.
      url = new URL(target.startsWith('/') ? `http://stand-in.invalid${target}` : target);
    } catch {
      this.record({ method, path: target, query: {}, body: undefined, status: 400, at });
      this.send(res, errorReply(400, 'Bad Request'), 'core');
      return;
    }
    const { path: rawPath, prefix } = stripPrefix(url.pathname);
    const path = safeDecode(rawPath);
    const query = Object.fromEntries(url.searchParams);
    const resource = path === '/graphql' ? 'graphql' : 'core';
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req, MAX_REQUEST_BYTES);
    } catch (error) {
      const tooLarge = error instanceof BodyTooLarge;
      const reply = errorReply(tooLarge ? 413 : 400, tooLarge ? 'Request body too large' : 'Could not read request body');
      this.record({ method, path, query, body: undefined, status: reply.status, at });
      this.send(res, reply, resource);
      return;
    }
    const text = rawBody.toString('utf8');
    const request: RequestInfo = { method, path, rawPath, prefix, query, headers: req.headers, body: text === '' ? undefined : text, rawBody };
    let reply: Reply;
    try {
      reply = this.dispatch(request);
    } catch (error) {
      // A bug in the stand-in answers 500 (and is recorded) rather than hanging or crashing the test.
      reply = errorReply(500, `stand-in error: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.record({ method, path, query, body: request.body, status: reply.status, at });
    this.send(res, reply, resource);
  }

  private dispatch(request: RequestInfo): Reply {
    const injected = this.takeFailure(request);
    if (injected) return injected;
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.rawPath);
      if (!match) continue;
      const params = match.slice(1).map((part) => safeDecode(part ?? ''));
      const denied = this.authenticate(route, request);
      if (denied) return denied;
      if (route.json) {
        const parsed = parseJsonBody(request.rawBody);
        if ('error' in parsed) return parsed.error;
        request.body = parsed.value;
      }
      return route.handle(request, params);
    }
    return errorReply(404, 'Not Found');
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of [...this.waiters]) waiter();
  }

  private send(res: ServerResponse, reply: Reply, resource: 'core' | 'graphql'): void {
    const headers: Record<string, string> = {
      ...this.rateHeaders(resource),
      'x-github-request-id': `STANDIN:${(this.counters.request++).toString(16).toUpperCase()}`,
      'x-github-media-type': 'github.v3; format=json',
    };
    let payload: Buffer;
    if (reply.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      payload = Buffer.from(JSON.stringify(reply.json), 'utf8');
    } else if (reply.raw !== undefined) {
      headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
      payload = typeof reply.raw === 'string' ? Buffer.from(reply.raw, 'utf8') : reply.raw;
    } else {
      payload = Buffer.alloc(0);
    }
    Object.assign(headers, reply.headers ?? {});
    headers['content-length'] = String(payload.length);
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private rateHeaders(resource: 'core' | 'graphql'): Record<string, string> {
    const now = Math.floor(Date.now() / 1000);
    if (now >= this.rate.reset) this.rate = freshRate();
    this.rate.used[resource] += 1;
    const used = this.rate.used[resource];
    return {
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - used)),
      'x-ratelimit-reset': String(this.rate.reset),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': resource,
    };
  }

  private takeFailure(request: RequestInfo): Reply | undefined {
    const index = this.failures.findIndex((failure) => {
      if (failure.method !== undefined && failure.method.toUpperCase() !== request.method) return false;
      failure.path.lastIndex = 0; // a /g or /y pattern would otherwise remember where it stopped
      return failure.path.test(request.path);
    });
    if (index < 0) return undefined;
    const failure = this.failures[index]!;
    failure.left -= 1;
    if (failure.left <= 0) this.failures.splice(index, 1);
    // Lower-cased so they replace the stand-in's own headers instead of being sent twice.
    const headers = Object.fromEntries(Object.entries(failure.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
    const spent = headers['x-ratelimit-remaining'] === '0';
    // Octokit waits until x-ratelimit-reset; without one given, "now" keeps tests fast (it adds 1 s).
    if (spent && headers['x-ratelimit-reset'] === undefined) headers['x-ratelimit-reset'] = String(Math.floor(Date.now() / 1000));
    if (failure.body !== undefined) {
      if (typeof failure.body === 'string' || Buffer.isBuffer(failure.body)) {
        return { status: failure.status, raw: failure.body, contentType: 'text/html; charset=utf-8', headers };
      }
      return { status: failure.status, json: failure.body, headers };
    }
    return { ...this.defaultFailure(failure.status, headers, spent), headers };
  }

  private defaultFailure(status: number, headers: Record<string, string>, spent: boolean): Reply {
    if (status === 403 || status === 429) {
      if (headers['retry-after'] !== undefined) return errorReply(status, MESSAGES.secondaryRateLimit, DOCS.rateLimit);
      if (spent) return errorReply(status, MESSAGES.primaryRateLimit(this.installationId), DOCS.rateLimit);
      return errorReply(status, status === 403 ? 'Resource not accessible by integration' : 'Too Many Requests');
    }
    if (status === 401) return errorReply(401, MESSAGES.badCredentials);
    if (status === 404) return errorReply(404, 'Not Found');
    if (status === 422) return errorReply(422, 'Unprocessable Entity');
    // GitHub's gateway errors are HTML pages, not JSON; Octokit must cope with both.
    if (status === 502 || status === 503 || status === 504) {
      return { status, raw: `<html><body><h1>${status} Server Error</h1></body></html>`, contentType: 'text/html; charset=utf-8' };
    }
    if (status >= 500) return errorReply(status, 'Server Error');
    return errorReply(status, 'Error');
  }

  private authenticate(route: Route, request: RequestInfo): Reply | undefined {
    const header = request.headers.authorization;
    const graphql = request.path === '/graphql';
    if (header === undefined || header.trim() === '') {
      if (graphql) return errorReply(401, MESSAGES.graphqlUnauthenticated, DOCS.graphqlAuth);
      return errorReply(401, MESSAGES.requiresAuthentication);
    }
    const match = /^(token|bearer)\s+(\S+)\s*$/i.exec(header);
    const credential = match?.[2];
    if (route.auth === 'jwt') {
      // Probot signs a JWT with the app's key; the stand-in checks its shape, not its signature.
      if (!match || match[1]!.toLowerCase() !== 'bearer' || !credential || !looksLikeJwt(credential)) {
        return errorReply(401, MESSAGES.badJwt);
      }
      return undefined;
    }
    if (credential !== this.token) return errorReply(401, MESSAGES.badCredentials);
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Routes.

  private buildRoutes(): Route[] {
    const repo = '/repos/([^/]+)/([^/]+)';
    return [
      { method: 'POST', pattern: /^\/app\/installations\/([^/]+)\/access_tokens$/, auth: 'jwt', json: true, handle: (_r, p) => this.createToken(p) },
      { method: 'GET', pattern: /^\/app$/, auth: 'jwt', handle: () => ({ status: 200, json: appBody() }) },
      { method: 'GET', pattern: new RegExp(`^${repo}/installation$`), auth: 'jwt', handle: (_r, p) => this.getInstallation(p) },
      { method: 'GET', pattern: new RegExp(`^${repo}/pulls/(\\d+)$`), auth: 'installation', handle: (_r, p) => this.getPull(p) },
      { method: 'GET', pattern: new RegExp(`^${repo}/pulls/(\\d+)/files$`), auth: 'installation', handle: (r, p) => this.listFiles(r, p) },
      { method: 'GET', pattern: new RegExp(`^${repo}/pulls/(\\d+)/comments$`), auth: 'installation', handle: (r, p) => this.listComments(r, p) },
      { method: 'POST', pattern: new RegExp(`^${repo}/pulls/(\\d+)/comments/(\\d+)/replies$`), auth: 'installation', json: true, handle: (r, p) => this.createReply(r, p) },
      { method: 'GET', pattern: new RegExp(`^${repo}/pulls/(\\d+)/reviews$`), auth: 'installation', handle: (r, p) => this.listReviews(r, p) },
      { method: 'POST', pattern: new RegExp(`^${repo}/pulls/(\\d+)/reviews$`), auth: 'installation', json: true, handle: (r, p) => this.createReview(r, p) },
      { method: 'GET', pattern: new RegExp(`^${repo}/contents(?:/(.*))?$`), auth: 'installation', handle: (r, p) => this.getContent(r, p) },
      { method: 'POST', pattern: new RegExp(`^${repo}/check-runs$`), auth: 'installation', json: true, handle: (r, p) => this.createCheckRun(r, p) },
      { method: 'PATCH', pattern: new RegExp(`^${repo}/check-runs/(\\d+)$`), auth: 'installation', json: true, handle: (r, p) => this.updateCheckRun(r, p) },
      { method: 'GET', pattern: new RegExp(`^${repo}/check-runs/(\\d+)$`), auth: 'installation', handle: (_r, p) => this.getCheckRun(p) },
      { method: 'GET', pattern: new RegExp(`^${repo}/commits/(.+)/check-runs$`), auth: 'installation', handle: (r, p) => this.listCheckRunsForRef(r, p) },
      { method: 'POST', pattern: /^\/graphql$/, auth: 'installation', json: true, handle: (r) => this.graphql(r) },
    ];
  }

  /** POST /app/installations/{id}/access_tokens → 201. */
  private createToken([id]: string[]): Reply {
    if (!this.installationIds.has(Number(id))) return errorReply(404, 'Not Found', DOCS.accessToken);
    return {
      status: 201,
      json: {
        token: this.token,
        expires_at: isoSeconds(Date.now() + 60 * 60 * 1000),
        permissions: { checks: 'write', contents: 'read', metadata: 'read', pull_requests: 'write' },
        repository_selection: 'all',
      },
    };
  }

  /** GET /repos/{owner}/{repo}/installation. */
  private getInstallation([owner]: string[]): Reply {
    return {
      status: 200,
      json: {
        id: this.installationId,
        account: { login: owner, type: 'Organization' },
        app_id: APP.id,
        app_slug: APP.slug,
        target_type: 'Organization',
        permissions: { checks: 'write', contents: 'read', metadata: 'read', pull_requests: 'write' },
        events: ['pull_request'],
      },
    };
  }

  /** GET /repos/{owner}/{repo}/pulls/{n}. */
  private getPull([owner, repo, number]: string[]): Reply {
    const found = this.pullOf(owner!, repo!, number!);
    if (!found) return errorReply(404, 'Not Found');
    return { status: 200, json: pullBody(found.repo, found.pull) };
  }

  /** GET /repos/{owner}/{repo}/pulls/{n}/files — paginated, at most 3,000 files like GitHub. */
  private listFiles(request: RequestInfo, [owner, repo, number]: string[]): Reply {
    const found = this.pullOf(owner!, repo!, number!);
    if (!found) return errorReply(404, 'Not Found');
    const files = found.pull.spec.files.slice(0, PULL_FILES_LIMIT);
    return this.paginate(request, files, (file) => fileBody(found.repo, found.pull, file));
  }

  /** GET /repos/{owner}/{repo}/pulls/{n}/comments — published review comments, oldest first. */
  private listComments(request: RequestInfo, [owner, repo, number]: string[]): Reply {
    const found = this.pullOf(owner!, repo!, number!);
    if (!found) return errorReply(404, 'Not Found');
    const published = found.pull.comments.filter((comment) => !comment.pending);
    return this.paginate(request, published, (comment) => commentBody(found.repo, found.pull, comment));
  }

  /** GET /repos/{owner}/{repo}/pulls/{n}/reviews. */
  private listReviews(request: RequestInfo, [owner, repo, number]: string[]): Reply {
    const found = this.pullOf(owner!, repo!, number!);
    if (!found) return errorReply(404, 'Not Found');
    return this.paginate(request, found.pull.reviews, (review) => reviewBody(found.repo, found.pull, review));
  }

  /** POST /repos/{owner}/{repo}/pulls/{n}/reviews — all comments validated first; one bad line fails the whole review. */
  private createReview(request: RequestInfo, [owner, repo, number]: string[]): Reply {
    const found = this.pullOf(owner!, repo!, number!);
    if (!found) return errorReply(404, 'Not Found', DOCS.createReview);
    const { pull } = found;
    const body = request.body as Record<string, unknown>;
    const unprocessable = (reason: string): Reply => errorReply(422, 'Unprocessable Entity', DOCS.createReview, { errors: [reason] });

    const event = body.event;
    if (event !== undefined && event !== null && !REVIEW_EVENTS.includes(event as (typeof REVIEW_EVENTS)[number])) {
      return unprocessable(MESSAGES.badEvent);
    }
    const commitId = body.commit_id === undefined || body.commit_id === null ? pull.spec.headSha : body.commit_id;
    if (typeof commitId !== 'string' || !pull.heads.has(commitId)) return unprocessable(MESSAGES.badCommit);
    const reviewText = body.body === undefined || body.body === null ? '' : body.body;
    if (typeof reviewText !== 'string') return invalidRequest(`For 'properties/body', ${JSON.stringify(reviewText)} is not a string.`, DOCS.createReview);
    if (reviewText.length > BODY_MAX) return unprocessable(MESSAGES.bodyTooLong);
    const rawComments: unknown = body.comments ?? [];
    if (!Array.isArray(rawComments)) return invalidRequest(`For 'properties/comments', ${JSON.stringify(rawComments)} is not an array.`, DOCS.createReview);

    // Schema first (missing fields), then anchoring, as GitHub reports them.
    const missing: string[] = [];
    for (const comment of rawComments as unknown[]) {
      if (!isRecord(comment)) {
        missing.push(`For 'items', ${JSON.stringify(comment)} is not an object.`);
        continue;
      }
      const absent = ['body', 'path'].filter((key) => typeof comment[key] !== 'string');
      if (absent.length > 0) missing.push(MESSAGES.notSupplied(absent));
    }
    if (missing.length > 0) return invalidRequest(missing.join('\n'), DOCS.createReview);

    const comments = rawComments as Record<string, unknown>[];
    const anchors: Anchor[] = [];
    const problems: string[] = [];
    for (const comment of comments) {
      const anchor = this.anchorComment(pull, comment);
      if (typeof anchor === 'string') problems.push(anchor);
      else anchors.push(anchor);
      if (String(comment.body).length > BODY_MAX) problems.push(MESSAGES.bodyTooLong);
    }
    if (problems.length > 0) return unprocessable(toSentence(problems));

    const state = event === undefined || event === null ? 'PENDING' : REVIEW_STATES[event as string]!;
    if (state === 'PENDING' && pull.reviews.some((review) => review.state === 'PENDING')) return unprocessable(MESSAGES.onePending);
    if ((event === 'COMMENT' || event === 'REQUEST_CHANGES') && reviewText.trim() === '' && comments.length === 0) {
      return unprocessable(MESSAGES.bodyRequired);
    }

    const reviewId = this.counters.review++;
    const now = isoSeconds(Date.now());
    const review: ReviewState = {
      id: reviewId,
      nodeId: `PRR_kwDOStandIn${reviewId}`,
      state,
      ...(typeof event === 'string' ? { event } : {}),
      body: reviewText,
      commitId,
      commentIds: [],
      request: structuredClone(body),
      ...(state === 'PENDING' ? {} : { submittedAt: now }),
    };
    comments.forEach((comment, index) => {
      const anchor = anchors[index]!;
      const created = this.newComment(pull, {
        reviewId,
        body: String(comment.body),
        path: String(comment.path),
        anchor,
        commitId,
        pending: state === 'PENDING',
      });
      review.commentIds.push(created.id);
    });
    pull.reviews.push(review);
    return { status: 200, json: reviewBody(found.repo, pull, review) };
  }

  /** POST /repos/{owner}/{repo}/pulls/{n}/comments/{id}/replies → 201; the reply joins the comment's thread. */
  private createReply(request: RequestInfo, [owner, repo, number, commentId]: string[]): Reply {
    const found = this.pullOf(owner!, repo!, number!);
    if (!found) return errorReply(404, 'Not Found', DOCS.reply);
    const target = found.pull.comments.find((comment) => comment.id === Number(commentId) && !comment.pending);
    if (!target) return errorReply(404, 'Not Found', DOCS.reply);
    const body = (request.body as Record<string, unknown>).body;
    if (typeof body !== 'string' || body === '') {
      return errorReply(422, 'Validation Failed', DOCS.reply, {
        errors: [{ resource: 'PullRequestReviewComment', code: 'missing_field', field: 'body' }],
      });
    }
    if (body.length > BODY_MAX) return errorReply(422, 'Unprocessable Entity', DOCS.reply, { errors: [MESSAGES.bodyTooLong] });
    // GitHub does not nest replies: a reply to a reply answers the thread's first comment (unverified detail).
    const thread = found.pull.threads.find((candidate) => candidate.id === target.threadId)!;
    const root = found.pull.comments.find((comment) => comment.id === thread.commentIds[0])!;
    // Each REST reply is its own single-comment review on GitHub; it gets an id but is not listed by reviews().
    const reviewId = this.counters.review++;
    const reply = this.newComment(found.pull, {
      reviewId,
      body,
      path: root.path,
      anchor: {
        line: root.line,
        side: root.side,
        startLine: root.startLine,
        startSide: root.startSide,
        position: root.position,
        subjectType: root.subjectType,
        diffHunk: root.diffHunk,
      },
      commitId: found.pull.spec.headSha,
      pending: false,
      replyTo: root,
    });
    return { status: 201, json: commentBody(found.repo, found.pull, reply) };
  }

  /** GET /repos/{owner}/{repo}/contents/{path}?ref= — JSON (base64) by default, bytes for the raw media type. */
  private getContent(request: RequestInfo, [owner, repo, path]: string[]): Reply {
    const state = this.findRepo(owner!, repo!);
    if (!state) return errorReply(404, 'Not Found', DOCS.contents);
    const ref = request.query.ref ?? DEFAULT_BRANCH;
    const files = this.filesAt(state, ref);
    if (!files) return errorReply(404, `No commit found for the ref ${ref}`, DOCS.contents);
    const wanted = (path ?? '').replace(/^\/+|\/+$/g, '');
    const accept = String(request.headers.accept ?? '');
    const raw = /application\/vnd\.github(?:\.v3)?\.raw/i.test(accept);
    const content = files.get(wanted);
    if (content === undefined) {
      const listing = directoryListing(state, ref, files, wanted);
      // A directory answers a JSON array whatever the media type (Probot's config loader relies on that).
      if (listing) return { status: 200, json: listing };
      return errorReply(404, 'Not Found', DOCS.contents);
    }
    if (content.length > CONTENTS_MAX) {
      return errorReply(403, MESSAGES.blobTooLarge, DOCS.contents, { errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }] });
    }
    if (raw) {
      return { status: 200, raw: content, contentType: 'text/plain; charset=utf-8', headers: { 'x-github-media-type': 'github.v3; param=raw' } };
    }
    return { status: 200, json: contentBody(state, ref, wanted, content) };
  }

  /** POST /repos/{owner}/{repo}/check-runs → 201. */
  private createCheckRun(request: RequestInfo, [owner, repo]: string[]): Reply {
    const state = this.repoState(owner!, repo!);
    const body = request.body as Record<string, unknown>;
    const absent = ['head_sha', 'name'].filter((key) => typeof body[key] !== 'string' || body[key] === '');
    if (absent.length > 0) return invalidRequest(MESSAGES.notSupplied(absent), DOCS.createCheckRun);
    const invalid = validateCheckRunInput(body, true, DOCS.createCheckRun);
    if (invalid) return invalid;
    const headSha = body.head_sha as string;
    if (!this.knownShas(state).has(headSha)) return errorReply(422, `No commit found for SHA: ${headSha}`, DOCS.createCheckRun);
    const id = this.counters.checkRun++;
    const run: CheckRunState = {
      id,
      nodeId: `CR_kwDOStandIn${id}`,
      name: body.name as string,
      headSha,
      status: 'queued',
      conclusion: null,
      startedAt: isoSeconds(Date.now()),
      completedAt: null,
      detailsUrl: null,
      externalId: null,
      output: { title: null, summary: null, text: null, annotations: [] },
      updates: [],
    };
    applyCheckRunInput(run, body);
    state.checkRuns.push(run);
    return { status: 201, json: checkRunBody(state, run) };
  }

  /** PATCH /repos/{owner}/{repo}/check-runs/{id} → 200; annotations are appended, as GitHub documents. */
  private updateCheckRun(request: RequestInfo, [owner, repo, id]: string[]): Reply {
    const state = this.findRepo(owner!, repo!);
    const run = state?.checkRuns.find((candidate) => candidate.id === Number(id));
    if (!state || !run) return errorReply(404, 'Not Found', DOCS.updateCheckRun);
    const body = request.body as Record<string, unknown>;
    const invalid = validateCheckRunInput(body, false, DOCS.updateCheckRun);
    if (invalid) return invalid;
    applyCheckRunInput(run, body);
    return { status: 200, json: checkRunBody(state, run) };
  }

  /** GET /repos/{owner}/{repo}/check-runs/{id}. */
  private getCheckRun([owner, repo, id]: string[]): Reply {
    const state = this.findRepo(owner!, repo!);
    const run = state?.checkRuns.find((candidate) => candidate.id === Number(id));
    if (!state || !run) return errorReply(404, 'Not Found');
    return { status: 200, json: checkRunBody(state, run) };
  }

  /** GET /repos/{owner}/{repo}/commits/{ref}/check-runs — newest first; `filter=latest` (default) keeps one per name. */
  private listCheckRunsForRef(request: RequestInfo, [owner, repo, ref]: string[]): Reply {
    const state = this.findRepo(owner!, repo!);
    if (!state) return errorReply(404, 'Not Found');
    const shas = this.resolveRef(state, ref!);
    if (!shas) return errorReply(422, `No commit found for SHA: ${ref}`);
    let runs = state.checkRuns.filter((run) => shas.has(run.headSha)).sort((a, b) => b.id - a.id);
    const { check_name: name, status, filter } = request.query;
    if (name !== undefined) runs = runs.filter((run) => run.name === name);
    if (status !== undefined) runs = runs.filter((run) => run.status === status);
    if (filter !== 'all') {
      const seen = new Set<string>();
      runs = runs.filter((run) => (seen.has(run.name) ? false : (seen.add(run.name), true)));
    }
    const page = pageOf(request.query, this.perPageMax);
    const slice = runs.slice((page.page - 1) * page.perPage, page.page * page.perPage);
    return {
      status: 200,
      json: { total_count: runs.length, check_runs: slice.map((run) => checkRunBody(state, run)) },
      headers: linkHeader(request, page, runs.length),
    };
  }

  /** POST /graphql (and /api/graphql): review threads of a pull request, and resolving them. */
  private graphql(request: RequestInfo): Reply {
    const world: GraphqlWorld = {
      repos: () => this.repos.values(),
      findRepo: (owner, repo) => this.findRepo(owner, repo),
      rateLimit: () => ({ used: this.rate.used.graphql, reset: this.rate.reset }),
      onResolved: (threadId) => this.resolved.push(threadId),
    };
    const response = runGraphql(request.body, graphqlRoots(world));
    return { status: 200, json: response };
  }

  // -------------------------------------------------------------------------------------------
  // The model.

  private repoState(owner: string, repo: string): RepoState {
    const key = `${owner}/${repo}`.toLowerCase(); // GitHub names are case-insensitive
    let state = this.repos.get(key);
    if (!state) {
      state = { owner, repo, id: this.counters.repo++, pulls: new Map(), files: new Map(), checkRuns: [] };
      this.repos.set(key, state);
    }
    return state;
  }

  private findRepo(owner: string, repo: string): RepoState | undefined {
    return this.repos.get(`${owner}/${repo}`.toLowerCase());
  }

  private pullOf(owner: string, repo: string, number: string): { repo: RepoState; pull: PullState } | undefined {
    const state = this.findRepo(owner, repo);
    const pull = state?.pulls.get(Number(number));
    return state && pull ? { repo: state, pull } : undefined;
  }

  /** Files at a ref: stored under that name, or under the sha/branch a pull request pairs it with. */
  private filesAt(state: RepoState, ref: string): Map<string, Buffer> | undefined {
    const direct = state.files.get(ref);
    const aliases = new Set<string>();
    for (const pull of state.pulls.values()) {
      const { baseSha, headSha, baseRef, headRef } = pull.spec;
      if (ref === baseSha && baseRef) aliases.add(baseRef);
      if (ref === baseRef) aliases.add(baseSha);
      if (ref === headSha && headRef) aliases.add(headRef);
      if (ref === headRef) aliases.add(headSha);
    }
    const merged = new Map<string, Buffer>();
    let known = direct !== undefined || this.knownShas(state).has(ref) || ref === DEFAULT_BRANCH;
    for (const alias of aliases) {
      const files = state.files.get(alias);
      if (files) for (const [path, content] of files) merged.set(path, content);
      known = true;
    }
    if (direct) for (const [path, content] of direct) merged.set(path, content);
    return known ? merged : undefined;
  }

  private knownShas(state: RepoState): Set<string> {
    const shas = new Set<string>(state.files.keys());
    for (const pull of state.pulls.values()) {
      shas.add(pull.spec.baseSha);
      for (const head of pull.heads) shas.add(head);
    }
    return shas;
  }

  private resolveRef(state: RepoState, ref: string): Set<string> | undefined {
    if (/^[0-9a-f]{7,40}$/i.test(ref)) return new Set([ref]);
    const shas = new Set<string>();
    for (const pull of state.pulls.values()) {
      if (pull.spec.headRef === ref) shas.add(pull.spec.headSha);
      if (pull.spec.baseRef === ref) shas.add(pull.spec.baseSha);
    }
    return shas.size > 0 ? shas : undefined;
  }

  /** Where a review comment lands, or GitHub's reason it cannot. */
  private anchorComment(pull: PullState, comment: Record<string, unknown>): Anchor | string {
    const file = pull.spec.files.slice(0, PULL_FILES_LIMIT).find((candidate) => candidate.filename === comment.path);
    if (!file) return MESSAGES.pathUnresolved;
    const lines = hunkLines(file.patch);
    if (comment.subject_type === 'file') {
      return { line: null, side: null, startLine: null, startSide: null, position: null, subjectType: 'file', diffHunk: '' };
    }
    const end = locate(lines, comment.line, comment.side, comment.position);
    if (!end || end.side === undefined) return MESSAGES.lineUnresolved;
    let start: PatchLine | undefined;
    let startSide: DiffSide | null = null;
    if (comment.start_line !== undefined && comment.start_line !== null) {
      startSide = sideOf(comment.start_side) ?? end.side;
      start = typeof comment.start_line === 'number' ? lines.bySide[startSide].get(comment.start_line) : undefined;
      if (!start || start.hunk !== end.line.hunk) return MESSAGES.startLineOtherHunk;
      if (start.position >= end.line.position) return MESSAGES.startLineNotBefore;
    }
    const number = end.side === 'LEFT' ? end.line.left! : end.line.right!;
    return {
      line: number,
      side: end.side,
      startLine: start ? (startSide === 'LEFT' ? start.left! : start.right!) : null,
      startSide: start ? startSide : null,
      position: end.line.position,
      subjectType: 'line',
      diffHunk: diffHunkFor(file.patch, end.line),
    };
  }

  private newComment(
    pull: PullState,
    fields: { reviewId: number; body: string; path: string; anchor: Anchor; commitId: string; pending: boolean; replyTo?: CommentState },
  ): CommentState {
    const id = this.counters.comment++;
    let threadId: string;
    if (fields.replyTo) {
      threadId = fields.replyTo.threadId;
      pull.threads.find((thread) => thread.id === threadId)!.commentIds.push(id);
    } else {
      threadId = `PRRT_kwDOStandIn${this.counters.thread++}`;
      pull.threads.push({ id: threadId, commentIds: [id], isResolved: false });
    }
    const comment: CommentState = {
      id,
      nodeId: `PRRC_kwDOStandIn${id}`,
      reviewId: fields.reviewId,
      threadId,
      body: fields.body,
      path: fields.path,
      line: fields.anchor.line,
      side: fields.anchor.side,
      startLine: fields.anchor.startLine,
      startSide: fields.anchor.startSide,
      position: fields.anchor.position,
      subjectType: fields.anchor.subjectType,
      commitId: fields.commitId,
      ...(fields.replyTo ? { inReplyToId: fields.replyTo.id } : {}),
      diffHunk: fields.anchor.diffHunk,
      createdAt: isoSeconds(Date.now()),
      pending: fields.pending,
    };
    pull.comments.push(comment);
    return comment;
  }

  // -------------------------------------------------------------------------------------------
  // Response bodies.

  private paginate<T>(request: RequestInfo, items: readonly T[], toJson: (item: T) => unknown): Reply {
    const page = pageOf(request.query, this.perPageMax);
    const slice = items.slice((page.page - 1) * page.perPage, page.page * page.perPage);
    return { status: 200, json: slice.map(toJson), headers: linkHeader(request, page, items.length) };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers without state.


class BodyTooLarge extends Error {}

function freshCounters(): { pull: number; review: number; comment: number; thread: number; checkRun: number; repo: number; request: number } {
  return { pull: 700001, review: 800001, comment: 100001, thread: 1, checkRun: 500001, repo: 300001, request: 1 };
}

function freshRate(): { reset: number; used: { core: number; graphql: number } } {
  return { reset: Math.floor(Date.now() / 1000) + 3600, used: { core: 0, graphql: 0 } };
}


function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Strips the GitHub Enterprise prefixes: `/api/v3/…` for REST, `/api/graphql` for GraphQL. */
function stripPrefix(pathname: string): { path: string; prefix: string } {
  if (pathname === '/api/graphql') return { path: '/graphql', prefix: '/api' };
  if (pathname === '/api/v3' || pathname.startsWith('/api/v3/')) return { path: pathname.slice('/api/v3'.length) || '/', prefix: '/api/v3' };
  return { path: pathname, prefix: '' };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep reading (and dropping) so the client gets the 413 instead of a reset connection.
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function parseJsonBody(raw: Buffer): { value: Record<string, unknown> } | { error: Reply } {
  const text = raw.toString('utf8');
  if (text.trim() === '') return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: errorReply(400, MESSAGES.badJson) };
  }
  if (!isRecord(value)) return { error: errorReply(400, MESSAGES.notAnObject) };
  return { value };
}



function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return isRecord(header) && typeof header.alg === 'string' && isRecord(payload);
  } catch {
    return false;
  }
}




function sideOf(value: unknown): DiffSide | undefined {
  return value === 'LEFT' || value === 'RIGHT' ? value : undefined;
}

function locate(lines: HunkLines, line: unknown, side: unknown, position: unknown): { line: PatchLine; side?: DiffSide } | undefined {
  if (typeof line === 'number') {
    if (side !== undefined && side !== null && sideOf(side) === undefined) return undefined;
    const wanted = sideOf(side) ?? 'RIGHT';
    const found = lines.bySide[wanted].get(line);
    return found ? { line: found, side: wanted } : undefined;
  }
  // The legacy `position` addresses a patch line; it lands on the head side unless the line was removed.
  if (typeof position === 'number') {
    const found = lines.byPosition.get(position);
    if (!found) return undefined;
    if (found.right !== undefined) return { line: found, side: 'RIGHT' };
    if (found.left !== undefined) return { line: found, side: 'LEFT' };
    return { line: found };
  }
  return undefined;
}

function pageOf(query: Record<string, string>, perPageMax: number): { page: number; perPage: number } {
  const perPageRaw = Number.parseInt(query.per_page ?? '', 10);
  const pageRaw = Number.parseInt(query.page ?? '', 10);
  // GitHub clamps rather than rejects: per_page above the maximum gives the maximum.
  const perPage = Number.isFinite(perPageRaw) && perPageRaw > 0 ? Math.min(perPageRaw, perPageMax) : Math.min(DEFAULT_PER_PAGE, perPageMax);
  const page = Number.isFinite(pageRaw) && pageRaw > 0 ? pageRaw : 1;
  return { page, perPage };
}

/** GitHub's Link header: absolute URLs back to this server, rel next/last (and prev/first past page 1). */
function linkHeader(request: RequestInfo, page: { page: number; perPage: number }, total: number): Record<string, string> {
  const last = Math.max(1, Math.ceil(total / page.perPage));
  const host = String(request.headers.host ?? '127.0.0.1');
  const link = (n: number): string => {
    const query = new URLSearchParams({ ...request.query, per_page: String(page.perPage), page: String(n) });
    return `http://${host}${request.prefix}${request.rawPath}?${query.toString()}`;
  };
  const parts: string[] = [];
  if (page.page > 1) parts.push(`<${link(Math.min(page.page - 1, last))}>; rel="prev"`);
  if (page.page < last) parts.push(`<${link(page.page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page.page > 1) parts.push(`<${link(1)}>; rel="first"`);
  return parts.length > 0 ? { link: parts.join(', ') } : {};
}










