// Dev stand-in for GitHub: the GraphQL objects (repository → pull request → review threads → comments) and the thread mutations.

import { RATE_LIMIT } from './github-limits.js';
import { commentHtmlUrl } from './rest-bodies.js';
import { GqlFieldError, GqlRequestError, type GqlArgs, type GqlObject, type GqlOutput } from './run-graphql.js';
import { APP, DEFAULT_BRANCH, isRecord, isoSeconds, type CommentState, type PullState, type RepoState, type ThreadState } from './stand-in-model.js';

/** What the GraphQL model reads from (and reports to) the stand-in. */
export interface GraphqlWorld {
  repos(): Iterable<RepoState>;
  findRepo(owner: string, repo: string): RepoState | undefined;
  rateLimit(): { used: number; reset: number };
  /** Called for every successful `resolveReviewThread`. */
  onResolved(threadId: string): void;
}

/** The query and mutation roots over the stand-in's model, for runGraphql. */
export function graphqlRoots(world: GraphqlWorld): { query: GqlObject; mutation: GqlObject } {
  function queryRoot(): GqlObject {
    return {
      typename: 'Query',
      fields: {
        repository: (args) => {
          const owner = String(args.owner ?? '');
          const name = String(args.name ?? '');
          const state = world.findRepo(owner, name);
          if (!state) throw new GqlFieldError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, 'NOT_FOUND');
          return repositoryNode(state);
        },
        node: (args) => nodeById(String(args.id ?? '')),
        viewer: () => botNode(),
        rateLimit: () => ({
          typename: 'RateLimit',
          fields: {
            limit: () => RATE_LIMIT,
            cost: () => 1,
            used: () => world.rateLimit().used,
            remaining: () => Math.max(0, RATE_LIMIT - world.rateLimit().used),
            resetAt: () => isoSeconds(world.rateLimit().reset * 1000),
          },
        }),
      },
    };
  }

  function mutationRoot(): GqlObject {
    const setResolved = (resolved: boolean) => (args: GqlArgs): GqlOutput => {
      const input = isRecord(args.input) ? args.input : {};
      const threadId = String(input.threadId ?? '');
      const found = findThread(threadId);
      if (!found) throw new GqlFieldError(`Could not resolve to a node with the global id of '${threadId}'.`, 'NOT_FOUND');
      found.thread.isResolved = resolved;
      if (resolved) world.onResolved(threadId);
      const clientMutationId = input.clientMutationId;
      return {
        typename: resolved ? 'ResolveReviewThreadPayload' : 'UnresolveReviewThreadPayload',
        fields: {
          clientMutationId: () => (typeof clientMutationId === 'string' ? clientMutationId : null),
          thread: () => threadNode(found.repo, found.pull, found.thread),
        },
      };
    };
    return { typename: 'Mutation', fields: { resolveReviewThread: setResolved(true), unresolveReviewThread: setResolved(false) } };
  }

  function repositoryNode(state: RepoState): GqlObject {
    return {
      typename: 'Repository',
      interfaces: ['Node'],
      fields: {
        id: () => `R_kgDOStandIn${state.id}`,
        databaseId: () => state.id,
        name: () => state.repo,
        nameWithOwner: () => `${state.owner}/${state.repo}`,
        owner: () => ({ typename: 'Organization', fields: { login: () => state.owner } }),
        pullRequest: (args) => {
          const pull = state.pulls.get(Number(args.number));
          if (!pull) throw new GqlFieldError(`Could not resolve to a PullRequest with the number of ${String(args.number)}.`, 'NOT_FOUND');
          return pullNode(state, pull);
        },
      },
    };
  }

  function pullNode(state: RepoState, pull: PullState): GqlObject {
    return {
      typename: 'PullRequest',
      interfaces: ['Node'],
      fields: {
        id: () => pull.nodeId,
        databaseId: () => pull.id,
        number: () => pull.spec.number,
        isDraft: () => pull.spec.draft ?? false,
        headRefOid: () => pull.spec.headSha,
        baseRefOid: () => pull.spec.baseSha,
        headRefName: () => pull.spec.headRef ?? `pr-${pull.spec.number}`,
        baseRefName: () => pull.spec.baseRef ?? DEFAULT_BRANCH,
        repository: () => repositoryNode(state),
        reviewThreads: (args) =>
          connection('reviewThreads', 'PullRequestReviewThread', publishedThreads(pull).map((thread) => threadNode(state, pull, thread)), args),
      },
    };
  }

  function threadNode(state: RepoState, pull: PullState, thread: ThreadState): GqlObject {
    const comments = (): CommentState[] =>
      thread.commentIds.map((id) => pull.comments.find((comment) => comment.id === id)!).filter((comment) => !comment.pending);
    const root = (): CommentState => pull.comments.find((comment) => comment.id === thread.commentIds[0])!;
    return {
      typename: 'PullRequestReviewThread',
      interfaces: ['Node'],
      fields: {
        id: () => thread.id,
        isResolved: () => thread.isResolved,
        // The stand-in does not move comments across pushes, so nothing is ever outdated.
        isOutdated: () => false,
        isCollapsed: () => thread.isResolved,
        path: () => root().path,
        line: () => root().line,
        originalLine: () => root().line,
        startLine: () => root().startLine,
        diffSide: () => root().side ?? 'RIGHT',
        startDiffSide: () => root().startSide,
        subjectType: () => (root().subjectType === 'file' ? 'FILE' : 'LINE'),
        viewerCanResolve: () => !thread.isResolved,
        viewerCanUnresolve: () => thread.isResolved,
        viewerCanReply: () => true,
        pullRequest: () => pullNode(state, pull),
        comments: (args) =>
          connection('comments', 'PullRequestReviewComment', comments().map((comment) => commentNode(state, pull, comment)), args),
      },
    };
  }

  function commentNode(state: RepoState, pull: PullState, comment: CommentState): GqlObject {
    return {
      typename: 'PullRequestReviewComment',
      interfaces: ['Node', 'Comment'],
      fields: {
        id: () => comment.nodeId,
        databaseId: () => comment.id,
        fullDatabaseId: () => String(comment.id),
        body: () => comment.body,
        path: () => comment.path,
        line: () => comment.line,
        originalLine: () => comment.line,
        startLine: () => comment.startLine,
        diffHunk: () => comment.diffHunk,
        createdAt: () => comment.createdAt,
        outdated: () => false,
        isMinimized: () => false,
        url: () => commentHtmlUrl(state, pull, comment),
        author: () => botNode(),
        commit: () => ({ typename: 'Commit', fields: { oid: () => comment.commitId } }),
        originalCommit: () => ({ typename: 'Commit', fields: { oid: () => comment.commitId } }),
        pullRequest: () => pullNode(state, pull),
        pullRequestReview: () => {
          const review = pull.reviews.find((candidate) => candidate.id === comment.reviewId);
          return {
            typename: 'PullRequestReview',
            fields: {
              id: () => review?.nodeId ?? `PRR_kwDOStandIn${comment.reviewId}`,
              databaseId: () => comment.reviewId,
              state: () => review?.state ?? 'COMMENTED',
            },
          };
        },
        replyTo: () => {
          const parent = pull.comments.find((candidate) => candidate.id === comment.inReplyToId);
          return parent ? commentNode(state, pull, parent) : null;
        },
      },
    };
  }

  function nodeById(id: string): GqlOutput {
    for (const state of world.repos()) {
      for (const pull of state.pulls.values()) {
        if (pull.nodeId === id) return pullNode(state, pull);
        const thread = pull.threads.find((candidate) => candidate.id === id);
        if (thread) return threadNode(state, pull, thread);
        const comment = pull.comments.find((candidate) => candidate.nodeId === id && !candidate.pending);
        if (comment) return commentNode(state, pull, comment);
      }
    }
    throw new GqlFieldError(`Could not resolve to a node with the global id of '${id}'.`, 'NOT_FOUND');
  }

  function findThread(id: string): { repo: RepoState; pull: PullState; thread: ThreadState } | undefined {
    for (const repo of world.repos()) {
      for (const pull of repo.pulls.values()) {
        const thread = publishedThreads(pull).find((candidate) => candidate.id === id);
        if (thread) return { repo, pull, thread };
      }
    }
    return undefined;
  }

  function publishedThreads(pull: PullState): ThreadState[] {
    return pull.threads.filter((thread) => {
      const root = pull.comments.find((comment) => comment.id === thread.commentIds[0]);
      return root !== undefined && !root.pending;
    });
  }

  return { query: queryRoot(), mutation: mutationRoot() };
}

