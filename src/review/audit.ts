// Pipeline: whole-tree audit — every rule over every C file under a directory, no patch involved.

import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Rule } from '../engine/rule.js';
import type { Finding } from '../engine/finding.js';
import { runRules } from '../engine/run.js';
import { extractFileFacts } from '../analysis/extract.js';
import type { FileFacts } from '../analysis/facts.js';
import { Program } from '../analysis/program.js';
import { BINDING_TEXT, fileBindings, opaqueBindings } from '../analysis/roles.js';
import { cite } from '../citations/cite.js';
import { resolveTarget } from '../citations/target-version.js';
import type { SourceFile } from '../source/source-file.js';
import type { Patch } from '../ingest/patch.js';
import type { PatchReview } from './result.js';
import { openTree, type TreeContext } from './review-patch.js';
import { MAX_ANALYSED_CHARS } from './analyze.js';
import { collectGarbage, timed, timedAsync, yieldToEventLoop, type StageTimings } from './timings.js';

export interface AuditOptions {
  rules: readonly Rule[];
  kernelVersion?: string;
  /** Called after each directory with files done so far (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
  /** When given, time spent per stage is added to it (for the benchmark). */
  timings?: StageTimings;
}

export interface AuditResult {
  /** One review per file with findings (or notes), its origin the file's path below the tree root. */
  reviews: PatchReview[];
  files: number;
  bytes: number;
  ms: number;
  /** Root of the kernel tree the directory belongs to, when one was found. */
  treeRoot?: string;
}

/** C parsed between full collections (see the loop in auditTree). */
const COLLECT_EVERY_CHARS = 8 * 1024 * 1024;

/** Largest file audited; beyond it a file is generated data, not a driver. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Audits every `.c` file under `dir`. Files of one directory are analysed together, so an ops table in
 * one file binds the functions of its siblings (a driver split in several files); reach stays per file.
 */
export async function auditTree(dir: string, options: AuditOptions): Promise<AuditResult> {
  const t0 = performance.now();
  const t = options.timings;
  const root = resolve(dir);
  const treeRoot = await findTreeRoot(root);
  const tree: TreeContext | undefined = treeRoot ? await openTree(treeRoot) : undefined;
  const target = resolveTarget({ flag: options.kernelVersion, treeVersion: tree?.version });
  const byDir = await listCFiles(root);
  const total = [...byDir.values()].reduce((n, l) => n + l.length, 0);
  const base = treeRoot ?? root;
  const reviews: PatchReview[] = [];
  let done = 0;
  let bytes = 0;
  let parsedSinceCollect = 0;
  const report = (path: string, findings: Finding[], notes: string[]) => {
    timed(t, 'citations', () => {
      for (const f of findings) f.citation = cite(f.doc, { version: target.version, document: tree?.doc });
    });
    if (findings.length > 0 || notes.length > 0) reviews.push({ patch: filePatch(path, reviews.length), target, findings, notes });
  };
  const check = (facts: FileFacts[], sources: Map<string, SourceFile>, context?: ConstructorParameters<typeof Program>[1]) => {
    const program = timed(t, 'analysis', () => new Program(facts, context));
    return timed(t, 'rules', () => runRules({ program, sources, target: target.version, targetDocText: tree?.docText, rules: options.rules, audit: true }));
  };

  for (const [, files] of [...byDir].sort(([a], [b]) => a.localeCompare(b))) {
    // Files that bind roles (ops tables, driver structs) are analysed together and kept; the others
    // one at a time with those bindings, so memory holds one directory's binding files, not all of it.
    const loaded: { path: string; source: SourceFile; notes: string[] }[] = [];
    for (const file of files) {
      const path = relative(base, file);
      const notes: string[] = [];
      const text = await timedAsync(t, 'ingest', () => readSource(file, notes));
      if (text === undefined) {
        report(path, [], notes);
        continue;
      }
      bytes += text.length;
      loaded.push({ path, notes, source: { path, completeness: 'full', units: [{ text, firstLine: 1 }], added: new Set(), deletedAt: new Set(), notes: [] } });
    }
    const binding = loaded.filter((l) => BINDING_TEXT.test(l.source.units[0].text));
    const others = loaded.filter((l) => !binding.includes(l));
    const bindingFacts = binding.map((l) => timed(t, 'analysis', () => extractFileFacts(l.source)));
    const findings = check(bindingFacts, new Map(binding.map((l) => [l.path, l.source])));
    const context = { bindings: bindingFacts.flatMap(fileBindings), opaque: new Set(bindingFacts.flatMap((f) => [...opaqueBindings(f)])) };
    for (const [i, l] of binding.entries()) {
      l.notes.push(...bindingFacts[i].notes);
      report(l.path, findings.filter((f) => f.file === l.path), l.notes);
    }
    for (const l of others) {
      const facts = timed(t, 'analysis', () => extractFileFacts(l.source));
      l.notes.push(...facts.notes);
      report(l.path, check([facts], new Map([[l.path, l.source]]), context), l.notes);
      done++;
      if (done % 16 === 0) {
        options.onProgress?.(done, total);
        await timedAsync(t, 'gc', yieldToEventLoop);
      }
    }
    done += binding.length;
    options.onProgress?.(done, total);
    // tree-sitter's trees live in native memory that V8 does not see: collect by source parsed, not by
    // heap size (a tree takes tens of bytes per byte of C), then let their finalizers run.
    parsedSinceCollect += loaded.reduce((n, l) => n + l.source.units[0].text.length, 0);
    if (parsedSinceCollect > COLLECT_EVERY_CHARS) {
      timed(t, 'gc', collectGarbage);
      parsedSinceCollect = 0;
    }
    await timedAsync(t, 'gc', yieldToEventLoop);
  }
  return { reviews, files: total, bytes, ms: performance.now() - t0, treeRoot };
}

