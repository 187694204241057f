// Fuzz invariants shared by several properties: what any parsed subject, and any result of ingest, must look like.

import { expect } from 'vitest';
import { parseUnifiedDiff } from '../../src/diff/parse.js';
import type { Patch, SubjectTags } from '../../src/ingest/patch.js';
import { InputError, readPatches } from '../../src/ingest/read-input.js';

/** What holds for any subject: numbers are small whole numbers, tokens are words, the title is trimmed. */
export function expectSaneTags(tags: SubjectTags): void {
  expect(tags.title).toBe(tags.title.trim());
  expect(tags.title).not.toMatch(/\s\s/);
  for (const n of [tags.revision, tags.index, tags.total]) {
    if (n === undefined) continue;
    expect(Number.isSafeInteger(n), `${n}`).toBe(true);
    expect(n).toBeGreaterThanOrEqual(0);
  }
  // One expect for all tokens: a crafted subject has hundreds of thousands, and expect() costs microseconds.
  expect(tags.raw.filter((token) => token === '' || /[\s,]/.test(token))).toEqual([]);
  if (tags.tree !== undefined) expect(tags.tree).toBe(tags.tree.toLowerCase());
  if (tags.stableVersion !== undefined) expect(tags.stableVersion).toMatch(/^\d+\.\d+$/);
}

const KINDS = new Set(['patch', 'cover-letter', 'reply', 'pull-request', 'no-diff']);
/** The name every fuzzed input is read under. */
export const NAME = 'fuzz.patch';

function lineCount(bytes: Buffer): number {
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? n + 1 : n;
}

/**
 * The input's line `n` (1-based) as latin1, CR dropped, and UTF-8 byte order marks at its start (ingest drops one
 * opening the file, the decoder one opening the text): what an ASCII diff line must equal there.
 */
function rawLine(bytes: Buffer, n: number): string | undefined {
  return bytes.toString('latin1').split('\n')[n - 1]?.replace(/\r$/, '').replace(/^(?:\xef\xbb\xbf)+/, '');
}

/** readPatches, with an InputError (and only that) as an accepted outcome. */
export async function read(bytes: Buffer): Promise<Patch[] | InputError> {
  try {
    return await readPatches(bytes, NAME);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
}

/** What holds for any input: numbered in order, a diff exactly when diffStartLine says so, ids bare, tags sane. */
export function expectSanePatches(bytes: Buffer, out: Patch[] | InputError): void {
  if (out instanceof InputError) {
    expect(out.origin).toBe(NAME);
    expect(out.message).toContain(NAME);
    return;
  }
  expect(out.length).toBeGreaterThan(0);
  const lines = lineCount(bytes);
  out.forEach((patch, i) => {
    expect(patch.ordinal).toBe(i);
    expect(patch.origin).toBe(out.length > 1 ? `${NAME}#${i + 1}` : NAME);
    expect(KINDS.has(patch.kind)).toBe(true);
    if (patch.kind === 'patch') expect(patch.diff).not.toBe('');
    expect(patch.diffStartLine === 0).toBe(patch.diff === '');
    if (patch.diff !== '') {
      expect(patch.diff.endsWith('\n')).toBe(true);
      expect(patch.diffStartLine).toBeGreaterThanOrEqual(1);
      expect(patch.diffStartLine).toBeLessThanOrEqual(lines);
      const first = patch.diff.slice(0, patch.diff.indexOf('\n'));
      const exact = !patch.notes.some((n) => n.startsWith('diffStartLine is approximate'));
      // Where the reader says the diff's line is verbatim in the file, it is (ASCII lines read the same in any charset).
      if (exact && /^[\x20-\x7e\t]*$/.test(first)) expect(rawLine(bytes, patch.diffStartLine)).toBe(first);
    }
    for (const id of [patch.messageId, patch.inReplyTo, ...patch.references]) {
      if (id !== undefined) expect(id).toMatch(/^[^<>\s]+$/);
    }
    expectSaneTags(patch.tags);
    for (const note of patch.notes) expect(typeof note).toBe('string');
    // What the pipeline does next must hold too.
    parseUnifiedDiff(patch.diff);
  });
}
