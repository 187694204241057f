// Fuzz: small parsers of outside text — a stored mail's Message-ID, the hidden review markers, pull request URLs.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/finding.js';
import { parsePullUrl } from '../../src/github/pr-command.js';
import { commentBody, findingFingerprint, marker, MAX_COMMENT_BODY, parseMarker, parseMarkers, utf8Length } from '../../src/github/review-payload.js';
import { messageIdOf } from '../../src/mail/intake.js';
import { read } from './invariants.js';
import { patchMail } from './mail-arbitraries.js';
import { check, checkAsync, TEST_TIMEOUT } from './settings.js';
import { anyText, hostileText, longText } from './text-arbitraries.js';

const messageId = fc.stringMatching(/^[A-Za-z0-9.$+_=-]{1,20}@[a-z0-9.-]{1,15}$/);
const headerLine = fc.constantFrom('From: A <a@b.org>', 'Subject: [PATCH] x', 'To: netdev@vger.kernel.org', 'Received: from x\n\tby y', 'X-Long: a\n b\n c', 'Date: Tue, 4 Mar 2025 10:12:44 +0100');

/** The ways a Message-ID header is written: any case, folded, without brackets, with a comment after. */
const idHeader = fc
  .tuple(messageId, fc.constantFrom('Message-ID', 'Message-Id', 'message-id', 'MESSAGE-ID'), fc.constantFrom(': <%>', ':<%>', ':\n <%>', ':\t<%>', ': %', ': <%> (comment)', ':  <%>  '))
  .map(([id, name, shape]) => ({ id, line: `${name}${shape.replace('%', () => id)}` }));

/** A mail with (or without) a Message-ID among its headers, and a body that may quote another one. */
const mailWithId = fc
  .record({
    before: fc.array(headerLine, { maxLength: 3 }),
    after: fc.array(headerLine, { maxLength: 3 }),
    id: fc.option(idHeader, { freq: 4 }),
    body: fc.constantFrom('body\n', '\nMessage-ID: <quoted@elsewhere.org>\n', '> Message-ID: <q@x>\n', ''),
    crlf: fc.boolean(),
  })
  .map(({ before, after, id, body, crlf }) => {
    const text = `${[...before, ...(id ? [id.line] : []), ...after].join('\n')}\n\n${body}`;
    return { bytes: Buffer.from(crlf ? text.replace(/\n/g, '\r\n') : text, 'latin1'), id: id?.id ?? null };
  });

describe('fuzz: messageIdOf', () => {
  it('finds the Message-ID of the header block, and never one of the body', () => {
    check('intake/message-id', 1000, [mailWithId], ({ bytes, id }) => {
      expect(messageIdOf(bytes)).toBe(id);
    });
  }, TEST_TIMEOUT);

  it('gives null or a bare id for any bytes', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.tuple(hostileText(20), hostileText(20)).map(([a, b]) => Buffer.from(`Message-ID:${a}\n${b}`, 'utf8')),
      longText(200_000).map((t) => Buffer.from(`Subject: x\nMessage-ID: ${t}`, 'utf8')),
    );
    check('intake/message-id-any', 500, [bytes], (raw) => {
      const id = messageIdOf(raw);
      if (id !== null) expect(id).toMatch(/^[^<>\s]+$/);
    });
  }, TEST_TIMEOUT);

  it('agrees with ingest on the Message-ID of a generated patch mail', async () => {
    await checkAsync('intake/message-id-ingest', 150, [patchMail.filter((m) => m.layout !== 'attached-format-patch')], async (mail) => {
      const patches = await read(mail.bytes);
      if (!Array.isArray(patches)) throw patches;
      expect(messageIdOf(mail.bytes)).toBe(patches[0]!.messageId ?? null);
    });
  }, TEST_TIMEOUT);
});

const fingerprint = fc.stringMatching(/^[0-9a-f]{8,64}$/);
const ruleId = fc.stringMatching(/^[A-Za-z0-9_.-]{1,30}$/);

const finding: fc.Arbitrary<Finding> = fc.record(
  {
    ruleId: fc.constantFrom('netdev-free-api', 'xmit-busy', 'sleep-in-atomic-ndo'),
    severity: fc.constantFrom('error', 'warning', 'info'),
    file: anyText(20),
    line: fc.integer({ min: 1, max: 5000 }),
    message: anyText(40),
    doc: fc.constant({ section: 'lifetime' as const }),
    citation: fc.record({ section: anyText(20), url: anyText(20), docLabel: anyText(10) }),
    fix: fc.record({ line: fc.integer({ min: 1, max: 5000 }), endLine: fc.integer({ min: 1, max: 5000 }), replacement: anyText(40), description: anyText(20) }),
    chain: fc.array(anyText(15), { maxLength: 3 }),
    evidence: fc.constant([]),
    sourceLine: anyText(30),
  },
  { requiredKeys: ['ruleId', 'severity', 'file', 'line', 'message', 'doc', 'evidence'] },
);

