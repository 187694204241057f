// Tests of the Store backends — SQLite on real files in temp dirs, PostgreSQL (when TEST_DATABASE_URL is
// set; always under CI) in a fresh schema per test — with one suite for both: idempotent intake, atomic
// claims (in one process and across three), leases, bounded retries, series, delivery ids, durability
// and migrations; then what is particular to each backend.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, SQLITE_FILE } from '../../src/store/sqlite-store.js';
import { migratePg, openPgStore, PG_MIGRATIONS } from '../../src/store/pg-store.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, type Backend, type StoreSite } from './backends.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

const mail = (n: number): Buffer => Buffer.from(`Message-ID: <${n}@x>\r\nSubject: [PATCH] ${n}\r\n\r\nbody\u00ff\r\n`, 'latin1');

let site: StoreSite;
let clock: number;
const stores: Store[] = [];

/** Opens a store on the test's site with a hand-driven clock. */
async function open(maxAttempts?: number): Promise<Store> {
  const store = await site.open({ maxAttempts, now: () => new Date(clock) });
  stores.push(store);
  return store;
}

/** The test's site as a claim-worker argument. */
const where = (): string => site.location.databaseUrl ?? site.location.dataDir!;

/** Gives each test a fresh, empty site of `backend`. */
function useSite(backend: Backend): void {
  beforeEach(async () => {
    site = await backend.site();
    clock = Date.UTC(2026, 0, 1);
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    await site.dispose();
  });
}

