// Load test: one burst against a real server (node dist/src/server.js) on loopback — N signed
// pull_request deliveries (some delivered twice, as GitHub redelivers) against a local GitHub stand-in,
// and M signed patch mails, all at once — while GET /health is polled and the server's memory sampled.
// It reports what was accepted, reviewed, lost and duplicated, delivery → review times, peak RSS and
// the health check's latency during the burst; it is bounded in count and time and stops by itself.
// Usage: npm run load -- [--prs 200] [--installations 10] [--mails 600] [--mail-dir DIR] [--redeliver 0.1]
//                        [--concurrency 64] [--timeout-s 300] [--database-url URL] [--json]
// Pull requests are spread over several installations (one repository each): GitHub asks each client to
// pace its writes (one a second), so one installation's 200 reviews could not be posted faster than that.
// Exit status 0 when nothing was lost or duplicated and every health check was answered, 1 otherwise.

import { createHmac, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { GitHubStandIn } from '../src/dev/github-stand-in.js';
import { postMessage } from '../src/mail/post-mail.js';
import { spawnServer } from '../src/dev/spawn-server.js';
import { createScratchSchema } from '../src/dev/scratch-schema.js';
import { addedFilePatch, addedFileText, pullRequestPayload } from '../src/dev/pull-request-fixture.js';
import { SQLITE_FILE } from '../src/store/sqlite-store.js';

const { values } = parseArgs({
  options: {
    prs: { type: 'string', default: '200' },
    installations: { type: 'string', default: '10' },
    mails: { type: 'string', default: '600' },
    'mail-dir': { type: 'string', default: '../shared/corpus/mails' },
    redeliver: { type: 'string', default: '0.1' },
    concurrency: { type: 'string', default: '64' },
    'timeout-s': { type: 'string', default: '300' },
    'database-url': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const say = (line: string): void => {
  if (!values.json) console.log(line);
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PR_COUNT = Math.max(0, Number(values.prs));
const MAIL_COUNT = Math.max(0, Number(values.mails));
const OWNER = 'acme';
const INSTALLATIONS = Math.max(1, Number(values.installations));
/** Pull request n lives in repository linux-k of installation 4200 + k. */
const repoOf = (n: number): string => `linux-${n % INSTALLATIONS}`;
const installationOf = (n: number): number => 4200 + (n % INSTALLATIONS);
const BASE_SHA = 'b'.repeat(40);
const WEBHOOK_SECRET = 'load-webhook-secret';
const MAIL_SECRET = 'load-mail-secret';
const deadline = Date.now() + Number(values['timeout-s']) * 1000;

// --- inputs -----------------------------------------------------------------------------------------

/** The example driver patch: its new file for pull requests, and whole-patch variants for mails. */
const examplePatch = readFileSync(join(root, 'examples/acme-new-driver.patch'), 'utf8');
const driverText = addedFileText(examplePatch);
const driverHunks = addedFilePatch(driverText);

/** M mails: the corpus mails when present (cycled), else variants of the example patch. */
function mails(): Buffer[] {
  const dir = resolve(values['mail-dir']);
  if (existsSync(dir)) {
    const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
    if (names.length > 0) {
      return Array.from({ length: MAIL_COUNT }, (_, i) => {
        const raw = readFileSync(join(dir, names[i % names.length]!));
        // A second round of the same mail gets its own Message-ID, or the server would (rightly) store it once.
        return i < names.length ? raw : Buffer.concat([Buffer.from(`Message-ID: <load-round-${i}@example.org>\n`), raw]);
      });
    }
  }
  return Array.from({ length: MAIL_COUNT }, (_, k) => Buffer.from(examplePatch
    .replace('Subject:', `Message-ID: <load-${k}@example.org>\nSubject:`)
    .replaceAll('acme/acme_eth.c', `acme/acme_eth${k}.c`)));
}

function pullPayload(n: number): Record<string, unknown> {
  return pullRequestPayload('opened', { owner: OWNER, repo: repoOf(n), number: n, head: headSha(n), base: BASE_SHA, installation: installationOf(n) });
}
const headSha = (n: number): string => `c${n.toString(16).padStart(39, '0')}`;

// --- the stand-in and the server --------------------------------------------------------------------

const gh = new GitHubStandIn({
  installationId: installationOf(0),
  moreInstallations: Array.from({ length: INSTALLATIONS }, (_, k) => installationOf(k)),
  token: 'ghs_load',
});
const { url: ghUrl } = await gh.start();
const doc = readFileSync(join(root, 'test/fixtures/citations/netdev-new.rst'), 'utf8');
for (let k = 0; k < INSTALLATIONS; k++) {
  gh.setFile(OWNER, repoOf(k), BASE_SHA, 'Documentation/networking/netdevices.rst', doc);
  gh.setFile(OWNER, repoOf(k), BASE_SHA, 'Makefile', 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n');
}
const DRIVER = 'drivers/net/ethernet/acme/acme_eth.c';
for (let n = 1; n <= PR_COUNT; n++) {
  gh.setFile(OWNER, repoOf(n), headSha(n), DRIVER, driverText);
  gh.addPull({ number: n, owner: OWNER, repo: repoOf(n), baseSha: BASE_SHA, headSha: headSha(n), files: [{ filename: DRIVER, status: 'added', patch: driverHunks }] });
}


const dataDir = mkdtempSync(join(tmpdir(), 'netdev-review-load-'));
const databaseUrl = values['database-url'];
const scratch = databaseUrl ? await createScratchSchema(databaseUrl, 'load') : undefined;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** Times (epoch ms) the server logged each mail reviewed. */
const mailReviewedAt = new Map<number, number[]>();
const errors: string[] = [];
const { base, child: server, exit: serverExit } = await spawnServer({
  env: {
    PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'info',
    APP_ID: '12345', PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), WEBHOOK_SECRET,
    GHE_HOST: ghUrl.replace('http://', ''), GHE_PROTOCOL: 'http',
    MAIL_WEBHOOK_SECRET: MAIL_SECRET, DATA_DIR: dataDir, ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...(process.env.REVIEW_PROCESSES ? { REVIEW_PROCESSES: process.env.REVIEW_PROCESSES } : {}),
  },
  onLogLine: (e, line) => {
    if (e.msg === 'mail reviewed' && typeof e.mail === 'number') mailReviewedAt.set(e.mail, [...(mailReviewedAt.get(e.mail) ?? []), e.time as number]);
    if (((e.level as number | undefined) ?? 0) >= 50 && errors.length < 20) errors.push(line.slice(0, 300));
  },
  onStderr: (chunk) => {
    if (errors.length < 20) errors.push(chunk.trim().slice(0, 300));
  },
  startTimeoutMs: Math.max(0, deadline - Date.now()),
});

// --- monitors ---------------------------------------------------------------------------------------

/** Resident memory (kB) of a process and of its children (the review processes). */
function rssKb(pid: number): { own: number; total: number } {
  const read = (p: number): number => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  };
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // Not Linux, or the process is gone.
  }
  const own = read(pid);
  return { own, total: own + children.reduce((s, c) => s + read(c), 0) };
}

let monitoring = true;
const health: { ms: number; ok: boolean }[] = [];
const healthLoop = (async () => {
  while (monitoring) {
    const t0 = performance.now();
    const ok = await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.ok, () => false);
    health.push({ ms: performance.now() - t0, ok });
    await new Promise((r) => setTimeout(r, 50));
  }
})();
const rss = { own: 0, total: 0 };
const rssTimer = setInterval(() => {
  const now = rssKb(server.pid!);
  rss.own = Math.max(rss.own, now.own);
  rss.total = Math.max(rss.total, now.total);
}, 100);

// --- the burst --------------------------------------------------------------------------------------

type Item = { kind: 'pull'; n: number; delivery: string; body: string } | { kind: 'mail'; k: number; raw: Buffer };
const items: Item[] = [];
for (let n = 1; n <= PR_COUNT; n++) items.push({ kind: 'pull', n, delivery: `load-${n}`, body: JSON.stringify(pullPayload(n)) });
for (const [k, raw] of mails().entries()) items.push({ kind: 'mail', k, raw });
// Redeliveries: the same delivery id again, as GitHub sends when it missed an answer.
const redeliveries = Math.round(PR_COUNT * Number(values.redeliver));
for (let i = 0; i < redeliveries; i++) items.push({ ...(items[Math.floor((i * PR_COUNT) / Math.max(1, redeliveries))] as Item & { kind: 'pull' }) });
// A fixed interleaving (seeded shuffle): deliveries and mails arrive mixed, the same way every run.
let seed = 2026;
const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
for (let i = items.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [items[i], items[j]] = [items[j]!, items[i]!];
}

const sentAt = new Map<string, number>(); // 'pull:n' / 'mail:id' → first accepted send (epoch ms)
const statuses = new Map<string, number>();
const mailIds = new Set<number>();
const count = (s: string): void => void statuses.set(s, (statuses.get(s) ?? 0) + 1);
const t0 = Date.now();
let next = 0;
async function sender(): Promise<void> {
  for (let i = next++; i < items.length; i = next++) {
    const item = items[i]!;
    const at = Date.now();
    if (item.kind === 'pull') {
      const res = await fetch(`${base}/api/github/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': item.delivery,
          'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(item.body).digest('hex')}` },
        body: item.body,
      }).catch(() => undefined);
      count(`pull ${res?.status ?? 'refused'}`);
      await res?.arrayBuffer();
      if (res && res.status < 300 && !sentAt.has(`pull:${item.n}`)) sentAt.set(`pull:${item.n}`, at);
    } else {
      const answer = await postMessage(`${base}/mail`, MAIL_SECRET, item.raw).catch(() => ({ status: 0, body: '' }));
      count(`mail ${answer.status || 'refused'}`);
      if (answer.status === 202 || answer.status === 200) {
        const id = (JSON.parse(answer.body) as { id: number }).id;
        mailIds.add(id);
        if (!sentAt.has(`mail:${id}`)) sentAt.set(`mail:${id}`, at);
      }
    }
  }
}
await Promise.all(Array.from({ length: Number(values.concurrency) }, sender));
const sentMs = Date.now() - t0;
const acceptedPulls = [...sentAt.keys()].filter((k) => k.startsWith('pull:')).length;

