// Replicas: several `npm start` servers (node dist/src/server.js) on one PostgreSQL, fed every mail of a
// directory at once (spread over the servers), one of them killed with SIGKILL mid-way; then it checks
// from the database and the servers' logs that every mail accepted was reviewed, and exactly once.
// Usage: npm run replicas -- [DIR] [--servers 2] [--kill-after N | --no-kill] [--lease-ms 5000]
//                            [--database-url URL] [--concurrency 64] [--timeout-s 300] [--json]
// The database is DATABASE_URL (or TEST_DATABASE_URL); the run uses a schema of its own, dropped at the end.
// Exit status 0 when nothing was lost or reviewed twice, 1 otherwise, 2 when it could not run.

import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { postMessage } from '../src/mail/post-mail.js';
import { spawnServer } from '../src/dev/spawn-server.js';
import { createScratchSchema } from '../src/dev/scratch-schema.js';
import { messageIdOf } from '../src/mail/intake.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    servers: { type: 'string', default: '2' },
    'kill-after': { type: 'string' },
    'no-kill': { type: 'boolean', default: false },
    'lease-ms': { type: 'string', default: '5000' },
    'database-url': { type: 'string' },
    concurrency: { type: 'string', default: '64' },
    'timeout-s': { type: 'string', default: '300' },
    json: { type: 'boolean', default: false },
  },
});

const say = (line: string): void => {
  if (!values.json) console.log(line);
};
const dir = resolve(positionals[0] ?? '../shared/corpus/mails');
if (!existsSync(dir)) {
  say(`replicas: ${dir} is absent; nothing to run`);
  process.exit(0);
}
const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!databaseUrl) {
  console.error('replicas: needs PostgreSQL: pass --database-url or set DATABASE_URL');
  process.exit(2);
}
const serverCount = Math.max(1, Number(values.servers));
const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
const killAfter = values['no-kill'] || serverCount < 2 ? undefined : Number(values['kill-after'] ?? Math.floor(names.length / 3));
const secret = 'replicas-secret';

// A schema of our own: the run starts empty and leaves the database as it found it.
const scratch = await createScratchSchema(databaseUrl, 'replicas');
const { name: schema, admin } = scratch;

interface Replica {
  name: string;
  base: string;
  child: ChildProcess;
  /** Mail ids this server logged as reviewed. */
  reviewed: number[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  killedAt?: number;
}

async function startReplica(i: number): Promise<Replica> {
  const name = `server ${i + 1}`;
  const reviewed: number[] = [];
  const server = await spawnServer({
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: scratch.url,
      MAIL_WEBHOOK_SECRET: secret,
      MAIL_LEASE_MS: values['lease-ms'],
    },
    onLogLine: (entry) => {
      if (entry.msg === 'mail reviewed' && typeof entry.mail === 'number') reviewed.push(entry.mail);
    },
    onStderr: (chunk) => process.stderr.write(`[${name}] ${chunk}`),
  });
  return { name, ...server, reviewed };
}

