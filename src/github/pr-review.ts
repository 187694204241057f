// GitHub way in: review the files of a pull request — whole C files at the head, and kernel patches carried
// as `.patch` files (OpenWrt/Buildroot/Yocto) — with the same engine as the CLI. No GitHub calls here.

import type { Rule } from '../engine/rule.js';
import type { Finding } from '../engine/finding.js';
import { anyTriggerMatches, runRules } from '../engine/run.js';
import { parseUnifiedDiff, isCFile } from '../diff/parse.js';
import type { FileDiff } from '../diff/model.js';
import { stitchSource } from '../source/build-source.js';
import type { SourceFile } from '../source/source-file.js';
import { extractFileFacts } from '../analysis/extract.js';
import type { FileFacts } from '../analysis/facts.js';
import { Program } from '../analysis/program.js';
import { BINDING_TEXT } from '../analysis/roles.js';
import { cite } from '../citations/cite.js';
import { loadDocument, type NetdevDoc } from '../citations/document.js';
import { readMakefileVersion, resolveTarget, type Target } from '../citations/target-version.js';
import { parseKernelVersion, type KernelVersion } from '../kernel/version.js';
import { readPatches, InputError } from '../ingest/read-input.js';
import { analyzeDiff, MAX_ANALYSED_CHARS } from '../review/analyze.js';
import { budgetSpentNote, PATCH_BUDGET_MS } from '../review/review-patch.js';
import type { PrFile } from './github-port.js';

/** A finding placed on a file of the pull request (a `.patch` file's line for embedded patches). */
export interface PrFinding {
  finding: Finding;
  /** Path in the pull request the finding is shown on. */
  path: string;
}

export interface PrReviewInput {
  files: readonly PrFile[];
  /** Raw content of a file at the head commit (undefined when it cannot be read). */
  readHead: (path: string) => Promise<string | undefined>;
  /** The base commit's network-device document, when the repository is a kernel tree. */
  baseDoc?: NetdevDoc;
  /** The base commit's top-level Makefile text (for the kernel version). */
  baseMakefile?: string;
  /** Config override of the target kernel. */
  kernelVersion?: string;
  rules: readonly Rule[];
  /** Config include/exclude. */
  selectPath: (path: string) => boolean;
}

export interface PrReviewResult {
  findings: PrFinding[];
  /** Skipped files and other things worth saying in the check run. */
  notes: string[];
  /** Paths whose contents were fetched (what the review cost in calls). */
  fetched: string[];
  target: Target;
}

/** A pull request's base commit as a review needs it: its document and Makefile, as text. */
export interface PullBase {
  /** Path of the document in the tree, and its text. */
  doc?: { path: string; text: string };
  makefile?: string;
  /** `https://github.com/OWNER/REPO`, for permalinks to the document's lines at the base commit. */
  repoHtmlUrl: string;
  baseSha: string;
}

/** The base commit's document, with permalinks to its lines at that commit. */
export function baseDocument(base: PullBase): NetdevDoc | undefined {
  if (!base.doc) return undefined;
  const { path, text } = base.doc;
  const permalink = (a: number, b: number) => `${base.repoHtmlUrl}/blob/${base.baseSha}/${path}#L${a}-L${b}`;
  return loadDocument(text, { kind: 'tree', path, permalink, label: `${path} at ${base.baseSha.slice(0, 12)}` });
}

const PATCH_FILE = /\.(?:patch|diff)$/;
/**
 * Largest file read from a pull request. The biggest C files of a kernel tree are around 1 MB; beyond
 * 2 MB a file is generated, and reading it would stall the review for nothing.
 */
export const MAX_PR_FILE_BYTES = 2 * 1024 * 1024;
/** OpenWrt/Buildroot-style kernel patch directories name the kernel: `patches-6.12/`, `backport-6.1/`. */
const PATCH_DIR_VERSION = /(?:^|\/)(?:patches|backport|pending|hack)-(\d+\.\d+)\//;

