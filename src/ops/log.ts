// Operations: the server's one logger — pino, JSON lines by default (LOG_FORMAT=pretty for Probot's
// human format), handed to Probot so its lines and ours share one stream and one redaction. What may
// never reach a log: secrets (the webhook secrets, tokens, the private key, database and SMTP passwords)
// and what outsiders sent (mail bodies, webhook payloads, patches).

import { getTransformStream } from '@probot/pino';
import pino, { type Logger } from 'pino';

/** What replaces a redacted value. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are never logged, wherever they appear in a log object (checked at every depth):
 * payloads and bodies from outside, and credentials by name.
 */
const SECRET_KEYS = new Set([
  'raw', 'body', 'payload', 'patch', 'diff', 'text', 'html',
  'authorization', 'x-hub-signature-256', 'x-hub-signature', 'cookie', 'set-cookie',
  'token', 'secret', 'password', 'privatekey', 'private_key', 'pem', 'jwt',
]);

/** Environment variables whose values are secrets: scrubbed from every string logged, keys or not. */
export const SECRET_ENV = [
  'WEBHOOK_SECRET', 'MAIL_WEBHOOK_SECRET', 'PRIVATE_KEY', 'PATCHWORK_TOKEN', 'REPLY_SEND_TOKEN',
  'GITHUB_TOKEN', 'NETDEV_REVIEW_TOKEN', 'SENTRY_DSN',
] as const;

/** Environment variables that are URLs which may carry a password (`user:password@host`). */
export const URL_ENV = ['DATABASE_URL', 'SMTP_URL', 'REDIS_URL'] as const;

/** Shorter values are not scrubbed from free text: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** The secret strings of `env`: secret variables whole, and the passwords inside URL variables. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  const add = (v: string | undefined): void => {
    if (v && v.length >= MIN_SECRET_LENGTH) values.add(v);
  };
  for (const name of SECRET_ENV) {
    const v = env[name]?.trim();
    add(v);
    // A PEM is logged, if ever, a line at a time (an error quoting the key file).
    if (v?.includes('-----BEGIN')) for (const line of v.split(/\r?\n/)) if (!line.startsWith('-----')) add(line.trim());
  }
  for (const name of URL_ENV) {
    const v = env[name];
    if (!v) continue;
    try {
      const url = new URL(v);
      add(decodeURIComponent(url.password));
      add(url.password);
    } catch {
      // Not a URL (a libpq key=value string): the whole value is the secret.
      add(v);
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  return [...values].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of a secret in `s`. */
function scrubString(s: string, secrets: readonly string[]): string {
  let out = s;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * A copy of `value` fit for a log: values under secret keys replaced, secrets scrubbed from strings,
 * Errors turned into plain objects (type, message, stack, own fields), cycles and depth bounded.
 */
export function redact(value: unknown, secrets: readonly string[], depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `${REDACTED} (${(value as Uint8Array).byteLength} bytes)`;
  if (seen.has(value)) return '[circular]';
  if (depth > 8) return '[deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, secrets, depth + 1, seen));
  const source: Record<string, unknown> = value instanceof Error
    ? { type: value.name, message: value.message, stack: value.stack, ...(value as unknown as Record<string, unknown>) }
    : (value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) {
    // Numbers and booleans under such keys (a body length, `token: false`) carry nothing secret.
    const hidden = SECRET_KEYS.has(k.toLowerCase()) && (typeof v === 'string' || typeof v === 'object') && v !== null;
    out[k] = hidden ? REDACTED : redact(v, secrets, depth + 1, seen);
  }
  return out;
}

/** Options of {@link createLogger}; by default they come from the environment. */
export interface LoggerOptions {
  env?: NodeJS.ProcessEnv;
  /** Where JSON lines go (default stdout); tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/**
 * The server's logger: level LOG_LEVEL (default info), JSON lines unless LOG_FORMAT=pretty, every
 * object and message redacted (see {@link redact}) before it is written.
 */
export async function createLogger(options: LoggerOptions = {}): Promise<Logger> {
  // (Callers log their own lines through `logger.child({ name: 'netdev-review' })`.)
  const env = options.env ?? process.env;
  const secrets = secretValues(env);
  const pretty = env.LOG_FORMAT === 'pretty';
  // Synchronous writes to stdout: a line logged just before a crash or process.exit is not lost.
  const destination = (options.destination ?? pino.destination({ fd: 1, sync: true })) as NodeJS.WritableStream;
  let stream = destination;
  if (pretty) {
    const transform = await getTransformStream({ logFormat: 'pretty', logLevelInString: env.LOG_LEVEL_IN_STRING === 'true' });
    transform.pipe(destination);
    stream = transform;
  }
  return pino(
    {
      // No name at the root: Probot names its child `probot`, and the server's own lines are the
      // `netdev-review` child (pino would otherwise write a second "name" into every Probot line).
      level: env.LOG_LEVEL || 'info',
      // `formatters.log` has already turned an Error into a redacted plain object; pino's own error
      // serializer would then re-describe it (type "Object"), so `err` passes through `redact` instead.
      serializers: { err: (e: unknown) => redact(e, secrets) },
      formatters: {
        // LOG_LEVEL_IN_STRING=true: "level":"info" rather than 30, for log stores that want words.
        ...(env.LOG_LEVEL_IN_STRING === 'true' && !pretty ? { level: (label: string) => ({ level: label }) } : {}),
        log: (object) => redact(object, secrets) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // Message strings and format arguments: the object (args[0] when it is one) is left to `formatters.log`.
          const cleaned = args.map((a) => (typeof a === 'string' ? scrubString(a, secrets) : a)) as Parameters<typeof method>;
          method.apply(this, cleaned);
        },
      },
    },
    stream as pino.DestinationStream,
  );
}