function botNode(): GqlObject {
  return { typename: 'Bot', interfaces: ['Actor'], fields: { login: () => APP.slug } };
}
/** A GraphQL connection over a list, with GitHub's pagination rules (first/last required, at most 100). */
function connection(field: string, typename: string, items: GqlObject[], args: GqlArgs): GqlObject {
  const first = typeof args.first === 'number' ? args.first : undefined;
  const last = typeof args.last === 'number' ? args.last : undefined;
  if (first === undefined && last === undefined) {
    throw new GqlRequestError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`, {
      type: 'MISSING_PAGINATION_BOUNDARIES',
    });
  }
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value !== undefined && value > 100) {
      throw new GqlRequestError(`Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`, {
        type: 'EXCESSIVE_PAGINATION',
      });
    }
  }
  const cursor = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString('base64');
  const indexOf = (value: unknown): number | undefined => {
    if (typeof value !== 'string') return undefined;
    const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(value, 'base64').toString('utf8'));
    return match ? Number(match[1]) : undefined;
  };
  let from = 0;
  let to = items.length;
  const after = indexOf(args.after);
  const before = indexOf(args.before);
  if (after !== undefined) from = after + 1;
  if (before !== undefined) to = Math.min(to, before);
  if (first !== undefined) to = Math.min(to, from + first);
  if (last !== undefined) from = Math.max(from, to - last);
  const window = items.slice(from, to).map((node, offset) => ({ node, cursor: cursor(from + offset) }));
  return {
    typename: `${typename}Connection`,
    fields: {
      totalCount: () => items.length,
      nodes: () => window.map((entry) => entry.node),
      edges: () =>
        window.map((entry) => ({
          typename: `${typename}Edge`,
          fields: { node: () => entry.node, cursor: () => entry.cursor },
        })),
      pageInfo: () => ({
        typename: 'PageInfo',
        fields: {
          hasNextPage: () => to < items.length,
          hasPreviousPage: () => from > 0,
          startCursor: () => window[0]?.cursor ?? null,
          endCursor: () => window.at(-1)?.cursor ?? null,
        },
      }),
    },
  };
}
