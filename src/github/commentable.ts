// GitHub way in: which lines of a pull request file GitHub accepts review comments on, read from the file's `patch`.

/*
 * GitHub takes a review comment only on a line inside one of the file's diff hunks: on the RIGHT side a
 * context or added line (new-file numbering), on the LEFT side a context or removed line (old-file
 * numbering); a multi-line comment's start_line must be in the same hunk as its line, else the whole
 * review is refused with 422 "start line must be part of the same hunk as the line".
 *
 * The `patch` of `GET /repos/{owner}/{repo}/pulls/{n}/files` is that diff: hunks only, no file header,
 * with exact header counts. It is read here with a small walker rather than `parseUnifiedDiff`, whose
 * tolerance for mail damage is wrong for this input: it takes a removed line `-` (written `--`) at the
 * end of a hunk for a mail signature — and PRs that carry `.patch` files remove such lines routinely.
 * GitHub leaves `patch` out for binary files and for diffs too large to show; then no line is commentable.
 */

export type DiffSide = 'RIGHT' | 'LEFT';

/** The commentable lines of one file, per side, and which hunk (0-based, in patch order) each is in. */
export interface CommentableLines {
  right: ReadonlyMap<number, number>;
  left: ReadonlyMap<number, number>;
  /** Number of hunks read. */
  hunks: number;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const NONE: CommentableLines = { right: new Map(), left: new Map(), hunks: 0 };

/** Reads a file's `patch` (undefined when GitHub gave none) into its commentable lines. */
export function commentableLines(patch: string | undefined): CommentableLines {
  if (patch === undefined || patch === '') return NONE;
  const right = new Map<number, number>();
  const left = new Map<number, number>();
  let hunk = -1;
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  const open = (header: string): void => {
    const m = HUNK_HEADER.exec(header);
    if (!m) return;
    hunk++;
    oldLine = Number(m[1]);
    oldLeft = m[2] === undefined ? 1 : Number(m[2]);
    newLine = Number(m[3]);
    newLeft = m[4] === undefined ? 1 : Number(m[4]);
  };

  const lines = patch.split('\n');
  if (patch.endsWith('\n')) lines.pop();
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const c = line.charAt(0);
    if (oldLeft === 0 && newLeft === 0) {
      // Between hunks only a header means something; GitHub puts nothing else there.
      open(line);
    } else if (c === '\\') {
      // "\ No newline at end of file" qualifies the line before it.
    } else if (c === '+' && newLeft > 0) {
      right.set(newLine++, hunk);
      newLeft--;
    } else if (c === '-' && oldLeft > 0) {
      left.set(oldLine++, hunk);
      oldLeft--;
    } else if ((c === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
      // An empty line is a context line whose space was trimmed on the way (GitHub keeps it; others may not).
      right.set(newLine++, hunk);
      left.set(oldLine++, hunk);
      oldLeft--;
      newLeft--;
    } else {
      // A hunk cut short (a truncated patch): what was read stays commentable, the rest of it is not.
      oldLeft = newLeft = 0;
      open(line);
    }
  }
  return { right, left, hunks: hunk + 1 };
}

/**
 * The last patch read, kept because callers ask about many lines of one file in a row; a patch is at most
 * a few hundred KB (GitHub drops larger ones), so one entry costs little.
 */
let last: { patch: string; lines: CommentableLines } | undefined;

function cached(patch: string | undefined): CommentableLines {
  if (patch === undefined) return NONE;
  if (last?.patch !== patch) last = { patch, lines: commentableLines(patch) };
  return last.lines;
}

/** True when GitHub accepts a review comment on `line` of `side` (RIGHT: new file, LEFT: old file). */
export function isCommentable(patch: string | undefined, line: number, side: DiffSide = 'RIGHT'): boolean {
  const lines = cached(patch);
  return (side === 'RIGHT' ? lines.right : lines.left).has(line);
}

/**
 * True when RIGHT-side lines `start` and `end` are both commentable and in the same hunk, as a multi-line
 * comment (and so a multi-line suggestion) needs. Every line between them is then in that hunk too.
 */
export function sameHunk(patch: string | undefined, start: number, end: number): boolean {
  const right = cached(patch).right;
  const a = right.get(start);
  return a !== undefined && start <= end && right.get(end) === a;
}

/** `isCommentable` and `sameHunk` by path, over a pull request's files (what `buildReview` asks for). */
export function commentableFiles(files: readonly { filename: string; patch?: string }[]): {
  isCommentable(path: string, line: number): boolean;
  sameHunk(path: string, start: number, end: number): boolean;
} {
  const byPath = new Map<string, CommentableLines>();
  for (const f of files) byPath.set(f.filename, commentableLines(f.patch));
  return {
    isCommentable: (path, line) => byPath.get(path)?.right.has(line) ?? false,
    sameHunk: (path, start, end) => {
      const right = byPath.get(path)?.right;
      const a = right?.get(start);
      return a !== undefined && start <= end && right?.get(end) === a;
    },
  };
}
