// Diff-model stage, opt-in: parses the real patches of ../shared/corpus (skipped when absent) and checks invariants.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DiffModel } from '../../src/diff/model.js';
import { parseUnifiedDiff } from '../../src/diff/parse.js';

const corpus = process.env.NETDEV_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const patchDir = `${corpus}/patches`;

interface ManifestRow {
  added: number;
  removed: number;
}

function readManifest(): Map<string, ManifestRow> {
  const rows = new Map<string, ManifestRow>();
  const lines = readFileSync(`${corpus}/MANIFEST.tsv`, 'utf8').split('\n').slice(1);
  for (const line of lines) {
    const cols = line.split('\t');
    if (cols.length < 7) continue;
    rows.set(cols[0]!, { added: Number(cols[3]), removed: Number(cols[4]) });
  }
  return rows;
}

/** Every broken invariant of one parsed patch, as readable strings. */
function invariantBreaks(name: string, text: string, model: DiffModel): string[] {
  const breaks: string[] = [];
  const input = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (const file of model.files) {
    for (const hunk of file.hunks) {
      const at = `${name}:${hunk.diffLine}`;
      const oldCount = hunk.lines.filter((l) => l.kind !== 'add').length;
      const newCount = hunk.lines.filter((l) => l.kind !== 'del').length;
      if (oldCount !== hunk.oldLines || newCount !== hunk.newLines) {
        const noted = hunk.truncated === true && file.notes.some((n) => n.includes(`at diff line ${hunk.diffLine} is truncated`));
        if (!noted) breaks.push(`${at}: counted ${oldCount}/${newCount}, header ${hunk.oldLines}/${hunk.newLines}, not noted`);
      }
      let nextOld = hunk.oldStart;
      let nextNew = hunk.newStart;
      for (const line of hunk.lines) {
        const prefix = line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' ';
        const source = input[line.diffLine - 1];
        const damaged = line.kind === 'ctx' && source === line.text && (source === '' || source.startsWith('\t'));
        if (source !== prefix + line.text && !damaged) breaks.push(`${name}:${line.diffLine}: text ${JSON.stringify(line.text)} vs ${JSON.stringify(source)}`);
        if (line.oldLine !== undefined && line.oldLine !== nextOld++) breaks.push(`${name}:${line.diffLine}: old line ${line.oldLine}`);
        if (line.newLine !== undefined && line.newLine !== nextNew++) breaks.push(`${name}:${line.diffLine}: new line ${line.newLine}`);
      }
    }
  }
  return breaks;
}

describe.skipIf(!existsSync(patchDir))('parseUnifiedDiff on the real-patch corpus', () => {
  it('parses every patch without throwing, with line numbers that hold', () => {
    const names = readdirSync(patchDir).filter((n) => n.endsWith('.patch')).sort();
    const texts = names.map((n) => readFileSync(`${patchDir}/${n}`, 'utf8'));
    // The first pass warms the JIT; the second is the one timed.
    texts.forEach((t) => parseUnifiedDiff(t));
    const t0 = performance.now();
    const models = texts.map((t) => parseUnifiedDiff(t));
    const ms = performance.now() - t0;

    const manifest = readManifest();
    const breaks: string[] = [];
    const countMismatches: string[] = [];
    const noted = new Set<string>();
    let files = 0;
    let hunks = 0;
    let lines = 0;
    let truncated = 0;
    models.forEach((model, i) => {
      const name = names[i]!;
      breaks.push(...invariantBreaks(name, texts[i]!, model));
      if (model.notes.length > 0 || model.files.some((f) => f.notes.some((n) => !/^(binary file skipped|mode changed)/.test(n)))) {
        noted.add(name);
      }
      let added = 0;
      let removed = 0;
      for (const file of model.files) {
        files++;
        for (const hunk of file.hunks) {
          hunks++;
          lines += hunk.lines.length;
          if (hunk.truncated) truncated++;
          for (const l of hunk.lines) {
            if (l.kind === 'add') added++;
            if (l.kind === 'del') removed++;
          }
        }
      }
      const row = manifest.get(name);
      if (row && (row.added !== added || row.removed !== removed)) {
        countMismatches.push(`${name}: +${added}/-${removed}, manifest +${row.added}/-${row.removed}`);
      }
    });
    console.log(
      `corpus: ${names.length} patches, ${files} files, ${hunks} hunks, ${lines} lines parsed in ${ms.toFixed(0)} ms; ` +
        `${truncated} truncated hunk(s); ${noted.size} patch(es) with notes; ` +
        `${countMismatches.length} differ from MANIFEST's +/- counts`,
    );
    if (countMismatches.length > 0) console.log(countMismatches.slice(0, 20).join('\n'));

    expect(names.length).toBeGreaterThan(0);
    expect(breaks.slice(0, 20)).toEqual([]);
    expect(models.every((m) => m.files.length > 0)).toBe(true);
  });
});
