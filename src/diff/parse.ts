// Diff-model stage: unified diff text → DiffModel, with parse-diff fenced in by a scan that finds where each hunk really ends.

import parseDiff from 'parse-diff';
import type { DiffLine, DiffModel, FileDiff, FileStatus, Hunk } from './model.js';

/*
 * parse-diff trusts the hunk header's counts: a truncated hunk swallows the next file's
 * `diff --git`/`---`/`+++`/`@@` lines as content, and a format-patch signature (`-- `) that
 * falls inside a miscounted hunk becomes a removed line. So a first pass over the text decides
 * where every file header and hunk body begins and ends (and tolerates mail text around them);
 * parse-diff then reads each file's section, fed only the lines that belong to it, with the
 * header counts of cut-off hunks rewritten to what is really there. Line numbers inside the
 * text (`diffLine`) come from the first pass, which is why the two must stay aligned line for line.
 */

const HUNK_HEADER = /^@@ +-(\d+)(?:,(\d+))? +\+(\d+)(?:,(\d+))? +@@(.*)$/;
const NO_NEWLINE = '\\ No newline at end of file';
/** `git format-patch` ends a mail with `-- ` and the git version (`2.39.2`). */
const GIT_VERSION = /^\d+\.\d+/;
/** Text that format-patch, b4 and quilt put around diffs: not worth a note when found between files. */
const AFTER_DIFF_TEXT = /^(?:---$|Index: |diff |=+$|base-commit: |change-id: |prerequisite-[\w-]+: |Best regards,$)/;
const GIT_BINARY_DATA = /^(?:(?:literal|delta) \d+|[A-Za-z][0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]*)$/;

interface RawHunk {
  /** Index (0-based) of the `@@` line in the text's lines. */
  header: number;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  section: string;
  /** One past the last body line (body = header+1 .. bodyEnd-1, `\` markers included). */
  bodyEnd: number;
  countedOld: number;
  countedNew: number;
  /** Context lines that start with a tab instead of ' ' (mailer damage), and the first one's index. */
  eatenSpace: number;
  firstEaten: number;
}

interface RawFile {
  first: number;
  git: boolean;
  /** Header lines (indices) handed to parse-diff: `diff --git`, modes, `index`, `---`, `+++`. */
  headerLines: number[];
  gitHeader?: string;
  hasMinusPlus: boolean;
  renameFrom?: string;
  renameTo?: string;
  copyFrom?: string;
  copyTo?: string;
  similarity: boolean;
  binary: boolean;
  /** Paths from a `Binary files X and Y differ` line (the only header some binary diffs have). */
  binaryPaths?: [string, string];
  hunks: RawHunk[];
  notes: string[];
}

/** True for C sources and headers, the only files the analysis stage parses. */
export function isCFile(path: string | undefined): boolean {
  return path !== undefined && /\.[ch]$/.test(path);
}

/** Parses a unified diff (git, quilt or plain `diff -u`; bare or inside a mail) into files, hunks and lines. Never throws. */
export function parseUnifiedDiff(text: string): DiffModel {
  const notes: string[] = [];
  const lines = splitLines(text, notes);
  const rawFiles = scan(lines, notes);
  const files: FileDiff[] = [];
  for (const raw of rawFiles) {
    const file = buildFile(raw, lines);
    if (file) files.push(file);
  }
  if (files.length === 0) notes.push('no file changes found in the diff');
  return { files, notes };
}

/** Splits on LF only (so index i is line i+1 of the input for any reader) and drops a CR before each LF. */
function splitLines(text: string, notes: string[]): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let crlf = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.endsWith('\r')) {
      lines[i] = line.slice(0, -1);
      crlf++;
    }
  }
  if (crlf > 0) notes.push(`${crlf} line(s) ended in CRLF; read as LF`);
  return lines;
}

function newRawFile(first: number, git: boolean): RawFile {
  return { first, git, headerLines: [], hasMinusPlus: false, similarity: false, binary: false, hunks: [], notes: [] };
}

