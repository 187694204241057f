// Test helpers for the analysis layer: build SourceFiles from C text, read facts, find functions, calls and lines.

import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { extractFileFacts, type SectionLookup } from '../../src/analysis/extract.js';
import type { CallFact, FileFacts, FunctionFacts } from '../../src/analysis/facts.js';
import { Program } from '../../src/analysis/program.js';
import type { SourceFile } from '../../src/source/source-file.js';

export const DRIVER_PATH = 'drivers/net/ethernet/acme/acme_main.c';

/** Debian's linux-source-6.1, unpacked (STACK.md): the real-code tests run only where it is. */
export const KERNEL_TREE = '/opt/linux/linux-source-6.1';

/**
 * Tests that take seconds (real kernel files, parse-timeout inputs) run where the real tree is installed,
 * or when NETDEV_REVIEW_SLOW=1; the always-on suite stays fast.
 */
export const SLOW_TESTS = existsSync(KERNEL_TREE) || process.env.NETDEV_REVIEW_SLOW === '1';

/** A C file under test/fixtures/analysis/. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/analysis/${name}`, import.meta.url), 'utf8');
}

/** A whole post-image file (every line added), as the rule tester builds it. */
export function fullSource(text: string, path = DRIVER_PATH): SourceFile {
  const lines = text.split('\n').length;
  return {
    path,
    completeness: 'full',
    units: [{ text, firstLine: 1 }],
    added: new Set(Array.from({ length: lines }, (_, i) => i + 1)),
    deletedAt: new Set(),
    notes: [],
  };
}

/** A stitched source of hunk post-images: each unit is `[firstLine, text]`. */
export function stitchedSource(units: [number, string][], path = DRIVER_PATH): SourceFile {
  return {
    path,
    completeness: 'stitched',
    units: units.map(([firstLine, text]) => ({ firstLine, text })),
    added: new Set(),
    deletedAt: new Set(),
    notes: [],
  };
}

export function factsOf(text: string, path = DRIVER_PATH): FileFacts {
  return extractFileFacts(fullSource(text, path));
}

/** Facts of one stitched unit whose enclosing hunk header (git's section) is `section`. */
export function fragmentFacts(firstLine: number, text: string, section: string | undefined): FileFacts {
  const lookup: SectionLookup = () => section;
  return extractFileFacts(stitchedSource([[firstLine, text]]), lookup);
}

export function programOf(...files: [path: string, text: string][]): Program {
  return new Program(files.map(([path, text]) => factsOf(text, path)));
}

/** The one function of that name (fails the test when there is not exactly one). */
export function fnNamed(where: FileFacts | Program, name: string): FunctionFacts {
  const all = where instanceof Program ? [...where.functions()] : where.functions;
  const found = all.filter((f) => f.name === name);
  expect(found.map((f) => f.name), `function ${name}`).toEqual([name]);
  return found[0];
}

/** The `nth` call (0-based) of `name` inside `fn`. */
export function callNamed(fn: FunctionFacts, name: string, nth = 0): CallFact {
  const found = fn.calls.filter((c) => c.name === name);
  expect(found.length, `calls of ${name} in ${fn.name}`).toBeGreaterThan(nth);
  return found[nth];
}

/** 1-based line of the only line of `text` containing `marker`. */
export function lineOf(text: string, marker: string): number {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(marker) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`marker ${JSON.stringify(marker)} found on ${hits.length} lines`);
  return hits[0];
}

/** Roles of a function as `role/evidence` strings. */
export function roleNames(program: Program, name: string): string[] {
  return program.roles(fnNamed(program, name)).map((r) => `${r.role}/${r.evidence}`);
}
