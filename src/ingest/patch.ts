// Ingest stage: the Patch type every way in produces (a mail, an mbox entry, a bare diff, a PR file).

/** What the subject's bracketed tags say: `[PATCH net-next v3 2/7]`, `[PATCH 5.10 009/105]`, `[RFC PATCH]`. */
export interface SubjectTags {
  /** The subject with `Re:`/`Fwd:` and the leading bracket groups removed. */
  title: string;
  /** Tree named in the tags: `net`, `net-next`, `wireless-next`, `bpf-next`, `iwl-net`, ...; a stable tree is `stable`. */
  tree?: string;
  /** For stable trees (`[PATCH 5.10 009/105]`, `[PATCH 6.1.y]`, `[PATCH stable 5.15]`): "5.10". */
  stableVersion?: string;
  /** Series revision from `vN` (1 when absent). */
  revision: number;
  /** Position in the series (`2/7` → 2), 0 for a cover letter. Absent when the subject has no n/m. */
  index?: number;
  total?: number;
  rfc: boolean;
  /** Every bracketed token, in order, as written (for display). */
  raw: string[];
  /** True when the subject starts with `Re:` (a reply, not a patch). */
  isReply: boolean;
}

/** Trailers of the commit message that matter for triage. */
export interface Trailers {
  /** Every `Fixes:` value as written: `0123456789ab ("net: foo: bar")` (a wrapped title rejoined). */
  fixes: string[];
  /** `base-commit:` hash (git format-patch --base, b4), lower-case. */
  baseCommit?: string;
  /** Every `Signed-off-by:` value, in order: `Name <mail>`. */
  signedOffBy: string[];
}

/** One patch to review (or a cover letter / reply, flagged so the pipeline skips it). */
export interface Patch {
  /** Where it came from, for messages: the file name, plus `#N` for the Nth message of an mbox. */
  origin: string;
  /** Position in the input (0-based), to keep series order. */
  ordinal: number;
  /** Message ids (here, in `inReplyTo` and in `references`) are bare, without `<>`: `20250101.123-1-a@b.org`. */
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  from?: string;
  date?: string;
  subject?: string;
  tags: SubjectTags;
  /** The commit message body (above the `---`), decoded. */
  description: string;
  trailers: Trailers;
  /** The unified diff text (from the first `diff --git`/`---`+`+++` pair to the end of the diff), decoded, LF newlines. */
  diff: string;
  /**
   * Line number (1-based) in the *input file* where `diff` starts, so that
   * positions in the diff can be reported as positions in the file (checkpatch `#N:`, GitHub `.patch` files).
   * 0 when there is no diff. Exact for plain (7bit/8bit) bodies; for a MIME-decoded diff whose
   * lines are not verbatim in the file it is the decoded part's first line, and `notes` says so.
   */
  diffStartLine: number;
  kind: 'patch' | 'cover-letter' | 'reply' | 'pull-request' | 'no-diff';
  /** Why a message is not reviewed, or what was odd about it (undecodable charset, binary part...). */
  notes: string[];
}