/** First pass: file sections and hunk bodies, by line index. Linear in the number of lines. */
function scan(lines: string[], notes: string[]): RawFile[] {
  const files: RawFile[] = [];
  let current: RawFile | undefined;
  let skippingBadHunk = false;
  let strayCount = 0;
  let firstStray = -1;
  let inSignature = false;
  const n = lines.length;

  const start = (first: number, git: boolean): RawFile => {
    current = newRawFile(first, git);
    files.push(current);
    return current;
  };

  let i = 0;
  while (i < n) {
    const line = lines[i]!;

    if (skippingBadHunk) {
      const nextFile = line.startsWith('--- ') && i + 1 < n && lines[i + 1]!.startsWith('+++ ');
      if (!nextFile && (line === '' || /^[ \t+\-\\]/.test(line))) {
        i++;
        continue;
      }
      skippingBadHunk = false;
    }

    if (line.startsWith('diff --git ')) {
      inSignature = false;
      const file = start(i, true);
      file.gitHeader = line;
      file.headerLines.push(i);
      i++;
      continue;
    }

    if (line.startsWith('--- ') && i + 1 < n && lines[i + 1]!.startsWith('+++ ')) {
      inSignature = false;
      const file =
        current && current.git && !current.hasMinusPlus && current.hunks.length === 0 && !current.binary
          ? current
          : start(i, false);
      file.hasMinusPlus = true;
      file.headerLines.push(i, i + 1);
      i += 2;
      continue;
    }

    if (line.startsWith('@@')) {
      const m = HUNK_HEADER.exec(line);
      const counts = m ? [m[1], m[2] ?? '1', m[3], m[4] ?? '1'].map(Number) : [];
      if (!m || !counts.every(Number.isSafeInteger)) {
        // Before any file this is commit-message text (Coccinelle rules start with `@@`).
        if (current) current.notes.push(`unreadable hunk header at diff line ${i + 1}: ${clip(line)}; its lines skipped`);
        skippingBadHunk = current !== undefined;
        i++;
        continue;
      }
      inSignature = false;
      const file = current ?? start(i, false);
      if (file.headerLines.length === 0 && file.hunks.length === 0) {
        file.notes.push(`hunks without a file header (first at diff line ${i + 1})`);
      }
      let [oldStart, oldLines, newStart, newLines] = counts as [number, number, number, number];
      // Line numbers are 1-based; 0 only names the spot before line 1 of an empty side. `+0,3` would
      // number added lines from 0 (a finding on line 0); git apply and patch read it as line 1, so do we.
      if ((oldStart === 0 && oldLines > 0) || (newStart === 0 && newLines > 0)) {
        file.notes.push(`hunk header at diff line ${i + 1} starts a non-empty side at line 0; read as line 1`);
        if (oldStart === 0 && oldLines > 0) oldStart = 1;
        if (newStart === 0 && newLines > 0) newStart = 1;
      }
      const hunk = readHunkBody(lines, i, { oldStart, oldLines, newStart, newLines, section: m[5]!.replace(/^ /, '') });
      file.hunks.push(hunk);
      i = hunk.bodyEnd;
      continue;
    }

    if (current && current.hunks.length === 0 && !current.hasMinusPlus && readExtendedHeader(current, line, i)) {
      i++;
      continue;
    }

    const binary = /^Binary files (.+) and (.+) differ$/.exec(line);
    if (binary) {
      const file = current && current.hunks.length === 0 && !current.binary ? current : start(i, false);
      file.binary = true;
      file.binaryPaths = [binary[1]!, binary[2]!];
      i++;
      continue;
    }

    if (line === 'GIT binary patch' && current) {
      current.binary = true;
      i++;
      while (i < n && (lines[i] === '' || GIT_BINARY_DATA.test(lines[i]!))) i++;
      continue;
    }

    if (isSignatureSeparator(line)) {
      inSignature = true;
      i++;
      continue;
    }

    // An mbox separator starts the next mail: its text is no longer the signature's.
    if (line.startsWith('From ')) inSignature = false;
    if (current && !inSignature && line.trim() !== '' && !AFTER_DIFF_TEXT.test(line)) {
      if (firstStray < 0) firstStray = i;
      strayCount++;
    }
    i++;
  }

  if (strayCount > 0) {
    notes.push(`${strayCount} line(s) between files belong to no file header or hunk (first at diff line ${firstStray + 1})`);
  }
  return files;
}

