// Analysis stage: which locks are held at each call of a function (rtnl, spinlocks, RCU, IRQs/BHs off).

import { buildCfg, type Cfg, type CfgNode } from './cfg.js';
import type { CallFact, FunctionFacts } from './facts.js';
import type { SyntaxNode } from './parser.js';
import { normalizeRef, nodeText } from './syntax.js';

/**
 * Tokens: `rtnl`, `lock:<expr>` (spin/rw locks), `mutex:<expr>`, `rcu`, `preempt`, and `irqoff:<by>` /
 * `bhoff:<by>` — who turned IRQs/BHs off (a lock expression, or `local` for the local_irq and local_bh calls),
 * so an inner irqrestore does not turn them back on while an outer irqsave lock is held.
 * `must` = held on every path to the call; `may` = held on some path.
 */
export interface LockState {
  must: ReadonlySet<string>;
  may: ReadonlySet<string>;
}

export interface LockFacts {
  cfg: Cfg;
  /** State just before each call, keyed by the call node's start index. */
  atCall: Map<number, LockState>;
  /** Every call that acquires or releases, with what (for messages and fixes). */
  lockCalls: { call: CallFact; effect: LockEffect }[];
}

export interface LockEffect {
  acquire: string[];
  release: string[];
  /** A trylock: acquires only on the branch where it succeeded. */
  conditional: boolean;
}

const EMPTY: LockState = { must: new Set(), may: new Set() };

const SPIN_LOCK_RE = /^(?:raw_)?(?:spin|read|write)_lock(_bh|_irq|_irqsave|_nested|_irqsave_nested|_bh_nested)?$/;
const SPIN_UNLOCK_RE = /^(?:raw_)?(?:spin|read|write)_unlock(_bh|_irq|_irqrestore)?$/;
const SPIN_TRYLOCK_RE = /^(?:raw_)?(?:spin|read|write)_trylock(_bh|_irq|_irqsave)?$/;

/** What a call does to the lock state, or undefined when it touches no lock. */
export function lockEffect(name: string, argTexts: readonly string[]): LockEffect | undefined {
  const arg0 = argTexts[0] !== undefined ? normalizeRef(argTexts[0]) : '';
  const simple = (acquire: string[], release: string[]): LockEffect => ({ acquire, release, conditional: false });
  switch (name) {
    case 'rtnl_lock':
    case 'rtnl_lock_killable':
    case 'rtnl_lock_interruptible':
    case 'ASSERT_RTNL':
    case 'rtnl_net_lock':
      return simple(['rtnl'], []);
    case 'rtnl_unlock':
    case 'rtnl_net_unlock':
      return simple([], ['rtnl']);
    case 'rtnl_trylock':
      return { acquire: ['rtnl'], release: [], conditional: true };
    case 'rcu_read_lock':
    case 'rcu_read_lock_bh':
    case 'rcu_read_lock_sched':
      return simple(['rcu'], []);
    case 'rcu_read_unlock':
    case 'rcu_read_unlock_bh':
    case 'rcu_read_unlock_sched':
      return simple([], ['rcu']);
    case 'local_irq_disable':
    case 'local_irq_save':
      return simple(['irqoff:local'], []);
    case 'local_irq_enable':
    case 'local_irq_restore':
      return simple([], ['irqoff:local']);
    case 'local_bh_disable':
      return simple(['bhoff:local'], []);
    case 'local_bh_enable':
      return simple([], ['bhoff:local']);
    case 'preempt_disable':
      return simple(['preempt'], []);
    case 'preempt_enable':
    case 'preempt_enable_no_resched':
      return simple([], ['preempt']);
    case 'netif_tx_lock':
    case 'netif_tx_lock_bh':
      return simple([`lock:tx:${arg0}`, ...(name.endsWith('_bh') ? [`bhoff:tx:${arg0}`] : [])], []);
    case 'netif_tx_unlock':
    case 'netif_tx_unlock_bh':
      return simple([], [`lock:tx:${arg0}`, ...(name.endsWith('_bh') ? [`bhoff:tx:${arg0}`] : [])]);
    case '__netif_tx_lock':
    case '__netif_tx_lock_bh':
      return simple([`lock:txq:${arg0}`, ...(name.endsWith('_bh') ? [`bhoff:txq:${arg0}`] : [])], []);
    case '__netif_tx_unlock':
    case '__netif_tx_unlock_bh':
      return simple([], [`lock:txq:${arg0}`, ...(name.endsWith('_bh') ? [`bhoff:txq:${arg0}`] : [])]);
    case 'netif_addr_lock':
    case 'netif_addr_lock_bh':
      return simple([`lock:addr:${arg0}`, ...(name.endsWith('_bh') ? [`bhoff:addr:${arg0}`] : [])], []);
    case 'netif_addr_unlock':
    case 'netif_addr_unlock_bh':
      return simple([], [`lock:addr:${arg0}`, ...(name.endsWith('_bh') ? [`bhoff:addr:${arg0}`] : [])]);
    case 'mutex_lock':
    case 'mutex_lock_nested':
    case 'mutex_lock_interruptible':
    case 'mutex_lock_killable':
      return simple([`mutex:${arg0}`], []);
    case 'mutex_unlock':
      return simple([], [`mutex:${arg0}`]);
    case 'mutex_trylock':
      return { acquire: [`mutex:${arg0}`], release: [], conditional: true };
    default:
      break;
  }
  let m = SPIN_LOCK_RE.exec(name);
  if (m) return simple([`lock:${arg0}`, ...modeTokens(m[1], arg0)], []);
  m = SPIN_UNLOCK_RE.exec(name);
  if (m) return simple([], [`lock:${arg0}`, ...modeTokens(m[1], arg0)]);
  m = SPIN_TRYLOCK_RE.exec(name);
  if (m) return { acquire: [`lock:${arg0}`, ...modeTokens(m[1], arg0)], release: [], conditional: true };
  return undefined;
}

