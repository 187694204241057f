// State: the one schema both Store backends create — the same tables, columns and indexes, written once
// with the few words the two SQL dialects spell differently.

/** How each dialect spells the types that differ. */
const TYPES = {
  sqlite: { id: 'INTEGER PRIMARY KEY AUTOINCREMENT', epochMs: 'INTEGER', json: 'TEXT', bytes: 'BLOB' },
  // `json`, not `jsonb`: a record reads back with its keys in the order written.
  postgres: { id: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY', epochMs: 'BIGINT', json: 'JSON', bytes: 'BYTEA' },
} as const;

export type Dialect = keyof typeof TYPES;

/**
 * Schema migrations, in order; entry i brings the schema to version i + 1. Append only: a store already
 * at version k runs just the entries after k. Times a lease is compared against are epoch milliseconds.
 */
export function migrations(dialect: Dialect): readonly string[] {
  const t = TYPES[dialect];
  return [
    `CREATE TABLE mails (
       id          ${t.id},
       message_id  TEXT UNIQUE,
       received_at TEXT NOT NULL,
       state       TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'reviewing', 'reviewed', 'failed')),
       reason      TEXT,
       attempts    INTEGER NOT NULL DEFAULT 0,
       worker      TEXT,
       lease_until ${t.epochMs},
       triage      ${t.json},
       raw         ${t.bytes} NOT NULL
     );
     CREATE INDEX mails_state ON mails (state, id);
     CREATE TABLE series (
       key        TEXT PRIMARY KEY,
       record     ${t.json} NOT NULL,
       updated_at TEXT NOT NULL
     );
     CREATE INDEX series_updated ON series (updated_at);
     CREATE TABLE deliveries (
       id      TEXT PRIMARY KEY,
       seen_at TEXT NOT NULL
     );`,
    // 2: who recorded a review and how many times (the replica test proves "exactly once" with it).
    `ALTER TABLE mails ADD COLUMN reviewed_by TEXT;
     ALTER TABLE mails ADD COLUMN reviews INTEGER NOT NULL DEFAULT 0;`,
  ];
}
