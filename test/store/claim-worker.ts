// Test helper, run as its own process by store.test.ts: opens the store at argv[2] (a directory for
// SQLite, a postgres:// URL for PostgreSQL) and claims mails in small batches until none are left,
// then prints the claimed ids as JSON. It starts claiming at the epoch-ms START_AT so that the
// processes' start-up times do not serialize them.

import { openStore } from '../../src/store/open.js';

const [where, worker = 'w', batch = '3', startAt = '0'] = process.argv.slice(2);
if (where === undefined) throw new Error('usage: claim-worker.ts DIR|URL [WORKER] [BATCH] [START_AT]');
const store = await openStore(/^postgres(ql)?:/.test(where) ? { databaseUrl: where } : { dataDir: where });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const ids: number[] = [];
for (;;) {
  const mails = await store.claimMails(worker, Number(batch), 60_000);
  if (mails.length === 0) break;
  for (const m of mails) {
    ids.push(m.id);
    await store.finishMail(m.id, { state: 'reviewed', triage: { worker } });
  }
  // Stands in for the review itself: without a pause between claims, the process holding the lock
  // wins every race (SQLite's busy handler sleeps), and the test would not exercise contention.
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await store.close();
process.stdout.write(JSON.stringify(ids));
