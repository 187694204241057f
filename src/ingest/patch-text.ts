// Ingest stage: splits a decoded message body into commit message, unified diff and the rest (notes, quotes, signature).

/** What a body holds, by line index into the body's lines. */
export interface PatchText {
  /** Commit message: above the first `---` line (or above the diff), in-body headers removed, trimmed. */
  description: string;
  /** The unified diff, LF newlines, ending with a newline; '' when there is none. */
  diff: string;
  /** Index (0-based) in the body's lines of the diff's first line; -1 when there is no diff. */
  diffStart: number;
  /** Everything that is not the diff (message, notes, text after the diff), for trailers and classification. */
  otherText: string;
  /** Lines quoting a diff (`> @@ -1,3`, `> diff --git`) — the mark of a reply. */
  quotesDiff: boolean;
  /** `From:`/`Subject:`/`Date:` lines opening the body, which override the mail's own (as `git am` does). */
  inBody: { from?: string; subject?: string; date?: string };
}

const DIFF_GIT = /^diff --git \S/;
// `diff -urN a/x b/x`: only with its `---` line close below, so prose such as "diff -u shows" is no diff.
const DIFF_OPTIONS = /^diff (?:-[A-Za-z]+ )+\S/;
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const FILE_HEADER =
  /^(?:diff |index |--- |\+\+\+ |old mode |new mode |deleted file mode |new file mode |similarity index |dissimilarity index |rename from |rename to |copy from |copy to |Binary files |Index: |={20,}$)/;
// File header lines that cannot end a diff: more header or a hunk must follow.
const OPEN_HEADER = /^(?:diff |index |--- |\+\+\+ |Index: |={20,}$)/;
const QUOTED_DIFF = /^(?:> ?)+(?:diff --git |@@ -\d|\+\+\+ [ab/]|--- a\/)/;
const SEPARATOR = /^---[ \t]*$/;
const IN_BODY_HEADER = /^(From|Subject|Date):[ \t]*(.*)$/;
// What git format-patch --base and b4 append after the diff; not part of it.
const DIFF_EPILOGUE = /^(?:base-commit|prerequisite-patch-id|change-id):/;

/** Index of the first line that opens a unified diff (`diff --git`, `Index:`+`===`, `---`+`+++`+`@@`), or -1. */
export function findDiffStart(lines: readonly string[], from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    const first = line.charCodeAt(0);
    // 'd', 'I', '-': every opening line starts with one of these.
    if (first !== 100 && first !== 73 && first !== 45) continue;
    if (DIFF_GIT.test(line)) return i;
    if (DIFF_OPTIONS.test(line) && lines.slice(i + 1, i + 4).some((next) => next.startsWith('--- '))) return i;
    if (line.startsWith('Index: ') && /^={20,}$/.test(lines[i + 1] ?? '') && (lines[i + 2] ?? '').startsWith('--- ')) {
      return i;
    }
    if (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ') && HUNK.test(lines[i + 2] ?? '')) return i;
  }
  return -1;
}

/**
 * Where the diff that starts at `start` ends (exclusive). Hunk counts decide when they add up;
 * when they do not (hand-edited or mangled hunks, cut-off mail) the text runs on to the
 * `-- ` signature or the end of the body, for the diff stage to judge.
 */
export function findDiffEnd(lines: readonly string[], start: number, to = lines.length): number {
  let oldLeft = 0;
  let newLeft = 0;
  let lastDiffLine = start;
  let inBinary = false;
  let clean = true;
  let i = start;
  for (; i < to; i++) {
    const line = lines[i]!;
    if (oldLeft > 0 || newLeft > 0) {
      const first = line[0];
      if (first === ' ' || line === '') {
        oldLeft--;
        newLeft--;
      } else if (first === '-') oldLeft--;
      else if (first === '+') newLeft--;
      else if (first !== '\\') {
        clean = false;
        break;
      }
      if (oldLeft < 0 || newLeft < 0) {
        clean = false;
        break;
      }
      lastDiffLine = i;
      continue;
    }
    if (inBinary) {
      if (line !== '' || /^(?:literal|delta) \d+/.test(lines[i + 1] ?? '')) {
        lastDiffLine = i;
        continue;
      }
      inBinary = false;
      continue;
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
      lastDiffLine = i;
      continue;
    }
    if (line === 'GIT binary patch') {
      inBinary = true;
      lastDiffLine = i;
      continue;
    }
    if (FILE_HEADER.test(line) || line.startsWith('\\')) {
      lastDiffLine = i;
      continue;
    }
    if (line === '') continue;
    // b4 closes the diff with `---` before `base-commit:`; other text ends it too, unless
    // it is a hunk line right after a hunk (the header counted wrong) or the rest of a
    // file header that a mailer wrapped.
    if (!SEPARATOR.test(line)) {
      if (/^[ +-]/.test(line) && i - 1 === lastDiffLine) clean = false;
      if (OPEN_HEADER.test(lines[lastDiffLine]!)) clean = false;
    }
    break;
  }
  // More hunks further down mean the text in between is a mangled part of the diff, not its end.
  for (let k = i + 1; clean && k < to; k++) {
    if (lines[k]!.startsWith('@@ -') || lines[k]!.startsWith('diff --git ')) clean = false;
  }
  // A clean end is the last counted line, which may be a blank context line; keep it.
  if (clean && i < to) return lastDiffLine + 1;
  let end = clean ? to : (signatureStart(lines, start, to) ?? to);
  while (end > start + 1 && (lines[end - 1] === '' || DIFF_EPILOGUE.test(lines[end - 1]!))) end--;
  return end;
}

