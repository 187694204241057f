// State: the embedded Store backend — one SQLite file (`<DATA_DIR>/netdev-review.db`) in WAL mode that
// several processes may share; claims are `BEGIN IMMEDIATE` transactions so no two take the same mail.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  DEFAULT_MAX_ATTEMPTS,
  MAIL_COLUMNS,
  MAIL_STATES,
  toMail,
  type MailRow,
  type MailResult,
  type MailState,
  type SeriesEntry,
  type Store,
} from './store.js';
import { migrations } from './schema.js';

/** File name of the database inside the data directory. */
export const SQLITE_FILE = 'netdev-review.db';

/** How long a writer waits for another process's write lock before SQLITE_BUSY (claims are short). */
const BUSY_TIMEOUT_MS = 10_000;

/** Options for {@link openSqliteStore}; the defaults are what the server uses. */
export interface SqliteStoreOptions {
  /** Claims a mail gets before it is marked failed. */
  maxAttempts?: number;
  /** Injected so lease expiry can be tested without sleeping. */
  now?: () => Date;
}

/** The schema's migrations in this dialect (src/store/schema.ts). */
export const MIGRATIONS: readonly string[] = migrations('sqlite');

/** Brings the schema up to date; safe to run on every open and from several processes at once. */
export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  // IMMEDIATE so two processes opening a fresh file at once do not both run migration 1.
  return db
    .transaction((): number => {
      const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
      const current = row?.version ?? 0;
      for (let v = current; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
      if (row === undefined) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
      else if (current < MIGRATIONS.length) db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
      return Math.max(current, MIGRATIONS.length);
    })
    .immediate();
}

/**
 * Opens (creating if needed) the SQLite store in `dir` (DATA_DIR, default `./data`): WAL mode, full
 * fsync on commit, schema migrated.
 */
