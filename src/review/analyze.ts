// Pipeline: diff text → C sources → analysis facts of the whole change (ingest-independent).

import { parseUnifiedDiff, isCFile } from '../diff/parse.js';
import type { DiffModel, FileDiff } from '../diff/model.js';
import { buildSource, sourceFromPreImage } from '../source/build-source.js';
import type { SeriesOverlay } from '../source/series-overlay.js';
import type { SourceFile } from '../source/source-file.js';
import { extractFileFacts, type SectionLookup } from '../analysis/extract.js';
import type { FileFacts } from '../analysis/facts.js';
import { Program } from '../analysis/program.js';
import { BINDING_TEXT } from '../analysis/roles.js';
import { timed, timedAsync, type StageTimings } from './timings.js';

export interface AnalyzedChange {
  diff: DiffModel;
  program: Program;
  /** Source of each analysed C file, by post-image path. */
  sources: Map<string, SourceFile>;
  /** Skipped files and oddities, for the report. */
  notes: string[];
}

export interface AnalyzeOptions {
  /** A kernel checkout: pre-images come from it, so analysis sees whole files. */
  tree?: string;
  /** Files as earlier patches of the series left them: tried before the tree's copy, and updated. */
  overlay?: SeriesOverlay;
  /** When given, time spent per stage is added to it. */
  timings?: StageTimings;
  /**
   * Pre-filter: given all visible C text of the change (hunk headers included), says whether any
   * rule could fire. When it says no, nothing is parsed.
   */
  relevant?: (text: string) => boolean;
  /** `performance.now()` after which no further file is analysed (the patch's time budget). */
  deadline?: number;
}

/**
 * Most C one review analyses (post-image characters): a kernel driver file is well under 1 MB;
 * beyond this a patch is generated or hostile, and parsing it would take seconds and gigabytes.
 */
export const MAX_ANALYSED_CHARS = 8 * 1024 * 1024;

/** Parses a unified diff and analyses every changed C file in it. */
export async function analyzeDiff(diffText: string, options: AnalyzeOptions = {}): Promise<AnalyzedChange> {
  const t = options.timings;
  const diff = timed(t, 'diff', () => parseUnifiedDiff(diffText));
  const notes = [...diff.notes];
  const sources = new Map<string, SourceFile>();
  const cFiles: FileDiff[] = [];
  for (const file of diff.files) {
    const path = file.newPath ?? file.oldPath ?? '';
    const newPath = file.newPath;
    const analysable = file.status !== 'binary' && file.status !== 'deleted' && file.status !== 'mode-only' && file.hunks.length > 0;
    // A built source carries the diff's notes for its file itself.
    if (!newPath || !analysable || !isCFile(newPath)) {
      for (const n of file.notes) notes.push(`${path}: ${n}`);
      continue;
    }
    const source = await timedAsync(t, 'source', () => sourceFor(file, options));
    if (options.overlay) rememberPostImage(options.overlay, file, source);
    for (const n of source.notes) notes.push(`${path}: ${n}`);
    sources.set(newPath, source);
    cFiles.push(file);
  }
  const facts: FileFacts[] = [];
  // A file is read when some rule could fire in it, or when it may bind roles for such a file.
  const isRelevant = options.relevant;
  const texts = isRelevant ? timed(t, 'analysis', () => cFiles.map((f) => visibleText(f, sources))) : [];
  const wanted = isRelevant ? timed(t, 'rules', () => texts.map((text) => isRelevant(text))) : cFiles.map(() => true);
  if (wanted.some(Boolean)) {
    let budget = MAX_ANALYSED_CHARS;
    for (const [i, file] of cFiles.entries()) {
      if (!wanted[i] && !BINDING_TEXT.test(texts[i])) continue;
      if (options.deadline !== undefined && performance.now() > options.deadline) {
        notes.push(`${file.newPath}: not analysed: the patch's time budget ran out`);
        continue;
      }
      const source = sources.get(file.newPath as string) as SourceFile;
      const size = source.units.reduce((n, u) => n + u.text.length, 0);
      if (size > budget) {
        notes.push(`${file.newPath}: skipped: ${(size / 1048576).toFixed(1)} MB of C is over what one review analyses (${MAX_ANALYSED_CHARS / 1048576} MB)`);
        continue;
      }
      budget -= size;
      const fileFacts = timed(t, 'analysis', () => extractFileFacts(source, sectionLookup(file)));
      for (const n of fileFacts.notes) notes.push(n);
      facts.push(fileFacts);
    }
  }
  const program = timed(t, 'analysis', () => new Program(facts));
  return { diff, program, sources, notes };
}

/** The file after this patch: on top of earlier patches of the series when they touched it, else from the tree. */
async function sourceFor(file: FileDiff, options: AnalyzeOptions): Promise<SourceFile> {
  const prior = file.oldPath && file.status !== 'added' ? options.overlay?.get(file.oldPath) : undefined;
  if (prior !== undefined) {
    const onSeries = sourceFromPreImage(file, prior, `${file.oldPath} as the earlier patches left it`);
    if (onSeries.completeness === 'full') return onSeries;
  }
  return buildSource(file, { tree: options.tree });
}

function rememberPostImage(overlay: SeriesOverlay, file: FileDiff, source: SourceFile): void {
  if (file.oldPath && file.oldPath !== file.newPath) overlay.delete(file.oldPath);
  if (file.newPath && source.completeness === 'full' && source.units.length === 1) overlay.set(file.newPath, source.units[0].text);
}

/** Every visible line of C of a file, and its hunk headers (which name enclosing functions). */
function visibleText(file: FileDiff, sources: ReadonlyMap<string, SourceFile>): string {
  const parts: string[] = file.hunks.map((h) => h.section);
  for (const u of sources.get(file.newPath as string)?.units ?? []) parts.push(u.text);
  return parts.join('\n');
}

/**
 * The hunk header text (`@@ ... @@ <section>`) of the hunk a stitched unit starts in. Git takes that
 * text from the pre-image, so a function the change renamed is named by its new signature instead.
 */
function sectionLookup(file: FileDiff): SectionLookup {
  const renamed = renamedSignatures(file);
  return (firstLine) => {
    let best: string | undefined;
    for (const h of file.hunks) {
      if (h.newStart <= firstLine) best = h.section.trim() || undefined;
      else break;
    }
    const name = best ? SIGNATURE_NAME.exec(best)?.[1] : undefined;
    return (name && renamed.get(name)) ?? best;
  };
}

const SIGNATURE_NAME = /^[A-Za-z_][\w\s*]*?\b([A-Za-z_]\w*)\s*\(/;

/** Old function name → new signature line, for hunks that replace one function signature by another. */
function renamedSignatures(file: FileDiff): Map<string, string> {
  const out = new Map<string, string>();
  for (const h of file.hunks) {
    const removed = h.lines.filter((l) => l.kind === 'del' && SIGNATURE_NAME.test(l.text));
    const added = h.lines.filter((l) => l.kind === 'add' && SIGNATURE_NAME.test(l.text));
    if (removed.length !== 1 || added.length !== 1) continue;
    const oldName = SIGNATURE_NAME.exec(removed[0].text)?.[1];
    const newName = SIGNATURE_NAME.exec(added[0].text)?.[1];
    if (oldName && newName && oldName !== newName) out.set(oldName, added[0].text.trim());
  }
  return out;
}
