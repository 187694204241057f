// `npm start` (dist/src/server.js) with a store it cannot open: one clear line naming where it looked —
// never the password — and exit status 1, instead of a stack trace or a server that answers 503 forever.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm start with an unreachable DATABASE_URL', () => {
  it('exits 1 with one line saying which database, without its password', () => {
    const r = spawnSync(process.execPath, ['dist/src/server.js'], {
      env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://netdev:s3cret-pw@127.0.0.1:1/netdev_review', PORT: '0', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^netdev-review: cannot open the store \(PostgreSQL at 127\.0\.0\.1:1\/netdev_review\): .*ECONNREFUSED/);
    expect(r.stderr + r.stdout).not.toContain('s3cret-pw');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
