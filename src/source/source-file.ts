// Source stage: the best C text available for one changed file, with what is known about it.

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
}
