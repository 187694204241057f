// Pipeline: the server's review processes — a few forked children running `tasks.ts` — so a review never
// blocks the process that answers webhooks and health checks, and a review past its time or memory
// budget is stopped by killing its process, which can never take the server down with it. (Worker
// threads were tried first: terminating one in the middle of a tree-sitter call aborted the whole
// process with an uncaught Napi::Error.)

import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PermanentMailError } from '../mail/review-mail.js';
import type { ReviewTask, ReviewTaskResult, TaskOutcome } from './tasks.js';
import type { FromChild, ToChild } from './pool-child.js';

/** Wall time one review may take once it runs (waiting for a process does not count). */
export const DEFAULT_REVIEW_TIMEOUT_MS = 60_000;
/** JS heap of one review process (`--max-old-space-size`); a review that needs more is stopped. */
export const DEFAULT_REVIEW_MEMORY_MB = 1024;
/** Children that die before they are ready, in a row, before the pool gives up starting them. */
const MAX_FAILED_STARTS = 3;

/** Processes by default: every core but one (which serves HTTP), at least 1, at most 8. */
export function defaultReviewProcesses(): number {
  return Math.max(1, Math.min(8, availableParallelism() - 1));
}

/** A review stopped because it ran past its time budget. */
export class ReviewTimeoutError extends Error {
  override readonly name = 'ReviewTimeoutError';
}

/** A review stopped because its process needed more memory than REVIEW_MEMORY_MB: it would again. */
export class ReviewMemoryError extends Error {
  override readonly name = 'ReviewMemoryError';
}

/** A review lost because its process died some other way (killed from outside, say): worth another try. */
export class ReviewCrashError extends Error {
  override readonly name = 'ReviewCrashError';
}

export interface ReviewPoolOptions {
  processes?: number;
  timeoutMs?: number;
  memoryMb?: number;
}

/** What the pool has done, for /metrics and the load test. */
export interface PoolStats {
  processes: number;
  running: number;
  waiting: number;
  completed: number;
  timedOut: number;
  crashed: number;
}

interface Job {
  id: number;
  task: ReviewTask;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Child {
  proc: ChildProcess;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  /** Why the pool killed it (so its exit is reported as that, not as a crash). */
  killedFor?: Error;
  /** The end of its stderr: a V8 out-of-memory report lands there. */
  stderr: string;
}

/**
 * Runs review tasks in child processes, one task per process at a time, in arrival order. The budget
 * starts when the child says it started the task; a task past it, or whose process dies, is rejected and
 * the process replaced.
 */
export class ReviewPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;
  private readonly children = new Set<Child>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private failedStarts = 0;
  private closed = false;
  private counts = { completed: 0, timedOut: 0, crashed: 0 };