/** What the diffs alone decide about a pull request: its target, and which files the review reads. */
interface PrSelection {
  target: Target;
  docText?: string;
  cFiles: { file: PrFile; diff: FileDiff; relevant: boolean; binding: boolean }[];
  patchFiles: { file: PrFile; diff: FileDiff }[];
  notes: string[];
}

function selectFiles(input: Omit<PrReviewInput, 'readHead'>): PrSelection {
  const notes: string[] = [];
  const target = resolveTarget({
    flag: input.kernelVersion,
    treeVersion: input.baseMakefile ? readMakefileVersion(input.baseMakefile) : undefined,
  });
  const docText = input.baseDoc ? input.baseDoc.lines.map((l) => l.text).join('\n') : undefined;
  const relevant = (text: string, version: KernelVersion) => anyTriggerMatches(input.rules, text, version, docText);

  const cFiles: PrSelection['cFiles'] = [];
  const patchFiles: PrSelection['patchFiles'] = [];
  for (const file of input.files) {
    if (file.status === 'removed' || !input.selectPath(file.filename)) continue;
    const cFile = isCFile(file.filename);
    if (!cFile && !PATCH_FILE.test(file.filename)) continue;
    if (file.patch === undefined) {
      notes.push(`${file.filename}: skipped: GitHub gives no diff for it (binary, or too large)`);
      continue;
    }
    const diff = prFileDiff(file);
    if (!diff) {
      notes.push(`${file.filename}: skipped: its diff could not be read`);
      continue;
    }
    if (cFile) cFiles.push({ file, diff, relevant: relevant(file.patch, target.version), binding: BINDING_TEXT.test(file.patch) });
    else if (relevant(file.patch, target.version)) patchFiles.push({ file, diff });
  }
  return { target, docText, cFiles, patchFiles, notes };
}

/** C files read whole: the relevant ones and, when any is, those that may bind their roles. */
function cFilesToRead(sel: PrSelection): PrSelection['cFiles'] {
  return sel.cFiles.some((c) => c.relevant) ? sel.cFiles.filter((c) => c.relevant || c.binding) : [];
}

/**
 * The paths a review of these files reads at the head commit, in the order it reads them — decided
 * from the diffs alone, so a caller can fetch them first and run the review where it may not call out.
 */
export function prPathsToRead(input: Omit<PrReviewInput, 'readHead'>): string[] {
  const sel = selectFiles(input);
  return [...cFilesToRead(sel), ...sel.patchFiles].map((c) => c.file.filename);
}

/** Reviews a pull request's files; reads only the relevant ones. */
export async function reviewPullRequest(input: PrReviewInput): Promise<PrReviewResult> {
  const started = performance.now();
  const sel = selectFiles(input);
  const { target, docText, notes } = sel;
  const fetched: string[] = [];

  const findings: PrFinding[] = [];
  // C files: whole files at the head, relevant ones and (when any is) those that may bind their roles.
  const toRead = cFilesToRead(sel);
  if (toRead.length > 0) {
    const sources = new Map<string, SourceFile>();
    const facts: FileFacts[] = [];
    let budget = MAX_ANALYSED_CHARS;
    for (const c of toRead) {
      const path = c.file.filename;
      const content = await input.readHead(path);
      fetched.push(path);
      let source: SourceFile;
      if (content === undefined) {
        notes.push(`${path}: could not read it at the head commit; reviewed from the diff's hunks`);
        source = stitchSource(c.diff);
      } else if (content.length > Math.min(budget, MAX_PR_FILE_BYTES)) {
        notes.push(`${path}: skipped: ${(content.length / 1048576).toFixed(1)} MB of C is over what one review analyses`);
        continue;
      } else if (content.includes('\0')) {
        notes.push(`${path}: skipped: binary content`);
        continue;
      } else {
        budget -= content.length;
        source = { path, completeness: 'full', units: [{ text: content, firstLine: 1 }], added: c.diff.added, deletedAt: c.diff.deletedAt, notes: [] };
      }
      sources.set(path, source);
      const f = extractFileFacts(source);
      notes.push(...f.notes);
      facts.push(f);
    }
    // The C files of a pull request get one patch's time budget between them (see PATCH_BUDGET_MS).
    const found = runRules({ program: new Program(facts), sources, target: target.version, targetDocText: docText, rules: input.rules, audit: false,
      deadline: started + PATCH_BUDGET_MS,
      onBudgetSpent: (notRun) => notes.push(budgetSpentNote(PATCH_BUDGET_MS, notRun)) });
    for (const f of found) {
      f.citation = cite(f.doc, { version: target.version, document: input.baseDoc });
      findings.push({ finding: f, path: f.file });
    }
  }

  // Kernel patches carried as files: review the embedded patch, show findings on the .patch file's lines.
  for (const p of sel.patchFiles) {
    const path = p.file.filename;
    const content = await input.readHead(path);
    fetched.push(path);
    if (content === undefined) {
      notes.push(`${path}: could not read it at the head commit`);
      continue;
    }
    if (content.length > MAX_PR_FILE_BYTES) {
      notes.push(`${path}: skipped: ${(content.length / 1048576).toFixed(1)} MB is larger than any kernel patch worth reviewing here`);
      continue;
    }
    findings.push(...(await reviewPatchFile(path, content, p.diff, p.file.status === 'added', input, target, notes)));
  }
  return { findings, notes, fetched, target };
}

