// Diff-model stage: files → hunks → lines with old/new numbers (built on parse-diff).

export interface DiffLine {
  kind: 'add' | 'del' | 'ctx';
  /** The line's text without the leading '+', '-' or ' '. */
  text: string;
  /** Line number in the pre-image (del, ctx). */
  oldLine?: number;
  /** Line number in the post-image (add, ctx). */
  newLine?: number;
  /** Line number of this line inside the diff text (1-based), to map back to the input file. */
  diffLine: number;
  /** The line was followed by `\ No newline at end of file` (it is the last line of its side, without a newline). */
  noNewline?: boolean;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The text after the second `@@` (git puts the enclosing function's line there). */
  section: string;
  lines: DiffLine[];
  /** Context and added lines joined with '\n' — what this part of the new file looks like. */
  postImage: string;
  /** Line number of the `@@` header inside the diff text (1-based). */
  diffLine?: number;
  /**
   * The body ended before the header's counts were reached (cut-off mail, miscounted hand edit).
   * `oldLines`/`newLines` keep the header's numbers; `lines` holds what was really there.
   */
  truncated?: boolean;
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'binary' | 'mode-only';

export interface FileDiff {
  /** Path before the change (without `a/`), undefined for a new file. */
  oldPath?: string;
  /** Path after the change (without `b/`), undefined for a deleted file. */
  newPath?: string;
  status: FileStatus;
  hunks: Hunk[];
  /** Post-image line numbers of added lines. */
  added: Set<number>;
  /**
   * Post-image line numbers just after a deletion (the line that now follows the removed lines),
   * so a removal can be tied to a place in the new file.
   */
  deletedAt: Set<number>;
  /** Skips and oddities, e.g. "binary file skipped". */
  notes: string[];
  /** Line number (1-based) inside the diff text of the file's first header line (`diff --git`, `---`, or its first `@@`). */
  diffLine?: number;
  /** File mode before the change, when the diff states it (`old mode`, `deleted file mode`, `index … 100644`). */
  oldMode?: string;
  /** File mode after the change, when the diff states it (`new mode`, `new file mode`, `index … 100644`). */
  newMode?: string;
}

/** A parsed diff: every file it touches, in order. */
export interface DiffModel {
  files: FileDiff[];
  notes: string[];
}
