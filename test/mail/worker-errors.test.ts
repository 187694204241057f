// How the mail worker treats a review that was stopped or lost in a review process: a review past its time
// or memory budget would be again (failed for good, with the reason); a process killed from outside is
// worth another attempt (the mail goes back to pending).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MailWorker } from '../../src/mail/worker.js';
import { ReviewCrashError, ReviewMemoryError, ReviewTimeoutError } from '../../src/review/pool.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function outcomeOf(error: Error) {
  const store = openSqliteStore(mkdtempSync(join(tmpdir(), 'nr-worker-errors-')));
  stores.push(store);
  const { id } = await store.putMail(Buffer.from('Message-ID: <m@x>\n\nbody\n'), '<m@x>');
  const worker = new MailWorker({ store, workerId: 'w', review: async () => { throw error; } });
  expect(await worker.drain()).toBeGreaterThan(0);
  return store.getMail(id);
}

describe('MailWorker and stopped reviews', () => {
  it('fails a review past its time budget for good, with the reason', async () => {
    expect(await outcomeOf(new ReviewTimeoutError('review stopped after 60 s (REVIEW_TIMEOUT_MS)'))).toMatchObject({
      state: 'failed', attempts: 1, reason: 'gave up after 1 attempts: review stopped after 60 s (REVIEW_TIMEOUT_MS)' });
  });

  it('fails a review past its memory budget for good', async () => {
    expect(await outcomeOf(new ReviewMemoryError('review stopped: it needed more than 1024 MB (REVIEW_MEMORY_MB)'))).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('tries again after a review process was killed from outside, until the attempts run out', async () => {
    // drain() claims again while attempts remain: three attempts, then failed with the last reason.
    expect(await outcomeOf(new ReviewCrashError('review process died (SIGKILL)'))).toMatchObject({
      state: 'failed', attempts: 3, reason: 'gave up after 3 attempts: review process died (SIGKILL)' });
  });
});