/** The `-- ` line opening a trailing mail signature (git's `-- \n2.43.0`), if the body ends with one. */
function signatureStart(lines: readonly string[], from: number, to: number): number | undefined {
  for (let i = to - 1; i > from; i--) {
    const line = lines[i]!;
    if (line === '-- ' || (line === '--' && /^\d+\.\d+/.test(lines[i + 1] ?? ''))) {
      return lines.slice(i + 1, to).some((after) => after.trim() !== '') ? i : undefined;
    }
    // A signature is short and holds no diff lines; meeting one means there is none.
    if (to - i > 30 || /^[+\-@\\]/.test(line) || line.startsWith('diff ')) return undefined;
  }
  return undefined;
}

/** Splits body lines (decoded, LF) into description, diff and the rest. */
export function splitPatchText(lines: readonly string[]): PatchText {
  const diffStart = findDiffStart(lines);
  const diffEnd = diffStart === -1 ? lines.length : findDiffEnd(lines, diffStart);
  const messageEnd = diffStart === -1 ? lines.length : diffStart;

  const inBody: PatchText['inBody'] = {};
  let first = 0;
  while (first < messageEnd && lines[first]!.trim() === '') first++;
  let cursor = first;
  for (; cursor < messageEnd; cursor++) {
    const match = IN_BODY_HEADER.exec(lines[cursor]!);
    if (!match) break;
    const key = match[1]!.toLowerCase() as 'from' | 'subject' | 'date';
    if (inBody[key] !== undefined) break;
    inBody[key] = match[2]!.trim();
  }
  // In-body headers count only as a block of their own, ended by a blank line.
  if (cursor > first && (cursor === messageEnd || lines[cursor]!.trim() === '')) first = cursor;
  else for (const key of Object.keys(inBody) as (keyof PatchText['inBody'])[]) delete inBody[key];

  while (first < messageEnd && lines[first]!.trim() === '') first++;
  let descriptionEnd = nextSeparator(lines, first, messageEnd);
  // OpenWrt/quilt headers fence the message in `---` lines; a patch with an empty message
  // opens with the one `---` above its diffstat.
  if (descriptionEnd === first && first < messageEnd) {
    const closing = nextSeparator(lines, first + 1, messageEnd);
    if (closing < messageEnd) {
      first += 1;
      descriptionEnd = closing;
    }
  }

  const other: string[] = [];
  let quotesDiff = false;
  for (let i = 0; i < lines.length; i++) {
    if (i === diffStart) {
      i = diffEnd - 1;
      continue;
    }
    const line = lines[i]!;
    if (!quotesDiff && line.startsWith('>') && QUOTED_DIFF.test(line)) quotesDiff = true;
    other.push(line);
  }

  return {
    description: trimBlankLines(lines.slice(first, descriptionEnd)).join('\n'),
    diff: diffStart === -1 ? '' : `${lines.slice(diffStart, diffEnd).join('\n')}\n`,
    diffStart,
    otherText: other.join('\n'),
    quotesDiff,
    inBody,
  };
}

function trimBlankLines(lines: string[]): string[] {
  let from = 0;
  let to = lines.length;
  while (from < to && lines[from]!.trim() === '') from++;
  while (to > from && lines[to - 1]!.trim() === '') to--;
  return lines.slice(from, to);
}

function nextSeparator(lines: readonly string[], from: number, to: number): number {
  for (let i = from; i < to; i++) if (SEPARATOR.test(lines[i]!)) return i;
  return to;
}
