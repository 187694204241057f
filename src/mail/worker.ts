// Mail way in: the background worker — claims stored mails, reviews them, records the triage or the failure.

import type { Store } from '../store/store.js';
import { yieldToEventLoop } from '../review/timings.js';
import { secondsSince, type FindingLabel, type Metrics } from '../ops/metrics.js';

/** How long a claim lasts unless MAIL_LEASE_MS says otherwise (a mail takes milliseconds to review). */
export const DEFAULT_LEASE_MS = 120_000;

/**
 * Errors that would recur on every attempt (by name: they come from a review process): not a mail, or a
 * review past its time or memory budget. A review process that died some other way is tried again.
 */
const PERMANENT_ERRORS = new Set(['PermanentMailError', 'ReviewTimeoutError', 'ReviewMemoryError']);

/** What reviewing one raw mail produces (stored as the mail's triage record). */
export type ReviewMail = (raw: Buffer, id: number) => Promise<unknown>;

export interface WorkerOptions {
  store: Store;
  review: ReviewMail;
  /** Unique per process (claims are leased to it). */
  workerId: string;
  /** A claim not finished within this long is taken back (the worker died). */
  leaseMs?: number;
  /** Mails claimed at a time. */
  batch?: number;
  /** How often to look for work when nobody wakes the worker. */
  pollMs?: number;
  log?: { error(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
  /**
   * Runs after a mail's triage record is stored (Patchwork checks). It does not hold up the next mail;
   * `drain` and `stop` wait for it. What it throws is logged and never changes the mail's state.
   */
  afterReview?: (id: number, triage: unknown) => Promise<void>;
  /** Reviews (outcome, duration) are counted here when given, with the findings `findingsOf` reads from a triage record. */
  metrics?: Metrics;
  findingsOf?: (triage: unknown) => readonly FindingLabel[];
}

/**
 * Reviews stored mails until stopped. A mail whose review throws is marked failed with the reason and
 * the worker goes on; a crash between claim and finish leaves the mail to be claimed again after its lease.
 */
export class MailWorker {
  private running = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly after = new Set<Promise<void>>();

  constructor(private readonly options: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New mail arrived: look now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.settled();
  }

  /** Waits for the `afterReview` calls under way. */
  private async settled(): Promise<void> {
    while (this.after.size > 0) await Promise.all([...this.after]);
  }

  /** Reviews everything pending now (tests and the replay script); returns how many mails it finished. */
  async drain(): Promise<number> {
    let done = 0;
    for (;;) {
      const n = await this.step();
      if (n === 0) {
        await this.settled();
        return done;
      }
      done += n;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      const n = await this.step().catch((error: unknown) => {
        this.options.log?.error({ error: String(error) }, 'mail worker step failed');
        return 0;
      });
      if (n > 0 || !this.running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs ?? 1000);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async step(): Promise<number> {
    const { store } = this.options;
    const mails = await store.claimMails(this.options.workerId, this.options.batch ?? 4, this.options.leaseMs ?? DEFAULT_LEASE_MS);
    for (const mail of mails) {
      let triage: unknown;
      const start = performance.now();
      try {
        triage = await this.options.review(mail.raw, mail.id);
        await store.finishMail(mail.id, { state: 'reviewed', triage });
        const findings = this.options.findingsOf?.(triage);
        this.options.metrics?.review('mail', 'reviewed', secondsSince(start), findings);
        this.options.log?.info(
          { mail: mail.id, attempt: mail.attempts, ms: Math.round(performance.now() - start), ...(findings ? { findings: findings.length } : {}) },
          'mail reviewed',
        );
      } catch (error) {
        this.options.metrics?.review('mail', 'failed', secondsSince(start));
        const reason = error instanceof Error ? error.message : String(error);
        // A mail that is not a mail fails the same way every time, and so does one whose review ran
        // past its time or memory budget: no retry for them.
        const permanent = error instanceof Error && PERMANENT_ERRORS.has(error.name);
        await store.finishMail(mail.id, { state: 'failed', reason, retry: !permanent });
        this.options.log?.error({ mail: mail.id, reason }, 'mail review failed');
        await yieldToEventLoop();
        continue;
      }
      this.afterReviewOf(mail.id, triage);
      // Let tree-sitter free parse trees between mails.
      await yieldToEventLoop();
    }
    return mails.length;
  }

  private afterReviewOf(id: number, triage: unknown): void {
    const hook = this.options.afterReview;
    if (!hook) return;
    const run = Promise.resolve()
      .then(() => hook(id, triage))
      .catch((error: unknown) => this.options.log?.error({ mail: id, error: error instanceof Error ? error.message : String(error) }, 'after-review step failed'))
      .finally(() => this.after.delete(run));
    this.after.add(run);
  }
}
