// Mail stage: optional sending of a reply draft over SMTP. Off unless SMTP_URL, SMTP_ALLOW and
// REPLY_SEND_TOKEN are all set (plus SMTP_FROM); then POST /api/triage/patch/:mailId/send mails the
// same draft GET …/reply.eml serves, to the draft's recipients that are on the allow-list only.

import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTransport } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type { Store } from '../store/store.js';
import { draftFor } from './triage-routes.js';
import { sendJson } from '../http/respond.js';

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
type Log = { info(obj: object | string, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

/** The variables that must all be set for sending to be on. */
export const SEND_ENV = ['SMTP_URL', 'SMTP_ALLOW', 'REPLY_SEND_TOKEN'] as const;
export const SEND_PATH = /^\/api\/triage\/patch\/(\d+)\/send$/;

export interface SendConfig {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; query options (`?ignoreTLS=true`) are nodemailer's. */
  url: string;
  /** Lower-cased addresses (`a@b.org`) and domains (`@b.org`). */
  allow: string[];
  token: string;
  /** `Name <addr>`: the draft's `From:` and, its address, the envelope sender. */
  from: string;
  /** Addresses the draft copies (REPLY_CC); they are still only sent to when allowed. */
  cc?: string[];
  /** Extra transport options (tests: `{ ignoreTLS: true }`). */
  transport?: Partial<SMTPTransportOptions>;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Sending config from the environment: undefined (off) unless SMTP_URL, SMTP_ALLOW and
 * REPLY_SEND_TOKEN are all set. `missing` names the unset ones when only some are set, so the
 * server can warn; a set but broken value (no SMTP_FROM, bad URL, bad allow entry) throws.
 */
export function sendConfigFromEnv(env: NodeJS.ProcessEnv): { config?: SendConfig; missing: string[] } {
  const missing = SEND_ENV.filter((k) => !env[k]);
  if (missing.length > 0) return { missing: missing.length === SEND_ENV.length ? [] : missing };
  if (!env.SMTP_FROM) throw new Error('SMTP_FROM is not set: sending replies needs a From address (Name <addr>)');
  const allow = list(env.SMTP_ALLOW).map((a) => a.toLowerCase());
  for (const a of allow) if (!/^[^@\s]*@[^@\s]+$/.test(a)) throw new Error(`SMTP_ALLOW entry "${a}" is neither an address nor @domain`);
  if (allow.length === 0) throw new Error('SMTP_ALLOW lists no address');
  let parsed: URL;
  try {
    parsed = new URL(env.SMTP_URL ?? '');
  } catch {
    throw new Error('SMTP_URL is not a URL (smtp://user:pass@host:587)');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  return { config: { url: env.SMTP_URL ?? '', allow, token: env.REPLY_SEND_TOKEN ?? '', from: env.SMTP_FROM, cc: list(env.REPLY_CC) }, missing: [] };
}

/** The SMTP server without credentials, for logs. */
export function describeSmtp(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/** Case-insensitive: `a@b.org` matches itself, `@b.org` matches any address at exactly b.org. */
export function isAllowed(address: string, allow: readonly string[]): boolean {
  const a = address.trim().toLowerCase();
  const domain = a.slice(a.lastIndexOf('@'));
  return allow.some((entry) => (entry.startsWith('@') ? entry === domain : entry === a));
}

function bareAddresses(value: string): string[] {
  return addressparser(value, { flatten: true }).map((a) => a.address).filter((a): a is string => !!a && a.includes('@'));
}

/** The header block of a draft, folded lines joined. */
function headerFields(eml: string): { name: string; value: string }[] {
  const head = eml.slice(0, eml.search(/\r?\n\r?\n/) >>> 0).split(/\r?\n/);
  const out: { name: string; value: string }[] = [];
  for (const l of head) {
    if (/^[ \t]/.test(l) && out.length > 0) out[out.length - 1]!.value += ` ${l.trim()}`;
    else {
      const i = l.indexOf(':');
      if (i > 0) out.push({ name: l.slice(0, i).toLowerCase(), value: l.slice(i + 1).trim() });
    }
  }
  return out;
}

/** `To:` and `Cc:` addresses of a draft, each once (case-insensitively), in order. */
export function draftRecipients(eml: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const h of headerFields(eml)) {
    if (h.name !== 'to' && h.name !== 'cc') continue;
    for (const a of bareAddresses(h.value)) {
      if (seen.has(a.toLowerCase())) continue;
      seen.add(a.toLowerCase());
      out.push(a);
    }
  }
  return out;
}

const addressOf = (a: unknown): string => (typeof a === 'string' ? a : String((a as { address?: unknown }).address));

function sameToken(given: string, expected: string): boolean {
  // Hashing first makes both sides 32 bytes, so the comparison neither fails early nor leaks the length.
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(expected));
}

const json = (res: ServerResponse, status: number, body: unknown): void => sendJson(res, status, body, { pretty: true });

/** Adds what a mail client stamps on sending (Message-ID, Date) and makes line ends CRLF. */
function stamp(eml: string, messageId: string, date: Date): string {
  const cut = eml.indexOf('\n\n');
  const head = `${eml.slice(0, cut)}\nDate: ${date.toUTCString().replace('GMT', '+0000')}\nMessage-ID: <${messageId}>`;
  return `${head}${eml.slice(cut)}`.replace(/\r?\n/g, '\r\n');
}

/**
 * POST /api/triage/patch/:mailId/send. With no config, the route only answers 404 "sending is off".
 * A draft is sent at most once per process (a second POST gets 409); a failed send may be retried.
 */
export function sendRoutes(store: Store, config: SendConfig | undefined, log: Log): Route[] {
  if (!config) {
    return [
      async (_req, res, url) => {
        if (!SEND_PATH.test(url.pathname)) return false;
        json(res, 404, { error: `sending replies is off: set ${SEND_ENV.join(', ')} and SMTP_FROM to enable it (GET …/reply.eml gives the draft to send yourself)` });
        return true;
      },
    ];
  }
  const transport = createTransport({ url: config.url, logger: false, ...config.transport });
  const secrets = (() => {
    const u = new URL(config.url);
    return [config.url, decodeURIComponent(u.password), u.password].filter((s) => s.length >= 3);
  })();
  const redact = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const envelopeFrom = bareAddresses(config.from)[0];
  if (!envelopeFrom) throw new Error('SMTP_FROM holds no address');
  const domain = envelopeFrom.slice(envelopeFrom.lastIndexOf('@') + 1);
  const sent = new Map<number, { messageId: string; at: string }>();
  const sending = new Set<number>();

  return [
    async (req, res, url) => {
      const m = SEND_PATH.exec(url.pathname);
      if (!m) return false;
      const auth = req.headers.authorization ?? '';
      const bearer = /^Bearer (.+)$/.exec(auth)?.[1] ?? '';
      if (!sameToken(bearer, config.token)) {
        json(res, 401, { error: 'Authorization: Bearer <REPLY_SEND_TOKEN> required' });
        return true;
      }
      const mailId = Number(m[1]);
      const draft = await draftFor(store, mailId, { from: config.from, cc: config.cc });
      if (!draft) {
        json(res, 404, { error: 'no reviewed patch with findings under that id' });
        return true;
      }
      const before = sent.get(mailId);
      if (before || sending.has(mailId)) {
        json(res, 409, { error: before ? 'this reply was already sent' : 'this reply is being sent', ...before });
        return true;
      }
      const recipients = draftRecipients(draft.eml);
      const allowed = recipients.filter((a) => isAllowed(a, config.allow));
      const dropped = recipients.filter((a) => !isAllowed(a, config.allow));
      if (allowed.length === 0) {
        json(res, 403, { error: 'none of the draft\'s recipients is on SMTP_ALLOW: nothing sent', dropped });
        return true;
      }
      const messageId = `${randomUUID()}@${domain}`;
      sending.add(mailId);
      try {
        const info = await transport.sendMail({ envelope: { from: envelopeFrom, to: allowed }, raw: stamp(draft.eml, messageId, new Date()) });
        const accepted = (info.accepted as unknown[]).map(addressOf);
        const rejected = (info.rejected as unknown[]).map(addressOf);
        sent.set(mailId, { messageId, at: new Date().toISOString() });
        log.info({ mailId, messageId, sent: accepted, rejected, dropped }, 'reply sent');
        json(res, 200, { sent: accepted, ...(rejected.length > 0 ? { rejected } : {}), dropped, messageId });
      } catch (error: unknown) {
        const e = error as { message?: string; code?: string; responseCode?: number };
        const reason = redact(e.message ?? String(error));
        log.error({ mailId, code: e.code, responseCode: e.responseCode, error: reason }, 'reply not sent');
        json(res, 502, { error: `the SMTP server did not take the reply: ${reason}` });
      } finally {
        sending.delete(mailId);
      }
      return true;
    },
  ];
}