async function reviewPatchFile(
  path: string,
  content: string,
  prDiff: FileDiff,
  isNew: boolean,
  input: PrReviewInput,
  target: Target,
  notes: string[],
): Promise<PrFinding[]> {
  let patches;
  try {
    patches = await readPatches(Buffer.from(content), path);
  } catch (error) {
    if (error instanceof InputError) {
      notes.push(`${path}: no kernel patch in it (${error.message})`);
      return [];
    }
    throw error;
  }
  const dirVersion = PATCH_DIR_VERSION.exec(path)?.[1];
  const version = (input.kernelVersion ? undefined : dirVersion ? parseKernelVersion(dirVersion) : undefined) ?? target.version;
  const out: PrFinding[] = [];
  for (const patch of patches) {
    if (patch.kind !== 'patch') continue;
    const deadline = performance.now() + PATCH_BUDGET_MS;
    const change = await analyzeDiff(patch.diff, { relevant: (text) => anyTriggerMatches(input.rules, text, version), deadline });
    notes.push(...change.notes.map((n) => `${path}: ${n}`));
    const found = runRules({ program: change.program, sources: change.sources, target: version, rules: input.rules, audit: false, deadline,
      onBudgetSpent: (notRun) => notes.push(`${path}: ${budgetSpentNote(PATCH_BUDGET_MS, notRun)}`) });
    for (const f of found) {
      const dl = change.sources.get(f.file)?.lineMap?.get(f.line);
      if (!dl) continue;
      const line = dl.diffLine + patch.diffStartLine - 1;
      // Only what this pull request changed in the .patch file is its responsibility.
      if (!isNew && !prDiff.added.has(line)) continue;
      f.citation = cite(f.doc, { version, document: input.baseDoc });
      const fix = f.fix && f.fix.line === f.fix.endLine && dl.kind === 'add' ? { ...f.fix, line, endLine: line, replacement: `+${f.fix.replacement}` } : undefined;
      out.push({ finding: { ...f, line, endLine: undefined, inputLine: line, fix, sourceLine: `+${f.sourceLine ?? ''}` }, path });
    }
  }
  return out;
}

/** GitHub's per-file `patch` (hunks only) as a FileDiff: added lines are what the pull request is responsible for. */
export function prFileDiff(file: PrFile): FileDiff | undefined {
  const old = file.status === 'added' ? '/dev/null' : `a/${file.previous_filename ?? file.filename}`;
  const text = `diff --git a/${file.filename} b/${file.filename}\n--- ${old}\n+++ b/${file.filename}\n${file.patch ?? ''}\n`;
  return parseUnifiedDiff(text).files[0];
}
