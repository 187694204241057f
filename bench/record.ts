// Benchmark: the shape of the performance record — what each measured part hands to the report.

/** The machine and software a record was taken on. */
export interface Machine {
  cpu: string;
  cores: number;
  ramGB: number;
  os: string;
  node: string;
  treeSitter: string;
  treeSitterC: string;
  /** ISO date and time the run started. */
  date: string;
  /** Commit of the working tree, when it is a git checkout. */
  commit?: string;
  /** 1-minute load average when the run started (other work makes figures noisy). */
  load: number;
}

/** One item (a patch, a file) of a throughput run: its size and how long it took. */
export interface ItemTime {
  bytes: number;
  /** Our time for the item, all stages. */
  ms: number;
  /** tree-sitter parse-only time of the same C; undefined when the item holds no C. */
  floorMs?: number;
}

/** A throughput run over one input: the pipeline (patches) or the audit path (whole files). */
export interface Throughput {
  /** The input as shown in the record (directory). */
  input: string;
  /** What an item is: `patch` (a message of the corpus) or `file` (a .c file audited). */
  unit: 'patch' | 'file';
  /** Files read, and items reviewed (a mailbox may hold several patches). */
  files: number;
  items: number;
  /** Bytes of input read. */
  bytes: number;
  findings: number;
  /** Wall time of the timed pass. */
  ms: number;
  /** Milliseconds per stage (see src/review/timings.ts), summed over the pass. */
  stages: Record<string, number>;
  /** Peak resident set of the process after the timed pass (before the floor pass). */
  peakRssMB: number;
  /** tree-sitter parsing the same C and nothing else: time, bytes (characters) and units parsed. */
  floor: {
    ms: number;
    bytes: number;
    units: number;
    /** Freeing the floor's trees (full collections running tree-sitter's finalizers), timed apart; patches only. */
    freeMs?: number;
  };
  /** Items warmed up before the timed pass. */
  warmup: number;
  /** Per item, for the plot (patches only). */
  perItem?: ItemTime[];
}

/** Wall times of a fresh `node bin/netdev-review.js …` process per run. */
export interface ColdCli {
  command: string;
  ms: number[];
  /** Exit status of the runs (all the same when things went right). */
  statuses: number[];
}

/** One memory sample of a long run. */
export interface MemorySample {
  /** Patch files reviewed when the sample was taken. */
  items: number;
  rssMB: number;
  /** JS heap used as found, then after a full collection (what is really held). */
  heapMB: number;
  liveHeapMB: number;
  /**
   * Of the live heap, V8's compiled code (code spaces): it grows while the JIT optimizes hot functions
   * and compiles regular expressions — bounded by the program, not by the patches. The rest is objects.
   */
  codeMB?: number;
}

/** A long run: the patch corpus reviewed `cycles` times in one process, memory sampled along it. */
export interface MemoryRun {
  input: string;
  cycles: number;
  /** Patch files per cycle, and between two samples. */
  perCycle: number;
  every: number;
  ms: number;
  /** Before the first patch, after the inputs were loaded. */
  baseline: MemorySample;
  samples: MemorySample[];
  peakRssMB: number;
}

/** A part that could not run (its input is absent, …), and why. */
export interface Skipped {
  skipped: string;
}

/** The whole record, rendered into docs/performance.md. */
export interface BenchRecord {
  machine: Machine;
  patches: Throughput | Skipped;
  audit: Throughput | Skipped;
  cli: ColdCli | Skipped;
  memory: MemoryRun | Skipped;
  /** Wall time of the whole benchmark, in ms. */
  totalMs: number;
  /** File name of the plot, relative to the record. */
  plot?: string;
}

/** True when a part was skipped rather than measured. */
export function isSkipped<T extends object>(part: T | Skipped): part is Skipped {
  return 'skipped' in part;
}
