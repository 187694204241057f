// Analysis stage: explore paths through a function's CFG with a small abstract state (for lifetime rules).

import { buildCfg, type Cfg, type CfgNode } from './cfg.js';
import { lockFacts } from './locks.js';
import type { FunctionFacts } from './facts.js';

/** Upper bound of (node, state) visits per function: a function that needs more is left unexplored. */
export const MAX_PATH_STEPS = 20_000;

export interface PathProblem<S> {
  initial: S;
  /** Stable identity of a state: states with equal keys are explored once per node. */
  key(state: S): string;
  /** Effect of executing `node` (its statement, condition or return). */
  transfer(node: CfgNode, state: S): S;
  /** Refines the state along a condition edge; undefined when the branch is impossible in that state. */
  refine?(node: CfgNode, branch: 'true' | 'false' | undefined, state: S): S | undefined;
  /** Called once per (node, state) before `transfer`. */
  visit?(node: CfgNode, state: S): void;
}

/** The CFG of a function (shared with the lock analysis). */
export function cfgOf(fn: FunctionFacts): Cfg {
  return fn.body ? lockFacts(fn).cfg : buildCfg(fn);
}

/**
 * Explores every distinct (node, abstract state) pair reachable from the entry. Returns false when the
 * step bound was hit (results are then partial and rules should stay silent).
 */
export function explorePaths<S>(fn: FunctionFacts, problem: PathProblem<S>): boolean {
  const cfg = cfgOf(fn);
  if (cfg.partial) return false;
  const seen = new Set<string>();
  const stack: [number, S][] = [[cfg.entry, problem.initial]];
  let steps = 0;
  while (stack.length > 0) {
    if (++steps > MAX_PATH_STEPS) return false;
    const [id, state] = stack.pop() as [number, S];
    const k = `${id}|${problem.key(state)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const node = cfg.nodes[id];
    problem.visit?.(node, state);
    const out = problem.transfer(node, state);
    for (const edge of node.succ) {
      const next = node.kind === 'cond' && problem.refine ? problem.refine(node, edge.branch, out) : out;
      if (next !== undefined) stack.push([edge.to, next]);
    }
  }
  return true;
}
