// Server: HMAC-SHA256 signatures of request bodies, as GitHub sends them (`X-Hub-Signature-256: sha256=<hex>`).

import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header value for a body signed with `secret`. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when `header` is the signature of `body` under `secret` (constant-time compare). */
export function verifySignature(secret: string, body: Buffer | string, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