describe.each(BACKENDS)('$name store', (backend) => {
  useSite(backend);

  describe('putMail', () => {
    it('stores the raw bytes and is idempotent on Message-ID', async () => {
      const store = await open();
      const a = await store.putMail(mail(1), '<1@x>');
      const again = await store.putMail(mail(99), '<1@x>');
      expect(a.created).toBe(true);
      expect(again).toEqual({ id: a.id, created: false });
      const got = await store.getMail(a.id);
      expect(got?.raw.equals(mail(1))).toBe(true);
      expect(got).toMatchObject({ messageId: '<1@x>', state: 'pending', attempts: 0, reason: null });
      expect(got?.receivedAt).toBe(new Date(clock).toISOString());
    });

    it('stores every mail without a Message-ID separately', async () => {
      const store = await open();
      const a = await store.putMail(mail(1), null);
      const b = await store.putMail(mail(1), null);
      expect(a.id).not.toBe(b.id);
      expect(b.created).toBe(true);
      expect((await store.counts()).pending).toBe(2);
    });

    it('getMail of an unknown id is undefined', async () => {
      expect(await (await open()).getMail(42)).toBeUndefined();
    });
  });

  describe('claimMails', () => {
    it('claims oldest first, marks reviewing, counts the attempt', async () => {
      const store = await open();
      for (let i = 1; i <= 5; i++) await store.putMail(mail(i), `<${i}@x>`);
      const first = await store.claimMails('w1', 2, 1000);
      expect(first.map((m) => m.messageId)).toEqual(['<1@x>', '<2@x>']);
      expect(first.every((m) => m.state === 'reviewing' && m.attempts === 1)).toBe(true);
      const second = await store.claimMails('w2', 10, 1000);
      expect(second.map((m) => m.messageId)).toEqual(['<3@x>', '<4@x>', '<5@x>']);
      expect(await store.claimMails('w3', 10, 1000)).toEqual([]);
      expect(await store.counts()).toEqual({ pending: 0, reviewing: 5, reviewed: 0, failed: 0 });
    });

    it('two connections on one store never claim the same mail', async () => {
      const a = await open();
      const b = await open();
      for (let i = 1; i <= 40; i++) await a.putMail(mail(i), `<${i}@x>`);
      const seen: number[] = [];
      for (;;) {
        const batch = [...(await a.claimMails('a', 3, 1000)), ...(await b.claimMails('b', 4, 1000))];
        if (batch.length === 0) break;
        seen.push(...batch.map((m) => m.id));
      }
      expect(seen).toHaveLength(40);
      expect(new Set(seen).size).toBe(40);
    });

    it('three processes on one store never claim the same mail, and claim them all', async () => {
      const store = await open();
      const total = 300;
      for (let i = 1; i <= total; i++) await store.putMail(mail(i), `<${i}@x>`);
      const worker = path.join(here, 'claim-worker.ts');
      const startAt = String(Date.now() + 3000);
      const claimers = ['p1', 'p2', 'p3'].map((name) =>
        run(process.execPath, ['--import', 'tsx', worker, where(), name, '2', startAt], { cwd: path.join(here, '../..') }),
      );
      const results = (await Promise.all(claimers)).map(({ stdout }) => JSON.parse(stdout) as number[]);
      const all = results.flat();
      // Each process got a share, so the claims really did race rather than run one after another.
      for (const ids of results) expect(ids.length).toBeGreaterThan(0);
      expect(all).toHaveLength(total);
      expect(new Set(all).size).toBe(total);
      expect(await store.counts()).toEqual({ pending: 0, reviewing: 0, reviewed: total, failed: 0 });
    });

    it('an expired lease (a worker killed mid-review) makes the mail claimable again', async () => {
      const store = await open();
      const { id } = await store.putMail(mail(1), '<1@x>');
      expect(await store.claimMails('dead', 1, 5000)).toHaveLength(1);
      clock += 4999;
      expect(await store.claimMails('other', 1, 5000)).toEqual([]);
      clock += 1;
      const again = await store.claimMails('other', 1, 5000);
      expect(again.map((m) => [m.id, m.attempts])).toEqual([[id, 2]]);
    });

    it('a lease that survives a reopen (kill -9 between claim and finish) expires all the same', async () => {
      const first = await open();
      await first.putMail(mail(1), '<1@x>');
      await first.claimMails('killed', 1, 1000);
      await first.close();
      clock += 1000;
      const second = await open();
      expect((await second.claimMails('restarted', 1, 1000)).map((m) => m.attempts)).toEqual([2]);
    });

    it('gives up after N expired leases', async () => {
      const store = await open(3);
      const { id } = await store.putMail(mail(1), '<1@x>');
      for (let i = 0; i < 3; i++) {
        expect(await store.claimMails('w', 1, 100)).toHaveLength(1);
        clock += 100;
      }
      expect(await store.claimMails('w', 1, 100)).toEqual([]);
      expect(await store.getMail(id)).toMatchObject({ state: 'failed', attempts: 3 });
      expect((await store.getMail(id))?.reason).toMatch(/^gave up after 3 attempts/);
    });
  });

  describe('finishMail', () => {
    it('stores the triage record of a reviewed mail', async () => {
      const store = await open();
      const { id } = await store.putMail(mail(1), '<1@x>');
      await store.claimMails('w', 1, 1000);
      await store.finishMail(id, { state: 'reviewed', triage: { relevant: true, findings: [1, 2] } });
      expect(await store.getMail(id)).toMatchObject({ state: 'reviewed', reason: null });
      expect(await store.getTriage(id)).toEqual({ relevant: true, findings: [1, 2] });
      expect(await store.getTriage(id + 1)).toBeUndefined();
    });

    it('retries a failed mail until attempts run out, then gives up with the reason', async () => {
      const store = await open(3);
      const { id } = await store.putMail(mail(1), '<1@x>');
      for (let attempt = 1; attempt <= 3; attempt++) {
        const [m] = await store.claimMails('w', 1, 1000);
        expect(m?.attempts).toBe(attempt);
        await store.finishMail(id, { state: 'failed', reason: `boom ${attempt}` });
      }
      expect(await store.claimMails('w', 1, 1000)).toEqual([]);
      const got = await store.getMail(id);
      expect(got).toMatchObject({ state: 'failed', reason: 'gave up after 3 attempts: boom 3' });
    });

    it('keeps the reason of a pending retry, and `retry: false` fails at once', async () => {
      const store = await open();
      const a = await store.putMail(mail(1), '<1@x>');
      const b = await store.putMail(mail(2), '<2@x>');
      await store.claimMails('w', 2, 1000);
      await store.finishMail(a.id, { state: 'failed', reason: 'timeout' });
      await store.finishMail(b.id, { state: 'failed', reason: 'not a mail', retry: false });
      expect(await store.getMail(a.id)).toMatchObject({ state: 'pending', reason: 'timeout' });
      expect(await store.getMail(b.id)).toMatchObject({ state: 'failed', reason: 'gave up after 1 attempts: not a mail' });
    });

    it('a failed mail does not block the ones after it', async () => {
      const store = await open(1);
      for (let i = 1; i <= 3; i++) await store.putMail(mail(i), `<${i}@x>`);
      const [bad] = await store.claimMails('w', 1, 1000);
      await store.finishMail(bad!.id, { state: 'failed', reason: 'reviewer threw' });
      const rest = await store.claimMails('w', 10, 1000);
      expect(rest.map((m) => m.messageId)).toEqual(['<2@x>', '<3@x>']);
      for (const m of rest) await store.finishMail(m.id, { state: 'reviewed', triage: null });
      expect(await store.counts()).toEqual({ pending: 0, reviewing: 0, reviewed: 2, failed: 1 });
    });

    it('rejects an unknown id', async () => {
      await expect((await open()).finishMail(7, { state: 'reviewed', triage: {} })).rejects.toThrow(/no mail 7/);
    });
  });

  describe('series', () => {
    it('upserts records and lists them most recently updated first', async () => {
      const store = await open();
      await store.putSeries('a', { title: 'A v1' });
      clock += 1000;
      await store.putSeries('b', { title: 'B' });
      clock += 1000;
      await store.putSeries('c', { title: 'C' });
      clock += 1000;
      await store.putSeries('a', { title: 'A v2' });
      expect(await store.getSeries('a')).toEqual({ title: 'A v2' });
      expect(await store.getSeries('zzz')).toBeUndefined();
      const list = await store.listSeries({ limit: 10 });
      expect(list.map((s) => s.key)).toEqual(['a', 'c', 'b']);
      expect(list[0]).toEqual({ key: 'a', record: { title: 'A v2' }, updatedAt: new Date(clock).toISOString() });
      expect((await store.listSeries({ limit: 1, offset: 1 })).map((s) => s.key)).toEqual(['c']);
    });
  });

  describe('deliveries', () => {
    it('is true only the first time an id is seen, across connections', async () => {
      const a = await open();
      const b = await open();
      expect(await a.firstDelivery('d-1')).toBe(true);
      expect(await b.firstDelivery('d-1')).toBe(false);
      expect(await b.firstDelivery('d-2')).toBe(true);
    });
  });

  describe('records', () => {
    it('says who recorded a review, and how many times', async () => {
      const store = await open();
      const a = await store.putMail(mail(1), '<1@x>');
      expect(await store.getMail(a.id)).toMatchObject({ reviews: 0, reviewedBy: null });
      await store.claimMails('host:1', 1, 1000);
      await store.finishMail(a.id, { state: 'reviewed', triage: {} });
      expect(await store.getMail(a.id)).toMatchObject({ state: 'reviewed', reviews: 1, reviewedBy: 'host:1' });
      // A late finish of a mail whose lease was lost and retaken is counted, not hidden.
      await store.finishMail(a.id, { state: 'reviewed', triage: {} });
      expect(await store.getMail(a.id)).toMatchObject({ reviews: 2 });
    });

    it('reads back a triage record as written: key order, nesting, unicode, a null record', async () => {
      const store = await open();
      const a = await store.putMail(mail(1), '<1@x>');
      const b = await store.putMail(mail(2), '<2@x>');
      await store.claimMails('w', 2, 1000);
      const record = { zeta: 1, alpha: { b: [1, 'two', null], a: true }, text: 'ünïcödé \u0000 \ud800 ✓' };
      await store.finishMail(a.id, { state: 'reviewed', triage: record });
      await store.finishMail(b.id, { state: 'reviewed', triage: null });
      const got = await store.getTriage(a.id);
      expect(got).toEqual(record);
      expect(Object.keys(got as object)).toEqual(['zeta', 'alpha', 'text']);
      expect(await store.getTriage(b.id)).toBeNull();
      expect((await store.listTriage()).map((t) => t.mailId)).toEqual([a.id, b.id]);
    });

    it('keeps text from outside that holds NUL: a Message-ID, a failure reason, a delivery id', async () => {
      const store = await open(1);
      const odd = '<a\u0000b@x>';
      const first = await store.putMail(mail(1), odd);
      expect(await store.putMail(mail(1), odd)).toEqual({ id: first.id, created: false });
      await store.claimMails('w', 1, 1000);
      await store.finishMail(first.id, { state: 'failed', reason: 'bad byte \u0000 here' });
      expect((await store.getMail(first.id))?.reason).toMatch(/^gave up after 1 attempts: bad byte .* here$/);
      expect(await store.firstDelivery('d\u0000')).toBe(true);
      expect(await store.firstDelivery('d\u0000')).toBe(false);
    });

    it('ping answers while open and rejects once closed', async () => {
      const store = await open();
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.ping()).rejects.toThrow();
    });
  });

  describe('the file', () => {
    it('keeps everything across close and reopen', async () => {
      const first = await open();
      const { id } = await first.putMail(mail(1), '<1@x>');
      await first.putMail(mail(2), '<2@x>');
      await first.claimMails('w', 1, 1000);
      await first.finishMail(id, { state: 'reviewed', triage: { ok: 1 } });
      await first.putSeries('s', { n: 1 });
      await first.firstDelivery('d');
      await first.close();

      const second = await open();
      expect((await second.getMail(id))?.raw.equals(mail(1))).toBe(true);
      expect(await second.getTriage(id)).toEqual({ ok: 1 });
      expect(await second.getSeries('s')).toEqual({ n: 1 });
      expect(await second.firstDelivery('d')).toBe(false);
      expect(await second.putMail(mail(1), '<1@x>')).toEqual({ id, created: false });
      expect(await second.counts()).toEqual({ pending: 1, reviewing: 0, reviewed: 1, failed: 0 });
    });
  });
});

