// GitHub way in: the Octokit the server uses — Probot's, with rate limits waited out as GitHub asks.

import { ProbotOctokit } from 'probot';
import type { Metrics } from '../ops/metrics.js';

/** Retries after a (primary or secondary) rate limit, as GitHub's headers ask, at most this many times. */
export const RATE_LIMIT_RETRIES = 2;

interface ThrottleRequest {
  request: { retryCount: number };
}

/**
 * Probot's Octokit retries 5xx answers with backoff; this one also waits out GitHub's secondary rate
 * limit (Probot's default only logs it) — both as many times as RATE_LIMIT_RETRIES allows. Writes are
 * paced one a second per installation, as GitHub asks of each client: the throttling plugin keys its
 * limiters by `throttle.id`, which Probot leaves the same for every installation, so without a key of
 * their own one busy installation's reviews would hold back every other's (measured: 20 pull requests
 * of one burst took 58 s to post, 2 s each, whatever their installation).
 */
export function appOctokit(metrics?: Metrics) {
  const base = metrics ? ProbotOctokit.plugin(requestMetrics(metrics)) : ProbotOctokit;
  return base.defaults((options: Record<string, unknown>) => ({
    ...options,
    throttle: {
      ...(options.throttle as object),
      id: throttleKey(options.auth),
      onRateLimit: (_after: number, request: ThrottleRequest) => request.request.retryCount < RATE_LIMIT_RETRIES,
      onSecondaryRateLimit: (_after: number, request: ThrottleRequest) => request.request.retryCount < RATE_LIMIT_RETRIES,
    },
  }));
}

/** One rate-limit key per installation (and one for the app's own JWT calls). */
function throttleKey(auth: unknown): string {
  const installationId = (auth as { installationId?: number } | undefined)?.installationId;
  return installationId === undefined ? 'netdev-review-app' : `netdev-review-installation-${installationId}`;
}

/** The server's Octokit without metrics. */
export const AppOctokit = appOctokit();

type Headers = Record<string, string | number | undefined>;
interface HookedOctokit {
  hook: {
    after(name: 'request', hook: (response: { status: number; headers: Headers }, options: { method: string }) => void): void;
    error(name: 'request', hook: (error: unknown, options: { method: string }) => never): void;
  };
}

/** An Octokit plugin that counts every API request (each retry too) and keeps the rate limit GitHub reports. */
export function requestMetrics(metrics: Metrics) {
  const remaining = (headers: Headers | undefined) => {
    const value = headers?.['x-ratelimit-remaining'];
    return value === undefined ? undefined : Number(value);
  };
  return (octokit: HookedOctokit) => {
    octokit.hook.after('request', (response, options) => metrics.githubRequest(options.method, response.status, remaining(response.headers)));
    octokit.hook.error('request', (error, options) => {
      const e = error as { status?: number; response?: { headers?: Headers } };
      metrics.githubRequest(options.method, e.status ?? 'error', remaining(e.response?.headers));
      throw error;
    });
  };
}
