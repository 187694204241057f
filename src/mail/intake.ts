// Mail way in: `POST /mail` — verify the signature, bound the size, store the raw bytes durably, answer 202.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifySignature } from '../http/signature.js';
import { RawText } from '../ingest/raw-text.js';
import { messageIds } from '../ingest/mail-headers.js';
import { splitMbox } from '../ingest/mbox-split.js';
import type { Store } from '../store/store.js';
import { readBody, sendJson } from '../http/respond.js';

/** Default largest body accepted (a whole mbox of a long series fits; a mail bomb does not). */
export const DEFAULT_MAIL_MAX_BYTES = 25 * 1024 * 1024;

export interface IntakeOptions {
  store: Store;
  /** MAIL_WEBHOOK_SECRET: every request must be signed with it. */
  secret: string;
  maxBytes?: number;
  /** Told when new mails were stored (the worker wakes up). */
  onStored?: () => void;
}

const send = (res: ServerResponse, status: number, body: object): void => sendJson(res, status, body);

/** The Message-ID of a raw message (without angle brackets), read from its header block only. */
export function messageIdOf(raw: Buffer): string | null {
  // CRLF is made LF before looking for the blank line that ends the headers: a CRLF mail (as SMTP carries
  // it) has no `\n\n`, and a Message-ID line quoted in its body was taken for its own.
  const text = raw.subarray(0, 64 * 1024).toString('latin1').replace(/\r\n/g, '\n');
  const headEnd = text.indexOf('\n\n');
  const head = headEnd === -1 ? text : text.slice(0, headEnd);
  const m = /^message-id:([^\n]*(?:\n[ \t][^\n]*)*)/im.exec(head);
  // The value is read as ingest reads it (the first <id>, else a bare one), so `<<x>>` or `<x` give what the
  // triage of the same mail records, never an id with a bracket in it.
  return m ? (messageIds(m[1]!.replace(/\n[ \t]+/g, ' '))[0] ?? null) : null;
}

/** Handles `POST /mail`; answers every request itself (never throws to the server). */
export async function handleMailPost(req: IncomingMessage, res: ServerResponse, options: IntakeOptions): Promise<void> {
  const max = options.maxBytes ?? DEFAULT_MAIL_MAX_BYTES;
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > max) return send(res, 413, { error: `body larger than ${max} bytes` });
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'message/rfc822' && type !== 'application/mbox') {
    return send(res, 415, { error: 'send message/rfc822 (one mail) or application/mbox' });
  }
  const body = await readBody(req, max);
  if (!body) return send(res, 413, { error: `body larger than ${max} bytes` });
  // Nothing is stored before the signature is checked.
  if (!verifySignature(options.secret, body, req.headers['x-hub-signature-256'] as string | undefined)) {
    return send(res, 401, { error: 'missing or wrong X-Hub-Signature-256' });
  }
  if (body.length === 0) return send(res, 400, { error: 'empty body' });

  const messages = type === 'application/mbox' ? splitMessages(body) : [body];
  if (messages.length === 0) return send(res, 400, { error: 'no message in the mbox' });
  const ids: number[] = [];
  let created = 0;
  for (const raw of messages) {
    const put = await options.store.putMail(raw, messageIdOf(raw));
    ids.push(put.id);
    if (put.created) created++;
  }
  if (created > 0) options.onStored?.();
  if (type === 'message/rfc822') return send(res, created > 0 ? 202 : 200, { id: ids[0] });
  return send(res, created > 0 ? 202 : 200, { ids, created });
}

function splitMessages(body: Buffer): Buffer[] {
  const raw = new RawText(body);
  const spans = splitMbox(raw);
  // Spans are line ranges; the From_ separator line is mbox framing, not part of the message.
  return spans.map((s) => raw.slice(s.hasSeparator ? s.start + 1 : s.start, s.end)).filter((b) => b.toString('latin1').trim() !== '');
}
