// Mail stage: drafts a plain-text RFC 822 reply to a patch mail, quoting each finding's diff lines, for git send-email.

import type { Patch } from '../ingest/patch.js';
import type { PatchTriage, TriageFinding } from './triage.js';

/** Kernel mail is read in 80-column terminals; 72 leaves room for a few levels of `> `. */
export const WRAP_COLUMNS = 72;
/** Diff lines quoted on each side of a finding's line: enough to see the statement, short enough to read. */
export const QUOTE_CONTEXT = 3;

export interface ReplyDraftOptions {
  /** `Name <addr>` of whoever sends the reply. */
  from: string;
  /** List addresses to copy (`netdev@vger.kernel.org`); the ingest stage does not keep the original `To:`/`Cc:`. */
  cc?: string[];
  /** `Date:` header; omitted by default because git send-email stamps its own. */
  date?: string;
}

/** One line of the diff with its post-image position, when it has one. */
interface DiffLine {
  text: string;
  file?: string;
  /** Post-image line number for context and added lines. */
  newLine?: number;
  /** Index of the hunk header this line belongs to, -1 outside hunks. */
  hunk: number;
}

/**
 * Walks a unified diff and numbers each line in the post-image of its file. The hunk header's
 * counts say where a hunk ends, so a removed line `--- foo` inside a hunk is not taken for a
 * file header.
 */
function numberDiff(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let file: string | undefined;
  let next = 0;
  let hunk = -1;
  let oldLeft = 0;
  let newLeft = 0;
  for (const text of diff.split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      if (text.startsWith('+')) {
        newLeft--;
        out.push({ text, file, newLine: next++, hunk });
      } else if (text.startsWith('-')) {
        oldLeft--;
        out.push({ text, file, hunk });
      } else if (text.startsWith('\\')) {
        out.push({ text, file, hunk });
      } else {
        oldLeft--;
        newLeft--;
        out.push({ text, file, newLine: next++, hunk });
      }
      continue;
    }
    const header = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(text);
    if (header) {
      oldLeft = Number(header[1] ?? 1);
      next = Number(header[2]);
      newLeft = Number(header[3] ?? 1);
      hunk = out.length;
      out.push({ text, file, hunk });
      continue;
    }
    if (text.startsWith('+++ ')) file = text.slice(4).replace(/\t.*$/, '').replace(/^b\//, '');
    // A `\ No newline` line right after a hunk still belongs to it.
    out.push({ text, file, hunk: text.startsWith('\\') ? hunk : -1 });
  }
  return out;
}

/**
 * Finds the diff line a finding points at: by file and post-image line, which holds whatever
 * `rawDiff` is (the patch's diff or the whole mail); else by `inputLine`, the engine's
 * position in the mail, taken relative to where the patch's diff starts.
 */
function locate(lines: readonly DiffLine[], f: TriageFinding, patch: Patch): number | undefined {
  const byLine = lines.findIndex((l) => l.file === f.file && l.newLine === f.line);
  if (byLine >= 0) return byLine;
  if (f.inputLine !== undefined && patch.diffStartLine > 0) {
    const i = f.inputLine - patch.diffStartLine;
    if (i >= 0 && i < lines.length && (lines[i]?.hunk ?? -1) >= 0) return i;
  }
  return undefined;
}

/** The hunk header and a few lines around the finding, each prefixed `> `; never wrapped. */
function quoteAround(lines: readonly DiffLine[], at: number): string[] {
  const hunk = lines[at]?.hunk ?? -1;
  if (hunk < 0) return [`> ${lines[at]?.text ?? ''}`.trimEnd()];
  let start = Math.max(hunk + 1, at - QUOTE_CONTEXT);
  let end = at;
  while (end + 1 < lines.length && end < at + QUOTE_CONTEXT && lines[end + 1]?.hunk === hunk) end++;
  const quoted = [`> ${lines[hunk]?.text ?? ''}`];
  // Kernel mail marks snipped quote with an unquoted [...]: the reader sees nothing was invented.
  if (start > hunk + 1) quoted.push('[...]');
  for (; start <= end; start++) quoted.push(`> ${lines[start]?.text ?? ''}`.trimEnd());
  return quoted;
}

/**
 * Word-wraps prose at `width` columns. A word is never split, so a URL longer than the line
 * stands alone on its own line rather than broken (a broken link does not click).
 */
export function wrapText(text: string, width = WRAP_COLUMNS, indent = ''): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      if (line === '') line = indent + word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        out.push(line);
        line = indent + word;
      }
    }
    out.push(line);
  }
  return out;
}

