// GitHub way in: the Octokit the server uses — Probot's, with rate limits waited out as GitHub asks.

import { ProbotOctokit } from 'probot';

/** Retries after a (primary or secondary) rate limit, as GitHub's headers ask, at most this many times. */
export const RATE_LIMIT_RETRIES = 2;

interface ThrottleRequest {
  request: { retryCount: number };
}

/**
 * Probot's Octokit retries 5xx answers with backoff; this one also waits out GitHub's secondary rate
 * limit (Probot's default only logs it) — both as many times as RATE_LIMIT_RETRIES allows.
 */
export const AppOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: {
    ...(options.throttle as object),
    onRateLimit: (_after: number, request: ThrottleRequest) => request.request.retryCount < RATE_LIMIT_RETRIES,
    onSecondaryRateLimit: (_after: number, request: ThrottleRequest) => request.request.retryCount < RATE_LIMIT_RETRIES,
  },
}));
