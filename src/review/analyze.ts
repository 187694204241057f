// Pipeline: diff text → C sources → analysis facts of the whole change (ingest-independent).

import { parseUnifiedDiff, isCFile } from '../diff/parse.js';
import type { DiffModel, FileDiff } from '../diff/model.js';
import { buildSource } from '../source/build-source.js';
import type { SourceFile } from '../source/source-file.js';
import { extractFileFacts, type SectionLookup } from '../analysis/extract.js';
import { Program } from '../analysis/program.js';

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
}

/** Parses a unified diff and analyses every changed C file in it. */
export async function analyzeDiff(diffText: string, options: AnalyzeOptions = {}): Promise<AnalyzedChange> {
  const diff = parseUnifiedDiff(diffText);
  const notes = [...diff.notes];
  const sources = new Map<string, SourceFile>();
  const facts = [];
  for (const file of diff.files) {
    const path = file.newPath ?? file.oldPath ?? '';
    for (const n of file.notes) notes.push(`${path}: ${n}`);
    if (file.status === 'binary' || file.status === 'deleted' || file.status === 'mode-only') continue;
    if (!file.newPath || !isCFile(file.newPath) || file.hunks.length === 0) continue;
    const source = await buildSource(file, { tree: options.tree });
    for (const n of source.notes) notes.push(`${path}: ${n}`);
    sources.set(file.newPath, source);
    const fileFacts = extractFileFacts(source, sectionLookup(file));
    for (const n of fileFacts.notes) notes.push(n);
    facts.push(fileFacts);
  }
  return { diff, program: new Program(facts), sources, notes };
}

/** The hunk header text (`@@ ... @@ <section>`) of the hunk a stitched unit starts in. */
function sectionLookup(file: FileDiff): SectionLookup {
  return (firstLine) => {
    let best: string | undefined;
    for (const h of file.hunks) {
      if (h.newStart <= firstLine) best = h.section.trim() || undefined;
      else break;
    }
    return best;
  };
}
