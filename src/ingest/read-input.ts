// Ingest stage (entry point): turns a file, stdin or bytes — format-patch, mbox series, mail, bare diff — into Patch objects.

import { readFile } from 'node:fs/promises';

import { InputError } from './input-error.js';
import {
  decodeHeaderText,
  findHeaderBlock,
  headerValue,
  messageIds,
  parseContentType,
  type HeaderBlock,
} from './mail-headers.js';
import { splitMbox, type MessageSpan } from './mbox-split.js';
import { decodeCharset, decodeMimeBody, type MimeBody, type MimeText } from './mime-body.js';
import type { Patch } from './patch.js';
import { splitPatchText, type PatchText } from './patch-text.js';
import { RawText } from './raw-text.js';
import { parseSubject } from './subject-tags.js';
import { parseTrailers } from './trailers.js';

export { InputError } from './input-error.js';

/** The origin given to stdin input. */
export const STDIN_ORIGIN = '<stdin>';

/** A Patch before its place in the input is known. */
type Draft = Omit<Patch, 'origin' | 'ordinal'> & { isMail: boolean };

/** Mail header values, decoded. */
interface MailMeta {
  subject?: string;
  from?: string;
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
}

/** Reads a patch, series, mbox or mail from a file, or from stdin when the path is `-`. */
export async function readInputFile(pathOrDash: string): Promise<Patch[]> {
  const origin = pathOrDash === '-' ? STDIN_ORIGIN : pathOrDash;
  let bytes: Buffer;
  try {
    bytes = pathOrDash === '-' ? await readAll(process.stdin) : await readFile(pathOrDash);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`cannot read ${origin}: ${reason}`, origin, { cause: error });
  }
  return readPatches(bytes, origin);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Reads every message of the input, in order. Mails without a diff come back flagged
 * (reply, cover letter, pull request, no-diff) rather than dropped; input that is neither
 * a mail nor a diff throws {@link InputError}, as do empty and binary input.
 */
export async function readPatches(bytes: Buffer, origin: string): Promise<Patch[]> {
  // A UTF-8 byte order mark would hide the first header; it sits inside line 1, so numbering holds.
  const input = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (isBlank(input)) throw new InputError(`${origin}: empty input`, origin);
  if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
    throw new InputError(`${origin}: UTF-16 text; convert it to UTF-8 first`, origin);
  }
  const nul = input.indexOf(0);
  if (nul !== -1) {
    throw new InputError(`${origin}: binary input (NUL byte at offset ${nul}), not a patch or a mail`, origin);
  }

  const raw = new RawText(input);
  const spans = splitMbox(raw);
  const drafts: Draft[] = [];
  let preamble: Draft | undefined;
  for (const [index, span] of spans.entries()) {
    const read = await readMessage(raw, span);
    // OpenWrt/quilt files put a `---`-fenced description before an embedded format-patch.
    if (index === 0 && spans.length > 1 && !span.hasSeparator && read.every((d) => !d.isMail && d.diff === '')) {
      preamble = read[0];
      continue;
    }
    for (const draft of read) {
      if (preamble) adoptPreamble(draft, preamble);
      preamble = undefined;
      drafts.push(draft);
    }
  }
  if (!drafts.some((draft) => draft.isMail || draft.diff !== '')) {
    throw new InputError(`no patch found in ${origin}`, origin);
  }
  markUnnumberedCoverLetter(drafts);
  return drafts.map(({ isMail: _isMail, ...draft }, ordinal) => ({
    ...draft,
    origin: drafts.length > 1 ? `${origin}#${ordinal + 1}` : origin,
    ordinal,
  }));
}

/** Text before the first From_ line describes the patch that follows when that patch has no message of its own. */
function adoptPreamble(draft: Draft, preamble: Draft): void {
  if (draft.description !== '' || preamble.description === '') {
    draft.notes.unshift('text before the first message ignored');
    return;
  }
  draft.description = preamble.description;
  draft.trailers = {
    ...draft.trailers,
    fixes: [...preamble.trailers.fixes, ...draft.trailers.fixes],
    signedOffBy: [...preamble.trailers.signedOffBy, ...draft.trailers.signedOffBy],
  };
  draft.notes.unshift('description taken from the text before the first message');
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09 && byte !== 0x0c) return false;
  }
  return true;
}