  constructor(options: ReviewPoolOptions = {}) {
    this.size = Math.max(1, options.processes ?? defaultReviewProcesses());
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REVIEW_TIMEOUT_MS;
    this.memoryMb = options.memoryMb ?? DEFAULT_REVIEW_MEMORY_MB;
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  /** Runs `task` in a review process; rejects with ReviewTimeoutError, ReviewMemoryError or ReviewCrashError when it is stopped or lost. */
  run<K extends ReviewTask['kind']>(task: Extract<ReviewTask, { kind: K }>): Promise<ReviewTaskResult[K]> {
    if (this.closed) return Promise.reject(new Error('review pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  stats(): PoolStats {
    const running = [...this.children].filter((c) => c.job).length;
    return { processes: this.size, running, waiting: this.queue.length, ...this.counts };
  }

  /** Process ids of the review processes now running (for operators' tools and tests). */
  pids(): number[] {
    return [...this.children].flatMap((c) => (c.proc.pid === undefined ? [] : [c.proc.pid]));
  }

  /** Stops the processes; tasks still waiting or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('review pool closed'));
    await Promise.all([...this.children].map((child) => {
      const exited = new Promise<void>((resolve) => {
        if (child.proc.exitCode !== null || child.proc.signalCode !== null) resolve();
        else child.proc.once('exit', () => resolve());
      });
      child.killedFor = new Error('review pool closed');
      child.proc.kill('SIGKILL');
      return exited;
    }));
  }

  private spawn(): void {
    // Compiled, the child is pool-child.js beside this file; from TypeScript sources (tests, tsx) it is
    // the .ts file, loaded through tsx.
    const fromSource = import.meta.url.endsWith('.ts');
    const file = fileURLToPath(new URL(fromSource ? './pool-child.ts' : './pool-child.js', import.meta.url));
    const execArgv = [`--max-old-space-size=${this.memoryMb}`, ...(fromSource ? ['--import', 'tsx'] : [])];
    const proc = fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const child: Child = { proc, ready: false, stderr: '' };
    this.children.add(child);
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      child.stderr = (child.stderr + chunk).slice(-4096);
    });
    proc.on('message', (message: FromChild) => this.onMessage(child, message));
    // An IPC write to a child that just died fails here, not as an uncaught exception.
    proc.on('error', () => undefined);
    proc.once('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onMessage(child: Child, message: FromChild): void {
    if (message.type === 'ready') {
      child.ready = true;
      this.failedStarts = 0;
      this.pump();
    } else if (message.type === 'started' && child.job?.id === message.id) {
      child.timer = setTimeout(() => {
        child.killedFor = new ReviewTimeoutError(`review stopped after ${this.timeoutMs >= 1000 ? `${Math.round(this.timeoutMs / 1000)} s` : `${this.timeoutMs} ms`} (REVIEW_TIMEOUT_MS)`);
        child.proc.kill('SIGKILL');
      }, this.timeoutMs);
    } else if (message.type === 'done' && child.job?.id === message.id) {
      clearTimeout(child.timer);
      const job = child.job;
      child.job = undefined;
      this.counts.completed++;
      settle(job, message.outcome);
      this.pump();
    }
  }

  private onExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(child.timer);
    this.children.delete(child);
    const job = child.job;
    if (job) {
      if (child.killedFor instanceof ReviewTimeoutError) {
        this.counts.timedOut++;
        job.reject(child.killedFor);
      } else {
        this.counts.crashed++;
        const oom = /heap out of memory|Allocation failed/i.test(child.stderr);
        job.reject(child.killedFor ?? (oom
          ? new ReviewMemoryError(`review stopped: it needed more than ${this.memoryMb} MB (REVIEW_MEMORY_MB)`)
          : new ReviewCrashError(`review process died (${signal ?? `exit ${code}`})`)));
      }
    }
    if (this.closed) return;
    if (child.ready) return this.spawn();
    // It died before it was ready: not a bad input but a process that cannot start (a broken install).
    // Retry with a growing pause, and once it keeps failing tell everyone waiting why.
    this.failedStarts++;
    if (this.failedStarts >= MAX_FAILED_STARTS) {
      const why = new ReviewCrashError(`review processes cannot start (${signal ?? `exit ${code}`}): ${child.stderr.trim().split('\n').pop() ?? ''}`);
      for (const waiting of this.queue.splice(0)) waiting.reject(why);
    }
    setTimeout(() => {
      if (!this.closed) this.spawn();
    }, Math.min(30_000, 250 * 2 ** this.failedStarts)).unref();
  }

  private pump(): void {
    for (const child of this.children) {
      if (this.queue.length === 0) return;
      if (!child.ready || child.job || child.killedFor) continue;
      const job = this.queue.shift()!;
      child.job = job;
      const message: ToChild = { type: 'task', id: job.id, task: job.task };
      child.proc.send(message);
    }
  }
}

/** Resolves or rejects a job with a child's outcome; the error classes callers tell apart are rebuilt by name. */
function settle(job: Job, outcome: TaskOutcome): void {
  if (outcome.ok) return job.resolve(outcome.value);
  if (outcome.name === 'PermanentMailError') return job.reject(new PermanentMailError(outcome.message));
  const error = new Error(outcome.message);
  error.name = outcome.name;
  job.reject(error);
}
