// Source stage: a changed file's best C text — its pre-image from a kernel tree with the hunks applied, else the hunk post-images stitched by line number.

import { promises as fsp, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { DiffLine, FileDiff, Hunk } from '../diff/model.js';
import type { SourceFile, SourceUnit } from './source-file.js';

export interface BuildSourceOptions {
  /** A kernel checkout (at the patch's base) to read the pre-image from. */
  tree?: string;
}

/** Where one hunk landed when applied. */
export interface HunkPlacement {
  hunk: Hunk;
  /** Lines between where the header put it and where it matched (positive: later in the file). */
  offset: number;
  /** Matched only when runs of whitespace were ignored. */
  ignoredWhitespace: boolean;
}

/** The post-image of a successful application, in the real file's line numbers. */
export interface AppliedPatch {
  ok: true;
  lines: string[];
  /** Whether the post-image ends with a newline. */
  finalNewline: boolean;
  added: Set<number>;
  deletedAt: Set<number>;
  lineMap: Map<number, DiffLine>;
  placements: HunkPlacement[];
}

/** The first hunk that matched nowhere. */
export interface FailedPatch {
  ok: false;
  hunk: Hunk;
}

/** Larger pre-images are not read: no kernel source file is near this, a mistaken path might be. */
const MAX_PRE_IMAGE_BYTES = 32 * 1024 * 1024;
/** Git's rule: a NUL in the first 8000 bytes makes a file binary. */
const BINARY_SNIFF_BYTES = 8000;

/** Builds the SourceFile for one changed file; reads `tree` when given. Never throws. */
export async function buildSource(file: FileDiff, options: BuildSourceOptions = {}): Promise<SourceFile> {
  const plan = planTreeRead(file, options.tree);
  if (plan.kind === 'done') return plan.source;
  let bytes: Buffer;
  try {
    const stat = await fsp.stat(plan.absolute);
    const refusal = refuseStat(stat, plan.label);
    if (refusal) return stitchSource(file, [refusal]);
    bytes = await fsp.readFile(plan.absolute);
  } catch (err) {
    return stitchSource(file, [readFailure(err, plan.label)]);
  }
  return sourceFromPreImageBytes(file, bytes, plan.label);
}

/** Synchronous `buildSource`, for callers without an event loop to spare (CLI one-shots, tests). */
export function buildSourceSync(file: FileDiff, options: BuildSourceOptions = {}): SourceFile {
  const plan = planTreeRead(file, options.tree);
  if (plan.kind === 'done') return plan.source;
  let bytes: Buffer;
  try {
    const stat = statSync(plan.absolute);
    const refusal = refuseStat(stat, plan.label);
    if (refusal) return stitchSource(file, [refusal]);
    bytes = readFileSync(plan.absolute);
  } catch (err) {
    return stitchSource(file, [readFailure(err, plan.label)]);
  }
  return sourceFromPreImageBytes(file, bytes, plan.label);
}

type TreePlan = { kind: 'done'; source: SourceFile } | { kind: 'read'; absolute: string; label: string };

/** Decides everything that does not need the file system: statuses without a pre-image, unsafe paths. */
function planTreeRead(file: FileDiff, tree: string | undefined): TreePlan {
  if (file.status === 'binary') return { kind: 'done', source: stitchSource(file, ['binary file; no source text']) };
  if (file.status === 'deleted') {
    return {
      kind: 'done',
      source: {
        path: file.oldPath ?? '',
        completeness: 'full',
        units: [],
        added: new Set(),
        deletedAt: new Set(),
        notes: [...file.notes, 'file deleted; no post-image'],
        lineMap: new Map(),
      },
    };
  }
  if (tree === undefined || file.status === 'added') return { kind: 'done', source: stitchSource(file) };
  const rel = file.oldPath ?? file.newPath;
  if (rel === undefined) return { kind: 'done', source: stitchSource(file, ['no path to read from the tree']) };
  const label = path.join(tree, rel);
  const root = path.resolve(tree);
  const absolute = path.resolve(root, rel);
  // The path comes from the patch: it must not lead out of the tree.
  if (path.isAbsolute(rel) || rel.includes('\0') || !absolute.startsWith(root + path.sep)) {
    return { kind: 'done', source: stitchSource(file, [`path ${JSON.stringify(rel)} leaves the tree; using hunk fragments`]) };
  }
  return { kind: 'read', absolute, label };
}

function refuseStat(stat: Stats, label: string): string | undefined {
  if (stat.isDirectory()) return `${label} is a directory; using hunk fragments`;
  if (!stat.isFile()) return `${label} is not a regular file; using hunk fragments`;
  if (stat.size > MAX_PRE_IMAGE_BYTES) return `${label} is ${stat.size} bytes, too large to read; using hunk fragments`;
  return undefined;
}

function readFailure(err: unknown, label: string): string {
  const code = err instanceof Error && 'code' in err ? String(err.code) : undefined;
  if (code === 'ENOENT') return `${label} does not exist in the tree; using hunk fragments`;
  return `cannot read ${label} (${code ?? (err instanceof Error ? err.message : String(err))}); using hunk fragments`;
}

function sourceFromPreImageBytes(file: FileDiff, bytes: Buffer, label: string): SourceFile {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return stitchSource(file, [`${label} is binary; using hunk fragments`]);
  return sourceFromPreImage(file, bytes.toString('utf8'), label);
}

/**
 * Applies the file's hunks to `preImage` (the file's text before the change) and returns the full post-image,
 * or the stitched fragments with a note naming the hunk that did not apply. `label` names the pre-image in notes.
 */
export function sourceFromPreImage(file: FileDiff, preImage: string, label: string): SourceFile {
  const notes: string[] = [];
  const pre = preImage.split('\n');
  const finalNewline = preImage.length === 0 || preImage.endsWith('\n');
  if (pre[pre.length - 1] === '') pre.pop();
  let cr = 0;
  for (let i = 0; i < pre.length; i++) {
    if (pre[i]!.endsWith('\r')) {
      pre[i] = pre[i]!.slice(0, -1);
      cr++;
    }
  }
  if (cr > 0) notes.push(`${label}: CRLF line endings read as LF`);

  const result = applyHunks(pre, finalNewline, file.hunks);
  if (!result.ok) {
    const h = result.hunk;
    return stitchSource(file, [
      ...notes,
      `patch does not apply to ${label} at hunk @@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@; using hunk fragments`,
    ]);
  }
  notes.push(`applied to ${label}`);
  for (const p of result.placements) {
    const how = [p.offset !== 0 ? `at offset ${p.offset > 0 ? '+' : ''}${p.offset} line(s)` : '', p.ignoredWhitespace ? 'ignoring whitespace' : '']
      .filter(Boolean)
      .join(', ');
    if (how) notes.push(`hunk @@ -${p.hunk.oldStart},${p.hunk.oldLines} +${p.hunk.newStart},${p.hunk.newLines} @@ applied ${how}`);
  }
  const text = result.lines.join('\n') + (result.finalNewline && result.lines.length > 0 ? '\n' : '');
  return {
    path: file.newPath ?? file.oldPath ?? '',
    completeness: 'full',
    units: [{ text, firstLine: 1 }],
    added: result.added,
    deletedAt: result.deletedAt,
    notes: [...file.notes, ...notes],
    lineMap: result.lineMap,
  };
}

/**
 * Applies hunks to pre-image lines the way `patch`/`git apply` place them: at the header's line shifted by
 * the previous hunk's offset, else the nearest exact match, else the nearest match ignoring whitespace runs;
 * hunks land in order, never overlap, and stay anchored to the start or end of the file when their context
 * says so. Linear in the file plus the search each hunk needs.
 */
export function applyHunks(pre: readonly string[], preFinalNewline: boolean, hunks: readonly Hunk[]): AppliedPatch | FailedPatch {
  const out: string[] = [];
  const added = new Set<number>();
  const deletedAt = new Set<number>();
  const lineMap = new Map<number, DiffLine>();
  const placements: HunkPlacement[] = [];
  const trailingRemovals: number[] = [];
  let normalized: string[] | undefined;
  let cursor = 0;
  let offset = 0;
  let finalNewline = preFinalNewline;

  for (const hunk of hunks) {
    const old = hunk.lines.filter((l) => l.kind !== 'add').map((l) => l.text);
    // With no old lines, the header's old start names the line the insertion follows.
    const stated = old.length === 0 ? hunk.oldStart : hunk.oldStart - 1;
    // As git apply does: a hunk at line 1 must match at the top, one without trailing context at the end
    // (unless the diff has no context at all, -U0, where neither can be told).
    const hasContext = hunk.lines.some((l) => l.kind === 'ctx');
    const atEnd = hasContext && hunk.truncated !== true && hunk.lines[hunk.lines.length - 1]?.kind !== 'ctx';
    const atStart = hunk.oldStart === 0 || (hunk.oldStart === 1 && hasContext);
    const lo = atEnd ? pre.length - old.length : cursor;
    const hi = atStart ? 0 : pre.length - old.length;
    if (hi < lo || lo < cursor) return { ok: false, hunk };
    const expected = Math.min(Math.max(stated + offset, lo), hi);
    let at: number | undefined;
    let ignoredWhitespace = false;
    if (old.length === 0) at = expected;
    else {
      at = searchOutward(expected, lo, hi, (p) => matchesAt(pre, p, old));
      if (at === undefined) {
        normalized ??= pre.map(squeezeWhitespace);
        const norm = normalized;
        const oldNorm = old.map(squeezeWhitespace);
        at = searchOutward(expected, lo, hi, (p) => matchesAt(norm, p, oldNorm));
        ignoredWhitespace = at !== undefined;
      }
    }
    if (at === undefined) return { ok: false, hunk };
    placements.push({ hunk, offset: at - stated, ignoredWhitespace });

    for (let i = cursor; i < at; i++) out.push(pre[i]!);
    let q = at;
    let pending = false;
    for (const line of hunk.lines) {
      if (line.kind === 'del') {
        q++;
        pending = true;
        continue;
      }
      // Context keeps the file's own text (it may differ in whitespace from the patch's).
      out.push(line.kind === 'ctx' ? pre[q++]! : line.text);
      const n = out.length;
      if (line.kind === 'add') added.add(n);
      if (pending) deletedAt.add(n);
      pending = false;
      if (!lineMap.has(n)) lineMap.set(n, line);
    }
    if (pending) trailingRemovals.push(out.length + 1);
    if (q === pre.length) {
      const lastPost = [...hunk.lines].reverse().find((l) => l.kind !== 'del');
      finalNewline = lastPost ? lastPost.noNewline !== true : preFinalNewline;
    }
    cursor = q;
    offset = at - stated;
  }
  for (let i = cursor; i < pre.length; i++) out.push(pre[i]!);
  // A removal at the very end has no following line: tie it to the last line instead.
  for (const n of trailingRemovals) {
    const at = Math.min(n, out.length);
    if (at >= 1) deletedAt.add(at);
  }
  return { ok: true, lines: out, finalNewline, added, deletedAt, lineMap, placements };
}

/** Tries `expected`, then expected∓1, expected±1, ... within [lo, hi]. */
function searchOutward(expected: number, lo: number, hi: number, matches: (p: number) => boolean): number | undefined {
  for (let d = 0; expected - d >= lo || expected + d <= hi; d++) {
    if (expected - d >= lo && expected - d <= hi && matches(expected - d)) return expected - d;
    if (d > 0 && expected + d <= hi && expected + d >= lo && matches(expected + d)) return expected + d;
  }
  return undefined;
}

function matchesAt(lines: readonly string[], at: number, want: readonly string[]): boolean {
  for (let i = 0; i < want.length; i++) {
    if (lines[at + i] !== want[i]) return false;
  }
  return true;
}

/** What `patch -l` compares: any run of blanks equals any other, leading and trailing blanks ignored. */
function squeezeWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The hunks' post-images as units: lines placed by their post-image numbers, one unit per stretch of
 * consecutive lines (adjacent or overlapping hunks merge). A new file given whole by one hunk is `full`.
 */
export function stitchSource(file: FileDiff, extraNotes: string[] = []): SourceFile {
  const notes = [...file.notes, ...extraNotes];
  const lineMap = new Map<number, DiffLine>();
  const units: SourceUnit[] = [];
  let current: { firstLine: number; lines: string[] } | undefined;
  let end = 0;
  let overlapped = false;
  const flush = (): void => {
    if (current) units.push({ firstLine: current.firstLine, text: current.lines.join('\n') });
    current = undefined;
  };
  const ordered = [...file.hunks].sort((a, b) => a.newStart - b.newStart);
  for (const hunk of ordered) {
    for (const line of hunk.lines) {
      if (line.kind === 'del' || line.newLine === undefined) continue;
      const n = line.newLine;
      if (current && n <= end) {
        overlapped = true;
        continue;
      }
      if (!current || n !== end + 1) {
        flush();
        current = { firstLine: n, lines: [] };
      }
      current.lines.push(line.text);
      lineMap.set(n, line);
      end = n;
    }
  }
  flush();
  if (overlapped) notes.push('hunks overlap in the new file; the earlier hunk\'s lines were kept');

  const only = file.hunks[0];
  const wholeNewFile =
    file.status === 'added' &&
    file.hunks.length === 1 &&
    only !== undefined &&
    only.oldStart === 0 &&
    only.oldLines === 0 &&
    only.newStart === 1 &&
    only.truncated !== true;
  return {
    path: file.newPath ?? file.oldPath ?? '',
    completeness: wholeNewFile ? 'full' : 'stitched',
    units,
    added: new Set(file.added),
    deletedAt: new Set(file.deletedAt),
    notes,
    lineMap,
  };
}
