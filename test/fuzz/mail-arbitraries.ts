// Fuzz generators: mails, format-patch files and mboxes — encoded (QP, base64, 8bit, charsets), CRLF or LF,
// multipart, attached patches — with what reading them must give; and MIME-shaped noise for the deep paths.

import fc from 'fast-check';
import { wellFormedDiff, mangledDiff, noiseDiff } from './diff-arbitraries.js';
import { taggedSubject } from './subject-arbitraries.js';
import { hostileText } from './text-arbitraries.js';

// --- encoders (written for these tests; decoding is what is under test) --------------------------------

/** Quoted-printable (RFC 2045 §6.7) of text whose lines end in `\n`: hard breaks kept, soft breaks at 76. */
export function encodeQuotedPrintable(bytes: Buffer): string {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(0x0a, start);
    const line = bytes.subarray(start, nl === -1 ? bytes.length : nl);
    // `From ` opening a line is encoded (=46) as mailers do, so no mbox reader takes it for a separator.
    const fromLine = line.subarray(0, 5).toString('latin1') === 'From ';
    const tokens = [...line].map((b, i) => {
      const last = i === line.length - 1;
      if (i === 0 && fromLine) return '=46';
      if ((b === 0x20 || b === 0x09) && !last) return String.fromCharCode(b);
      if (b >= 33 && b <= 126 && b !== 0x3d) return String.fromCharCode(b);
      return `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    });
    let out = '';
    for (const token of tokens) {
      if (out.length + token.length > 75) {
        lines.push(`${out}=`);
        out = '';
      }
      out += token;
    }
    lines.push(out);
    if (nl === -1) break;
    start = nl + 1;
  }
  return lines.join('\n');
}

/** Base64 in lines of 76. */
export function encodeBase64(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? ['']).join('\n');
}

/** RFC 2047 encoded-words for a header value, split at code points into words of a few characters. */
export function encodeWords(text: string, mode: 'B' | 'Q', size: number, fold: boolean): string {
  const chars = [...text];
  const words: string[] = [];
  for (let i = 0; i < chars.length; i += size) {
    const bytes = Buffer.from(chars.slice(i, i + size).join(''), 'utf8');
    const payload =
      mode === 'B'
        ? bytes.toString('base64')
        : [...bytes].map((b) => (b === 0x20 ? '_' : /[A-Za-z0-9!*+\-/]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
    words.push(`=?UTF-8?${mode}?${payload}?=`);
  }
  return words.join(fold ? '\n ' : ' ');
}

/** Folds a header value at single spaces between words, as mailers do past 78 columns. */
function fold(value: string, every: number): string {
  if (every <= 0) return value;
  let count = 0;
  return value.replace(/(?<=\S) (?=\S)/g, () => (++count % every === 0 ? '\n ' : ' '));
}

// --- well-formed mails, with what they hold --------------------------------------------------------

export type Encoding = '7bit' | '8bit' | 'quoted-printable' | 'base64' | 'none';
export type Layout = 'inline' | 'multipart-inline' | 'attachment' | 'attached-format-patch';

/** A generated mail and what readPatches must give for it. */
export interface GenMail {
  bytes: Buffer;
  expected: {
    subject: string;
    from: string;
    messageId: string;
    kind: 'patch' | 'reply' | 'cover-letter';
    description: string;
    diff: string;
    signedOffBy: string[];
    fixes: string[];
    index?: number;
  };
  layout: Layout;
  encoding: Encoding;
  charset: string | null;
  crlf: boolean;
  [fc.toStringMethod]: () => string;
}

const DESCRIPTION_LINES = [
  'acme_remove() frees the net_device with kfree(); use free_netdev().',
  'While here, stop the queue before the ring is refilled.',
  'Tested on an ACME 9000 with 4 queues.',
  '  indented: with two spaces',
  '\tindented with a tab',
  'a = b; // an equals sign, which QP must escape',
  'trailing blanks   ',
  'ß, é, ü, and ñ (Latin-1)',
  'From the start, this was wrong.',
  'Reported-by: Sam Tester <sam@example.org>',
  'Link: https://lore.kernel.org/netdev/20250101.123-1-a@b.org/',
  `${'x'.repeat(120)} (a long line)`,
];

/** A description line: never one the body splitter reads as a separator, diff, trailer, quote or in-body header. */
const descriptionLine: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...DESCRIPTION_LINES), weight: 2 },
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
    .filter((line) => !/[\r\n\u2028\u2029\u0085\f\v]/.test(line) && !/^(?:\s|-|\+|@|diff |Index: |>|From:|Subject:|Date:|signed-off-by:|fixes:|base-commit:)/i.test(line)),
);

const identity = fc.record({
  name: fc.oneof(fc.constantFrom('Jane Developer', 'Zoë Martín', 'Jörg Müller', '山田太郎', 'O\'Brien, Pat'), fc.stringMatching(/^[A-Z][a-z]{1,8} [A-Z][a-z]{1,8}$/)),
  address: fc.stringMatching(/^[a-z][a-z0-9.]{0,10}@[a-z]{2,8}\.(?:org|com|de)$/),
});

const messageIdArb = fc.stringMatching(/^[0-9]{8}\.[0-9]{1,6}-[0-9]{1,3}-[a-z.]{1,12}@[a-z]{2,10}\.(?:org|com)$/);

const FROM_LINE = 'From 5d3f1a2b9c8e7d6f5a4b3c2d1e0f9a8b7c6d5e4f Mon Sep 17 00:00:00 2001';

interface MailParts {
  subject: { subject: string; expected: { isReply: boolean; index?: number } };
  author: { name: string; address: string };
  messageId: string;
  description: string[];
  fixes: string[];
  signers: { name: string; address: string }[];
  diff: string;
  layout: Layout;
  encoding: Encoding;
  charsetChoice: 'utf-8' | 'UTF-8' | 'us-ascii' | 'iso-8859-1' | 'none';
  subjectEncoding: 'raw' | 'B' | 'Q' | 'folded';
  wordSize: number;
  foldEvery: number;
  crlf: boolean;
  extraHeaders: string[];
  headerCase: boolean;
  alphabet: 'ascii' | 'latin1' | 'unicode';
}

const EXTRA_HEADERS = [
  'To: netdev@vger.kernel.org',
  'Cc: Andrew Lunn <andrew@lunn.ch>,\n Jakub Kicinski <kuba@kernel.org>,\n\tPaolo Abeni <pabeni@redhat.com>',
  'X-Mailer: git-send-email 2.43.0',
  'Received: from mail.example.org (mail.example.org [192.0.2.1])\n\tby smtp.kernel.org (Postfix) with ESMTPS id 4AB12C4CEE3;\n\tTue,  4 Mar 2025 09:12:44 +0000 (UTC)',
  'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=kernel.org;\n\tb=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/',
  'List-Id: <netdev.vger.kernel.org>',
  'Precedence: bulk',
  'X-Patchwork-Delegate: kuba@kernel.org',
  'In-Reply-To: <20250101.1-0-a@b.org>',
  'References: <20250101.1-0-a@b.org>\n <20250101.1-1-a@b.org>',
];

const mailParts: fc.Arbitrary<MailParts> = fc.record({
  subject: taggedSubject,
  author: identity,
  messageId: messageIdArb,
  description: fc.array(fc.oneof(descriptionLine, fc.constant('')), { minLength: 1, maxLength: 8 }),
  fixes: fc.array(fc.constantFrom('0123456789ab ("net: acme: add driver")', 'deadbeef1234 ("net: x: y")'), { maxLength: 2 }),
  signers: fc.array(identity, { minLength: 0, maxLength: 3 }),
  diff: wellFormedDiff.map((d) => d.text),
  layout: fc.constantFrom<Layout>('inline', 'inline', 'multipart-inline', 'attachment', 'attached-format-patch'),
  encoding: fc.constantFrom<Encoding>('7bit', '8bit', 'quoted-printable', 'base64', 'none'),
  charsetChoice: fc.constantFrom('utf-8', 'UTF-8', 'us-ascii', 'iso-8859-1', 'none'),
  subjectEncoding: fc.constantFrom('raw', 'B', 'Q', 'folded'),
  wordSize: fc.integer({ min: 1, max: 20 }),
  foldEvery: fc.integer({ min: 0, max: 6 }),
  crlf: fc.boolean(),
  extraHeaders: fc.subarray(EXTRA_HEADERS),
  headerCase: fc.boolean(),
  alphabet: fc.constantFrom('ascii', 'latin1', 'unicode'),
});

/** Text narrowed to an alphabet, so ASCII and Latin-1 charsets get their turn (the generators are Unicode). */
function narrow(text: string, alphabet: MailParts['alphabet']): string {
  if (alphabet === 'unicode') return text;
  const top = alphabet === 'ascii' ? 0x7f : 0xff;
  return [...text].map((c) => (c.codePointAt(0)! <= top ? c : alphabet === 'ascii' ? '?' : String.fromCharCode(0xc0 + (c.codePointAt(0)! % 0x40)))).join('');
}

const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text);
const isLatin1 = (text: string): boolean => /^[\x00-\xff]*$/.test(text);
const address = (who: { name: string; address: string }): string => `${who.name} <${who.address}>`;

/** Encodes a text part's content; returns the header lines and the body (LF newlines). */
function encodePart(text: string, encoding: Encoding, charset: string | null): { headers: string[]; body: string } {
  const bytes = charset === 'iso-8859-1' ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
  const headers: string[] = [];
  if (encoding !== 'none') headers.push(`Content-Transfer-Encoding: ${encoding}`);
  if (encoding === 'quoted-printable') return { headers, body: encodeQuotedPrintable(bytes) };
  if (encoding === 'base64') return { headers, body: encodeBase64(bytes) };
  return { headers, body: bytes.toString('latin1') };
}

function buildMail(parts: MailParts): GenMail {
  const p: MailParts = {
    ...parts,
    description: parts.description.map((line) => narrow(line, parts.alphabet)),
    diff: narrow(parts.diff, parts.alphabet),
  };
  const descriptionText = p.description.join('\n');
  // The charset must hold the text: us-ascii only ASCII, Latin-1 only Latin-1; else UTF-8.
  const everything = `${descriptionText}${p.diff}${p.signers.map(address).join('')}`;
  let charset: string | null = p.charsetChoice === 'none' ? null : p.charsetChoice;
  if (charset === 'us-ascii' && !isAscii(everything)) charset = 'utf-8';
  if (charset === 'iso-8859-1' && !isLatin1(everything)) charset = 'utf-8';
  // 7bit, or no declared encoding, promises ASCII; a non-ASCII body says 8bit.
  const encoding: Encoding = (p.encoding === '7bit' || p.encoding === 'none') && !isAscii(everything) ? '8bit' : p.encoding;

  const trailers = [...p.fixes.map((f) => `Fixes: ${f}`), ...p.signers.map((s) => `Signed-off-by: ${address(s)}`)];
  const message = [descriptionText, '', ...trailers].join('\n');
  const diffstat = ' drivers/net/ethernet/acme/acme_main.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n';
  const inlineBody = `${message}\n---\n${diffstat}\n${p.diff}-- \n2.43.0\n`;

  const subjectValue =
    p.subjectEncoding === 'B' || p.subjectEncoding === 'Q'
      ? encodeWords(p.subject.subject, p.subjectEncoding, p.wordSize, p.foldEvery % 2 === 1)
      : p.subjectEncoding === 'folded'
        ? fold(p.subject.subject, Math.max(1, p.foldEvery))
        : p.subject.subject;
  const fromValue = isAscii(p.author.name) ? address(p.author) : `${encodeWords(p.author.name, 'Q', 30, false)} <${p.author.address}>`;
  const name = (field: string): string => (p.headerCase ? field.toUpperCase() : field);
  const headers = [
    `${name('From')}: ${fromValue}`,
    `${name('Date')}: Tue, 4 Mar 2025 10:12:44 +0100`,
    `${name('Subject')}: ${subjectValue}`,
    `${name('Message-ID')}: <${p.messageId}>`,
    ...p.extraHeaders,
  ];
  const charsetParam = charset === null ? '' : `; charset=${charset}`;
  let body: string;
  let layout = p.layout;
  if (layout === 'inline') {
    const part = encodePart(inlineBody, encoding, charset);
    if (charset !== null || encoding !== 'none') headers.push('MIME-Version: 1.0', `Content-Type: text/plain${charsetParam}`);
    headers.push(...part.headers);
    body = part.body;
  } else {
    const boundary = '------------b0undary=_x';
    headers.push('MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`);
    const parts: string[] = [];
    if (layout === 'multipart-inline') {
      const part = encodePart(inlineBody, encoding, charset);
      parts.push([`Content-Type: text/plain${charsetParam}`, ...part.headers, '', part.body].join('\n'));
      parts.push(['Content-Type: application/pgp-signature; name="signature.asc"', '', '-----BEGIN PGP SIGNATURE-----', 'iQEzBAEBCAAdFiEE', '-----END PGP SIGNATURE-----'].join('\n'));
    } else {
      const text = `${message}\n`;
      const first = encodePart(text, encoding === 'base64' ? '8bit' : encoding, charset);
      parts.push([`Content-Type: text/plain${charsetParam}`, ...first.headers, '', first.body].join('\n'));
      const attached =
        layout === 'attachment'
          ? p.diff
          : `${FROM_LINE}\nFrom: ${fromValue}\nDate: Tue, 4 Mar 2025 10:12:44 +0100\nSubject: ${subjectValue}\n\n${inlineBody}`;
      // An unencoded From_ line inside a single mail would split it (an mbox cannot tell); mailers encode attachments.
      const attachedEncoding = encoding === 'none' || (layout === 'attached-format-patch' && encoding !== 'quoted-printable') ? 'base64' : encoding;
      const second = encodePart(attached, attachedEncoding, charset);
      parts.push(
        [
          `Content-Type: text/x-patch${charsetParam}; name="0001-acme.patch"`,
          'Content-Disposition: attachment; filename="0001-acme.patch"',
          ...second.headers,
          '',
          second.body,
        ].join('\n'),
      );
    }
    body = `This is a multi-part message in MIME format.\n${parts.map((part) => `--${boundary}\n${part}\n`).join('')}--${boundary}--\n`;
  }
  if (layout !== 'inline' && layout !== 'multipart-inline' && layout !== 'attachment') layout = 'attached-format-patch';
  let text = `${headers.join('\n')}\n\n${body}`;
  if (!text.endsWith('\n')) text += '\n';
  if (p.crlf) text = text.replace(/\n/g, '\r\n');

  const kind = p.subject.expected.isReply ? 'reply' : p.subject.expected.index === 0 ? 'cover-letter' : 'patch';
  const expected: GenMail['expected'] = {
    subject: p.subject.subject,
    from: address(p.author),
    messageId: p.messageId,
    kind,
    // Everything above the `---`, trailers included, without the blank lines around it.
    description: message.replace(/^\n+|\n+$/g, ''),
    diff: p.diff,
    signedOffBy: p.signers.map(address),
    fixes: p.fixes,
  };
  if (p.subject.expected.index !== undefined) expected.index = p.subject.expected.index;
  // fast-check prints a counterexample with this, which reads better than a byte array.
  return { bytes: Buffer.from(text, 'latin1'), expected, layout, encoding, charset, crlf: p.crlf, [fc.toStringMethod]: () => `mail ${JSON.stringify(text)}` };
}

