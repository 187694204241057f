// Rule helpers: does a call run without rtnl — reached from a role the core calls without it, with no
// rtnl_lock() on the way (RULES.md "Reach", for the rules about rtnl *missing*).

import type { CallFact, FunctionFacts } from '../../src/analysis/facts.js';
import type { Program } from '../../src/analysis/program.js';
import { roleContext, type Role } from '../../src/analysis/roles.js';
import type { RuleContext } from '../../src/engine/rule.js';
import { lockStateAt } from '../../src/analysis/locks.js';
import { identifiersIn } from '../../src/analysis/syntax.js';

/**
 * Roles the core calls without rtnl, in process context: bus probe/remove, module init/exit, PM
 * callbacks, PCI error handlers, work functions. (Atomic roles are other rules' business.)
 */
export const NO_RTNL_ROLES: ReadonlySet<string> = new Set(['probe', 'remove', 'module_init', 'module_exit', 'pm', 'pci_error', 'work']);

/** Calls that say "rtnl is held here" (or test for it): the author knows the locking of this function. */
const RTNL_CLAIMS = ['ASSERT_RTNL', 'lockdep_assert_rtnl_held', 'rtnl_is_locked', 'lockdep_rtnl_is_held', 'rtnl_net_lock_assert'];

/** True when the function asserts or tests that rtnl is held anywhere in its body. */
export function claimsRtnl(fn: FunctionFacts): boolean {
  return fn.mentionsAny(RTNL_CLAIMS);
}

/** Calls that take rtnl (or may: a trylock). */
export const RTNL_TAKERS: ReadonlySet<string> = new Set(['rtnl_lock', 'rtnl_lock_killable', 'rtnl_lock_interruptible', 'rtnl_trylock', 'rtnl_net_lock']);

/** How deep a same-file lock wrapper (`static void foo_lock(p) { rtnl_lock(); mutex_lock(&p->m); }`) is followed. */
const WRAPPER_DEPTH = 2;

const wrapperCache = new WeakMap<Program, Map<string, boolean>>();