/** Git's extended header lines between `diff --git` and `---`; returns false for anything else. */
function readExtendedHeader(file: RawFile, line: string, index: number): boolean {
  if (!file.git) return false;
  const m = /^(old mode|new mode|deleted file mode|new file mode|index|similarity index|dissimilarity index|rename from|rename to|copy from|copy to) (.*)$/.exec(line);
  if (!m) return false;
  const value = m[2]!;
  switch (m[1]) {
    case 'rename from':
      file.renameFrom = unquote(value);
      break;
    case 'rename to':
      file.renameTo = unquote(value);
      break;
    case 'copy from':
      file.copyFrom = unquote(value);
      break;
    case 'copy to':
      file.copyTo = unquote(value);
      break;
    case 'similarity index':
    case 'dissimilarity index':
      file.similarity = true;
      break;
    default:
      // Modes and `index` are what parse-diff reads from a header.
      file.headerLines.push(index);
  }
  return true;
}

/**
 * Reads a hunk body from the line after its header, stopping where the counts are met or where a
 * line cannot belong to a hunk (a cut-off hunk must not eat the next file).
 */
function readHunkBody(
  lines: string[],
  header: number,
  h: Pick<RawHunk, 'oldStart' | 'oldLines' | 'newStart' | 'newLines' | 'section'>,
): RawHunk {
  const n = lines.length;
  let oldLeft = h.oldLines;
  let newLeft = h.newLines;
  let k = header + 1;
  let eatenSpace = 0;
  let firstEaten = -1;
  while (k < n && (oldLeft > 0 || newLeft > 0)) {
    const line = lines[k]!;
    const c = line.charAt(0);
    if (c === '\\') {
      // The marker qualifies the line before it; with none (a hunk cut right after its header) it is not ours.
      if (k === header + 1) break;
      k++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      // A tab first: a context line whose leading space a mailer ate (GNU patch takes it too).
      if (oldLeft === 0 || newLeft === 0) break;
      if (c === '\t') {
        if (eatenSpace === 0) firstEaten = k;
        eatenSpace++;
      }
      oldLeft--;
      newLeft--;
    } else if (c === '-') {
      if (oldLeft === 0 || isSignature(lines, k, oldLeft, newLeft)) break;
      oldLeft--;
    } else if (c === '+') {
      if (newLeft === 0) break;
      newLeft--;
    } else if (line === '') {
      // A context line whose lone space a mailer trimmed — unless it is the blank line after a cut-off hunk.
      const completes = oldLeft === 1 && newLeft === 1;
      if (oldLeft === 0 || newLeft === 0 || (!completes && !(k + 1 < n && /^(?:[ +\-\\]|$)/.test(lines[k + 1]!)))) break;
      oldLeft--;
      newLeft--;
    } else {
      break;
    }
    k++;
  }
  if (k > header + 1 && k < n && lines[k]!.startsWith('\\')) k++;
  return {
    header,
    ...h,
    bodyEnd: k,
    countedOld: h.oldLines - oldLeft,
    countedNew: h.newLines - newLeft,
    eatenSpace,
    firstEaten,
  };
}

/** The mail signature separator `-- `, also as mailers mangle it (`--`, `--  `). */
function isSignatureSeparator(line: string): boolean {
  return line.startsWith('--') && line.trimEnd() === '--';
}

/** `-- ` inside a hunk is the mail signature when what follows is a git version, the end, or not hunk text. */
function isSignature(lines: string[], k: number, oldLeft: number, newLeft: number): boolean {
  if (!isSignatureSeparator(lines[k]!)) return false;
  if (k + 1 >= lines.length) return true;
  const next = lines[k + 1]!;
  if (GIT_VERSION.test(next)) return true;
  const wouldComplete = oldLeft === 1 && newLeft === 0;
  return !wouldComplete && !/^(?:[ +\-\\@]|$)/.test(next);
}

