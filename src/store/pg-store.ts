// State: the Store backend for several replicas — PostgreSQL (`DATABASE_URL`), the same tables and
// behaviour as the SQLite file; the mail queue is taken with `FOR UPDATE SKIP LOCKED`, so replicas
// claiming at once each get different mails without waiting on one another.

import pg from 'pg';
import {
  DEFAULT_MAX_ATTEMPTS,
  MAIL_COLUMNS,
  MAIL_STATES,
  toMail,
  type MailRow,
  type MailState,
  type SeriesEntry,
  type Store,
} from './store.js';
import { migrations } from './schema.js';

/** Options for {@link openPgStore}; the defaults are what the server uses. */
export interface PgStoreOptions {
  /** Claims a mail gets before it is marked failed. */
  maxAttempts?: number;
  /** Injected so lease expiry can be tested without sleeping (leases compare this clock, not the database's). */
  now?: () => Date;
  /** Connections in the pool (claims, intake and the web page share it). */
  poolSize?: number;
}

/** The schema's migrations in this dialect (src/store/schema.ts). */
export const PG_MIGRATIONS: readonly string[] = migrations('postgres');

/** Any number, so that replicas of any deployment agree on it; only migrations take this advisory lock. */
const MIGRATION_LOCK = 0x6e657464; // "netd"

/**
 * PostgreSQL text cannot hold NUL (SQLite's can), and these strings come from outside (a Message-ID,
 * an error about a hostile mail): NUL becomes U+FFFD, the same way every time, so lookups still match.
 */
function text<T extends string | null>(s: T): T {
  return (s === null ? s : s.replaceAll('\0', '\uFFFD')) as T;
}

/** A query runner: the pool, or one client inside a transaction. */
type Db = Pick<pg.PoolClient, 'query'>;

/**
 * Brings the schema up to date; safe on every start and from several replicas at once (they queue
 * on a transaction-scoped advisory lock, and the second finds the work done). Returns the version.
 */
export async function migratePg(pool: pg.Pool): Promise<number> {
  return transaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await db.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_version');
    const current = rows[0]?.version ?? 0;
    for (let v = current; v < PG_MIGRATIONS.length; v++) await db.query(PG_MIGRATIONS[v]!);
    if (rows.length === 0) await db.query('INSERT INTO schema_version (version) VALUES ($1)', [PG_MIGRATIONS.length]);
    else if (current < PG_MIGRATIONS.length) await db.query('UPDATE schema_version SET version = $1', [PG_MIGRATIONS.length]);
    return Math.max(current, PG_MIGRATIONS.length);
  });
}

