// State: the storage port — durable mail queue, triage records, series and GitHub delivery ids — that
// the SQLite backend (and later a PostgreSQL one) implements; nothing else in the app touches a database.

/** Where a stored mail is in its life: waiting, claimed by a worker, done, or given up on. */
export type MailState = 'pending' | 'reviewing' | 'reviewed' | 'failed';

/** All mail states, in the order they are reported (counts, metrics). */
export const MAIL_STATES: readonly MailState[] = ['pending', 'reviewing', 'reviewed', 'failed'];

/** Claims a mail gets before it is given up on (a crash-looping or always-failing mail must not spin forever). */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** One mail as stored: the raw bytes exactly as received plus its queue bookkeeping. */
export interface StoredMail {
  id: number;
  messageId: string | null;
  /** ISO 8601, when `putMail` first stored it. */
  receivedAt: string;
  state: MailState;
  /** Why the last attempt failed (kept while a retry is pending, so a retried mail still says why). */
  reason: string | null;
  /** Claims so far; counted on claim so that a worker killed mid-review still uses up an attempt. */
  attempts: number;
  /** Times a review of it was recorded (1 once reviewed; more means a lease ran out under a slow worker and two finished it). */
  reviews: number;
  /** The worker (`host:pid`) holding the claim when the review was recorded. */
  reviewedBy: string | null;
  raw: Buffer;
}

/** A `mails` row as both backends read it (PostgreSQL gives BIGINT ids as strings). */
export interface MailRow {
  id: number | string;
  message_id: string | null;
  received_at: string;
  state: MailState;
  reason: string | null;
  attempts: number;
  reviews: number;
  reviewed_by: string | null;
  raw: Buffer;
}

/** The columns of a MailRow, for SELECT and RETURNING. */
export const MAIL_COLUMNS = 'id, message_id, received_at, state, reason, attempts, reviews, reviewed_by, raw';

/** A row as the port hands it out. */
export function toMail(row: MailRow): StoredMail {
  return {
    // Ids never come near 2^53, so a BIGINT read as a string converts exactly.
    id: Number(row.id),
    messageId: row.message_id,
    receivedAt: row.received_at,
    state: row.state,
    reason: row.reason,
    attempts: row.attempts,
    reviews: row.reviews,
    reviewedBy: row.reviewed_by,
    raw: row.raw,
  };
}

/** How a review of a claimed mail ended. */
export type MailResult =
  | { state: 'reviewed'; triage: unknown }
  /** `retry: false` for failures that would fail again (broken MIME, not a mail): no more attempts. */
  | { state: 'failed'; reason: string; retry?: boolean };

/** A series triage record with the time it was last written. */
export interface SeriesEntry {
  key: string;
  record: unknown;
  /** ISO 8601. */
  updatedAt: string;
}

/**
 * The storage port. Every method is async so that a networked backend fits the same shape; every
 * write is committed before its promise resolves (the HTTP layer acks only after that).
 */
export interface Store {
  /** Stores raw bytes durably (committed before it returns); the same Message-ID twice → the existing id, created=false. */
  putMail(raw: Buffer, messageId: string | null): Promise<{ id: number; created: boolean }>;
  /**
   * Atomically claims up to `n` mails (oldest first) for `worker`, marking them 'reviewing' with a
   * lease that expires after `leaseMs`. Pending mails and expired leases (a worker that died) are
   * claimable; an expired lease that has used up its attempts becomes 'failed' instead. Two claimers,
   * in one process or many, never get the same mail while its lease runs.
   */
  claimMails(worker: string, n: number, leaseMs: number): Promise<StoredMail[]>;
  /**
   * Ends a claim: 'reviewed' stores the triage record; 'failed' puts the mail back to 'pending' while
   * attempts remain (and `retry` is not false), else marks it 'failed' with "gave up after N attempts: reason".
   */
  finishMail(id: number, result: MailResult): Promise<void>;
  getMail(id: number): Promise<StoredMail | undefined>;
  /** The triage record (JSON) stored with a reviewed mail. */
  getTriage(mailId: number): Promise<unknown | undefined>;
  /** Every reviewed mail's triage record, in arrival order (series are assembled from them). */
  listTriage(): Promise<{ mailId: number; triage: unknown }[]>;
  /** Inserts or replaces a series triage record (JSON) under `key`, stamping `updatedAt`. */
  putSeries(key: string, record: unknown): Promise<void>;
  getSeries(key: string): Promise<unknown | undefined>;
  /** Series records, most recently updated first. */
  listSeries(options: { limit: number; offset?: number }): Promise<SeriesEntry[]>;
  /** Counts by state (for /health, metrics and the replay script). */
  counts(): Promise<Record<MailState, number>>;
  /** GitHub delivery ids, shared by replicas: true the first time an id is recorded. */
  firstDelivery(deliveryId: string): Promise<boolean>;
  /** A cheap query that proves the database answers (readiness, GET /health); rejects when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