// Until every accepted pull request has its review posted and no mail waits, or the time is up.
const posted = (): Map<number, number[]> => {
  const out = new Map<number, number[]>();
  for (const c of gh.calls) {
    const m = /^\/repos\/acme\/linux-\d+\/pulls\/(\d+)\/reviews$/.exec(c.path);
    if (c.method === 'POST' && m && c.status < 300) out.set(Number(m[1]), [...(out.get(Number(m[1])) ?? []), c.at]);
  }
  return out;
};
let queue: Record<string, number> = {};
for (;;) {
  // The queue gauge of /metrics (a COUNT per state), not /api/triage, which assembles every series each time.
  const metricsText = await (await fetch(`${base}/metrics`)).text();
  queue = Object.fromEntries([...metricsText.matchAll(/^netdev_review_mail_queue\{state="(\w+)"\} (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  const mailsDone = (queue.pending ?? 0) + (queue.reviewing ?? 0) === 0;
  if ((mailsDone && posted().size >= acceptedPulls) || Date.now() > deadline) break;
  await new Promise((r) => setTimeout(r, 100));
}
const doneMs = Date.now() - t0;
monitoring = false;
await healthLoop;
clearInterval(rssTimer);

server.kill('SIGTERM');
const exit = await serverExit;
await gh.stop();

// --- the verdict ------------------------------------------------------------------------------------

const reviewsPosted = posted();
const checkRuns = new Map<string, number>();
for (const c of gh.calls) if (c.method === 'POST' && /\/check-runs$/.test(c.path) && c.status < 300) {
  const sha = (c.body as { head_sha?: string }).head_sha ?? '';
  checkRuns.set(sha, (checkRuns.get(sha) ?? 0) + 1);
}
let recorded: { id: number; reviews: number; state: string }[];
if (scratch) {
  recorded = (await scratch.admin.query<{ id: string; reviews: number; state: string }>(`SELECT id, reviews, state FROM ${scratch.name}.mails`)).rows.map((r) => ({ ...r, id: Number(r.id) }));
  await scratch.drop();
} else {
  const db = new Database(join(dataDir, SQLITE_FILE), { readonly: true });
  recorded = db.prepare('SELECT id, reviews, state FROM mails').all() as typeof recorded;
  db.close();
}
rmSync(dataDir, { recursive: true, force: true });

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const pullLatency = [...reviewsPosted].flatMap(([n, at]) => (sentAt.has(`pull:${n}`) ? [at[0]! - sentAt.get(`pull:${n}`)!] : []));
const mailLatency = [...mailReviewedAt].flatMap(([id, at]) => (sentAt.has(`mail:${id}`) ? [at[0]! - sentAt.get(`mail:${id}`)!] : []));
const healthMs = health.map((h) => h.ms);
const report = {
  prs: PR_COUNT,
  installations: INSTALLATIONS,
  redeliveries,
  mails: MAIL_COUNT,
  accepted: { pulls: acceptedPulls, mails: mailIds.size },
  reviewed: { pulls: reviewsPosted.size, mails: recorded.filter((r) => r.state === 'reviewed').length, mailsFailed: recorded.filter((r) => r.state === 'failed').length },
  lost: {
    pulls: [...sentAt.keys()].filter((k) => k.startsWith('pull:') && !reviewsPosted.has(Number(k.slice(5)))).length,
    mails: [...mailIds].filter((id) => !recorded.some((r) => r.id === id && (r.state === 'reviewed' || r.state === 'failed'))).length,
  },
  duplicated: {
    reviews: [...reviewsPosted.values()].filter((a) => a.length > 1).length,
    checkRuns: [...checkRuns.values()].filter((n) => n > 1).length,
    mails: recorded.filter((r) => r.reviews > 1).length + [...mailReviewedAt.values()].filter((a) => a.length > 1).length,
  },
  http: Object.fromEntries([...statuses].sort()),
  latencyMs: {
    pullP50: Math.round(pct(pullLatency, 50)), pullP99: Math.round(pct(pullLatency, 99)), pullMax: Math.round(Math.max(...pullLatency, 0)),
    mailP50: Math.round(pct(mailLatency, 50)), mailP99: Math.round(pct(mailLatency, 99)), mailMax: Math.round(Math.max(...mailLatency, 0)),
  },
  health: {
    checks: health.length, failed: health.filter((h) => !h.ok).length,
    p50Ms: Math.round(pct(healthMs, 50)), p99Ms: Math.round(pct(healthMs, 99)), maxMs: Math.round(Math.max(...healthMs, 0)),
  },
  peakRssMb: { server: Math.round(rss.own / 1024), withReviewProcesses: Math.round(rss.total / 1024) },
  sentMs,
  doneMs,
  timedOut: Date.now() > deadline,
  serverExit: exit,
  errors,
};
const ok = report.lost.pulls === 0 && report.lost.mails === 0 && report.accepted.mails === MAIL_COUNT && report.accepted.pulls === PR_COUNT
  && report.duplicated.reviews === 0 && report.duplicated.checkRuns === 0 && report.duplicated.mails === 0
  && report.health.failed === 0 && !report.timedOut && exit.code === 0;
if (values.json) console.log(JSON.stringify({ ok, ...report }));
else {
  say(`load: ${PR_COUNT} pull_request deliveries over ${INSTALLATIONS} installations (+${redeliveries} redelivered) and ${MAIL_COUNT} mails at once, ${values.concurrency} in flight, ${databaseUrl ? 'PostgreSQL' : 'SQLite'}`);
  say(`  sent in ${(sentMs / 1000).toFixed(1)} s (HTTP ${Object.entries(report.http).map(([s, n]) => `${s}×${n}`).join(', ')}); all settled after ${(doneMs / 1000).toFixed(1)} s`);
  say(`  pull requests: accepted ${report.accepted.pulls}, reviewed ${report.reviewed.pulls}, lost ${report.lost.pulls}, reviewed twice ${report.duplicated.reviews}, check runs twice ${report.duplicated.checkRuns}`);
  say(`  mails: accepted ${report.accepted.mails}, reviewed ${report.reviewed.mails} (failed ${report.reviewed.mailsFailed}), lost ${report.lost.mails}, reviewed twice ${report.duplicated.mails}`);
  say(`  delivery → review posted: p50 ${report.latencyMs.pullP50} ms, p99 ${report.latencyMs.pullP99} ms, max ${report.latencyMs.pullMax} ms`);
  say(`  mail → reviewed:          p50 ${report.latencyMs.mailP50} ms, p99 ${report.latencyMs.mailP99} ms, max ${report.latencyMs.mailMax} ms`);
  say(`  GET /health during it:    ${report.health.checks} checks, ${report.health.failed} failed, p50 ${report.health.p50Ms} ms, p99 ${report.health.p99Ms} ms, max ${report.health.maxMs} ms`);
  say(`  peak RSS: server ${report.peakRssMb.server} MB, with its review processes ${report.peakRssMb.withReviewProcesses} MB; server exit ${exit.signal ?? exit.code}`);
  for (const e of errors.slice(0, 5)) say(`  error: ${e}`);
  say(ok ? 'load: OK — nothing lost, nothing duplicated, health answered throughout' : 'load: FAILED');
}
process.exitCode = ok ? 0 : 1;