/** Runs `body` in one transaction on one pooled connection: committed when it resolves, rolled back when it throws. */
async function transaction<T>(pool: pg.Pool, body: (db: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Connects to PostgreSQL at `url` (DATABASE_URL), runs the migrations, and returns the store. Rejects
 * when the database cannot be reached, so a misconfigured server stops at start rather than at the first mail.
 */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<Store> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const now = options.now ?? (() => new Date());
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle connection the server drops (restart, failover) must not crash the process: the pool
  // replaces it, and the next query reports the outage to its caller (or to GET /health).
  pool.on('error', () => undefined);
  try {
    await migratePg(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }

  return {
    async putMail(raw, messageId) {
      // One statement, autocommitted: the row is durable (synchronous_commit) when this resolves.
      const inserted = await pool.query<{ id: string }>(
        `INSERT INTO mails (message_id, received_at, raw) VALUES ($1, $2, $3)
         ON CONFLICT (message_id) DO NOTHING RETURNING id`,
        [text(messageId), now().toISOString(), raw],
      );
      if (inserted.rows[0] !== undefined) return { id: Number(inserted.rows[0].id), created: true };
      const existing = await pool.query<{ id: string }>('SELECT id FROM mails WHERE message_id = $1', [text(messageId)]);
      if (existing.rows[0] === undefined) throw new Error(`putMail: ${messageId} neither inserted nor found`);
      return { id: Number(existing.rows[0].id), created: false };
    },

    async claimMails(worker, n, leaseMs) {
      if (n <= 0) return [];
      const t = now().getTime();
      const rows = await transaction(pool, async (db) => {
        // A dead worker's lease that used up its attempts: give up rather than hand it out again.
        // SKIP LOCKED here too, so that a replica never waits on a row another one is claiming.
        await db.query(
          `UPDATE mails SET state = 'failed', reason = $1, worker = NULL, lease_until = NULL
           WHERE id IN (SELECT id FROM mails
                        WHERE state = 'reviewing' AND lease_until <= $2 AND attempts >= $3
                        FOR UPDATE SKIP LOCKED)`,
          [`gave up after ${maxAttempts} attempts: lease expired`, t, maxAttempts],
        );
        // Rows another replica has locked are skipped, not waited for; under READ COMMITTED a row
        // another replica claimed and committed meanwhile is re-checked against the WHERE and dropped.
        const claimed = await db.query<MailRow>(
          `UPDATE mails SET state = 'reviewing', worker = $1, lease_until = $2, attempts = attempts + 1
           WHERE id IN (SELECT id FROM mails
                        WHERE state = 'pending' OR (state = 'reviewing' AND lease_until <= $3)
                        ORDER BY id LIMIT $4
                        FOR UPDATE SKIP LOCKED)
           RETURNING ${MAIL_COLUMNS}`,
          [text(worker), t + leaseMs, t, n],
        );
        return claimed.rows;
      });
      // RETURNING gives rows in no promised order; the caller was promised oldest first.
      return rows.map(toMail).sort((a, b) => a.id - b.id);
    },

    async finishMail(id, result) {
      await transaction(pool, async (db) => {
        const { rows } = await db.query<{ attempts: number }>('SELECT attempts FROM mails WHERE id = $1 FOR UPDATE', [id]);
        const row = rows[0];
        if (row === undefined) throw new Error(`finishMail: no mail ${id}`);
        if (result.state === 'reviewed') {
          // Accepted whatever the state: a late but complete review beats a lost lease.
          await db.query(
            `UPDATE mails SET state = 'reviewed', triage = $1, reason = NULL,
     reviewed_by = worker, reviews = reviews + 1, worker = NULL, lease_until = NULL WHERE id = $2`,
            [JSON.stringify(result.triage ?? null), id],
          );
          return;
        }
        const retry = result.retry !== false && row.attempts < maxAttempts;
        await db.query(
          `UPDATE mails SET state = $1, reason = $2, worker = NULL, lease_until = NULL WHERE id = $3 AND state = 'reviewing'`,
          retry ? ['pending', text(result.reason), id] : ['failed', text(`gave up after ${row.attempts} attempts: ${result.reason}`), id],
        );
      });
    },

    async getMail(id) {
      const { rows } = await pool.query<MailRow>(`SELECT ${MAIL_COLUMNS} FROM mails WHERE id = $1`, [id]);
      return rows[0] === undefined ? undefined : toMail(rows[0]);
    },
    async listTriage() {
      const { rows } = await pool.query<{ id: string; triage: unknown }>(
        "SELECT id, triage FROM mails WHERE state = 'reviewed' AND triage IS NOT NULL ORDER BY id",
      );
      return rows.map((r) => ({ mailId: Number(r.id), triage: r.triage }));
    },
    async getTriage(mailId) {
      const { rows } = await pool.query<{ triage: unknown; missing: boolean }>(
        'SELECT triage, triage IS NULL AS missing FROM mails WHERE id = $1',
        [mailId],
      );
      // A stored JSON null is a record (null), as in SQLite; only SQL NULL is no record.
      return rows[0] === undefined || rows[0].missing ? undefined : rows[0].triage;
    },
    async putSeries(key, record) {
      await pool.query(
        `INSERT INTO series (key, record, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`,
        [text(key), JSON.stringify(record ?? null), now().toISOString()],
      );
    },
    async getSeries(key) {
      const { rows } = await pool.query<{ record: unknown }>('SELECT record FROM series WHERE key = $1', [text(key)]);
      return rows[0]?.record;
    },
    async listSeries({ limit, offset = 0 }): Promise<SeriesEntry[]> {
      const { rows } = await pool.query<{ key: string; record: unknown; updated_at: string }>(
        // COLLATE "C": byte order for the tie-break, as SQLite sorts text, whatever the database's locale.
        'SELECT key, record, updated_at FROM series ORDER BY updated_at DESC, key COLLATE "C" LIMIT $1 OFFSET $2',
        [limit, offset],
      );
      return rows.map((r) => ({ key: r.key, record: r.record, updatedAt: r.updated_at }));
    },
    async counts() {
      const counts = Object.fromEntries(MAIL_STATES.map((s) => [s, 0])) as Record<MailState, number>;
      const { rows } = await pool.query<{ state: MailState; n: string }>('SELECT state, COUNT(*) AS n FROM mails GROUP BY state');
      for (const { state, n } of rows) counts[state] = Number(n);
      return counts;
    },
    async firstDelivery(deliveryId) {
      const { rowCount } = await pool.query(
        'INSERT INTO deliveries (id, seen_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
        [text(deliveryId), now().toISOString()],
      );
      return rowCount === 1;
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
