// The load test (bench/load.ts, `npm run load`) in small: the built server, a GitHub stand-in with several
// installations, pull_request deliveries (some redelivered) and patch mails in one burst — nothing lost,
// nothing reviewed twice, every health check answered, and the server stops cleanly afterwards.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface LoadReport {
  ok: boolean;
  accepted: { pulls: number; mails: number };
  reviewed: { pulls: number; mails: number; mailsFailed: number };
  lost: { pulls: number; mails: number };
  duplicated: { reviews: number; checkRuns: number; mails: number };
  health: { checks: number; failed: number };
  latencyMs: { pullP50: number; mailP50: number };
  peakRssMb: { server: number; withReviewProcesses: number };
  serverExit: { code: number | null };
  http: Record<string, number>;
}

describe('npm run load, in small', () => {
  it('20 deliveries over 4 installations (+4 redelivered) and 30 mails at once: nothing lost or doubled, health answered', async () => {
    const { stdout } = await run(
      process.execPath,
      // No corpus: the mails are variants of the example patch (a directory that does not exist).
      ['dist/bench/load.js', '--json', '--prs', '20', '--installations', '4', '--redeliver', '0.2', '--mails', '30', '--mail-dir', '/nonexistent', '--timeout-s', '120'],
      { timeout: 180_000 },
    );
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as LoadReport;
    expect(report).toMatchObject({
      ok: true,
      accepted: { pulls: 20, mails: 30 },
      reviewed: { pulls: 20, mails: 30, mailsFailed: 0 },
      lost: { pulls: 0, mails: 0 },
      duplicated: { reviews: 0, checkRuns: 0, mails: 0 },
      health: { failed: 0 },
      serverExit: { code: 0 },
    });
    // The redeliveries were accepted (200) and ignored, not reviewed again.
    expect(report.http['pull 200']).toBe(24);
    expect(report.health.checks).toBeGreaterThan(0);
    expect(report.peakRssMb.withReviewProcesses).toBeGreaterThanOrEqual(report.peakRssMb.server);
  }, 200_000);
});
