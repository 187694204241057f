// Rule helpers: the same-file functions a function calls, directly or through its callees (REACH_DEPTH deep).

import type { CallFact, FunctionFacts } from '../../src/analysis/facts.js';
import { REACH_DEPTH, type Program } from '../../src/analysis/program.js';

/** `fn` and every same-file function it reaches by direct calls, up to `depth` calls away. */
export function calleeClosure(program: Program, fn: FunctionFacts, depth = REACH_DEPTH): FunctionFacts[] {
  const out: FunctionFacts[] = [fn];
  const seen = new Set<FunctionFacts>(out);
  let frontier = [fn];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: FunctionFacts[] = [];
    for (const f of frontier) {
      for (const c of f.calls) {
        const callee = program.calleeOf(f, c);
        if (!callee || seen.has(callee)) continue;
        seen.add(callee);
        out.push(callee);
        next.push(callee);
      }
    }
    frontier = next;
  }
  return out;
}

/** Every call made by `fn` or a function of its closure, with the function that makes it. */
export function closureCalls(program: Program, fn: FunctionFacts, depth = REACH_DEPTH): { fn: FunctionFacts; call: CallFact }[] {
  return calleeClosure(program, fn, depth).flatMap((f) => f.calls.map((call) => ({ fn: f, call })));
}
