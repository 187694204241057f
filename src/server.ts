// Entry point of the server (`npm start`): the GitHub App (Probot's environment: APP_ID, PRIVATE_KEY or
// PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL, LOG_LEVEL) and the mail path (MAIL_WEBHOOK_SECRET,
// DATA_DIR or DATABASE_URL, MAIL_MAX_BYTES, MAIL_LEASE_MS; with PATCHWORK_URL and PATCHWORK_TOKEN, and optionally PATCHWORK_PROJECT,
// a Patchwork check per reviewed patch linking to PUBLIC_URL, default http://localhost:PORT), on PORT/HOST.
// Either way in may be left unconfigured; the other still runs. Reply drafts are From: SMTP_FROM (default
// netdev-review@localhost) and Cc: REPLY_CC (comma-separated). Nothing is mailed unless SMTP_URL, SMTP_ALLOW
// (addresses or @domains) and REPLY_SEND_TOKEN are all set (and SMTP_FROM): then POST
// /api/triage/patch/:mailId/send mails a draft to its allowed recipients (docs/mail.md). GET /health
// (GET /health/live: liveness only) and GET /metrics (Prometheus) are always served.

import { hostname } from 'node:os';
import { createNodeMiddleware, createProbot } from 'probot';
import { appOctokit } from './github/app-octokit.js';
import { createApp } from './app.js';
import { createAppServer, WEBHOOK_PATH, type AppServerOptions } from './http/app-server.js';
import { describeStore, openStore } from './store/open.js';
import { MailWorker } from './mail/worker.js';
import { mailFindings, type MailTriage } from './mail/review-mail.js';
import { createMetrics } from './ops/metrics.js';
import { createLogger } from './ops/log.js';
import { ReviewPool } from './review/pool.js';
import { opsRoutes } from './ops/ops-routes.js';
import { createPatchworkReporter } from './mail/patchwork.js';
import { triageRoutes } from './mail/triage-routes.js';
import { describeSmtp, sendConfigFromEnv, sendRoutes } from './mail/send-reply.js';
import { StoreDeliveryLog } from './github/delivery-log.js';

const env = process.env;
const storeAt = { databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR };
const store = await openStore(storeAt).catch((err: unknown) => {
  // A clear line, not a stack trace: the usual causes are a wrong URL, a database that is down, or a role without rights.
  process.stderr.write(`netdev-review: cannot open the store (${describeStore(storeAt)}): ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
const metrics = createMetrics();
metrics.watchQueue(store);
// One logger for Probot and for us: JSON lines, secrets and mail bodies redacted (src/ops/log.ts).
const logger = await createLogger();
const own = logger.child({ name: 'netdev-review' });
// Probot insists on an App ID, so it is only created when the GitHub way in is configured.
const probot = env.APP_ID ? createProbot({ overrides: { Octokit: appOctokit(metrics), log: logger } }) : undefined;
type Fields = object | string;
const log = {
  info: (obj: Fields, msg?: string) => (typeof obj === 'string' ? own.info(obj) : own.info(obj, msg)),
  warn: (obj: Fields, msg?: string) => (typeof obj === 'string' ? own.warn(obj) : own.warn(obj, msg)),
  error: (obj: Fields, msg?: string) => (typeof obj === 'string' ? own.error(obj) : own.error(obj, msg)),
};

// Reviews run in child processes, each stopped past its time or memory budget; this process only talks HTTP.
const pool = new ReviewPool({
  processes: env.REVIEW_PROCESSES ? Number(env.REVIEW_PROCESSES) : undefined,
  timeoutMs: env.REVIEW_TIMEOUT_MS ? Number(env.REVIEW_TIMEOUT_MS) : undefined,
  memoryMb: env.REVIEW_MEMORY_MB ? Number(env.REVIEW_MEMORY_MB) : undefined,
});
metrics.watchPool(() => pool.stats());

let github: AppServerOptions['github'];
if (probot) {
  if (!env.WEBHOOK_SECRET) throw new Error('WEBHOOK_SECRET is not set: every GitHub delivery must be verified');
  const { app } = createApp({ deliveries: new StoreDeliveryLog(store), metrics, pool });
  github = { probot, middleware: await createNodeMiddleware(app, { probot, webhooksPath: WEBHOOK_PATH }), secret: env.WEBHOOK_SECRET };
}

const port = Number(env.PORT ?? 3000);
const patchwork = env.PATCHWORK_URL && env.PATCHWORK_TOKEN
  ? createPatchworkReporter({ url: env.PATCHWORK_URL, token: env.PATCHWORK_TOKEN, project: env.PATCHWORK_PROJECT || undefined,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${port}`, log })
  : undefined;

let mail: (AppServerOptions['mail'] & { worker: MailWorker }) | undefined;
if (env.MAIL_WEBHOOK_SECRET) {
  const worker = new MailWorker({ store, workerId: `${hostname()}:${process.pid}`, review: (raw, id) => pool.run({ kind: 'mail', raw, id }), log,
    leaseMs: env.MAIL_LEASE_MS ? Number(env.MAIL_LEASE_MS) : undefined, metrics, findingsOf: mailFindings,
    afterReview: patchwork ? async (_id, triage) => void (await patchwork.report(triage as MailTriage)) : undefined });
  worker.start();
  mail = { store, secret: env.MAIL_WEBHOOK_SECRET, maxBytes: env.MAIL_MAX_BYTES ? Number(env.MAIL_MAX_BYTES) : undefined, worker };
}

const sending = sendConfigFromEnv(env);
if (sending.missing.length > 0) log.warn({ missing: sending.missing }, 'reply sending is off: not every variable it needs is set');
const replyCc = (env.REPLY_CC ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
const server = createAppServer({ github, mail, log, metrics,
  routes: [...opsRoutes({ store, metrics }), ...triageRoutes(store, { replyFrom: env.SMTP_FROM || undefined, replyCc })],
  postRoutes: sendRoutes(store, sending.config, log) });
const host = env.HOST ?? '0.0.0.0';
server.listen(port, host, () =>
  log.info(`netdev-review listening on http://${host}:${port} (store: ${describeStore(storeAt)}, review processes: ${pool.stats().processes}, GitHub App: ${github ? 'on' : 'off'}, mail: ${mail ? 'on' : 'off'}, Patchwork checks: ${patchwork && mail ? 'on' : 'off'}, reply sending: ${sending.config ? `on via ${describeSmtp(sending.config.url)}, ${sending.config.allow.length} allowed` : 'off'})`),
);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    // The mail under review is finished and recorded; what was claimed but not started returns after its lease.
    void (async () => {
      await mail?.worker.stop();
      await pool.close();
      await store.close();
    })().finally(() => process.exit(0));
  });
}