/** Reads one mbox span: a mail (fast path or MIME), or headerless text such as a bare diff. */
async function readMessage(raw: RawText, span: MessageSpan): Promise<Draft[]> {
  const first = span.hasSeparator ? span.start + 1 : span.start;
  const block = findHeaderBlock(raw, first, span.end);
  if (!block) {
    const decoded = decodeCharset(spanBytes(raw, first, span.end, span.hasSeparator), undefined);
    const notes = decoded.note === undefined ? [] : [decoded.note];
    return [draftFromBody({ references: [] }, false, toLines(decoded.text), first, notes)];
  }

  const meta = await readMeta(block);
  const notes: string[] = [];
  if (block.skipped > 0) notes.push(`${block.skipped} line(s) before the mail headers ignored`);
  if (block.noBlankLine) notes.push('no blank line between the mail headers and the body');

  const contentType = parseContentType(headerValue(block, 'content-type'));
  const encoding = (headerValue(block, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  const charset = contentType.params.get('charset');
  const plain =
    contentType.type === 'text/plain' &&
    (charset === undefined || /^(?:utf-?8|us-ascii|ascii)$/i.test(charset)) &&
    contentType.params.get('format')?.toLowerCase() !== 'flowed' &&
    /^(?:7bit|8bit|binary)$/.test(encoding);
  // A scraped page with no blank line after the headers would confuse a MIME parser; it is plain text.
  if (plain || block.noBlankLine) {
    const decoded = decodeCharset(spanBytes(raw, block.bodyStart, span.end, span.hasSeparator), charset);
    if (decoded.note !== undefined) notes.push(decoded.note);
    return [draftFromBody(meta, true, toLines(decoded.text), block.bodyStart, notes)];
  }
  const multipart = contentType.type.startsWith('multipart/');
  const decoding = multipart
    ? `${contentType.type} parts`
    : [encoding, charset ?? 'no charset', contentType.params.get('format') ?? ''].filter((word) => word !== '').join(', ');
  return readMimeMessage(raw, span, block, meta, notes, multipart, multipart ? undefined : charset, decoding);
}

/** The MIME path: mailparser decodes; diffStartLine is exact only where the decoded diff is verbatim in the file. */
async function readMimeMessage(
  raw: RawText,
  span: MessageSpan,
  block: HeaderBlock,
  meta: MailMeta,
  notes: string[],
  multipart: boolean,
  bodyCharset: string | undefined,
  decoding: string,
): Promise<Draft[]> {
  let mime: MimeBody;
  try {
    mime = await decodeMimeBody(spanBytes(raw, block.start, span.end, span.hasSeparator));
  } catch (error) {
    // A mail the MIME parser chokes on is still worth reading as the text it is.
    const decoded = decodeCharset(raw.slice(block.bodyStart, span.end), bodyCharset);
    notes.push(`MIME parsing failed (${error instanceof Error ? error.message : String(error)}); body read as plain text`);
    return [draftFromBody(meta, true, toLines(decoded.text), block.bodyStart, notes)];
  }
  for (const note of mime.notes) notes.push(note);
  const fileLines = toLines(decodeCharset(raw.slice(block.bodyStart, span.end), bodyCharset).text);
  const inlineLines = toLines(mime.inline.text);
  const inline = splitPatchText(inlineLines);
  const located = (draft: Draft, part: MimeText): Draft =>
    locateDiff(
      draft,
      fileLines,
      block.bodyStart,
      () => (multipart ? partBodyLine(raw, block.bodyStart, span.end, part) : block.bodyStart),
      part.filename !== undefined ? `attachment ${part.filename}` : decoding,
    );

  if (inline.diffStart !== -1 || mime.patches.length === 0) {
    return [located(draftFromText(meta, true, inline, 0, [...notes]), mime.inline)];
  }

  const drafts: Draft[] = [];
  for (const attachment of mime.patches) {
    const label = attachment.filename ?? attachment.contentType;
    const lines = toLines(attachment.text);
    const inner = MAIL_START.test(lines[0] ?? '') ? await readAttachedMails(attachment, label, meta, notes) : [];
    if (inner.length > 0) {
      // Not push(...): an attached mbox can hold more messages than a call takes arguments.
      for (const draft of inner) drafts.push(located(draft, attachment));
      continue;
    }
    const body = splitPatchText(lines);
    // A bare diff attached to a mail: the commit message is the mail's own text.
    const text: PatchText = {
      ...body,
      description: inline.description,
      otherText: `${inline.otherText}\n${body.otherText}`,
      quotesDiff: inline.quotesDiff,
      inBody: inline.inBody,
    };
    drafts.push(located(draftFromText(meta, true, text, 0, [...notes, `read from attachment ${label}`]), attachment));
  }
  return drafts;
}

// An attachment that opens like a mail is a format-patch file (or a whole series).
const MAIL_START = /^(?:From \S+ |From:|Subject:|Date:|Message-ID:)/i;

/** Reads a format-patch file attached to a mail as mails of their own; the outer mail fills in what they lack. */
async function readAttachedMails(attachment: MimeText, label: string, meta: MailMeta, notes: string[]): Promise<Draft[]> {
  let inner: Patch[];
  try {
    inner = await readPatches(Buffer.from(attachment.text), label);
  } catch (error) {
    if (error instanceof InputError) return [];
    throw error;
  }
  return inner.map(({ origin: _origin, ordinal: _ordinal, ...patch }) => {
    const draft: Draft = { ...patch, isMail: true, notes: [...notes, `read from attachment ${label}`, ...patch.notes.filter((note) => !note.startsWith('diffStartLine'))] };
    const from = patch.from ?? meta.from;
    const subject = patch.subject ?? meta.subject;
    if (from !== undefined) draft.from = from;
    if (subject !== undefined) draft.subject = subject;
    // A lone attached patch is the carrying mail's patch: it threads (replies, Patchwork) under that
    // mail's ids. Several attached patches cannot all be that one message, so they keep only their own.
    if (inner.length === 1) {
      if (patch.messageId === undefined && meta.messageId !== undefined) draft.messageId = meta.messageId;
      if (patch.inReplyTo === undefined && meta.inReplyTo !== undefined) draft.inReplyTo = meta.inReplyTo;
      if (patch.references.length === 0 && meta.references.length > 0) draft.references = [...meta.references];
    }
    return draft;
  });
}

/**
 * Sets diffStartLine for a MIME-decoded diff: exact when its lines stand verbatim in the file
 * (7bit/8bit parts, and QP that changed nothing), else the first line of the decoded part, with a note.
 */
function locateDiff(
  draft: Draft,
  fileLines: string[],
  bodyStart: number,
  partStart: () => number,
  decoding: string,
): Draft {
  if (draft.diff === '') return { ...draft, diffStartLine: 0 };
  const needle = draft.diff.split('\n');
  needle.pop();
  const at = findVerbatim(fileLines, needle);
  if (at !== -1) return { ...draft, diffStartLine: bodyStart + at + 1 };
  return {
    ...draft,
    diffStartLine: partStart() + 1,
    notes: [
      ...draft.notes,
      `diffStartLine is approximate: the diff was decoded (${decoding}) and its lines are not verbatim in the file, so it points at the start of the decoded part`,
    ],
  };
}

function findVerbatim(haystack: readonly string[], needle: readonly string[]): number {
  if (needle.length === 0) return -1;
  search: for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (haystack[i] !== needle[0]) continue;
    for (let k = 1; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue search;
    return i;
  }
  return -1;
}

/** Line index of the first body line of the MIME part holding `part` (by file name, or the first text/plain part). */
function partBodyLine(raw: RawText, from: number, to: number, part: MimeText): number {
  for (let line = from; line < to; line++) {
    if (!raw.lineStartsWith(line, '--')) continue;
    let end = line + 1;
    while (end < to && raw.line(end) !== '') end++;
    if (end === line + 1 || end >= to) continue;
    const headers = raw.text(line + 1, end).toLowerCase();
    if (!/^content-/m.test(headers)) continue;
    const matches =
      part.filename !== undefined
        ? headers.includes(part.filename.toLowerCase())
        : !/^content-type:/m.test(headers) || /^content-type:\s*text\/plain/m.test(headers);
    if (matches) return end + 1;
    line = end;
  }
  return from;
}

function draftFromBody(meta: MailMeta, isMail: boolean, lines: string[], bodyStart: number, notes: string[]): Draft {
  return draftFromText(meta, isMail, splitPatchText(lines), bodyStart, notes);
}

/** Builds the Patch fields from a split body; `bodyStart` is the body's first line index in the file (exact mapping). */
function draftFromText(meta: MailMeta, isMail: boolean, text: PatchText, bodyStart: number, notes: string[]): Draft {
  const tags = parseSubject(meta.subject ?? '');
  if (text.inBody.subject !== undefined) tags.title = parseSubject(text.inBody.subject).title;
  const { kind, note } = classify(tags, text, isMail);
  if (note !== undefined) notes.push(note);
  const draft: Draft = {
    isMail,
    references: meta.references,
    tags,
    description: text.description,
    trailers: parseTrailers(text.otherText),
    diff: text.diff,
    diffStartLine: text.diffStart === -1 ? 0 : bodyStart + text.diffStart + 1,
    kind,
    notes,
  };
  const from = text.inBody.from ?? meta.from;
  const date = meta.date ?? text.inBody.date;
  if (meta.messageId !== undefined) draft.messageId = meta.messageId;
  if (meta.inReplyTo !== undefined) draft.inReplyTo = meta.inReplyTo;
  if (from !== undefined) draft.from = from;
  if (date !== undefined) draft.date = date;
  if (meta.subject !== undefined) draft.subject = meta.subject;
  return draft;
}

const REQUEST_PULL = /^The following changes since commit [0-9a-f]{7,}/m;
const REQUEST_PULL_URL = /^are available in the [Gg]it repository at/m;

function classify(tags: Patch['tags'], text: PatchText, isMail: boolean): { kind: Patch['kind']; note?: string } {
  if (tags.isReply) return { kind: 'reply', note: 'a reply (Re: subject), not a patch to review' };
  if (tags.raw.some((token) => token.toUpperCase() === 'PULL') || (REQUEST_PULL.test(text.otherText) && REQUEST_PULL_URL.test(text.otherText))) {
    return { kind: 'pull-request', note: 'a pull request; its patches are reviewed as they are posted' };
  }
  if (tags.index === 0) return { kind: 'cover-letter', note: 'cover letter of the series' };
  if (text.diff !== '') return { kind: 'patch' };
  if (text.quotesDiff) return { kind: 'reply', note: 'quotes a diff (> lines): a reply, not a patch to review' };
  return { kind: 'no-diff', note: isMail ? 'no diff in this mail' : 'no diff found' };
}

/** A series' first mail with no diff and no `0/N` (a hand-written cover letter) is still its cover letter. */
function markUnnumberedCoverLetter(drafts: Draft[]): void {
  const head = drafts[0];
  if (!head || drafts.length < 2 || head.kind !== 'no-diff' || !head.isMail) return;
  // Only a numbered series has a cover letter; a preface before a lone patch is just a mail.
  if (!drafts.slice(1).some((draft) => draft.kind === 'patch' && (draft.tags.index ?? 0) >= 1)) return;
  head.kind = 'cover-letter';
  head.notes = head.notes.filter((note) => !note.startsWith('no diff')).concat('cover letter of the series (first mail, no diff)');
}

async function readMeta(block: HeaderBlock): Promise<MailMeta> {
  const decoded = async (name: string): Promise<string | undefined> => {
    const value = headerValue(block, name);
    return value === undefined ? undefined : (await decodeHeaderText(value)).trim();
  };
  const meta: MailMeta = { references: messageIds(headerValue(block, 'references')) };
  const subject = await decoded('subject');
  const from = await decoded('from');
  const date = await decoded('date');
  const messageId = messageIds(headerValue(block, 'message-id'))[0];
  const inReplyTo = messageIds(headerValue(block, 'in-reply-to'))[0];
  if (subject !== undefined) meta.subject = subject;
  if (from !== undefined) meta.from = from;
  if (date !== undefined) meta.date = date;
  if (messageId !== undefined) meta.messageId = messageId;
  if (inReplyTo !== undefined) meta.inReplyTo = inReplyTo;
  return meta;
}

/** Bytes of lines [from, to); in an mbox, `>From ` lines are unescaped (mboxrd), which keeps the line count. */
function spanBytes(raw: RawText, from: number, to: number, mbox: boolean): Buffer {
  if (!mbox) return raw.slice(from, to);
  const text = raw.text(from, to);
  if (!text.includes('>From ')) return raw.slice(from, to);
  return Buffer.from(text.replace(/^>(>*From )/gm, '$1'), 'latin1');
}

function toLines(text: string): string[] {
  return (text.includes('\r') ? text.replace(/\r\n/g, '\n') : text).split('\n');
}
