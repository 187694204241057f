// Dev stand-in for GitHub: which lines of a pull-request file's `patch` GitHub lets a review comment anchor on.

/*
 * Deliberately independent of src/diff: the stand-in is the oracle the app's own diff code is
 * tested against, so it must not share that code's mistakes. It reads only what GitHub's
 * "list pull request files" returns in `patch`: hunks (`@@ -a,b +c,d @@`) without file headers.
 */

/** One side of a diff, as the review API names it. */
export type DiffSide = 'LEFT' | 'RIGHT';

/** Where a line of the patch sits: its number on each side it exists on, and its hunk. */
export interface PatchLine {
  /** 1-based position as the legacy `position` parameter counts it (lines below the first `@@`). */
  position: number;
  /** Index of the hunk the line belongs to (0-based). */
  hunk: number;
  /** Line number in the base file (context and removed lines). */
  left?: number;
  /** Line number in the head file (context and added lines). */
  right?: number;
  /** The raw patch line, including its leading ` `, `+`, `-` (or the `@@` header itself). */
  text: string;
}

/** The commentable lines of one file's patch, indexed every way the review API can address them. */
export interface HunkLines {
  /** Every line below the first hunk header, in order (hunk headers after the first included). */
  lines: PatchLine[];
  /** Line number → patch line, for each side. */
  bySide: Record<DiffSide, Map<number, PatchLine>>;
  /** Legacy `position` → patch line. */
  byPosition: Map<number, PatchLine>;
  /** Index into `lines` where each hunk header sits (-1 for the first, which has no position). */
  hunkStarts: number[];
  /** Added and removed line counts, as GitHub reports `additions`/`deletions`. */
  additions: number;
  deletions: number;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Reads a GitHub `patch` string into the lines a review comment may address. */
export function hunkLines(patch: string | undefined): HunkLines {
  const result: HunkLines = {
    lines: [],
    bySide: { LEFT: new Map(), RIGHT: new Map() },
    byPosition: new Map(),
    hunkStarts: [],
    additions: 0,
    deletions: 0,
  };
  if (patch === undefined || patch === '') return result;
  let hunk = -1;
  let left = 0;
  let right = 0;
  let position = 0;
  const rows = patch.split('\n');
  // A patch that ends with a newline yields one empty string after it, which is no diff line.
  if (rows.at(-1) === '') rows.pop();
  for (const text of rows) {
    const header = HUNK_HEADER.exec(text);
    if (header) {
      hunk += 1;
      left = Number(header[1]);
      right = Number(header[2]);
      // The first header is position 0; later headers take a position like any other line.
      if (hunk === 0) {
        result.hunkStarts.push(-1);
        continue;
      }
      position += 1;
      const line: PatchLine = { position, hunk, text };
      result.hunkStarts.push(result.lines.length);
      result.lines.push(line);
      result.byPosition.set(position, line);
      continue;
    }
    if (hunk < 0) continue; // text before any hunk (never sent by GitHub) anchors nothing
    position += 1;
    const line: PatchLine = { position, hunk, text };
    const mark = text[0];
    if (mark === '+') {
      line.right = right++;
      result.additions += 1;
    } else if (mark === '-') {
      line.left = left++;
      result.deletions += 1;
    } else if (mark === '\\') {
      // "\ No newline at end of file" belongs to the line before; it takes a position, no number.
    } else {
      line.left = left++;
      line.right = right++;
    }
    result.lines.push(line);
    result.byPosition.set(position, line);
    if (line.left !== undefined) result.bySide.LEFT.set(line.left, line);
    if (line.right !== undefined) result.bySide.RIGHT.set(line.right, line);
  }
  return result;
}

/**
 * The `diff_hunk` GitHub stores with a review comment: the hunk's header and every line of the
 * hunk up to and including the commented one.
 */
export function diffHunkFor(patch: string | undefined, target: PatchLine): string {
  if (patch === undefined) return '';
  const rows = patch.split('\n');
  let hunk = -1;
  const out: string[] = [];
  let position = 0;
  for (const text of rows) {
    if (HUNK_HEADER.test(text)) {
      hunk += 1;
      if (hunk > 0) position += 1;
      if (hunk > target.hunk) break;
      if (hunk === target.hunk) out.push(text);
      continue;
    }
    if (hunk < 0) continue;
    position += 1;
    if (hunk === target.hunk) out.push(text);
    if (position === target.position) break;
  }
  return out.join('\n');
}