/** RFC 2047 encoded-word for a header text with non-ASCII characters; ASCII passes as is. */
function encodeHeaderText(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** `Name <addr>` with only the display name encoded, so the address stays readable to MTAs. */
function encodeAddress(address: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(address);
  if (!m) return address.trim();
  const name = m[1] ?? '';
  if (name === '') return `<${m[2] ?? ''}>`;
  const shown = /^[\x00-\x7f]*$/.test(name) && /[,.;:@()]/.test(name) ? `"${name}"` : encodeHeaderText(name);
  return `${shown} <${m[2] ?? ''}>`;
}

function firstName(from: string | undefined): string | undefined {
  const name = from === undefined ? undefined : /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1];
  const first = name?.split(/[\s,]+/).find((w) => w !== '');
  return first === undefined || first.includes('@') ? undefined : first;
}

function displayName(from: string): string {
  return /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1]?.trim() || from.trim();
}

/** Header lines; `References` is folded one id per line so no header line grows past 78 columns. */
function headers(patch: Patch, triage: PatchTriage, options: ReplyDraftOptions): string[] {
  const subject = triage.subject || patch.subject || '';
  const h: string[] = [`From: ${encodeAddress(options.from)}`];
  if (patch.from !== undefined) h.push(`To: ${encodeAddress(patch.from)}`);
  if (options.cc !== undefined && options.cc.length > 0) h.push(`Cc: ${options.cc.map(encodeAddress).join(',\n ')}`);
  h.push(`Subject: ${/^re:/i.test(subject) ? '' : 'Re: '}${encodeHeaderText(subject)}`);
  if (options.date !== undefined) h.push(`Date: ${options.date}`);
  const id = patch.messageId ?? triage.messageId;
  if (id !== undefined) {
    h.push(`In-Reply-To: <${id}>`);
    const refs = [...patch.references.filter((r) => r !== id), id];
    h.push(`References: ${refs.map((r) => `<${r}>`).join('\n ')}`);
  }
  h.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit');
  return h;
}

/** The finding under its quote: severity, rule, message, fix and citation, wrapped. */
function findingText(f: TriageFinding): string[] {
  const out = wrapText(`${f.severity}: ${f.message} [${f.ruleId}]`);
  if (f.fix !== undefined) out.push(...wrapText(`Suggested fix: ${f.fix}.`.replace(/\.\.$/, '.')));
  if (f.citationUrl !== undefined) {
    out.push(...wrapText(`See ${f.citationSection !== undefined ? `"${f.citationSection}" in ` : ''}Documentation/networking/netdevices.rst:`));
    out.push(f.citationUrl);
  }
  return out;
}

/**
 * Drafts a plain-text reply to a patch mail, ready for `git send-email`: threaded under the
 * patch (`In-Reply-To`, `References`), `Re:` subject, no HTML. For each finding the body quotes
 * the hunk header and the lines around the offending one from `rawDiff`, and puts the finding
 * below, wrapped at 72 columns (quoted lines and URLs are never wrapped).
 */
export function replyDraft(patch: Patch, rawDiff: string, triage: PatchTriage, options: ReplyDraftOptions): string {
  const lines = numberDiff(rawDiff);
  const body: string[] = [];
  const name = firstName(patch.from);
  body.push(name !== undefined ? `Hi ${name},` : 'Hi,', '');
  const n = triage.findings.length;
  if (n > 0) {
    body.push(...wrapText(`netdev-review flagged ${n === 1 ? 'one thing' : `${n} things`} in this patch against the struct net_device rules of Documentation/networking/netdevices.rst; each is quoted below with the finding under it.`), '');
    if (patch.date !== undefined && patch.from !== undefined) body.push(...wrapText(`On ${patch.date}, ${displayName(patch.from)} wrote:`), '');
  }
  for (const f of triage.findings) {
    const at = locate(lines, f, patch);
    if (at !== undefined) body.push(...quoteAround(lines, at));
    else body.push(...wrapText(`In ${f.file}, line ${f.line}${f.sourceLine !== undefined ? ':' : ''}`), ...(f.sourceLine !== undefined ? [`> ${f.sourceLine.trim()}`] : []));
    body.push('', ...findingText(f), '');
  }
  if (triage.missingFixes) {
    body.push(...wrapText('This patch targets net but carries no Fixes: tag; please add one naming the commit that introduced the problem (Documentation/process/maintainer-netdev.rst).'), '');
  }
  if (n === 0 && !triage.missingFixes) body.push(...wrapText('netdev-review found nothing to flag in this patch.'), '');
  body.push('Thanks,', displayName(options.from));
  return `${headers(patch, triage, options).join('\n')}\n\n${body.join('\n')}\n`;
}
