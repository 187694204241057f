// Rule helpers: is a call chain cut by a parameter test that the caller's constant argument makes false?
// `foo_lock(priv, 0)` → `if (irq_sync) quiesce();` — the sleeping branch is not taken from there.

import type { CallFact, FunctionFacts } from '../../src/analysis/facts.js';
import type { SyntaxNode } from '../../src/analysis/parser.js';
import { nodeText, sameNode, unwrapExpression } from '../../src/analysis/syntax.js';

const FALSY = /^(?:0|false|NULL|0[uUlL]*)$/;
const TRUTHY = /^(?:true|[1-9]\d*[uUlL]*)$/;

/**
 * True when, inside `callee`, the `target` call is reached only if a parameter is true (or only if it is
 * false) and the `site` that enters `callee` passes a constant saying the opposite.
 */
export function cutByConstantArgument(site: CallFact, callee: FunctionFacts, target: SyntaxNode): boolean {
  const src = callee.text.src;
  const paramValue = (name: string): 'true' | 'false' | undefined => {
    const i = callee.params.findIndex((p) => p.name === name);
    const arg = i >= 0 ? site.argTexts[i]?.trim() : undefined;
    if (arg === undefined) return undefined;
    if (FALSY.test(arg)) return 'false';
    if (TRUTHY.test(arg)) return 'true';
    return undefined;
  };
  /** The parameter a condition tests, and whether the condition is true when the parameter is. */
  const tested = (cond: SyntaxNode): { param: string; whenTrue: boolean } | undefined => {
    let e = unwrapExpression(cond);
    let whenTrue = true;
    while (e.type === 'unary_expression' && nodeText(src, e).startsWith('!')) {
      const arg = e.childForFieldName('argument');
      if (!arg) return undefined;
      e = unwrapExpression(arg);
      whenTrue = !whenTrue;
    }
    if (e.type !== 'identifier') return undefined;
    const name = nodeText(src, e);
    return callee.params.some((p) => p.name === name) ? { param: name, whenTrue } : undefined;
  };

  for (let child: SyntaxNode = target, n = target.parent; n; child = n, n = n.parent) {
    // Inside `if (P) { ... }` (or its else branch).
    if (n.type === 'if_statement') {
      const cond = n.childForFieldName('condition');
      const t = cond ? tested(cond) : undefined;
      if (t) {
        const value = paramValue(t.param);
        const inThen = sameNode(n.childForFieldName('consequence'), child);
        const condTrue = value === undefined ? undefined : (value === 'true') === t.whenTrue;
        if (condTrue !== undefined && inThen !== condTrue) return true;
      }
    }
    // After `if (!P) return;` in the same block.
    if (n.type === 'compound_statement') {
      for (const stmt of n.namedChildren) {
        if (stmt.startIndex >= child.startIndex) break;
        if (stmt.type !== 'if_statement' || stmt.childForFieldName('alternative')) continue;
        const cons = stmt.childForFieldName('consequence');
        const leaves = cons && /^(?:\{\s*)?(?:return\b|goto\b)/.test(nodeText(src, cons).trim());
        const cond = stmt.childForFieldName('condition');
        const t = leaves && cond ? tested(cond) : undefined;
        if (!t) continue;
        const value = paramValue(t.param);
        if (value !== undefined && (value === 'true') === t.whenTrue) return true;
      }
    }
    if (sameNode(n, callee.body)) break;
  }
  return false;
}

/** True when some hop of a reach chain is cut by a constant argument (see cutByConstantArgument). */
export function chainCutByConstants(chain: readonly FunctionFacts[], sites: readonly CallFact[], finalCall: CallFact): boolean {
  for (let i = 0; i < sites.length; i++) {
    const callee = chain[i + 1];
    const target = i + 1 < sites.length ? sites[i + 1].node : finalCall.node;
    if (callee && cutByConstantArgument(sites[i], callee, target)) return true;
  }
  return false;
}
