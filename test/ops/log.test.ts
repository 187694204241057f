// The server's logger (src/ops/log.ts) on a stream we read back: JSON lines, levels, and redaction of
// secrets (by key and by value, in objects, messages and errors) and of what outsiders sent.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redact, REDACTED, secretValues } from '../../src/ops/log.js';

const env = {
  WEBHOOK_SECRET: 'gh-webhook-secret-1',
  MAIL_WEBHOOK_SECRET: 'mail-webhook-secret-2',
  PATCHWORK_TOKEN: 'pw-token-3',
  DATABASE_URL: 'postgres://netdev:db%2Fpass%40word@db.example:5432/nr',
  SMTP_URL: 'smtp://bot:smtp-pass-4@mail.example:587',
  PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAx1y2z3abcdefghijklmnop\nqrstuvwxyz0123456789ABCDEFGHIJKLMNOP\n-----END RSA PRIVATE KEY-----',
  SHORT: 'x',
};

async function capture(extraEnv: NodeJS.ProcessEnv = {}) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += String(d)));
  const logger = await createLogger({ env: { ...env, ...extraEnv }, destination: out });
  return { logger, read: async () => (await new Promise((r) => setImmediate(r)), text) };
}

describe('secretValues', () => {
  it('collects secret variables, URL passwords (raw and decoded) and PEM lines, longest first', () => {
    const values = secretValues(env);
    expect(values).toEqual(expect.arrayContaining(['gh-webhook-secret-1', 'pw-token-3', 'db/pass@word', 'db%2Fpass%40word', 'smtp-pass-4', 'MIIEpAIBAAKCAQEAx1y2z3abcdefghijklmnop']));
    expect(values).not.toContain('x');
    expect(values.map((v) => v.length)).toEqual([...values.map((v) => v.length)].sort((a, b) => b - a));
  });

  it('takes a DATABASE_URL that is no URL as a secret whole', () => {
    expect(secretValues({ DATABASE_URL: 'host=db password=hunter22' })).toEqual(['host=db password=hunter22']);
  });
});

describe('redact', () => {
  it('hides values under secret or outside-content keys at any depth, and scrubs secrets from strings', () => {
    const secrets = secretValues(env);
    const input = {
      mail: 12,
      payload: { pull_request: { body: 'hi' } },
      nested: { headers: { authorization: 'token abc', 'X-Hub-Signature-256': 'sha256=00' }, raw: Buffer.from('mail bytes') },
      reason: 'connect to postgres://netdev:db%2Fpass%40word@db failed',
      list: ['ok', 'pw-token-3 leaked'],
      body: 1234,
    };
    expect(redact(input, secrets)).toEqual({
      mail: 12,
      payload: REDACTED,
      nested: { headers: { authorization: REDACTED, 'X-Hub-Signature-256': REDACTED }, raw: REDACTED },
      reason: `connect to postgres://netdev:${REDACTED}@db failed`,
      list: ['ok', `${REDACTED} leaked`],
      body: 1234,
    });
  });

  it('turns an Error into a plain object, scrubbed, with its own fields redacted too', () => {
    const err = Object.assign(new Error('smtp-pass-4 rejected'), { status: 401, request: { headers: { authorization: 'Bearer t' } } });
    const out = redact(err, secretValues(env)) as Record<string, unknown>;
    expect(out).toMatchObject({ type: 'Error', message: `${REDACTED} rejected`, status: 401, request: { headers: { authorization: REDACTED } } });
    expect(String(out.stack)).not.toContain('smtp-pass-4');
  });

  it('survives cycles and depth', () => {
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i++) deep = deep.next = {};
    expect(redact(a, [])).toEqual({ n: 1, self: '[circular]' });
    expect(JSON.stringify(redact(root, []))).toContain('[deep]');
  });
});

describe('createLogger', () => {
  it('writes JSON lines at LOG_LEVEL (default info) with nothing secret in them', async () => {
    const { logger, read } = await capture();
    const log = logger.child({ name: 'netdev-review' });
    log.debug('not shown at info');
    log.info({ mail: 3, raw: 'From: a\n\nMAIL BODY' }, 'mail gh-webhook-secret-1 stored');
    log.error({ err: new Error('token pw-token-3 refused') }, 'patchwork failed');
    log.warn(`key line MIIEpAIBAAKCAQEAx1y2z3abcdefghijklmnop in %s`, 'smtp-pass-4');
    const text = await read();
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.level)).toEqual([30, 50, 40]);
    expect(lines[0]).toMatchObject({ name: 'netdev-review', mail: 3, raw: REDACTED, msg: `mail ${REDACTED} stored` });
    expect(lines[1]).toMatchObject({ msg: 'patchwork failed', err: { type: 'Error', message: `token ${REDACTED} refused` } });
    expect(lines[2]!.msg).toBe(`key line ${REDACTED} in ${REDACTED}`);
    for (const s of ['gh-webhook-secret-1', 'pw-token-3', 'smtp-pass-4', 'MIIEpAIBAAKC', 'MAIL BODY']) expect(text).not.toContain(s);
  });

  it('writes the level as a word with LOG_LEVEL_IN_STRING=true', async () => {
    const { logger, read } = await capture({ LOG_LEVEL_IN_STRING: 'true' });
    logger.warn('w');
    expect(JSON.parse(await read())).toMatchObject({ level: 'warn', msg: 'w' });
  });

  it('honours LOG_LEVEL, and redacts in the pretty format too', async () => {
    const quiet = await capture({ LOG_LEVEL: 'warn' });
    quiet.logger.info('hidden');
    quiet.logger.warn('shown');
    expect((await quiet.read()).trim().split('\n')).toHaveLength(1);

    const pretty = await capture({ LOG_FORMAT: 'pretty' });
    pretty.logger.info({ payload: { a: 1 } }, 'delivery gh-webhook-secret-1');
    await new Promise((r) => setTimeout(r, 50));
    const text = await pretty.read();
    expect(text).toContain('delivery');
    expect(text).not.toContain('gh-webhook-secret-1');
    expect(() => JSON.parse(text)).toThrow();
  });
});
