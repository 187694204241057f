// Test helpers for the citations stage: fixture loading and the wrappings documents arrive in (blob view, web view, mangled mail, flattened text).

import { readFileSync } from 'node:fs';

/** Text of a fixture under test/fixtures/citations. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/citations/${name}`, import.meta.url), 'utf8');
}

/** 1-based number of the first line equal to `text` (after `from`), found without the parser under test. */
export function lineOf(doc: string, text: string, from = 0): number {
  const lines = doc.split('\n');
  const i = lines.findIndex((l, k) => k >= from && l === text);
  if (i < 0) throw new Error(`fixture has no line "${text}"`);
  return i + 1;
}

/** A blob view: a page header, then each non-blank line prefixed with its number; tabs shown as non-breaking spaces. */
export function asNumbered(text: string): string {
  const body = text
    .split('\n')
    .map((l, i) => ({ l, n: i + 1 }))
    .filter(({ l }) => l.trim() !== '')
    .map(({ l, n }) => `${n} ${l.replace(/\t/g, '\u00a0'.repeat(8))}`);
  return ['[mirror.git] / Documentation / networking / netdevices.rst', 'blob 0123456789abcdef', ...body].join('\n');
}

/** A web view: tab-indented page chrome, then "| line" rows separated by " | |". */
export function asWebPipe(text: string): string {
  const rows = text.split('\n').flatMap((l) => [`| ${l}`, ' | |']);
  return ['\t\t', '\t\t\t42 lines', '\t', '\t\t\tPlaintext', ...rows].join('\n');
}

/** Markup stripped: no blank lines, no underlines, no one-word lines, indentation and runs of spaces collapsed. */
export function asFlattened(text: string): string {
  const body = text
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l !== '' && l.includes(' '));
  return ['blob: 0123456789abcdef0123456789abcdef01234567 [file] [log] [blame]', ...body].join('\n');
}

/** What a mail archive's web page does to a patch: context lines lose their leading space, blank ones vanish. */
export function asMangledMail(mail: string): string {
  let inHunk = false;
  const out: string[] = [];
  for (const l of mail.split('\n')) {
    if (l.startsWith('@@ ')) inHunk = true;
    else if (l === '-- ' || l.startsWith('diff --git ')) inHunk = false;
    if (inHunk && l.startsWith(' ')) {
      if (l.trim() !== '') out.push(l.slice(1));
      continue;
    }
    if (inHunk && l === '') continue;
    out.push(l);
  }
  return out.join('\n');
}
