// Ingest stage: decodes a MIME mail body (quoted-printable, base64, charsets, multipart, patch attachments) with mailparser.

import type { ParsedMail, SimpleParserOptions } from 'mailparser';

import { findDiffStart } from './patch-text.js';

/** One decoded text of the mail: its inline text, or an attachment that holds a diff. */
export interface MimeText {
  /** Decoded text, LF newlines. */
  text: string;
  /** The attachment's file name, for attachments; undefined for the inline text. */
  filename?: string;
  /** MIME type of the part (`text/x-patch`); `text/plain` for the inline text. */
  contentType: string;
  /** The part's Content-Transfer-Encoding was quoted-printable or base64 (undefined when unknown, i.e. inline text). */
  encoded?: boolean;
}

export interface MimeBody {
  inline: MimeText;
  /** Attachments that contain a unified diff, in order. */
  patches: MimeText[];
  notes: string[];
}

// Only the plain text matters: the HTML and link conversions cost time and are never read.
const OPTIONS: SimpleParserOptions = {
  skipHtmlToText: true,
  skipTextLinks: true,
  skipTextToHtml: true,
  skipImageLinks: true,
};

type SimpleParser = (source: Buffer, options: SimpleParserOptions) => Promise<ParsedMail>;
let parserLoader: Promise<SimpleParser> | undefined;

// mailparser takes ~50 ms to load; plain format-patch mails never need it.
function loadParser(): Promise<SimpleParser> {
  parserLoader ??= import('mailparser').then((module) => module.simpleParser as SimpleParser);
  return parserLoader;
}

const PATCH_TYPES = /^(?:text\/|application\/(?:octet-stream|x-patch|x-diff|mbox))/;
const PATCH_NAMES = /\.(?:patch|diff|txt|mbox)$/i;

/** Decodes a whole RFC 822 message (headers included) and picks out the texts that may hold a patch. */
export async function decodeMimeBody(message: Buffer): Promise<MimeBody> {
  const simpleParser = await loadParser();
  const parsed = await simpleParser(message, OPTIONS);
  const notes: string[] = [];
  const inlineText = parsed.text ?? '';
  if (parsed.text === undefined) {
    notes.push(parsed.html === false ? 'mail has no text part' : 'mail has only an HTML part; HTML is not read');
  }
  const inline: MimeText = { text: toLf(inlineText), contentType: 'text/plain' };

  const patches: MimeText[] = [];
  for (const attachment of parsed.attachments) {
    const type = attachment.contentType.toLowerCase();
    const name = attachment.filename;
    if (!PATCH_TYPES.test(type) && !(name !== undefined && PATCH_NAMES.test(name))) {
      if (type !== 'application/pgp-signature') {
        notes.push(`attachment ${name ?? '(unnamed)'} (${type}) not read`);
      }
      continue;
    }
    const charset = contentTypeCharset(attachment.headers.get('content-type'));
    const { text, note } = decodeCharset(attachment.content, charset);
    const lf = toLf(text);
    if (findDiffStart(lf.split('\n')) === -1) continue;
    if (note !== undefined) notes.push(`attachment ${name ?? '(unnamed)'}: ${note}`);
    const encoding = String(attachment.headers.get('content-transfer-encoding') ?? '').toLowerCase();
    patches.push({
      text: lf,
      ...(name === undefined ? {} : { filename: name }),
      contentType: type,
      encoded: encoding === 'base64' || encoding === 'quoted-printable',
    });
  }
  return { inline, patches, notes };
}

function contentTypeCharset(header: unknown): string | undefined {
  if (typeof header !== 'object' || header === null || !('params' in header)) return undefined;
  const params: unknown = header.params;
  if (typeof params !== 'object' || params === null || !('charset' in params)) return undefined;
  return typeof params.charset === 'string' ? params.charset : undefined;
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const UTF8_LENIENT = new TextDecoder('utf-8');

/**
 * Decodes bytes in a declared charset. Undeclared or UTF-8 text that is not valid UTF-8 is
 * decoded with replacement characters, and the note says so; an unknown charset falls back to UTF-8.
 */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): { text: string; note?: string } {
  const label = charset?.trim().toLowerCase();
  if (label !== undefined && label !== '' && !/^(?:utf-?8|us-ascii|ascii)$/.test(label)) {
    try {
      return { text: new TextDecoder(label).decode(bytes) };
    } catch {
      const fallback = decodeCharset(bytes, undefined);
      return { text: fallback.text, note: `unknown charset "${charset}", read as UTF-8` };
    }
  }
  try {
    return { text: UTF8_STRICT.decode(bytes) };
  } catch {
    return { text: UTF8_LENIENT.decode(bytes), note: 'invalid UTF-8, decoded with replacement characters' };
  }
}

function toLf(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
}
