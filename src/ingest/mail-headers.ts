// Ingest stage: finds and reads a message's header block (tolerating web-archive scrapes) and decodes header values.

import type { RawText } from './raw-text.js';

export interface HeaderField {
  /** Lower-case field name. */
  name: string;
  /** Unfolded value as raw bytes (latin1 string); decode with {@link decodeHeaderText}. */
  value: string;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Line index of the first header line. */
  start: number;
  /** Line index of the first body line. */
  bodyStart: number;
  /** Lines before the headers that were not headers (a web archive's navigation links). */
  skipped: number;
  /** The headers ended at a line that is not a header instead of at a blank line. */
  noBlankLine: boolean;
}

const FIELD = /^([!-9;-~]+):/;
// Names that only a mail (not a commit message or a diff) starts with.
const MAIL_FIELDS = new Set(['from', 'subject', 'date', 'message-id', 'received', 'return-path', 'delivered-to']);
const KNOWN_FIELDS = new Set([
  ...MAIL_FIELDS,
  'to',
  'cc',
  'bcc',
  'sender',
  'reply-to',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'user-agent',
  'precedence',
  'organization',
]);

function fieldName(line: string): string | undefined {
  const match = FIELD.exec(line);
  return match ? match[1]!.toLowerCase() : undefined;
}

function isKnownField(line: string): boolean {
  const name = fieldName(line);
  return name !== undefined && (KNOWN_FIELDS.has(name) || /^(?:x|list|arc|dkim|authentication)-/.test(name));
}

/**
 * Reads the header block that starts at line `start` (after any From_ line), or returns
 * undefined when the text there is not a mail (a bare diff, a commit message, a quilt header).
 */
export function findHeaderBlock(raw: RawText, start: number, end: number): HeaderBlock | undefined {
  const strict = readFields(raw, start, end);
  if (strict) return strict;
  // A page saved from a list archive opens with a line of navigation links, then the headers.
  for (let skip = 1; skip <= 3 && start + skip < end; skip++) {
    if (!isKnownField(raw.line(start + skip))) continue;
    const block = readFields(raw, start + skip, end);
    if (block && block.fields.some((field) => field.name === 'subject')) return { ...block, skipped: skip };
    return undefined;
  }
  return undefined;
}

function readFields(raw: RawText, start: number, end: number): HeaderBlock | undefined {
  if (start >= end || fieldName(raw.line(start)) === undefined) return undefined;
  const fields: HeaderField[] = [];
  let line = start;
  let noBlankLine = false;
  for (; line < end; line++) {
    const text = raw.line(line);
    if (text === '') break;
    const name = fieldName(text);
    if (name !== undefined) {
      fields.push({ name, value: text.slice(name.length + 1).trim() });
      continue;
    }
    const last = fields[fields.length - 1]!;
    if (/^[ \t]/.test(text)) {
      last.value = `${last.value} ${text.trim()}`;
      continue;
    }
    // Scrapes lose the indentation of folded lines: a stray line followed closely by a real
    // header is a fold; otherwise the body started without the blank line.
    if ((line + 1 < end && isKnownField(raw.line(line + 1))) || (line + 2 < end && isKnownField(raw.line(line + 2)))) {
      last.value = `${last.value} ${text.trim()}`;
      continue;
    }
    noBlankLine = true;
    break;
  }
  if (!fields.some((field) => MAIL_FIELDS.has(field.name))) return undefined;
  return { fields, start, bodyStart: noBlankLine ? line : Math.min(line + 1, end), skipped: 0, noBlankLine };
}

/** The first value of a header field (raw), if present. */
export function headerValue(block: HeaderBlock, name: string): string | undefined {
  return block.fields.find((field) => field.name === name)?.value;
}

/** A parsed `Content-Type` value: lower-case type and parameters (names lower-cased, quotes removed). */
export interface ContentType {
  type: string;
  params: Map<string, string>;
}

/** Parses a Content-Type (or Content-Disposition) value; an absent value means `text/plain`. */
export function parseContentType(value: string | undefined): ContentType {
  const params = new Map<string, string>();
  if (value === undefined) return { type: 'text/plain', params };
  const semicolon = value.indexOf(';');
  const type = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  const param = /;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g;
  for (let match = param.exec(value); match; match = param.exec(value)) {
    const raw = match[2]!;
    params.set(match[1]!.toLowerCase(), raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
  }
  return { type: type === '' ? 'text/plain' : type, params };
}

type DecodeWords = (value: string) => string;
let decodeWordsLoader: Promise<DecodeWords> | undefined;

// libmime costs ~30 ms to load (iconv-lite tables); only headers with encoded-words pay it.
function loadDecodeWords(): Promise<DecodeWords> {
  decodeWordsLoader ??= import('libmime').then((module) => (value: string) => module.default.decodeWords(value));
  return decodeWordsLoader;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const ENCODED_WORD = /=\?[^?\s]+\?[bq]\?[^?\s]*\?=/i;

/** Decodes a raw header value: 8-bit bytes as UTF-8 (latin1 when not valid UTF-8), then RFC 2047 encoded-words. */
export async function decodeHeaderText(value: string): Promise<string> {
  let text = value;
  if (/[\x80-\xff]/.test(value)) {
    try {
      text = UTF8.decode(Buffer.from(value, 'latin1'));
    } catch {
      text = value;
    }
  }
  if (!ENCODED_WORD.test(text)) return text;
  const decodeWords = await loadDecodeWords();
  try {
    return decodeWords(text);
  } catch {
    return text;
  }
}

/** Message ids in a header value, without angle brackets (`<a@b> <c@d>` → `a@b`, `c@d`). */
export function messageIds(value: string | undefined): string[] {
  if (value === undefined) return [];
  const ids = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]!);
  if (ids.length > 0) return ids;
  // A lone `<` or `>` (a header cut short, or a typo) is not part of the id, which is kept bare everywhere.
  const bare = value.trim().replace(/^<|>$/g, '');
  return bare === '' || /[\s<>]/.test(bare) ? [] : [bare];
}
