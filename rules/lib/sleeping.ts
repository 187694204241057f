// Rule helpers: does a call sleep (per rules/data/sleeping-calls.ts), and is it guarded by a context test?

import type { CallFact, FunctionFacts } from '../../src/analysis/facts.js';
import { nodeText, sameNode } from '../../src/analysis/syntax.js';
import type { Program } from '../../src/analysis/program.js';
import { ATOMIC_GFP, BLOCKING_GFP, SLEEPING_CALLS, type SleepingCall } from '../data/sleeping-calls.js';

const exact = new Map<string, SleepingCall>();
const prefixes: [string, SleepingCall][] = [];
for (const entry of SLEEPING_CALLS) {
  if (entry.name.endsWith('*')) prefixes.push([entry.name.slice(0, -1), entry]);
  else exact.set(entry.name, entry);
}

/** True when the function's text names any sleeping call (a cheap check before reading its calls). */
export function mentionsSleepingCall(fn: FunctionFacts): boolean {
  for (const id of fn.identifiers()) {
    if (exact.has(id)) return true;
    for (const [p] of prefixes) if (id.startsWith(p)) return true;
  }
  return false;
}

/** The data entry that makes this call sleeping, or undefined when it does not sleep as written. */
export function sleepingCall(call: CallFact): SleepingCall | undefined {
  if (call.indirect) return undefined;
  const entry = exact.get(call.name) ?? prefixes.find(([p]) => call.name.startsWith(p))?.[1];
  if (!entry) return undefined;
  if (entry.gfpArg === undefined) return entry;
  if (entry.gfpArg < 0) return undefined;
  const gfp = call.argTexts[entry.gfpArg];
  // Only a literal blocking mask is evidence; a gfp_t variable could be either.
  if (!gfp || ATOMIC_GFP.test(gfp) || !BLOCKING_GFP.test(gfp)) return undefined;
  return entry;
}

// in_atomic(), in_interrupt(), ... and driver flags in the same spirit (`db->in_timeout`, `priv->atomic_ctx`):
// a branch on them means the author chose the sleeping call only where it may sleep.
const CONTEXT_TEST = /\b(?:in_\w+|\w*atomic\w*|preemptible|\w*irqs_disabled|gfpflags_allow_blocking|\w*can_sleep\w*|\w*may_sleep\w*|might_sleep_if)\b/;

/** True when the call sits under an `if` that tests the execution context (the author already handled it). */
export function guardedByContextTest(fn: FunctionFacts, call: CallFact): boolean {
  const src = fn.text.src;
  for (let n = call.node.parent; n && !sameNode(n, fn.body); n = n.parent) {
    if (n.type === 'if_statement' || n.type === 'conditional_expression') {
      const cond = n.childForFieldName('condition');
      if (cond && CONTEXT_TEST.test(nodeText(src, cond))) return true;
    }
  }
  return false;
}

/**
 * True when the call sits under an `if` (or `?:`) whose condition reads one of `fn`'s parameters: the
 * caller chooses whether it runs (`foo_get(priv, id, bool lock)`), so a caller's context alone proves nothing.
 */
export function guardedByParameterTest(fn: FunctionFacts, call: CallFact): boolean {
  if (fn.params.length === 0) return false;
  const names = fn.params.map((p) => p.name).filter(Boolean);
  if (names.length === 0) return false;
  const re = new RegExp(`\\b(?:${names.join('|')})\\b`);
  const src = fn.text.src;
  for (let n = call.node.parent; n && !sameNode(n, fn.body); n = n.parent) {
    if (n.type === 'if_statement' || n.type === 'conditional_expression' || n.type === 'switch_statement') {
      const cond = n.childForFieldName('condition');
      if (cond && re.test(nodeText(src, cond))) return true;
    }
  }
  return false;
}

/** True when an entry's condition holds in this file (`threaded-irq`: the file binds an IRQ thread function). */
export function conditionHolds(entry: SleepingCall, program: Program, file: string): boolean {
  if (entry.condition === 'threaded-irq') return program.bindings.some((b) => b.file === file && b.role === 'irq_thread');
  return true;
}