function modeTokens(suffix: string | undefined, lock: string): string[] {
  if (!suffix) return [];
  if (suffix.startsWith('_irq')) return [`irqoff:${lock}`];
  if (suffix.startsWith('_bh')) return [`bhoff:${lock}`];
  return [];
}

/** True when some token says IRQs are off. */
export function irqsOff(tokens: ReadonlySet<string>): boolean {
  for (const t of tokens) if (t.startsWith('irqoff:')) return true;
  return false;
}

const ATOMIC_LOCK_WORD = /^(?:(?:raw_)?(?:spin|read|write)_(?:lock|unlock|trylock)\w*|rcu_read_(?:lock|unlock)\w*|local_irq_\w+|local_bh_\w+|preempt_\w+|_?_?netif_tx_(?:lock|unlock)\w*|netif_addr_(?:lock|unlock)\w*)$/;

/**
 * True when the function's text names any call that takes or drops an atomic lock (spinlocks, RCU,
 * IRQ/BH/preemption off): without one, no call in it can change or be inside such a region of its own,
 * and the lock analysis need not run.
 */
export function touchesAtomicLocks(fn: FunctionFacts): boolean {
  for (const id of fn.identifiers()) if (ATOMIC_LOCK_WORD.test(id)) return true;
  return false;
}

/** True when a token means the code cannot sleep. */
export function isAtomicToken(token: string): boolean {
  return token.startsWith('lock:') || token === 'rcu' || token.startsWith('irqoff:') || token.startsWith('bhoff:') || token === 'preempt';
}

const cache = new WeakMap<FunctionFacts, LockFacts>();

/** Lock state at every call of `fn` (computed once per function, on first use). */
export function lockFacts(fn: FunctionFacts): LockFacts {
  const hit = cache.get(fn);
  if (hit) return hit;
  const cfg = buildCfg(fn);
  const result = analyze(fn, cfg);
  cache.set(fn, result);
  return result;
}

interface MutableState {
  must: Set<string>;
  may: Set<string>;
}

