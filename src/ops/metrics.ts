// Operations: the Prometheus metrics of one server — a registry of its own (not prom-client's global one,
// so tests and several servers in one process stay apart) and small functions the app calls to record.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MAIL_STATES, type Store } from '../store/store.js';
import type { PoolStats } from '../review/pool.js';

/** Where a review came from. */
export type ReviewSource = 'github' | 'mail';
/** How a review ended. */
export type ReviewOutcome = 'reviewed' | 'failed' | 'skipped';

/** What a finding contributes to the metrics. */
export interface FindingLabel {
  ruleId: string;
  severity: string;
}

export interface Metrics {
  readonly registry: Registry;
  /** One GitHub webhook delivery: its event header and what became of it (accepted, bad_signature, …). */
  delivery(event: string | undefined, outcome: string): void;
  /** One review (GitHub push or mail), how long it took and what it found. */
  review(source: ReviewSource, outcome: ReviewOutcome, seconds: number, findings?: readonly FindingLabel[]): void;
  /** One GitHub API request and, when GitHub said, the rate limit left. */
  githubRequest(method: string, status: number | string, rateLimitRemaining?: number): void;
  /** Reads the mail queue's depth from `store` whenever metrics are scraped. */
  watchQueue(store: Store): void;
  /** Reads the review processes' state from `stats` whenever metrics are scraped. */
  watchPool(stats: () => PoolStats): void;
  /** The body of GET /metrics. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag): on by default. */
  processMetrics?: boolean;
}

/** Creates the registry and its metrics. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'netdev_review_' });
  const registers = [registry];

  const deliveries = new Counter({
    name: 'netdev_review_webhook_deliveries_total',
    help: 'GitHub webhook deliveries by event and outcome',
    labelNames: ['event', 'outcome'] as const,
    registers,
  });
  const reviews = new Counter({
    name: 'netdev_review_reviews_total',
    help: 'Reviews by source (github, mail) and outcome',
    labelNames: ['source', 'outcome'] as const,
    registers,
  });
  const findings = new Counter({
    name: 'netdev_review_findings_total',
    help: 'Findings reported, by source, rule and severity',
    labelNames: ['source', 'rule', 'severity'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'netdev_review_review_duration_seconds',
    help: 'Time one review took, by source',
    labelNames: ['source'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const githubRequests = new Counter({
    name: 'netdev_review_github_requests_total',
    help: 'GitHub API requests by method and status',
    labelNames: ['method', 'status'] as const,
    registers,
  });
  const rateLimit = new Gauge({
    name: 'netdev_review_github_rate_limit_remaining',
    help: 'Requests left in the current GitHub rate-limit window (x-ratelimit-remaining of the last answer)',
    registers,
  });

  const stores: Store[] = [];
  new Gauge({
    name: 'netdev_review_mail_queue',
    help: 'Stored mails by state',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      if (stores.length === 0) return;
      this.reset();
      try {
        for (const store of stores) {
          const counts = await store.counts();
          for (const state of MAIL_STATES) this.inc({ state }, counts[state]);
        }
      } catch {
        // A closed or unreachable database: no queue depth in this scrape (GET /health says why).
        this.reset();
      }
    },
  });

  let poolStats: (() => PoolStats) | undefined;
  new Gauge({
    name: 'netdev_review_review_processes',
    help: 'Review processes: configured, running a review, and reviews waiting for one',
    labelNames: ['state'] as const,
    registers,
    collect() {
      if (!poolStats) return;
      const s = poolStats();
      this.set({ state: 'configured' }, s.processes);
      this.set({ state: 'running' }, s.running);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  new Counter({
    name: 'netdev_review_review_processes_stopped_total',
    help: 'Reviews stopped by the pool: past their time budget (timeout) or their process died (crash)',
    labelNames: ['reason'] as const,
    registers,
    collect() {
      if (!poolStats) return;
      const s = poolStats();
      this.reset();
      this.inc({ reason: 'timeout' }, s.timedOut);
      this.inc({ reason: 'crash' }, s.crashed);
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    delivery(event, outcome) {
      deliveries.inc({ event: event ?? 'unknown', outcome });
    },
    review(source, outcome, seconds, found = []) {
      reviews.inc({ source, outcome });
      if (outcome !== 'skipped') duration.observe({ source }, seconds);
      for (const f of found) findings.inc({ source, rule: f.ruleId, severity: f.severity });
    },
    githubRequest(method, status, remaining) {
      githubRequests.inc({ method, status: String(status) });
      if (remaining !== undefined && Number.isFinite(remaining)) rateLimit.set(remaining);
    },
    watchQueue(store) {
      if (!stores.includes(store)) stores.push(store);
    },
    watchPool(stats) {
      poolStats = stats;
    },
    render: () => registry.metrics(),
  };
}

/** Seconds since `start` (a `performance.now()` reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
