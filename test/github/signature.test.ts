import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from '../../src/http/signature.js';

describe('webhook signatures', () => {
  it('accepts the signature of the exact body and nothing else', () => {
    const body = '{"action":"opened"}';
    const sig = signBody('s3cret', body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret', body, sig)).toBe(true);
    expect(verifySignature('s3cret', Buffer.from(body), sig.toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
    expect(verifySignature('other', body, sig)).toBe(false);
    expect(verifySignature('s3cret', body + ' ', sig)).toBe(false);
    expect(verifySignature('s3cret', body, undefined)).toBe(false);
    expect(verifySignature('s3cret', body, 'sha1=abc')).toBe(false);
    expect(verifySignature('s3cret', body, 'sha256=' + '0'.repeat(63))).toBe(false);
  });
});