function analyze(fn: FunctionFacts, cfg: Cfg): LockFacts {
  const src = fn.text.src;
  const effectsOf = new Map<number, { call: SyntaxNode; name: string; effect: LockEffect | undefined }[]>();
  const eventsFor = (node: CfgNode) => {
    let ev = effectsOf.get(node.id);
    if (ev) return ev;
    ev = [];
    for (const c of cfg.callsAt[node.id] ?? []) ev.push({ call: c.node, name: c.name, effect: c.indirect ? undefined : lockEffect(c.name, c.argTexts) });
    effectsOf.set(node.id, ev);
    return ev;
  };

  const inState = new Map<number, MutableState>();
  inState.set(cfg.entry, { must: new Set(), may: new Set() });
  const work = [cfg.entry];
  const queued = new Set(work);
  let steps = 0;
  const maxSteps = cfg.nodes.length * 50 + 1000;
  while (work.length > 0 && steps++ < maxSteps) {
    const id = work.pop() as number;
    queued.delete(id);
    const node = cfg.nodes[id];
    const state = cloneState(inState.get(id) ?? { must: new Set(), may: new Set() });
    for (const ev of eventsFor(node)) if (ev.effect && !(ev.effect.conditional && node.kind === 'cond')) apply(state, ev.effect);
    for (const edge of node.succ) {
      const out = node.kind === 'cond' ? edgeState(state, node, edge.branch, eventsFor(node), src) : state;
      if (merge(inState, edge.to, out) && !queued.has(edge.to)) {
        work.push(edge.to);
        queued.add(edge.to);
      }
    }
  }

  const atCall = new Map<number, LockState>();
  const lockCalls: LockFacts['lockCalls'] = [];
  const byStart = new Map(fn.calls.map((c) => [c.node.startIndex, c]));
  for (const node of cfg.nodes) {
    const start = inState.get(node.id);
    const state = cloneState(start ?? { must: new Set(), may: new Set() });
    for (const ev of eventsFor(node)) {
      atCall.set(ev.call.startIndex, { must: new Set(state.must), may: new Set(state.may) });
      if (ev.effect) {
        const fact = byStart.get(ev.call.startIndex);
        if (fact) lockCalls.push({ call: fact, effect: ev.effect });
        if (!(ev.effect.conditional && node.kind === 'cond')) apply(state, ev.effect);
      }
    }
  }
  return { cfg, atCall, lockCalls };
}

function cloneState(s: MutableState): MutableState {
  return { must: new Set(s.must), may: new Set(s.may) };
}

function apply(state: MutableState, effect: LockEffect): void {
  for (const t of effect.release) {
    state.must.delete(t);
    state.may.delete(t);
  }
  for (const t of effect.acquire) {
    if (!effect.conditional) state.must.add(t);
    state.may.add(t);
  }
}

/** A trylock in a condition acquires on the branch where it succeeded: `if (!rtnl_trylock())` → the false branch. */
function edgeState(
  state: MutableState,
  node: CfgNode,
  branch: 'true' | 'false' | undefined,
  events: { call: SyntaxNode; effect: LockEffect | undefined }[],
  src: string,
): MutableState {
  const tries = events.filter((e) => e.effect?.conditional);
  if (tries.length === 0 || !branch || !node.ast) return state;
  const out = cloneState(state);
  const condText = nodeText(src, node.ast).replace(/\s+/g, '');
  for (const t of tries) {
    const callText = nodeText(src, t.call).replace(/\s+/g, '');
    const negated = condText.startsWith('!' + callText) || condText.startsWith('!(' + callText);
    const succeeded = negated ? branch === 'false' : branch === 'true';
    if (succeeded && t.effect) apply(out, { ...t.effect, conditional: false });
  }
  return out;
}

function merge(states: Map<number, MutableState>, id: number, incoming: MutableState): boolean {
  const cur = states.get(id);
  if (!cur) {
    states.set(id, cloneState(incoming));
    return true;
  }
  let changed = false;
  for (const t of [...cur.must]) {
    if (!incoming.must.has(t)) {
      cur.must.delete(t);
      changed = true;
    }
  }
  for (const t of incoming.may) {
    if (!cur.may.has(t)) {
      cur.may.add(t);
      changed = true;
    }
  }
  return changed;
}

/** The lock state before a call of `fn` (empty when the call is outside the graph, e.g. in a fragment's header). */
export function lockStateAt(fn: FunctionFacts, call: CallFact): LockState {
  return lockFacts(fn).atCall.get(call.node.startIndex) ?? EMPTY;
}