/** A single patch mail of any layout and encoding, with what it holds. */
export const patchMail: fc.Arbitrary<GenMail> = mailParts.map(buildMail);

/** An mbox of 1–4 patch mails as `git format-patch --stdout` writes them (From_ lines, mboxrd-escaped `>From `). */
export const patchMbox: fc.Arbitrary<{ bytes: Buffer; mails: GenMail[] }> = fc
  .array(mailParts, { minLength: 1, maxLength: 4 })
  .map((parts) => {
    const mails = parts.map((p) => buildMail({ ...p, crlf: false }));
    const text = mails
      .map((m) => {
        // mboxrd: a body line starting with `From ` (or `>From `) gains a `>`; readers take it off again.
        const escaped = m.bytes.toString('latin1').replace(/^(>*From )/gm, '>$1');
        return `${FROM_LINE}\n${escaped}`;
      })
      .join('\n');
    return { bytes: Buffer.from(text, 'latin1'), mails };
  });

// --- MIME-shaped noise -----------------------------------------------------------------------------

const CONTENT_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'text/plain; charset="iso-8859-1"',
  'text/plain; charset=windows-1252',
  'text/plain; charset=utf-16',
  'text/plain; charset=x-unknown-charset',
  'text/plain; charset=',
  'text/plain; format=flowed; delsp=yes',
  'text/x-patch; name="0001-x.patch"',
  'text/x-diff',
  'application/octet-stream; name=x.diff',
  'application/mbox',
  'text/html; charset=utf-8',
  'message/rfc822',
  'multipart/mixed',
  'multipart/mixed; boundary=',
  'multipart/mixed; boundary="unterminated',
  'multipart/alternative; boundary=b',
  'image/png',
  ';;;',
  'text/plain; charset="utf-8"; charset="latin1"',
  '"text/plain"',
];
const ENCODINGS = ['7bit', '8bit', 'binary', 'quoted-printable', 'base64', 'x-uuencode', 'BASE64', ' quoted-printable ', '', 'qp'];
const HEADER_NAMES = ['From', 'Subject', 'Date', 'Message-ID', 'In-Reply-To', 'References', 'To', 'Cc', 'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding', 'Content-Disposition', 'X-Foo', 'Received', 'Return-Path', 'Delivered-To', 'List-Id'];