/** Second pass for one file: parse-diff reads the section, the result is aligned back onto the text's lines. */
function buildFile(raw: RawFile, lines: string[]): FileDiff | undefined {
  const notes = raw.notes;
  const usable: RawHunk[] = [];
  for (const h of raw.hunks) {
    if (h.countedOld + h.countedNew === 0) {
      notes.push(`hunk ${hunkLabel(h)} at diff line ${h.header + 1} has no lines; skipped`);
    } else {
      usable.push(h);
    }
  }
  if (raw.headerLines.length === 0 && usable.length === 0 && !raw.binary) return undefined;

  const feed: string[] = raw.headerLines.map((i) => lines[i]!);
  for (const h of usable) {
    feed.push(`@@ -${h.oldStart},${h.countedOld} +${h.newStart},${h.countedNew} @@`);
    for (let k = h.header + 1; k < h.bodyEnd; k++) {
      const line = lines[k]!;
      feed.push(line.startsWith('\\') ? NO_NEWLINE : line.startsWith('\t') ? ` ${line}` : line);
    }
  }
  let parsed: parseDiff.File[] = [];
  try {
    parsed = feed.length > 0 ? parseDiff(feed.join('\n')) : [];
  } catch (err) {
    // Not expected on the cleaned-up section, but a third-party parser must not take the whole diff down.
    notes.push(`parse-diff failed on the file at diff line ${raw.first + 1}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const pd = parsed[0];
  if (parsed.length > 1) notes.push(`parse-diff saw ${parsed.length} files in one section at diff line ${raw.first + 1}`);

  const hunks: Hunk[] = [];
  usable.forEach((h, idx) => {
    const chunk = pd?.chunks[idx];
    const bodyLength = h.bodyEnd - h.header - 1;
    if (!chunk || chunk.changes.length !== bodyLength) {
      notes.push(`hunk ${hunkLabel(h)} at diff line ${h.header + 1} could not be aligned with parse-diff's reading; skipped`);
      return;
    }
    hunks.push(toHunk(h, chunk.changes));
    if (h.eatenSpace > 0) {
      notes.push(
        `${h.eatenSpace} context line(s) of hunk ${hunkLabel(h)} start with a tab instead of a space ` +
          `(first at diff line ${h.firstEaten + 1}); read as context`,
      );
    }
    if (h.countedOld !== h.oldLines || h.countedNew !== h.newLines) {
      notes.push(
        `hunk ${hunkLabel(h)} at diff line ${h.header + 1} is truncated: ` +
          `${h.countedOld} old / ${h.countedNew} new line(s) present`,
      );
    }
  });

  let oldPath = normalizePath(pd?.from);
  let newPath = normalizePath(pd?.to);
  if (oldPath === undefined && newPath === undefined && raw.binaryPaths) {
    oldPath = normalizePath(stripPrefix(raw.binaryPaths[0]));
    newPath = normalizePath(stripPrefix(raw.binaryPaths[1]));
  }
  if (raw.gitHeader && oldPath === undefined && newPath === undefined) {
    [oldPath, newPath] = gitHeaderPaths(raw.gitHeader);
  }
  if (!raw.git && oldPath !== undefined && newPath !== undefined) [oldPath, newPath] = stripTreeDirs(oldPath, newPath);
  const isNew = pd?.new === true || (pd !== undefined && pd.from === '/dev/null');
  const isDeleted = pd?.deleted === true || (pd !== undefined && pd.to === '/dev/null');
  if (isNew) oldPath = undefined;
  if (isDeleted) newPath = undefined;
  oldPath = raw.renameFrom ?? raw.copyFrom ?? oldPath;
  newPath = raw.renameTo ?? raw.copyTo ?? newPath;

  const oldMode = pd?.oldMode;
  const newMode = pd?.newMode;
  let status: FileStatus;
  if (raw.binary) {
    status = 'binary';
    notes.push('binary file skipped');
  } else if (isNew) status = 'added';
  else if (isDeleted) status = 'deleted';
  else if (raw.renameFrom !== undefined || raw.renameTo !== undefined) status = 'renamed';
  else if (raw.copyFrom !== undefined || raw.copyTo !== undefined) status = 'copied';
  else if (raw.similarity && oldPath !== newPath) status = 'renamed';
  else if (hunks.length === 0 && oldMode !== undefined && newMode !== undefined && oldMode !== newMode) status = 'mode-only';
  else status = 'modified';
  if (status !== 'mode-only' && !isNew && !isDeleted && oldMode !== undefined && newMode !== undefined && oldMode !== newMode) {
    notes.push(`mode changed ${oldMode} → ${newMode}`);
  }
  if (status === 'modified' && hunks.length === 0 && raw.hunks.length === 0) notes.push('no content changes');

  // A binary file keeps no hunks (text hunks after a `Binary files` line are stray); its added lines go with them.
  const kept = raw.binary ? [] : hunks;
  const { added, deletedAt } = changedLines(kept);
  const file: FileDiff = { status, hunks: kept, added, deletedAt, notes, diffLine: raw.first + 1 };
  if (oldPath !== undefined) file.oldPath = oldPath;
  if (newPath !== undefined) file.newPath = newPath;
  if (oldMode !== undefined) file.oldMode = oldMode;
  if (newMode !== undefined) file.newMode = newMode;
  return file;
}

