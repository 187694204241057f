// Two `npm start` servers (the built dist/src/server.js) on one PostgreSQL, fed patch mails at once,
// half to each, one killed with SIGKILL mid-way: every mail is reviewed, and recorded exactly once.
// The run is bench/replicas.ts (also `npm run replicas` on the 600 corpus mails); here it gets mails of
// our own, variants of the example patch, each with its own Message-ID and file.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../store/backends.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'nr-replicas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` patch mails: the example driver under `n` names, half of them with its bugs fixed away. */
function writeMails(n: number): void {
  const patch = readFileSync('examples/acme-new-driver.patch', 'utf8');
  for (let k = 0; k < n; k++) {
    let text = patch
      .replace('Subject: [PATCH net-next] net: ethernet: add Acme Fast Ethernet driver',
        `Message-ID: <acme-${k}@example.org>\nSubject: [PATCH net-next] net: ethernet: add Acme Fast Ethernet driver, model ${k}`)
      .replaceAll('acme/acme_eth.c', `acme/acme_eth${k}.c`);
    if (k % 2 === 1) text = text.replace('return -EBUSY;', 'return NETDEV_TX_BUSY;');
    writeFileSync(join(dir, `${String(k).padStart(4, '0')}.eml`), text);
  }
}

interface Report {
  ok: boolean;
  mails: number;
  accepted: number;
  stored: number;
  lost: number;
  unfinished: number;
  reviewedTwice: number;
  loggedTwice: number;
  states: Record<string, number>;
  killed: { server: string; reviewedBeforeKill: number } | null;
  perServer: { server: string; loggedReviews: number; exit: { code: number | null; signal: string | null } }[];
}

describe.skipIf(TEST_DATABASE_URL === undefined)('two servers on one PostgreSQL', () => {
  it('review every mail exactly once though one of them is killed mid-way', async () => {
    const total = 90;
    writeMails(total);
    const { stdout } = await run(
      process.execPath,
      ['dist/bench/replicas.js', dir, '--json', '--servers', '2', '--kill-after', '15', '--lease-ms', '2000', '--timeout-s', '120'],
      { env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL }, timeout: 180_000 },
    );
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as Report;
    expect(report).toMatchObject({ ok: true, mails: total, accepted: total, stored: total, lost: 0, unfinished: 0, reviewedTwice: 0, loggedTwice: 0 });
    expect(report.states).toEqual({ reviewed: total });
    expect(report.killed?.server).toBe('server 1');
    const [killed, survivor] = report.perServer;
    expect(killed!.exit.signal).toBe('SIGKILL');
    expect(survivor!.exit).toEqual({ code: 0, signal: null });
    // The survivor did the rest: what the killed one had claimed came back to it after the lease.
    expect(survivor!.loggedReviews).toBeGreaterThan(0);
    expect(killed!.loggedReviews + survivor!.loggedReviews).toBeLessThanOrEqual(total);
  }, 200_000);
});