/** True when `name` is a same-file function that takes rtnl and leaves it held (a lock wrapper). */
export function isRtnlLockWrapper(program: Program, file: string, name: string, depth = 0): boolean {
  let cache = wrapperCache.get(program);
  if (!cache) wrapperCache.set(program, (cache = new Map()));
  const key = `${file}\u0000${name}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  cache.set(key, false);
  const g = program.lookup(file, name);
  let result = false;
  if (g && !g.mentions('rtnl_unlock')) {
    for (const c of g.calls) {
      if (c.indirect) continue;
      if (RTNL_TAKERS.has(c.name) || (depth < WRAPPER_DEPTH && c.name !== name && program.lookup(file, c.name) && isRtnlLockWrapper(program, file, c.name, depth + 1))) {
        result = true;
        break;
      }
    }
  }
  cache.set(key, result);
  return result;
}

/**
 * True when the function releases rtnl before taking it: it is entered with rtnl held, handed over by
 * another callback (a USB pre_reset taking rtnl that post_reset releases).
 */
export function entersWithRtnl(fn: FunctionFacts): boolean {
  if (!fn.mentions('rtnl_unlock')) return false;
  const first = fn.calls.filter((c) => !c.indirect && (c.name === 'rtnl_unlock' || RTNL_TAKERS.has(c.name))).sort((a, b) => a.node.startIndex - b.node.startIndex)[0];
  return first?.name === 'rtnl_unlock';
}

/** True when `name` is a same-file function that releases rtnl without taking it (an unlock wrapper). */
function isRtnlUnlockWrapper(program: Program, file: string, name: string): boolean {
  const g = program.lookup(file, name);
  return !!g && g.mentions('rtnl_unlock') && !g.mentionsAny(RTNL_TAKERS);
}

/**
 * True when rtnl may be held at the call: the function asserts it, it is held on some path from an
 * rtnl_lock()/trylock, or an rtnl_lock() (or a same-file wrapper taking it) either comes earlier and still
 * holds it in text order (no release between: the lock-state analysis does not see into wrappers) or sits
 * in a sibling branch — then the author takes rtnl per branch, and the branch that skips it is deliberate (a
 * flag saying the caller holds it, a handshake with another thread).
 */
export function rtnlMaybeHeld(program: Program, fn: FunctionFacts, call: CallFact): boolean {
  if (claimsRtnl(fn) || entersWithRtnl(fn) || lockStateAt(fn, call).may.has('rtnl')) return true;
  const sameFile = (c: CallFact) => program.lookup(fn.file, c.name) !== undefined;
  const takes = (c: CallFact) => RTNL_TAKERS.has(c.name) || (sameFile(c) && isRtnlLockWrapper(program, fn.file, c.name));
  const releases = (c: CallFact) => c.name === 'rtnl_unlock' || (sameFile(c) && isRtnlUnlockWrapper(program, fn.file, c.name));
  const calls = fn.calls.filter((c) => !c.indirect);
  for (const lock of calls) {
    if (lock === call || !takes(lock)) continue;
    if (inSiblingBranches(lock, call)) return true;
    if (lock.node.startIndex >= call.node.startIndex) continue;
    const released = calls.some((c) => c.node.startIndex > lock.node.endIndex && c.node.endIndex < call.node.startIndex && releases(c));
    if (!released) return true;
  }
  return false;
}

/** True when the two calls sit in the two branches of one if/else (never both on one path). Switch cases may fall through: not counted. */
function inSiblingBranches(a: CallFact, b: CallFact): boolean {
  const key = (n: { startIndex: number; endIndex: number; type: string }) => `${n.startIndex}:${n.endIndex}:${n.type}`;
  const aAncestors = new Map<string, NonNullable<CallFact['node']['parent']>>();
  for (let n = a.node.parent; n; n = n.parent) aAncestors.set(key(n), n);
  let child = b.node;
  for (let n = b.node.parent; n; child = n, n = n.parent) {
    if (!aAncestors.has(key(n))) continue;
    if (n.type !== 'if_statement' && n.type !== 'conditional_expression') return false;
    const branchOf = (x: { startIndex: number; endIndex: number }) =>
      n.namedChildren.findIndex((c) => c.startIndex <= x.startIndex && x.endIndex <= c.endIndex);
    const ia = branchOf(a.node);
    const ib = branchOf(child);
    const cond = n.childForFieldName('condition');
    const inCond = (i: number) => cond !== null && n.namedChildren[i] !== undefined && n.namedChildren[i].startIndex === cond.startIndex;
    return ia >= 0 && ib >= 0 && ia !== ib && !inCond(ia) && !inCond(ib);
  }
  return false;
}

/**
 * True when every caller of `fn` is in view: it is static, its file is whole (or `fn` itself is new in
 * this change, so nothing unseen can call it yet), and its name is used only in direct calls (no
 * function pointer taken, no ops table of an unknown kind holding it).
 */
export function allCallersVisible<M extends string>(ctx: RuleContext<M>, fn: FunctionFacts): boolean {
  if (!fn.isStatic || !fn.name) return false;
  const file = ctx.program.files.find((f) => f.path === fn.file);
  if (!file) return false;
  if (file.completeness !== 'full' && !ctx.isAdded(fn.file, fn.line)) return false;
  if (file.initializers.some((i) => i.fields.some((f) => f.ident === fn.name) || i.macroCalls.some((c) => c.argTexts.some((a) => mentionsName(a, fn.name))))) return false;
  if (file.topLevelCalls.some((c) => c.argTexts.some((a) => mentionsName(a, fn.name)))) return false;
  for (const g of file.functions) {
    if (g === fn || !g.mentions(fn.name) || !g.body) continue;
    const direct = g.calls.filter((c) => !c.indirect && c.name === fn.name).length;
    const uses = identifiersIn(g.body).filter((n) => g.text.src.slice(n.startIndex, n.endIndex) === fn.name).length;
    if (uses > direct) return false;
  }
  return true;
}

function mentionsName(text: string, name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(text);
}

/** A way a call runs without rtnl: the role function first, the function holding the call last. */
export interface RtnlFreeReach {
  role: Role;
  chain: FunctionFacts[];
  /** `sites[i]` is the call in `chain[i]` that enters `chain[i + 1]`. */
  sites: CallFact[];
}

/**
 * How `call` in `fn` is reached without rtnl, best evidence first; undefined when it is not (or not
 * provably). A function with roles of its own is judged by them alone; a helper is judged by its
 * callers only when all of them are visible (RULES.md "Reach"), and one path from a NO_RTNL_ROLES role
 * takes no rtnl (no rtnl_lock() before the call site in any function of the chain, no ASSERT_RTNL()).
 * Functions seen only from the middle (hunk fragments) are never part of such a proof: what came before
 * the hunk might have taken the lock.
 */
export function reachWithoutRtnl<M extends string>(
  ctx: RuleContext<M>,
  fn: FunctionFacts,
  call: CallFact,
  roles: ReadonlySet<string> = NO_RTNL_ROLES,
): RtnlFreeReach | undefined {
  const program = ctx.program;
  if (fn.fragment || rtnlMaybeHeld(program, fn, call)) return undefined;
  const callers = program.callersOf(fn);
  // A name-only role of a function the file calls directly is a guess the callers contradict.
  const own = program.roles(fn).filter((r) => r.evidence !== 'name' || callers.length === 0);
  if (own.length > 0) {
    // A name-only role of a function others may call (not static) proves nothing about its context.
    const role = own.find((r) => roles.has(r.role) && (r.evidence !== 'name' || fn.isStatic));
    return role ? { role, chain: [fn], sites: [] } : undefined;
  }
  if (callers.length === 0 || !allCallersVisible(ctx, fn)) return undefined;
  const found: RtnlFreeReach[] = [];
  for (const r of program.reaches(fn)) {
    if (r.chain.length < 2 || !roles.has(r.role.role)) continue;
    const root = r.chain[0];
    if (r.role.evidence === 'name' && (program.callersOf(root).length > 0 || !root.isStatic)) continue;
    // Through a function the core calls with rtnl (probe → foo_open → helper): the defect is the call of
    // foo_open, which rtnl-required-without-rtnl reports; one defect, one finding.
    if (r.chain.slice(1).some((g) => program.roles(g).some((x) => x.evidence !== 'name' && heldByCore(x.role)))) continue;
    let free = true;
    for (let i = 0; i < r.sites.length && free; i++) {
      if (r.chain[i].fragment || rtnlMaybeHeld(program, r.chain[i], r.sites[i])) free = false;
    }
    if (free) found.push({ role: r.role, chain: r.chain, sites: r.sites });
  }
  const rank = (x: RtnlFreeReach) => (x.role.evidence === 'name' ? 100 : 0) + x.chain.length;
  return found.sort((a, b) => rank(a) - rank(b))[0];
}

function heldByCore(role: string): boolean {
  const rtnl = roleContext(role).rtnl;
  return rtnl === 'held' || rtnl === 'weak';
}

/** Human label of a no-rtnl role, for messages. */
export function noRtnlRoleLabel(role: Role): string {
  switch (role.role) {
    case 'probe':
      return 'a probe function';
    case 'remove':
      return 'a remove function';
    case 'module_init':
      return 'the module init function';
    case 'module_exit':
      return 'the module exit function';
    case 'pm':
      return 'a power-management callback';
    case 'pci_error':
      return 'a PCI error handler';
    case 'work':
      return 'a work function';
    default:
      return role.role;
  }
}