async function counts(): Promise<Record<string, number>> {
  const { rows } = await admin.query<{ state: string; n: string }>(`SELECT state, COUNT(*) AS n FROM ${schema}.mails GROUP BY state`);
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

let failure: string | undefined;
const replicas: Replica[] = [];
try {
  for (let i = 0; i < serverCount; i++) replicas.push(await startReplica(i));
  say(`replicas: ${serverCount} servers on PostgreSQL (schema ${schema}), ${names.length} mails from ${dir}${killAfter !== undefined ? `, ${replicas[0]!.name} killed after ${killAfter} reviews` : ''}`);

  const mails = await Promise.all(names.map(async (n) => readFile(join(dir, n))));
  const accepted = new Map<string, number>(); // message key → stored id
  const statuses = new Map<string, number>();
  let retried = 0;
  const t0 = performance.now();

  // Watches the queue and kills the first server once enough mails are reviewed.
  let killed: Replica | undefined;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const c = await counts();
      if (killAfter !== undefined && !killed && (c.reviewed ?? 0) >= killAfter) {
        killed = replicas[0]!;
        killed.child.kill('SIGKILL');
        killed.killedAt = performance.now() - t0;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  // All at once, `concurrency` in flight; mail i goes to server i mod N, and a post that finds its
  // server gone (killed) is sent to the next one, as a mail relay would retry.
  let next = 0;
  const post = async (): Promise<void> => {
    for (let i = next++; i < mails.length; i = next++) {
      const key = messageIdOf(mails[i]!) ?? names[i]!;
      for (let attempt = 0; attempt < serverCount * 2; attempt++) {
        const target = replicas[(i + attempt) % serverCount]!;
        if (target === killed) continue;
        const answer = await postMessage(`${target.base}/mail`, secret, mails[i]!).catch((err: unknown) => ({ status: 0, body: String(err) }));
        statuses.set(String(answer.status || 'refused'), (statuses.get(String(answer.status || 'refused')) ?? 0) + 1);
        if (answer.status === 202 || answer.status === 200) {
          accepted.set(key, (JSON.parse(answer.body) as { id: number }).id);
          break;
        }
        retried++;
      }
    }
  };
  await Promise.all(Array.from({ length: Number(values.concurrency) }, post));
  const postedMs = performance.now() - t0;

  const deadline = Date.now() + Number(values['timeout-s']) * 1000;
  let c = await counts();
  while ((c.pending ?? 0) + (c.reviewing ?? 0) > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    c = await counts();
  }
  const doneMs = performance.now() - t0;
  watching = false;
  await watcher;

  // The verdict, from the database itself.
  const { rows } = await admin.query<{ id: string; state: string; reviews: number; attempts: number; reviewed_by: string | null }>(
    `SELECT id, state, reviews, attempts, reviewed_by FROM ${schema}.mails ORDER BY id`,
  );
  const stored = new Set(rows.map((r) => Number(r.id)));
  const lost = [...accepted.values()].filter((id) => !stored.has(id));
  const unfinished = rows.filter((r) => r.state === 'pending' || r.state === 'reviewing').map((r) => Number(r.id));
  const twice = rows.filter((r) => r.reviews > 1).map((r) => Number(r.id));
  const logged = new Map<number, number>();
  for (const r of replicas) for (const id of r.reviewed) logged.set(id, (logged.get(id) ?? 0) + 1);
  const loggedTwice = [...logged].filter(([, n]) => n > 1).map(([id]) => id);
  const byWorker = new Map<string, number>();
  for (const r of rows) if (r.reviewed_by) byWorker.set(r.reviewed_by, (byWorker.get(r.reviewed_by) ?? 0) + 1);

  // The survivors stop as an orchestrator stops them: SIGTERM, then they should exit 0.
  for (const r of replicas) if (r !== killed) r.child.kill('SIGTERM');
  const exits = await Promise.all(replicas.map((r) => r.exit));

  const report = {
    mails: names.length,
    servers: serverCount,
    accepted: accepted.size,
    stored: rows.length,
    states: c,
    lost: lost.length,
    unfinished: unfinished.length,
    reviewedTwice: twice.length,
    loggedTwice: loggedTwice.length,
    retakenAfterKill: rows.filter((r) => r.attempts > 1).length,
    httpStatuses: Object.fromEntries(statuses),
    postsRetried: retried,
    killed: killed ? { server: killed.name, atMs: Math.round(killed.killedAt!), reviewedBeforeKill: killed.reviewed.length } : null,
    perServer: replicas.map((r, i) => ({ server: r.name, loggedReviews: r.reviewed.length, exit: exits[i] })),
    recordedBy: Object.fromEntries(byWorker),
    postedMs: Math.round(postedMs),
    doneMs: Math.round(doneMs),
  };
  const ok = report.lost === 0 && report.unfinished === 0 && report.reviewedTwice === 0 && report.loggedTwice === 0
    && report.accepted === names.length
    && replicas.every((r, i) => r === killed || exits[i]!.code === 0);
  if (!ok) failure = 'lost, unfinished, twice-reviewed or unaccepted mails, or a survivor that did not exit cleanly';
  if (values.json) console.log(JSON.stringify({ ok, ...report }));
  else {
    say(`posted ${report.accepted}/${report.mails} in ${(postedMs / 1000).toFixed(1)} s (HTTP ${Object.entries(report.httpStatuses).map(([s, n]) => `${s}×${n}`).join(', ')}; ${retried} posts retried on another server)`);
    if (report.killed) say(`${report.killed.server} killed (SIGKILL) at ${(report.killed.atMs / 1000).toFixed(1)} s after logging ${report.killed.reviewedBeforeKill} reviews`);
    say(`all settled after ${(doneMs / 1000).toFixed(1)} s: ${JSON.stringify(c)}`);
    for (const s of report.perServer) say(`  ${s.server}: ${s.loggedReviews} reviews logged, exit ${s.exit.signal ?? s.exit.code}`);
    say(`lost ${report.lost}, unfinished ${report.unfinished}, recorded twice ${report.reviewedTwice}, logged twice ${report.loggedTwice}; ${report.retakenAfterKill} mails retaken after a lease ran out`);
    say(ok ? 'replicas: OK — every mail reviewed exactly once' : `replicas: FAILED — ${failure}`);
  }
} catch (err) {
  failure = err instanceof Error ? err.message : String(err);
  console.error(`replicas: ${failure}`);
  process.exitCode = 2;
} finally {
  for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  await scratch.drop().catch(() => undefined);
}
if (failure && process.exitCode === undefined) process.exitCode = 1;
