// The README's settings table against the code: every environment variable the code reads (ours in
// src/ and bin/, and the ones we hand to Probot) has a row, every row is read somewhere, and the
// defaults the table gives are the code's own.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEND_ENV } from '../../src/mail/send-reply.js';
import { DEFAULT_MAIL_MAX_BYTES } from '../../src/mail/intake.js';
import { DEFAULT_LEASE_MS } from '../../src/mail/worker.js';
import { DEFAULT_REPLY_FROM } from '../../src/mail/triage-routes.js';
import { DEFAULT_REVIEW_MEMORY_MB, DEFAULT_REVIEW_TIMEOUT_MS } from '../../src/review/pool.js';

/** Settings Probot reads for us (createProbot and @probot/get-private-key), which the server relies on. */
const PROBOT_ENV = ['APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH', 'WEBHOOK_SECRET', 'GHE_HOST', 'GHE_PROTOCOL'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|js)$/.test(name) ? [p] : [];
  });
}

/** Variable names read as `env.NAME` or `env['NAME']` (process.env, or an env passed in). */
function readInCode(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of [...sources('src'), ...sources('bin')]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g)) {
      const name = (m[1] ?? m[2])!;
      found.set(name, [...(found.get(name) ?? []), file]);
    }
  }
  for (const name of SEND_ENV) found.set(name, [...(found.get(name) ?? []), 'src/mail/send-reply.ts (SEND_ENV)']);
  return found;
}

interface Row {
  name: string;
  default: string;
  meaning: string;
}

function table(): Row[] {
  const readme = readFileSync('README.md', 'utf8');
  const block = readme.slice(readme.indexOf('<!-- settings:start -->'), readme.indexOf('<!-- settings:end -->'));
  expect(block.length).toBeGreaterThan(100);
  return block
    .split('\n')
    .filter((l) => /^\| `/.test(l))
    .map((l) => {
      const [name, def, meaning] = l.split(/\s*\|\s*/).slice(1, 4);
      return { name: name!.replace(/`/g, ''), default: def!, meaning: meaning! };
    });
}

describe('README settings table', () => {
  const rows = table();
  const byName = new Map(rows.map((r) => [r.name, r]));

  it('has one row per setting, each with a default and a meaning', () => {
    expect(rows.length).toBeGreaterThan(20);
    expect(byName.size).toBe(rows.length);
    for (const r of rows) {
      expect(r.name, JSON.stringify(r)).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(r.default, r.name).not.toBe('');
      expect(r.meaning.length, r.name).toBeGreaterThan(10);
    }
  });

  it('lists every variable the code reads', () => {
    const missing = [...readInCode()].filter(([name]) => !byName.has(name)).map(([name, files]) => `${name} (${files.join(', ')})`);
    expect(missing).toEqual([]);
    for (const name of PROBOT_ENV) expect(byName.has(name), name).toBe(true);
  });

  it('lists nothing the code does not read', () => {
    const read = readInCode();
    const probotSource = [...sources('node_modules/probot/lib'), ...sources('node_modules/@probot/get-private-key')]
      .map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const name of PROBOT_ENV) expect(probotSource, `Probot reads ${name}`).toContain(name);
    const extra = rows.map((r) => r.name).filter((n) => !read.has(n) && !PROBOT_ENV.includes(n));
    expect(extra).toEqual([]);
  });

  it("gives the code's defaults", () => {
    const server = readFileSync('src/server.ts', 'utf8');
    expect(byName.get('PORT')!.default).toBe('`3000`');
    expect(server).toContain('Number(env.PORT ?? 3000)');
    expect(byName.get('HOST')!.default).toBe('`0.0.0.0`');
    expect(server).toContain("env.HOST ?? '0.0.0.0'");
    expect(byName.get('MAIL_MAX_BYTES')!.default).toContain(`\`${DEFAULT_MAIL_MAX_BYTES}\``);
    expect(byName.get('MAIL_LEASE_MS')!.default).toBe(`\`${DEFAULT_LEASE_MS}\``);
    expect(DEFAULT_REPLY_FROM).toContain(byName.get('SMTP_FROM')!.default.match(/`([^`]+)`/)![1]);
    expect(byName.get('DATA_DIR')!.default).toContain('`./data`');
    expect(readFileSync('src/store/open.ts', 'utf8')).toContain("'./data'");
    expect(byName.get('REVIEW_TIMEOUT_MS')!.default).toBe(`\`${DEFAULT_REVIEW_TIMEOUT_MS}\``);
    expect(byName.get('REVIEW_MEMORY_MB')!.default).toBe(`\`${DEFAULT_REVIEW_MEMORY_MB}\``);
    expect(byName.get('LOG_LEVEL')!.default).toBe('`info`');
    expect(readFileSync('src/ops/log.ts', 'utf8')).toContain("env.LOG_LEVEL || 'info'");
  });
});
