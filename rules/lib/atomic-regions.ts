// Rule helpers: where a call runs with a spinlock, RCU, or IRQs/BHs/preemption off — in its own function or
// in a same-file caller that holds the lock around the call that leads to it.

import type { CallFact, FunctionFacts } from '../../src/analysis/facts.js';
import { REACH_DEPTH, type Program } from '../../src/analysis/program.js';
import { isAtomicToken, lockFacts, lockStateAt, touchesAtomicLocks } from '../../src/analysis/locks.js';

/** An atomic region around a call: the function that holds it and the lock call that opened it. */
export interface AtomicRegion {
  /** The token held on every path to the call (`lock:&priv->lock`, `rcu`, `irqoff:local`, ...). */
  token: string;
  /** The acquiring call (e.g. `spin_lock_irqsave`) in `chain[0]`, when found. */
  opener?: CallFact;
  /** The holder first, the function of the call last (length 1 when the call is in the holder itself). */
  chain: FunctionFacts[];
  /** `sites[i]` is the call in `chain[i]` that enters `chain[i + 1]`. */
  sites: CallFact[];
}

/** A readable name for a token: `spin_lock(&priv->lock)`, `rcu_read_lock()`, `local_irq_disable()`. */
export function describeRegion(region: AtomicRegion): string {
  if (region.opener) return `${region.opener.name}(${region.opener.argTexts.join(', ')})`;
  const t = region.token;
  if (t === 'rcu') return 'rcu_read_lock()';
  if (t === 'preempt') return 'preempt_disable()';
  if (t === 'irqoff:local') return 'local_irq_disable()';
  if (t === 'bhoff:local') return 'local_bh_disable()';
  return t.replace(/^(?:lock|irqoff|bhoff):/, 'a lock on ');
}

/**
 * The atomic region that must hold at `call` (every path to it holds the token): first in `fn` itself,
 * else at a same-file call site up to REACH_DEPTH callers away — but only through callers' paths where the
 * functions below the holder release nothing before the call (a helper that drops the caller's lock to
 * sleep is not in the region).
 */
export function atomicRegionAt(program: Program, fn: FunctionFacts, call: CallFact): AtomicRegion | undefined {
  const own = mustAtomic(fn, call);
  if (own) return { token: own, opener: openerOf(fn, call, own), chain: [fn], sites: [] };
  if (releasesBefore(fn, call)) return undefined;
  return callerRegion(program, fn);
}

const callerCache = new WeakMap<FunctionFacts, AtomicRegion | null>();

/** The atomic region some same-file caller holds around a call that leads to `fn` (the same for every call in `fn`). */
function callerRegion(program: Program, fn: FunctionFacts): AtomicRegion | undefined {
  const hit = callerCache.get(fn);
  if (hit !== undefined) return hit ?? undefined;
  let found: AtomicRegion | undefined;
  const seen = new Set<FunctionFacts>([fn]);
  let frontier: { fn: FunctionFacts; chain: FunctionFacts[]; sites: CallFact[] }[] = [{ fn, chain: [fn], sites: [] }];
  search: for (let depth = 1; depth <= REACH_DEPTH && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const item of frontier) {
      for (const { caller, site } of program.callersOf(item.fn)) {
        if (seen.has(caller)) continue;
        const token = mustAtomic(caller, site);
        const chain = [caller, ...item.chain];
        const sites = [site, ...item.sites];
        if (token) {
          found = { token, opener: openerOf(caller, site, token), chain, sites };
          break search;
        }
        if (!releasesBefore(caller, site)) next.push({ fn: caller, chain, sites });
      }
      seen.add(item.fn);
    }
    for (const n of next) seen.add(n.fn);
    frontier = next;
  }
  callerCache.set(fn, found ?? null);
  return found;
}

function mustAtomic(fn: FunctionFacts, call: CallFact): string | undefined {
  if (!touchesAtomicLocks(fn)) return undefined;
  const must = lockStateAt(fn, call).must;
  // Prefer the strongest description: a named lock over a bare irq/bh token it implies.
  let best: string | undefined;
  for (const t of must) {
    if (!isAtomicToken(t)) continue;
    if (!best || (t.startsWith('lock:') && !best.startsWith('lock:'))) best = t;
  }
  return best;
}

/** The last call before `call` in `fn` that acquired `token`. */
function openerOf(fn: FunctionFacts, call: CallFact, token: string): CallFact | undefined {
  let found: CallFact | undefined;
  for (const { call: c, effect } of lockFacts(fn).lockCalls) {
    if (c.node.startIndex >= call.node.startIndex) continue;
    if (effect.acquire.includes(token) && (!found || c.node.startIndex > found.node.startIndex)) found = c;
  }
  return found;
}

/** `fn` releases some lock (or turns IRQs/BHs back on) before `call`: it may be dropping its caller's lock. */
function releasesBefore(fn: FunctionFacts, call: CallFact): boolean {
  if (!touchesAtomicLocks(fn)) return false;
  return lockFacts(fn).lockCalls.some(({ call: c, effect }) => c.node.startIndex < call.node.startIndex && effect.release.some(isAtomicToken));
}
