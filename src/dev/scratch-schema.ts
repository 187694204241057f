// Dev tooling: a PostgreSQL schema of one's own for a test or a benchmark run — created empty, reached
// through a URL whose connections use it first, and dropped afterwards, leaving the database as it was.

import pg from 'pg';

export interface ScratchSchema {
  /** The schema's name (a prefix, the process id and a time: unique among concurrent runs). */
  name: string;
  /** `baseUrl` with libpq's `options=-c search_path=NAME`, and the name as `application_name` (pg_stat_activity). */
  url: string;
  /** A connection to the database (not the schema) for the caller's own queries: `SELECT … FROM NAME.mails`. */
  admin: pg.Client;
  /** Drops the schema with everything in it, and closes `admin`. */
  drop(): Promise<void>;
}

let made = 0;

/** A URL for `baseUrl` whose connections use `schema` first and carry its name. */
export function urlWithSchema(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', schema);
  return url.toString();
}

/** Creates an empty schema `PREFIX_pid_time_n` in the database at `baseUrl`. */
export async function createScratchSchema(baseUrl: string, prefix: string): Promise<ScratchSchema> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${++made}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  return {
    name,
    url: urlWithSchema(baseUrl, name),
    admin,
    async drop() {
      try {
        await admin.query(`DROP SCHEMA ${name} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