interface Entity {
  headers: [string, string][];
  body: string;
}

const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...CONTENT_TYPES, ...ENCODINGS, '<a@b>', '<>', '<<a@b>>', 'a@b', '=?UTF-8?B?w6k=?=', '=?utf-8?q?=C3=A9_x?=', '=?x-bad?Q?abc?=', '=?UTF-8?B?!!!?=', '=?UTF-8?Q?', '[PATCH net 1/2] x', 'Re: [PATCH] y', 'attachment; filename="x.patch"', 'inline'),
  hostileText(40).map((t) => t.replace(/[\r\n]/g, ' ')),
);

const leafBody: fc.Arbitrary<string> = fc.oneof(
  wellFormedDiff.map((d) => d.text),
  mangledDiff,
  noiseDiff,
  hostileText(200),
  fc.constantFrom('=ZZ=\n=\n=3D=0A', 'AAAA====\n!!!!', '----\n--b\n--b--', 'begin 644 x\nM86)C\nend', `${FROM_LINE}\nSubject: [PATCH] inner\n\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -1 +1 @@\n-a\n+b\n`),
  wellFormedDiff.map((d) => encodeBase64(Buffer.from(d.text, 'utf8'))),
  wellFormedDiff.map((d) => encodeQuotedPrintable(Buffer.from(d.text, 'utf8'))),
);

