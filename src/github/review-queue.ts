// GitHub way in: reviews run after the webhook has been answered, a few at a time, one at a time per PR.

/** A queued review: its key (one pull request) and the work. */
interface Job {
  key: string;
  run: () => Promise<void>;
}

/**
 * An in-process queue. Jobs of the same key run one after the other, and a job queued for a key that
 * already waits replaces it (a newer push makes the older review pointless). At most `concurrency`
 * jobs run at once, so a burst of deliveries cannot starve the webhook server.
 */
export class ReviewQueue {
  private readonly waiting: Job[] = [];
  private readonly runningKeys = new Set<string>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency = 2,
    private readonly onError: (key: string, error: unknown) => void = () => {},
  ) {}

  /** Queues `run` for `key`; replaces a job of the same key that has not started. */
  push(key: string, run: () => Promise<void>): void {
    const i = this.waiting.findIndex((j) => j.key === key);
    if (i >= 0) this.waiting.splice(i, 1);
    this.waiting.push({ key, run });
    this.pump();
  }

  /** Jobs waiting plus running. */
  get size(): number {
    return this.waiting.length + this.running;
  }

  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const i = this.waiting.findIndex((j) => !this.runningKeys.has(j.key));
      if (i < 0) break;
      const [job] = this.waiting.splice(i, 1);
      this.running++;
      this.runningKeys.add(job.key);
      job
        .run()
        .catch((error: unknown) => this.onError(job.key, error))
        .finally(() => {
          this.running--;
          this.runningKeys.delete(job.key);
          this.pump();
          if (this.size === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }
}