describe('fuzz: parseMarker / parseMarkers', () => {
  it('reads back a marker on a line of its own, anywhere in any text', () => {
    check('markers/round-trip', 1000, [hostileText(60), fingerprint, ruleId, hostileText(60), fc.constantFrom('\n', '\r\n')], (before, fp, rule, after, eol) => {
      const body = `${before}\n${marker(fp, rule)}${eol}${after}`;
      expect(parseMarkers(body)).toContainEqual({ fingerprint: fp, rule });
      // The last marker wins; text after this one holds one only by chance.
      if (parseMarkers(after).length === 0) expect(parseMarker(body)).toEqual({ fingerprint: fp, rule });
    });
  }, TEST_TIMEOUT);

  it('reads only well-formed markers from any text', () => {
    check('markers/any', 1000, [fc.oneof(hostileText(100), longText(100_000))], (text) => {
      for (const m of parseMarkers(text)) {
        expect(m.fingerprint).toMatch(/^[0-9a-f]{8,64}$/);
        expect(m.rule).toMatch(/^[A-Za-z0-9_.-]+$/);
      }
    });
  }, TEST_TIMEOUT);

  it('finds in a comment body exactly its own marker, whatever the finding says', () => {
    check('markers/comment-body', 400, [finding, fc.boolean(), fc.option(anyText(20), { nil: undefined })], (f, suggestion, rulesDocBase) => {
      const body = commentBody(f, { suggestion, ...(rulesDocBase !== undefined ? { rulesDocBase } : {}) });
      expect(utf8Length(body)).toBeLessThanOrEqual(MAX_COMMENT_BODY);
      expect(parseMarker(body)).toEqual({ fingerprint: findingFingerprint(f, f.file), rule: f.ruleId });
      // Escaped text cannot forge a marker; only a suggestion (the fix's own code, in a fence) is left raw.
      if (!suggestion) expect(parseMarkers(body)).toHaveLength(1);
    });
  }, TEST_TIMEOUT);
});

const host = fc.oneof(fc.constant('github.com'), fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z0-9]{1,8}){1,3}(:[0-9]{2,5})?$/));
const owner = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/);
const repo = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/).filter((r) => r !== '.' && r !== '..');

describe('fuzz: parsePullUrl', () => {
  it('reads back the parts of a pull request URL', () => {
    const url = fc.record({
      scheme: fc.constantFrom('https', 'http'),
      host,
      owner,
      repo,
      number: fc.integer({ min: 1, max: 2 ** 31 }),
      suffix: fc.constantFrom('', '/', '/files', '/commits/0123abc', '?w=1', '#discussion_r123', '/files#diff-abc'),
      space: fc.constantFrom('', ' ', '\n', '\t '),
    });
    check('pr-url/round-trip', 1000, [url], (u) => {
      const text = `${u.space}${u.scheme}://${u.host}/${u.owner}/${u.repo}/pull/${u.number}${u.suffix}${u.space}`;
      expect(parsePullUrl(text)).toEqual({ host: u.host, owner: u.owner, repo: u.repo, number: u.number });
    });
  }, TEST_TIMEOUT);

  it('gives undefined or sane parts for any text', () => {
    const piece = fc.oneof(fc.constantFrom('github.com', 'a', 'pull', '1', '0', '?', '#', '@', ':', ' ', '..', '%2F', 'user:pw@x', 'a?b', 'a#b', 'a b', '-'), hostileText(4));
    const shaped = fc
      .record({
        scheme: fc.constantFrom('https://', 'http://', 'HTTPS://', 'ftp://', ''),
        parts: fc.array(fc.array(piece, { minLength: 1, maxLength: 3 }).map((p) => p.join('')), { minLength: 3, maxLength: 3 }),
        number: fc.constantFrom('1', '0', '00', '42', '99999999999999999999', '9007199254740993', '-1', '1e3', ''),
        suffix: fc.constantFrom('', '/', '/files', '?x', '#y', 'x'),
      })
      .map(({ scheme, parts, number, suffix }) => `${scheme}${parts[0]}/${parts[1]}/${parts[2]}/pull/${number}${suffix}`);
    check('pr-url/any', 1000, [fc.oneof(shaped, hostileText(80))], (text) => {
      const parts = parsePullUrl(text);
      if (parts === undefined) return;
      expect(Number.isSafeInteger(parts.number) && parts.number >= 1, `number ${parts.number}`).toBe(true);
      expect(parts.host).toMatch(/^[^/?#@\s]+$/);
      for (const name of [parts.owner, parts.repo]) expect(name).toMatch(/^[A-Za-z0-9_.-]+$/);
    });
  }, TEST_TIMEOUT);
});