const entity: fc.Memo<Entity> = fc.memo((depth) => {
  const leaf = fc.record({
    headers: fc.array(fc.tuple(fc.constantFrom(...HEADER_NAMES), headerValue), { maxLength: 5 }),
    body: leafBody,
  });
  if (depth <= 1) return leaf;
  const multipart = fc
    .record({ boundary: fc.constantFrom('b', 'b1', '=_x', '----', ''), parts: fc.array(entity(depth - 1), { minLength: 0, maxLength: 3 }), closed: fc.boolean(), preamble: hostileText(20) })
    .map(({ boundary, parts, closed, preamble }): Entity => ({
      headers: [['Content-Type', `multipart/mixed; boundary="${boundary}"`]],
      body: `${preamble}\n${parts.map((p) => `--${boundary}\n${renderEntity(p)}\n`).join('')}${closed ? `--${boundary}--\n` : ''}`,
    }));
  return fc.oneof({ arbitrary: leaf, weight: 2 }, multipart);
});

function renderEntity(e: Entity): string {
  return `${e.headers.map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n${e.body}`;
}

/** A mail-shaped message: real headers first, then MIME entities nested up to three deep, odd values everywhere. */
export const noisyMail: fc.Arbitrary<Buffer> = fc
  .record({ top: entity(3), subject: fc.oneof(taggedSubject.map((s) => s.subject), headerValue), crlf: fc.boolean(), fromLine: fc.boolean() })
  .map(({ top, subject, crlf, fromLine }) => {
    let text = `${fromLine ? `${FROM_LINE}\n` : ''}From: A <a@b.org>\nSubject: ${subject}\nMessage-ID: <x@y>\nMIME-Version: 1.0\n${renderEntity(top)}`;
    if (crlf) text = text.replace(/\n/g, '\r\n');
    return Buffer.from(text, 'utf8');
  });

type ByteEdit = { at: number; op: 'flip' | 'insert' | 'delete' | 'cut'; byte: number };

const byteEdit: fc.Arbitrary<ByteEdit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('flip', 'insert', 'delete', 'cut'),
  byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0a, 0x0d, 0x20, 0x3d, 0x2d, 0x40, 0x3a, 0x3e, 0xc3, 0xff)),
});

/** Bytes with a few random edits (a flipped, inserted or dropped byte, or the end cut off). */
export function mutatedBytes(base: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc.tuple(base, fc.array(byteEdit, { minLength: 1, maxLength: 6 })).map(([bytes, edits]) => {
    let out = Buffer.from(bytes);
    for (const e of edits) {
      if (out.length === 0) break;
      const at = e.at % out.length;
      if (e.op === 'flip') out[at] = e.byte;
      else if (e.op === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.of(e.byte), out.subarray(at)]);
      else if (e.op === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
      else out = out.subarray(0, at);
    }
    return out;
  });
}
