// The one neutral type that crosses every stage: rules produce Findings, reporters consume them.

export type Severity = 'error' | 'warning' | 'info';

/**
 * Canonical names of the document's sections. The citations stage maps each to the heading
 * used by a given version of the document (old and new headings are aliases).
 */
export type SectionKey =
  | 'lifetime' // "struct net_device lifetime rules" (older: "struct net_device allocation rules")
  | 'mtu' // "MTU"
  | 'sync' // "struct net_device synchronization rules"
  | 'napi' // "struct napi_struct synchronization rules"
  | 'instance-lock' // "netdev instance lock"
  | 'kernel-locking'; // Documentation/kernel-hacking/locking.rst (contexts netdevices.rst does not cover)

/** What a rule enforces: a section and, where the section lists callbacks, the entry (e.g. `ndo_start_xmit`). */
export interface DocRef {
  section: SectionKey;
  /** Canonical (new) entry name: `ndo_start_xmit`, `ndo_tx_timeout`, `ndo_set_rx_mode`, `ndo_get_stats`, `napi->poll`, ... */
  entry?: string;
}

/** A resolved citation: where that section/entry is in the document the target tree ships, and a link to it. */
export interface Citation {
  /** The heading as that version of the document writes it. */
  section: string;
  /** The entry as that version writes it (e.g. `dev->hard_start_xmit` in old documents). */
  entry?: string;
  /** Permalink to the lines, or the published docs page with anchor. */
  url: string;
  /** Which document the citation was resolved against, e.g. "v6.1", "mainline", "tree at 1a2b3c4". */
  docLabel: string;
  /** 1-based lines of the section (or entry) in that document, when known. */
  lines?: { start: number; end: number };
}

/** A mechanical fix: replace whole post-image lines `line..endLine` with `replacement` (may span several lines). */
export interface Fix {
  line: number;
  endLine: number;
  replacement: string;
  /** One-line description, e.g. "use free_netdev()". */
  description: string;
}

export interface Finding {
  ruleId: string;
  /** Which of the rule's messages this is (stable across wording changes; tests and fingerprints use it). */
  messageId?: string;
  severity: Severity;
  /** Post-image path of the C file. */
  file: string;
  /** Post-image line of the offending construct (1-based). */
  line: number;
  endLine?: number;
  message: string;
  doc: DocRef;
  /** Filled by the citations stage. */
  citation?: Citation;
  fix?: Fix;
  /** How a context reaches the flagged call, e.g. ["foo_start_xmit", "foo_refill", "mutex_lock"]. */
  chain?: string[];
  /** Post-image lines the finding rests on (the anchor included); scope filtering looks for changed lines here. */
  evidence: number[];
  /** The text of the offending line, for text and mail output. */
  sourceLine?: string;
  /** Set by the scope filter: does the change introduce it, or was it already there (shown with --all)? */
  scope?: 'change' | 'pre-existing';
  /** Where the anchor line sits in the input file (patch/mbox line, 1-based), when it is a line of the diff. */
  inputLine?: number;
}
