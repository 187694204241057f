// Corpus run: reviews every patch of a directory (default ../shared/corpus/patches) in one process and
// prints findings per rule; `--out FILE` writes every error/warning with its source line for reading.

import { readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_RULES } from '../rules/index.js';
import { readInputFile, InputError } from '../src/ingest/read-input.js';
import { reviewPatch, openTree } from '../src/review/review-patch.js';
import { yieldToEventLoop } from '../src/review/timings.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, all: { type: 'boolean', default: false }, kernel: { type: 'string' }, tree: { type: 'string' } },
});
const dir = resolve(positionals[0] ?? '../shared/corpus/patches');
if (!existsSync(dir)) {
  console.log(`corpus: ${dir} is absent; nothing to do`);
  process.exit(0);
}
const files = (await readdir(dir)).filter((f) => f.endsWith('.patch') || f.endsWith('.eml') || f.endsWith('.diff')).sort();
const tree = values.tree ? await openTree(values.tree) : undefined;
const perRule = new Map<string, { error: number; warning: number; info: number }>();
const lines: string[] = [];
let patches = 0;
let inputErrors = 0;
let internalErrors = 0;
const t0 = performance.now();
for (const f of files) {
  let list;
  try {
    list = await readInputFile(join(dir, f));
  } catch (e) {
    if (e instanceof InputError) {
      inputErrors++;
      lines.push(`INPUT ${f}: ${e.message}`);
      continue;
    }
    throw e;
  }
  for (const p of list) {
    patches++;
    try {
      const r = await reviewPatch(p, { rules: ALL_RULES, audit: values.all, kernelVersion: values.kernel, tree });
      for (const finding of r.findings) {
        const c = perRule.get(finding.ruleId) ?? { error: 0, warning: 0, info: 0 };
        c[finding.severity]++;
        perRule.set(finding.ruleId, c);
        if (finding.severity !== 'info') {
          lines.push(`${finding.severity.toUpperCase()} ${finding.ruleId} ${f} ${finding.file}:${finding.line} #${finding.inputLine ?? '?'}: ${finding.message}\n    ${finding.sourceLine?.trim() ?? ''}`);
        }
      }
    } catch (e) {
      internalErrors++;
      lines.push(`INTERNAL ${f}: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
  await yieldToEventLoop();
}
const ms = performance.now() - t0;
console.log(`corpus: ${files.length} files, ${patches} messages, ${inputErrors} input errors, ${internalErrors} internal errors, ${(ms / 1000).toFixed(1)} s`);
for (const [id, c] of [...perRule].sort()) console.log(`  ${id.padEnd(28)} ${c.error} errors, ${c.warning} warnings, ${c.info} infos`);
if (values.out) {
  await writeFile(values.out, lines.join('\n') + '\n');
  console.log(`details: ${values.out}`);
}
