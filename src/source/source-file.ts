// Source stage: the best C text available for one changed file, with what is known about it.

import type { DiffLine } from '../diff/model.js';

/** A contiguous stretch of the post-image that is known text. */
export interface SourceUnit {
  /** Text of the stretch, LF newlines. */
  text: string;
  /** Post-image line number of the first line of `text` (1-based). */
  firstLine: number;
}

export interface SourceFile {
  /** Post-image path (e.g. drivers/net/ethernet/foo/foo_main.c). */
  path: string;
  /**
   * `full`: the whole post-image file (from --tree with the patch applied, or the PR head);
   * `stitched`: only hunk post-images, one unit per contiguous stretch.
   */
  completeness: 'full' | 'stitched';
  /** One unit when full; one per run of adjacent hunks when stitched. */
  units: SourceUnit[];
  /** Post-image line numbers of lines the change added. */
  added: Set<number>;
  /** Post-image line numbers right after a removal. */
  deletedAt: Set<number>;
  /** How the text was obtained, for the report ("applied to tree at ...", "patch did not apply: ..."). */
  notes: string[];
  /**
   * Post-image line of this SourceFile → the diff line it came from (context and added lines only),
   * so a finding anchored on a SourceFile line can be reported at its place in the patch. When the
   * patch applied to a tree at an offset, keys are the real file's lines and the DiffLine keeps the
   * hunk header's numbering (`newLine`) and its position in the diff text (`diffLine`).
   * Always set by `buildSource`; lines outside every hunk have no entry.
   */
  lineMap?: Map<number, DiffLine>;
}