describe('SQLite only', () => {
  useSite(BACKENDS[0]!);

  it('brings a file at schema version 1 up to date and keeps its mails', async () => {
    const db = new Database(path.join(site.location.dataDir!, SQLITE_FILE));
    db.exec(MIGRATIONS[0]!);
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)');
    db.prepare("INSERT INTO mails (message_id, received_at, raw) VALUES ('<old@x>', '2025-01-01T00:00:00.000Z', ?)").run(mail(1));
    db.close();
    const store = await open();
    expect(await store.putMail(mail(1), '<old@x>')).toEqual({ id: 1, created: false });
    expect(await store.getMail(1)).toMatchObject({ state: 'pending', reviews: 0, reviewedBy: null });
  });

  it('is in WAL mode, and migrating again changes nothing', async () => {
    await (await open()).close();
    const db = new Database(path.join(site.location.dataDir!, SQLITE_FILE));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(migrate(db)).toBe(MIGRATIONS.length);
      expect(migrate(db)).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: MIGRATIONS.length }]);
    } finally {
      db.close();
    }
    const store = await open();
    await store.putMail(mail(1), '<1@x>');
    await store.close();
    expect((await (await open()).counts()).pending).toBe(1);
  });
});

describe.skipIf(BACKENDS.length < 2)('PostgreSQL only', () => {
  useSite(BACKENDS[1] ?? BACKENDS[0]!);

  it('migrates once however many replicas start at once, and again changes nothing', async () => {
    const replicas = await Promise.all(Array.from({ length: 6 }, () => open()));
    await replicas[0]!.putMail(mail(1), '<1@x>');
    const pool = new pg.Pool({ connectionString: site.location.databaseUrl, max: 1 });
    try {
      expect(await migratePg(pool)).toBe(PG_MIGRATIONS.length);
      expect((await pool.query('SELECT version FROM schema_version')).rows).toEqual([{ version: PG_MIGRATIONS.length }]);
    } finally {
      await pool.end();
    }
    expect((await replicas[5]!.counts()).pending).toBe(1);
  });

  it('brings a schema at version 1 up to date and keeps its mails', async () => {
    const c = new pg.Client({ connectionString: site.location.databaseUrl });
    await c.connect();
    try {
      await c.query(PG_MIGRATIONS[0]!);
      await c.query('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)');
      await c.query("INSERT INTO mails (message_id, received_at, raw) VALUES ('<old@x>', '2025-01-01T00:00:00.000Z', $1)", [mail(1)]);
    } finally {
      await c.end();
    }
    const store = await open();
    expect(await store.putMail(mail(1), '<old@x>')).toEqual({ id: 1, created: false });
    expect(await store.getMail(1)).toMatchObject({ state: 'pending', reviews: 0, reviewedBy: null });
  });

  it('skips a mail another replica holds locked instead of waiting for it (SKIP LOCKED)', async () => {
    const store = await open();
    const first = await store.putMail(mail(1), '<1@x>');
    const second = await store.putMail(mail(2), '<2@x>');
    const other = new pg.Client({ connectionString: site.location.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM mails WHERE id = $1 FOR UPDATE', [first.id]);
      // The oldest mail is locked by the other session: a claim gets the next one, at once.
      expect((await store.claimMails('w', 5, 1000)).map((m) => m.id)).toEqual([second.id]);
      await other.query('COMMIT');
      expect((await store.claimMails('w', 5, 1000)).map((m) => m.id)).toEqual([first.id]);
    } finally {
      await other.end();
    }
  });

  it('survives the database dropping its connections: the next call reconnects', async () => {
    const store = await open();
    await store.putMail(mail(1), '<1@x>');
    const admin = new pg.Client({ connectionString: site.location.databaseUrl });
    await admin.connect();
    try {
      // The store's pooled connections (named after the test's schema; this one too, so not itself) are ended by the server.
      const name = new URL(site.location.databaseUrl!).searchParams.get('application_name');
      const { rows } = await admin.query(
        'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await new Promise((r) => setTimeout(r, 50));
    // The idle connections' errors did not crash the process; the pool opens new ones.
    await expect(store.ping()).resolves.toBeUndefined();
    expect((await store.counts()).pending).toBe(1);
  });

  it('an unreachable database makes opening reject with the reason', async () => {
    const url = new URL(site.location.databaseUrl!);
    url.port = '1';
    await expect(openPgStore(url.toString())).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
