// Fuzz: mail / mbox / patch ingest — any bytes give Patch[] or an InputError; generated mails read back whole.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Patch } from '../../src/ingest/patch.js';
import { mangledDiff, noiseDiff, wellFormedDiff } from './diff-arbitraries.js';
import { mutatedBytes, noisyMail, patchMail, patchMbox, type GenMail } from './mail-arbitraries.js';
import { CAMPAIGN, checkAsync, TEST_TIMEOUT } from './settings.js';
import { InputError } from '../../src/ingest/read-input.js';
import { expectSanePatches, read } from './invariants.js';
import { hostileText } from './text-arbitraries.js';

/** Text made of diff, mail and mbox pieces, so raw text reaches past the first checks. */
const mailish: fc.Arbitrary<Buffer> = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'From 5d3f1a2b9c8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f Mon Sep 17 00:00:00 2001\n',
        'From - Thu Jan 15 09:06:25 2026\n',
        'From: A <a@b>\n',
        'Subject: [PATCH net 1/2] x\n',
        'Subject: =?UTF-8?B?W1BBVENIXSB4?=\n',
        'Message-ID: <a@b>\n',
        'Content-Type: multipart/mixed; boundary=b\n',
        'Content-Transfer-Encoding: base64\n',
        'Content-Type: text/plain; charset=iso-8859-1\n',
        '\n',
        '\r\n',
        '--b\n',
        '--b--\n',
        '---\n',
        '-- \n2.43.0\n',
        '>From x\n',
        'The following changes since commit 0123456789abcdef:\n',
        'are available in the Git repository at:\n',
        '> @@ -1 +1 @@\n',
        '\ufeff',
        'Index: a.c\n' + '='.repeat(67) + '\n',
      ),
      wellFormedDiff.map((d) => d.text),
      mangledDiff,
      noiseDiff.map((t) => `${t}\n`),
      hostileText(30),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'utf8'));

/** A patch mail with one very long field: a header value, a body line, a diff or hunk-header line. */
const longFieldMail: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.constantFrom(' ', '\t', 'a', '[a] ', '=?UTF-8?B?w6k=?= ', '<a', '> ', '-- ', '@@ ', ';a="', ' b/', '\r', '=2', 'From ', 'a,'),
    fc.integer({ min: 1000, max: 200_000 }),
    fc.nat({ max: 8 }),
  )
  .map(([piece, n, field]) => {
    const x = piece.repeat(Math.max(1, Math.floor(n / piece.length)));
    const at = (k: number): string => (k === field ? x : 'x');
    return Buffer.from(
      `From: A <a@b.org>\nSubject: [PATCH net 1/2] ${at(0)}\nMessage-ID: <${at(1)}@b>\nReferences: ${at(2)}\nContent-Type: text/plain; ${at(3)}\n\n` +
        `${at(4)}\nSigned-off-by: ${at(5)}\n---\ndiff --git a/${at(6)} b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@ ${at(7)}\n-${at(8)}\n+y\n z\n`,
    );
  });

const rawBytes = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
  // Without NUL, so more than the binary check is reached.
  fc.uint8Array({ min: 1, max: 255, maxLength: 600 }).map((a) => Buffer.from(a)),
  fc.constantFrom(Buffer.of(0xef, 0xbb, 0xbf), Buffer.of(0xff, 0xfe, 0x41, 0), Buffer.from(' \n\t\r\f'), Buffer.alloc(0)),
);

/** Real mails and patches from ../shared/corpus, mutated, in a campaign only and only when the folder is there. */
function corpusSample(): fc.Arbitrary<Buffer> | undefined {
  const root = join(process.cwd(), '..', 'shared', 'corpus');
  if (!CAMPAIGN || !existsSync(root)) return undefined;
  const files = ['mails', 'patches'].flatMap((dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((f) => join(root, dir, f)) : []));
  if (files.length === 0) return undefined;
  return fc.constantFrom(...files).map((file) => readFileSync(file));
}

function expectMail(mail: GenMail, patch: Patch): void {
  const { expected } = mail;
  expect(patch.kind).toBe(expected.kind);
  expect(patch.subject).toBe(expected.subject);
  expect(patch.from).toBe(expected.from);
  // A format-patch attached to a mail is read as the mail it is; the carrier's Message-ID is not its own.
  expect(patch.messageId).toBe(expected.messageId);
  expect(patch.diff).toBe(expected.diff);
  expect(patch.description).toBe(expected.description);
  expect(patch.trailers.signedOffBy).toEqual(expected.signedOffBy);
  expect(patch.trailers.fixes).toEqual(expected.fixes);
  expect(patch.tags.index).toBe(expected.index);
}

describe('fuzz: readPatches', () => {
  it('reads a generated mail (any encoding, charset, layout, line ends) back whole', async () => {
    await checkAsync('ingest/mail', 300, [patchMail], async (mail) => {
      const out = await read(mail.bytes);
      expectSanePatches(mail.bytes, out);
      if (out instanceof InputError) throw out;
      expect(out).toHaveLength(1);
      expectMail(mail, out[0]!);
      // A plain 8-bit body is read in place: its diff line numbers are the file's.
      if (mail.layout === 'inline' && mail.encoding !== 'quoted-printable' && mail.encoding !== 'base64' && mail.charset !== 'iso-8859-1') {
        expect(out[0]!.notes.some((n) => n.startsWith('diffStartLine is approximate'))).toBe(false);
      }
    });
  }, TEST_TIMEOUT);

  it('reads every mail of a generated mbox, in order', async () => {
    await checkAsync('ingest/mbox', 150, [patchMbox], async ({ bytes, mails }) => {
      const out = await read(bytes);
      expectSanePatches(bytes, out);
      if (out instanceof InputError) throw out;
      expect(out).toHaveLength(mails.length);
      mails.forEach((mail, i) => expectMail(mail, out[i]!));
    });
  }, TEST_TIMEOUT);

  it('gives Patch[] or an InputError for mail-shaped noise and mutated mails', async () => {
    const corpus = corpusSample();
    const inputs = fc.oneof(
      noisyMail,
      mutatedBytes(noisyMail),
      mutatedBytes(patchMail.map((m) => m.bytes)),
      mutatedBytes(patchMbox.map((m) => m.bytes)),
      ...(corpus ? [mutatedBytes(corpus)] : []),
    );
    await checkAsync('ingest/noisy-mail', 300, [inputs], async (bytes) => {
      expectSanePatches(bytes, await read(bytes));
    });
  }, TEST_TIMEOUT);

  it('gives Patch[] or an InputError for any bytes', async () => {
    const inputs = fc.oneof({ arbitrary: fc.oneof(rawBytes, mailish, mutatedBytes(mailish)), weight: 20 }, { arbitrary: longFieldMail, weight: 1 });
    await checkAsync('ingest/bytes', 400, [inputs], async (bytes) => {
      expectSanePatches(bytes, await read(bytes));
    });
  }, TEST_TIMEOUT);
});