export function openSqliteStore(dir = './data', options: SqliteStoreOptions = {}): Store {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const now = options.now ?? (() => new Date());
  mkdirSync(dir, { recursive: true });
  const db = new Database(path.join(dir, SQLITE_FILE));
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // WAL lets the web page read while a worker writes, and lets several processes share the file.
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL fsyncs only at checkpoints: a commit survives a process crash but not a power
  // loss. POST /mail answers 202 only after putMail commits, and that answer promises the mail is kept,
  // so every commit is fsynced. (The pragma is per connection, not per table; the other tables'
  // writes are small and rare enough that paying for it there too costs nothing that matters.)
  db.pragma('synchronous = FULL');
  migrate(db);

  const insertMail = db.prepare<[string | null, string, Buffer], { id: number }>(
    `INSERT INTO mails (message_id, received_at, raw) VALUES (?, ?, ?)
     ON CONFLICT (message_id) DO NOTHING RETURNING id`,
  );
  const mailIdByMessageId = db.prepare<[string], { id: number }>('SELECT id FROM mails WHERE message_id = ?');
  const selectMail = db.prepare<[number], MailRow>(`SELECT ${MAIL_COLUMNS} FROM mails WHERE id = ?`);
  // A dead worker's lease that used up its attempts: give up rather than hand it out again.
  const giveUpExpired = db.prepare<[string, number, number]>(
    `UPDATE mails SET state = 'failed', reason = ?, worker = NULL, lease_until = NULL
     WHERE state = 'reviewing' AND lease_until <= ? AND attempts >= ?`,
  );
  const claim = db.prepare<[string, number, number, number], MailRow>(
    `UPDATE mails SET state = 'reviewing', worker = ?, lease_until = ?, attempts = attempts + 1
     WHERE id IN (SELECT id FROM mails
                  WHERE state = 'pending' OR (state = 'reviewing' AND lease_until <= ?)
                  ORDER BY id LIMIT ?)
     RETURNING ${MAIL_COLUMNS}`,
  );
  const markReviewed = db.prepare<[string, number]>(
    `UPDATE mails SET state = 'reviewed', triage = ?, reason = NULL,
     reviewed_by = worker, reviews = reviews + 1, worker = NULL, lease_until = NULL
     WHERE id = ?`,
  );
  const markFailed = db.prepare<[MailState, string, number]>(
    `UPDATE mails SET state = ?, reason = ?, worker = NULL, lease_until = NULL
     WHERE id = ? AND state = 'reviewing'`,
  );
  const listTriageRows = db.prepare("SELECT id, triage FROM mails WHERE state = 'reviewed' AND triage IS NOT NULL ORDER BY id");
  const selectTriage = db.prepare<[number], { triage: string | null }>('SELECT triage FROM mails WHERE id = ?');
  const upsertSeries = db.prepare<[string, string, string]>(
    `INSERT INTO series (key, record, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
  );
  const selectSeries = db.prepare<[string], { record: string }>('SELECT record FROM series WHERE key = ?');
  const listSeries = db.prepare<[number, number], { key: string; record: string; updated_at: string }>(
    'SELECT key, record, updated_at FROM series ORDER BY updated_at DESC, key LIMIT ? OFFSET ?',
  );
  const countStates = db.prepare<[], { state: MailState; n: number }>(
    'SELECT state, COUNT(*) AS n FROM mails GROUP BY state',
  );
  const insertDelivery = db.prepare<[string, string]>(
    'INSERT INTO deliveries (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING',
  );

  const claimTx = db.transaction((worker: string, n: number, leaseMs: number): MailRow[] => {
    const t = now().getTime();
    giveUpExpired.run(`gave up after ${maxAttempts} attempts: lease expired`, t, maxAttempts);
    // RETURNING gives rows in no promised order; the caller was promised oldest first.
    return claim.all(worker, t + leaseMs, t, n).sort((a, b) => Number(a.id) - Number(b.id));
  });

  const finishTx = db.transaction((id: number, result: MailResult): void => {
    const row = selectMail.get(id);
    if (row === undefined) throw new Error(`finishMail: no mail ${id}`);
    if (result.state === 'reviewed') {
      // Accepted whatever the state: a late but complete review beats a lost lease.
      markReviewed.run(JSON.stringify(result.triage ?? null), id);
      return;
    }
    const retry = result.retry !== false && row.attempts < maxAttempts;
    if (retry) markFailed.run('pending', result.reason, id);
    else markFailed.run('failed', `gave up after ${row.attempts} attempts: ${result.reason}`, id);
  });

  return {
    async putMail(raw, messageId) {
      const inserted = insertMail.get(messageId, now().toISOString(), raw);
      if (inserted !== undefined) return { id: inserted.id, created: true };
      // Only a Message-ID conflict returns no row, so the existing row is there to find.
      const existing = mailIdByMessageId.get(messageId!);
      if (existing === undefined) throw new Error(`putMail: ${messageId} neither inserted nor found`);
      return { id: existing.id, created: false };
    },
    async claimMails(worker, n, leaseMs) {
      if (n <= 0) return [];
      // IMMEDIATE takes the write lock before reading, so a second process waits instead of
      // selecting the same pending rows (a DEFERRED transaction would fail to upgrade with SQLITE_BUSY).
      return claimTx.immediate(worker, n, leaseMs).map(toMail);
    },
    async finishMail(id, result) {
      finishTx.immediate(id, result);
    },
    async getMail(id) {
      const row = selectMail.get(id);
      return row === undefined ? undefined : toMail(row);
    },
    async listTriage() {
      return (listTriageRows.all() as { id: number; triage: string }[]).map((r) => ({ mailId: r.id, triage: JSON.parse(r.triage) as unknown }));
    },
    async getTriage(mailId) {
      const row = selectTriage.get(mailId);
      return row?.triage == null ? undefined : (JSON.parse(row.triage) as unknown);
    },
    async putSeries(key, record) {
      upsertSeries.run(key, JSON.stringify(record ?? null), now().toISOString());
    },
    async getSeries(key) {
      const row = selectSeries.get(key);
      return row === undefined ? undefined : (JSON.parse(row.record) as unknown);
    },
    async listSeries({ limit, offset = 0 }): Promise<SeriesEntry[]> {
      return listSeries.all(limit, offset).map((r) => ({
        key: r.key,
        record: JSON.parse(r.record) as unknown,
        updatedAt: r.updated_at,
      }));
    },
    async counts() {
      const counts = Object.fromEntries(MAIL_STATES.map((s) => [s, 0])) as Record<MailState, number>;
      for (const { state, n } of countStates.all()) counts[state] = n;
      return counts;
    },
    async firstDelivery(deliveryId) {
      return insertDelivery.run(deliveryId, now().toISOString()).changes === 1;
    },
    async ping() {
      // Not a prepared statement: a closed handle must throw here, not return a cached answer.
      db.prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}
