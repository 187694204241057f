// Replay: POSTs every mail of a directory (in name order, i.e. arrival order for the corpus) to /mail,
// signed, then waits until the server has reviewed them and prints what it holds.
// Usage: npm run replay -- <dir> [--url http://host:port] [--secret S]
// Without --url it runs a server in this process on a fresh DATA_DIR (a temporary directory).

import { readdir, readFile, mkdtemp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { postMessage } from '../src/mail/post-mail.js';
import { createAppServer } from '../src/http/app-server.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { MailWorker } from '../src/mail/worker.js';
import { reviewMail } from '../src/mail/review-mail.js';
import { triageRoutes } from '../src/mail/triage-routes.js';
import { ALL_RULES } from '../rules/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, secret: { type: 'string' }, 'data-dir': { type: 'string' } },
});
const dir = resolve(positionals[0] ?? '../shared/corpus/mails');
if (!existsSync(dir)) {
  console.log(`replay: ${dir} is absent; nothing to replay`);
  process.exit(0);
}
const secret = values.secret ?? process.env.MAIL_WEBHOOK_SECRET ?? 'replay-secret';
let base = values.url;
let stop: (() => Promise<void>) | undefined;
if (!base) {
  const dataDir = values['data-dir'] ?? (await mkdtemp(join(tmpdir(), 'netdev-review-replay-')));
  const store = openSqliteStore(dataDir);
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const worker = new MailWorker({ store, workerId: `replay:${process.pid}`, review: (raw, id) => reviewMail(raw, id, ALL_RULES), pollMs: 200 });
  worker.start();
  const server = createAppServer({ mail: { store, secret, worker }, routes: triageRoutes(store), log: quiet });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  console.log(`replay: in-process server at ${base}, DATA_DIR ${dataDir}`);
  stop = async () => {
    await worker.stop();
    await new Promise((r) => server.close(r));
    await store.close();
  };
}

const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
const t0 = performance.now();
const statuses = new Map<number, number>();
for (const name of names) {
  const { status } = await postMessage(`${base}/mail`, secret, await readFile(join(dir, name)));
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
}
const posted = performance.now() - t0;
// Wait until nothing is pending or in review.
let view: { counts: Record<string, number>; series: { title: string; revision: number; total: number; patches: unknown[]; replies: number; relevant: boolean; supersededBy?: string }[] };
for (;;) {
  view = (await (await fetch(`${base}/api/triage`)).json()) as typeof view;
  if ((view.counts.pending ?? 0) === 0 && (view.counts.reviewing ?? 0) === 0) break;
  await new Promise((r) => setTimeout(r, 250));
}
const total = performance.now() - t0;
console.log(`replay: ${names.length} mails posted in ${(posted / 1000).toFixed(1)} s (HTTP ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}), all reviewed after ${(total / 1000).toFixed(1)} s`);
console.log(`store: ${JSON.stringify(view.counts)}`);
console.log(`series: ${view.series.length} (${view.series.filter((s) => s.relevant).length} relevant, ${view.series.filter((s) => s.supersededBy).length} superseded)`);
for (const s of view.series.slice(0, 15)) console.log(`  v${s.revision} ${s.patches.length}/${s.total} replies ${s.replies}${s.supersededBy ? ' (superseded)' : ''}  ${s.title}`);
await stop?.();
