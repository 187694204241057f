// Ingest stage: pulls the triage trailers (Fixes:, base-commit:, Signed-off-by:) out of a commit message.

import type { Trailers } from './patch.js';

const FIXES = /^fixes:[ \t]*(\S.*)$/i;
const SIGNED_OFF_BY = /^signed-off-by:[ \t]*(\S.*)$/i;
const BASE_COMMIT = /^base-commit:[ \t]*([0-9a-f]{7,64})\b/i;

/**
 * Reads trailers from the non-diff text of a message (commit message, notes, cover letter).
 * Lines are matched at their start, so quoted (`> Fixes:`) and diff (`+Fixes:`) lines never count.
 * A `Fixes:` value is kept as written (`abcdef012345 ("title")`); see {@link fixesCommit} for the hash.
 */
export function parseTrailers(text: string): Trailers {
  const trailers: Trailers = { fixes: [], signedOffBy: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trimEnd();
    const fixes = FIXES.exec(line);
    if (fixes) {
      let value = fixes[1]!.trim();
      // Long titles get wrapped by editors despite the rule; rejoin until the quote closes.
      let next = i + 1;
      while (value.includes('("') && !/"\)\s*$/.test(value) && next < lines.length && next <= i + 2) {
        const continuation = (lines[next] ?? '').trim();
        if (continuation === '' || /^[a-z-]+:/i.test(continuation)) break;
        value = `${value} ${continuation}`;
        next++;
      }
      i = next - 1;
      trailers.fixes.push(value);
      continue;
    }
    const signedOff = SIGNED_OFF_BY.exec(line);
    if (signedOff) {
      trailers.signedOffBy.push(signedOff[1]!.trim());
      continue;
    }
    const base = BASE_COMMIT.exec(line);
    if (base && trailers.baseCommit === undefined) trailers.baseCommit = base[1]!.toLowerCase();
  }
  return trailers;
}

/** The commit hash a `Fixes:` value names (`abcdef012345 ("title")` → `abcdef012345`), if it starts with one. */
export function fixesCommit(value: string): string | undefined {
  const match = /^([0-9a-f]{7,40})\b/i.exec(value.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}