function toHunk(h: RawHunk, changes: parseDiff.Change[]): Hunk {
  const out: DiffLine[] = [];
  const post: string[] = [];
  changes.forEach((change, j) => {
    const diffLine = h.header + 2 + j;
    if (change.content.startsWith('\\')) {
      const last = out[out.length - 1];
      if (last) last.noNewline = true;
      return;
    }
    const text = change.content.slice(1);
    if (change.type === 'normal') {
      out.push({ kind: 'ctx', text, oldLine: change.ln1, newLine: change.ln2, diffLine });
      post.push(text);
    } else if (change.type === 'del') {
      out.push({ kind: 'del', text, oldLine: change.ln, diffLine });
    } else {
      out.push({ kind: 'add', text, newLine: change.ln, diffLine });
      post.push(text);
    }
  });
  const hunk: Hunk = {
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    section: h.section,
    lines: out,
    postImage: post.join('\n'),
    diffLine: h.header + 1,
  };
  if (h.countedOld !== h.oldLines || h.countedNew !== h.newLines) hunk.truncated = true;
  return hunk;
}

/**
 * Added lines, and where each run of removed lines sits in the new file: the post-image line that
 * follows it; for a run at the end of a hunk (git only ends a hunk on a removal at end of file) the
 * line before it, since nothing follows.
 */
function changedLines(hunks: Hunk[]): { added: Set<number>; deletedAt: Set<number> } {
  const added = new Set<number>();
  const deletedAt = new Set<number>();
  for (const hunk of hunks) {
    let next = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
    let pending = false;
    for (const line of hunk.lines) {
      if (line.kind === 'del') {
        pending = true;
        continue;
      }
      next = (line.newLine ?? next) + 1;
      if (pending) deletedAt.add(next - 1);
      pending = false;
      if (line.kind === 'add' && line.newLine !== undefined) added.add(line.newLine);
    }
    if (pending) {
      const hasPost = hunk.lines.some((l) => l.kind !== 'del');
      const at = hasPost ? next - 1 : hunk.newStart === 0 ? 0 : hunk.newStart + 1;
      if (at >= 1) deletedAt.add(at);
    }
  }
  return { added, deletedAt };
}

function normalizePath(path: string | undefined): string | undefined {
  if (path === undefined || path === '' || path === '/dev/null') return undefined;
  return path;
}

function stripPrefix(path: string): string {
  return unquote(path).replace(/^[ab]\//, '');
}

/** `diff --git a/P b/P` with no `---`/`+++` (renames, mode changes, binaries): split where both halves agree. */
function gitHeaderPaths(line: string): [string | undefined, string | undefined] {
  const rest = line.slice('diff --git '.length);
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (rest.length % 2 === 1) {
    const mid = (rest.length - 1) / 2;
    const a = stripPrefix(rest.slice(0, mid));
    const b = stripPrefix(rest.slice(mid + 1));
    if (rest[mid] === ' ' && a === b) return [a, b];
  }
  if (quoted) return [stripPrefix(quoted[1]!), stripPrefix(quoted[2]!)];
  const at = rest.indexOf(' b/');
  if (at > 0) return [stripPrefix(rest.slice(0, at)), stripPrefix(rest.slice(at + 1))];
  return [undefined, undefined];
}

/** Quilt-style `linux-5.4.orig/x` vs `linux-5.4/x`: drop the differing top directories, as `patch -p1` would. */
function stripTreeDirs(oldPath: string, newPath: string): [string, string] {
  const a = oldPath.indexOf('/');
  const b = newPath.indexOf('/');
  if (a > 0 && b > 0 && oldPath.slice(0, a) !== newPath.slice(0, b) && oldPath.slice(a) === newPath.slice(b)) {
    return [oldPath.slice(a + 1), newPath.slice(b + 1)];
  }
  return [oldPath, newPath];
}

/** Git C-quotes paths with unusual bytes: `"a/t\303\251st.c"`. */
function unquote(path: string): string {
  if (!(path.length >= 2 && path.startsWith('"') && path.endsWith('"'))) return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      const e = body[i + 1]!;
      bytes.push(simple[e] ?? e.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function hunkLabel(h: Pick<RawHunk, 'oldStart' | 'oldLines' | 'newStart' | 'newLines'>): string {
  return `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
