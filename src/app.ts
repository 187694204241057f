// Entry point of the GitHub App: Probot handlers for pull_request events — thin: gather inputs, queue the
// review, hand off to the pipeline (src/github/review-push.ts).

import type { Probot } from 'probot';
import type { Rule } from './engine/rule.js';
import { ALL_RULES } from '../rules/index.js';
import { MemoryDeliveryLog, type DeliveryLog } from './github/delivery-log.js';
import { ReviewQueue } from './github/review-queue.js';
import { octokitPort } from './github/github-port.js';
import { reviewPush, type BaseEntry, type PushInfo, type ReviewPushDeps } from './github/review-push.js';
import type { ReviewPool } from './review/pool.js';
import type { Metrics } from './ops/metrics.js';

/**
 * Pull requests reviewed at once when reviews run in review processes. A review mostly waits on GitHub
 * (its writes are paced a second apart per installation), and its CPU part queues for a review process
 * anyway, so many may be in flight; without the pool two at a time keep the webhook thread free.
 */
export const PULLS_IN_FLIGHT = 64;

/** The pull_request actions that bring a new head to review. */
export const REVIEWED_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const;

export interface AppOptions {
  rules?: readonly Rule[];
  deliveries?: DeliveryLog;
  queue?: ReviewQueue;
  rulesDocBase?: string;
  /** Webhook outcomes and reviews are counted here when given (GET /metrics). */
  metrics?: Metrics;
  /** Review processes (the server's); without them reviews run in the process that answers webhooks. */
  pool?: ReviewPool;
}

/** What an app instance exposes to its host (the server, tests). */
export interface AppHandle {
  queue: ReviewQueue;
}

/** Builds the app function; what varies (rules, delivery log, queue) is injected. */
export function createApp(options: AppOptions = {}): { app: (probot: Probot) => void; handle: AppHandle } {
  const rules = options.rules ?? ALL_RULES;
  const deliveries = options.deliveries ?? new MemoryDeliveryLog();
  const baseCache = new Map<string, BaseEntry>();
  let queue = options.queue;
  const handle = {} as AppHandle;

  const app = (probot: Probot) => {
    queue ??= new ReviewQueue(options.pool ? PULLS_IN_FLIGHT : 2, (key, error) => probot.log.error({ pull: key, error: String(error) }, 'review crashed'));
    handle.queue = queue;
    const q = queue;
    probot.on(
      REVIEWED_ACTIONS.map((a) => `pull_request.${a}` as const),
      async (context) => {
        const payload = context.payload;
        const pr = payload.pull_request;
        const repo = payload.repository;
        if (!pr?.head?.sha || !pr.base?.sha || !repo?.owner?.login || !repo.name || typeof pr.number !== 'number') {
          context.log.warn({ delivery: context.id }, 'pull_request payload without head/base/repository: ignored');
          return;
        }
        if (!(await deliveries.firstTime(context.id))) {
          context.log.info({ delivery: context.id }, 'delivery already handled: ignored');
          options.metrics?.delivery('pull_request', 'duplicate');
          return;
        }
        const push: PushInfo = {
          action: payload.action,
          number: pr.number,
          draft: pr.draft === true,
          headSha: pr.head.sha,
          baseSha: pr.base.sha,
          repoHtmlUrl: repo.html_url,
        };
        const deps: ReviewPushDeps = {
          port: octokitPort(context.octokit, { owner: repo.owner.login, repo: repo.name, number: pr.number }),
          rules,
          log: context.log,
          baseCache,
          rulesDocBase: options.rulesDocBase,
          metrics: options.metrics,
          reviewFiles: options.pool ? (task) => options.pool!.run(task) : undefined,
        };
        // Answer the webhook now; the review runs in the queue.
        q.push(`${repo.full_name}#${pr.number}`, async () => {
          await reviewPush(deps, push);
        });
      },
    );
  };
  return { app, handle };
}

/** The app as Probot loads it (`probot run`, src/server.ts). */
export default createApp().app;
