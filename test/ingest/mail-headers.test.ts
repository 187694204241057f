// Ingest stage tests: telling a mail's header block from a diff or a commit message, and decoding header values.

import { describe, expect, it } from 'vitest';

import { decodeHeaderText, findHeaderBlock, messageIds, parseContentType } from '../../src/ingest/mail-headers.js';
import { RawText } from '../../src/ingest/raw-text.js';

const block = (text: string) => {
  const raw = new RawText(Buffer.from(text));
  return findHeaderBlock(raw, 0, raw.lineCount);
};

describe('findHeaderBlock', () => {
  it('reads folded headers up to the blank line', () => {
    const found = block('From: A <a@b.c>\nSubject: [PATCH] net: x\n y\nX-Mailer: git-send-email 2.43.0\n\nbody\n');
    expect(found).toMatchObject({ start: 0, bodyStart: 5, skipped: 0, noBlankLine: false });
    expect(found!.fields.map((field) => [field.name, field.value])).toEqual([
      ['from', 'A <a@b.c>'],
      ['subject', '[PATCH] net: x y'],
      ['x-mailer', 'git-send-email 2.43.0'],
    ]);
  });

  it('is not fooled by diffs, quilt headers or commit-message trailers', () => {
    expect(block('Index: linux/drivers/net/x.c\n====================\n--- a/x.c\n+++ b/x.c\n')).toBeUndefined();
    expect(block('diff --git a/x.c b/x.c\nindex 1..2\n')).toBeUndefined();
    expect(block('Signed-off-by: A <a@b.c>\nCc: stable@vger.kernel.org\n\ntext\n')).toBeUndefined();
    expect(block('---\n[v2] net: x\n')).toBeUndefined();
  });

  it('skips a web archive navigation line and ends headers without a blank line', () => {
    const found = block('[<prev] [next>] [day]\nMessage-Id: <1@x>\nFrom: A <a@...x.org>\nCc: b@...x.org,\nC <c@...x.org>\nSubject: [PATCH 6.1 001/002] x\ncommit 123 upstream.\n');
    expect(found).toMatchObject({ start: 1, skipped: 1, noBlankLine: true, bodyStart: 6 });
    expect(found!.fields.find((field) => field.name === 'cc')!.value).toBe('b@...x.org, C <c@...x.org>');
  });
});

describe('header values', () => {
  it('decodes encoded-words and raw UTF-8', async () => {
    expect(await decodeHeaderText('=?UTF-8?q?Zo=C3=AB?= <z@x.es>')).toBe('Zoë <z@x.es>');
    expect(await decodeHeaderText('=?iso-8859-1?B?SvZyZw==?= M')).toBe('Jörg M');
    expect(await decodeHeaderText(Buffer.from('Daña', 'utf8').toString('latin1'))).toBe('Daña');
    expect(await decodeHeaderText('J\xf6rg')).toBe('J\xf6rg');
  });

  it('takes message ids out of angle brackets', () => {
    expect(messageIds('<a@b> <c@d>\n <e@f>')).toEqual(['a@b', 'c@d', 'e@f']);
    expect(messageIds('bare@id')).toEqual(['bare@id']);
    expect(messageIds(undefined)).toEqual([]);
  });

  it('parses Content-Type parameters', () => {
    const type = parseContentType('Text/Plain; charset="ISO-8859-1"; format=flowed');
    expect(type.type).toBe('text/plain');
    expect(Object.fromEntries(type.params)).toEqual({ charset: 'ISO-8859-1', format: 'flowed' });
    expect(parseContentType(undefined).type).toBe('text/plain');
  });
});
