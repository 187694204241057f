// Test helper: the Store backends the storage tests run against. SQLite always (a temp directory per
// test); PostgreSQL when TEST_DATABASE_URL names a database the tests may write to (a fresh schema per
// test, dropped after it). `.ci/run` starts a PostgreSQL and sets it, so under CI the PostgreSQL tests
// must run: a CI run without it fails instead of skipping them.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createScratchSchema } from '../../src/dev/scratch-schema.js';
import { openPgStore } from '../../src/store/pg-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

if (process.env.CI === 'true' && TEST_DATABASE_URL === undefined) {
  throw new Error('CI=true but TEST_DATABASE_URL is not set: .ci/run must start PostgreSQL so the PostgreSQL store tests run');
}

export interface OpenOptions {
  maxAttempts?: number;
  now?: () => Date;
}

/** One place a store lives for the length of one test; every `open` reaches the same data. */
export interface StoreSite {
  open(options?: OpenOptions): Promise<Store>;
  /** What the store's environment would say: a directory for SQLite, a URL for PostgreSQL. */
  location: { dataDir?: string; databaseUrl?: string };
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A new, empty site. */
  site(): Promise<StoreSite>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async site() {
    const dir = mkdtempSync(path.join(tmpdir(), 'netdev-review-store-'));
    return {
      location: { dataDir: dir },
      open: async (options) => openSqliteStore(dir, options),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  async site() {
    const schema = await createScratchSchema(TEST_DATABASE_URL!, 't');
    return {
      location: { databaseUrl: schema.url },
      open: (options) => openPgStore(schema.url, { ...options, poolSize: 4 }),
      dispose: () => schema.drop(),
    };
  },
};

/** The backends this run can test: SQLite, and PostgreSQL when a test database is configured. */
export const BACKENDS: Backend[] = TEST_DATABASE_URL ? [sqlite, postgres] : [sqlite];
