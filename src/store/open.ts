// State: picks the Store backend from the environment — PostgreSQL when DATABASE_URL is set (several
// replicas), else the SQLite file in DATA_DIR (one machine).

import { openPgStore } from './pg-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** Where the store lives, as the server's environment says it. */
export interface StoreLocation {
  /** A `postgres://` (or `postgresql://`) URL; when set, wins over `dataDir`. */
  databaseUrl?: string;
  /** Directory of the SQLite file (default `./data`). */
  dataDir?: string;
}

/** Opens the store at `where`; rejects when PostgreSQL cannot be reached or migrated. */
export async function openStore(where: StoreLocation): Promise<Store> {
  if (where.databaseUrl) return openPgStore(where.databaseUrl);
  return openSqliteStore(where.dataDir || './data');
}

/** The location for a log line: the database's host and name, or the directory — never a password. */
export function describeStore(where: StoreLocation): string {
  if (!where.databaseUrl) return `SQLite in ${where.dataDir || './data'}`;
  try {
    const url = new URL(where.databaseUrl);
    return `PostgreSQL at ${url.hostname || 'localhost'}${url.port ? `:${url.port}` : ''}${url.pathname || ''}`;
  } catch {
    // Not a URL (a libpq key=value string, say): say nothing of it, it may hold the password.
    return 'PostgreSQL';
  }
}