/** A `.c` file's text as the audit reads it, or undefined (with a note why) for one it skips: too large, binary, unreadable. */
export async function readSource(file: string, notes: string[]): Promise<string | undefined> {
  try {
    const s = await stat(file);
    if (s.size > Math.min(MAX_FILE_BYTES, MAX_ANALYSED_CHARS)) {
      notes.push(`skipped: ${(s.size / 1048576).toFixed(1)} MB is larger than any driver source (limit ${MAX_FILE_BYTES / 1048576} MB)`);
      return undefined;
    }
    const bytes = await readFile(file);
    if (bytes.subarray(0, 8000).includes(0)) {
      notes.push('skipped: binary file');
      return undefined;
    }
    return bytes.toString('utf8');
  } catch (error) {
    notes.push(`skipped: cannot read (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

/** `.c` files under `root`, grouped by directory (symlinks not followed, hidden directories skipped). */
export async function listCFiles(root: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const s = await stat(root);
  if (s.isFile()) {
    out.set(dirname(root), [root]);
    return out;
  }
  const stack = [root];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    const entries = await readdir(d, { withFileTypes: true });
    const files: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile() && e.name.endsWith('.c')) files.push(p);
    }
    if (files.length > 0) out.set(d, files.sort());
  }
  return out;
}

/** The nearest ancestor that looks like a kernel tree (a Makefile and the networking documentation). */
async function findTreeRoot(start: string): Promise<string | undefined> {
  let d = start;
  for (;;) {
    const looksLike = await Promise.all([stat(join(d, 'Makefile')), stat(join(d, 'Documentation', 'networking'))]).then(
      () => true,
      () => false,
    );
    if (looksLike) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** A file under audit, presented to reporters as a review subject of its own. */
function filePatch(path: string, ordinal: number): Patch {
  return {
    origin: path,
    ordinal,
    references: [],
    tags: { title: path, revision: 1, rfc: false, raw: [], isReply: false },
    description: '',
    trailers: { fixes: [], signedOffBy: [] },
    diff: '',
    diffStartLine: 0,
    kind: 'patch',
    notes: [],
  };
}
