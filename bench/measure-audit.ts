// Benchmark: the audit path (`netdev-review audit DIR`) over a driver tree, per stage, against the parse-only floor.

import { ALL_RULES } from '../rules/index.js';
import { auditTree, listCFiles, readSource } from '../src/review/audit.js';
import { renderAuditSummary } from '../src/review/audit-summary.js';
import { renderRun } from '../src/report/index.js';
import type { RunResult } from '../src/review/result.js';
import { ruleInfos } from '../src/review/rule-info.js';
import { collectGarbage, newTimings, timed, yieldToEventLoop } from '../src/review/timings.js';
import { parseC } from '../src/analysis/parser.js';
import type { Throughput } from './record.js';

/** Audits `dir` with every rule and renders the JSON output and summary, timing each stage; then the floor. */
export async function measureAudit(dir: string, options: { display: string }): Promise<Throughput> {
  const timings = newTimings();
  const t0 = performance.now();
  const result = await auditTree(dir, { rules: ALL_RULES, timings });
  const findings = result.reviews.reduce((n, r) => n + r.findings.length, 0);
  timed(timings, 'render', () => {
    const run: RunResult = { unit: 'file', reviews: result.reviews, inputErrors: [], rules: ruleInfos(ALL_RULES) };
    renderRun(run, 'json');
    renderAuditSummary([result], run);
  });
  const ms = performance.now() - t0;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  result.reviews.length = 0;
  const floor = await floorPass(dir);
  return {
    input: options.display,
    unit: 'file',
    files: result.files,
    items: result.files,
    bytes: result.bytes,
    findings,
    ms,
    stages: { ...timings },
    peakRssMB,
    floor,
    warmup: 0,
  };
}

/** The floor: tree-sitter parsing every `.c` file the audit reads (the same files, read the same way), whole, and nothing else. */
async function floorPass(dir: string): Promise<Throughput['floor']> {
  let ms = 0;
  let bytes = 0;
  let units = 0;
  let sinceCollect = 0;
  for (const files of (await listCFiles(dir)).values()) {
    for (const file of files) {
      const text = await readSource(file, []);
      if (text === undefined) continue;
      const t0 = performance.now();
      parseC(text);
      ms += performance.now() - t0;
      bytes += text.length;
      units++;
      // Trees live in native memory V8 does not see: collect now and then, outside the timed part.
      sinceCollect += text.length;
      if (sinceCollect > 8 * 1024 * 1024) {
        collectGarbage();
        sinceCollect = 0;
      }
      await yieldToEventLoop();
    }
  }
  return { ms, bytes, units };
}
