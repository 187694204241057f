// Rule: rtnl_lock() where the core already holds rtnl (an rtnl-held ndo, rtnl_link op, notifier, ethtool op,
// or inside an rtnl_lock() region) — a self-deadlock; also waiting there for a work item that takes rtnl_lock().

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { DocRef, Severity } from '../src/engine/finding.js';
import type { CallFact, FunctionFacts } from '../src/analysis/facts.js';
import type { Program } from '../src/analysis/program.js';
import { lockStateAt } from '../src/analysis/locks.js';
import { sameNode } from '../src/analysis/syntax.js';
import { inKernelRange } from '../src/kernel/version.js';
import { anchorOnChange } from './lib/anchor.js';
import { opsLockedEvidence } from './lib/ops-locked.js';
import { wordsRegExp } from './lib/triggers.js';
import { WORK_WAITS, workBindings, workItemKey } from './lib/work-items.js';

/** Calls that block until rtnl is theirs (rtnl_trylock() does not, and is the usual way out). */
const TAKES_RTNL: ReadonlySet<string> = new Set(['rtnl_lock', 'rtnl_lock_killable', 'rtnl_lock_interruptible', 'rtnl_net_lock']);

/** From this release the document says ethtool ops of "ops locked" drivers run under the instance lock only. */
const INSTANCE_LOCK_SINCE = '6.15';

/** From this release user ioctls go to ndo_eth_ioctl/ndo_siocdevprivate, and ndo_do_ioctl is internal only. */
const IOCTL_SPLIT_SINCE = '5.14';

/** How far into a work function's same-file helpers an rtnl_lock() is looked for. */
const WORK_DEPTH = 2;

interface HeldContext {
  /** The function where rtnl is held first, `fn` last; `sites[i]` enters `chain[i + 1]`. */
  chain: FunctionFacts[];
  sites: CallFact[];
  doc: DocRef;
  /** Message text: why rtnl is held on entry. */
  why: string;
  severity: Severity;
}

export default defineRule({
  meta: {
    id: 'rtnl-lock-in-rtnl-ndo',
    severity: 'error',
    description: 'rtnl_lock() (or waiting for a work item that takes it) in a callback the core already runs under rtnl: a self-deadlock.',
    doc: { section: 'sync' },
    triggers: wordsRegExp([...TAKES_RTNL, ...WORK_WAITS]),
    needsWholeFunction: false,
    fixable: false,
    messages: {
      deadlock: '{{call}}() takes rtnl, but rtnl is already held here ({{why}}): this deadlocks; drop the lock (the caller holds it) or use rtnl_trylock()',
      nested: '{{call}}() takes rtnl again inside the rtnl region that {{first}} opened: this deadlocks',
      waitsForRtnl:
        '{{call}}() waits for {{work}}, which takes rtnl_lock() ({{how}}), but rtnl is already held here ({{why}}): if the work is running it waits for this lock, and this waits for it; cancel it where rtnl is not held, or make the work use rtnl_trylock()',
    },
  },
  check(ctx) {
    const opsLockedTree = inKernelRange(ctx.target, INSTANCE_LOCK_SINCE);
    const internalIoctlTree = inKernelRange(ctx.target, IOCTL_SPLIT_SINCE);
    const workCache = new Map<string, ReturnType<typeof workBindings>>();
    const worksOf = (path: string) => {
      let w = workCache.get(path);
      if (!w) {
        const file = ctx.program.files.find((f) => f.path === path);
        w = file ? workBindings(file) : new Map();
        workCache.set(path, w);
      }
      return w;
    };

    /** The strongest context in which rtnl is held on entry to `fn` (and not dropped before `call`). */
    const heldContext = (fn: FunctionFacts, call: CallFact): HeldContext | undefined => {
      if (droppedBefore(fn, call.line)) return undefined;
      const found: HeldContext[] = [];
      const region = new Set<number>();
      for (const r of ctx.program.reaches(fn)) {
        if (!r.rtnlHeld) continue;
        const root = r.chain[0];
        // A name-only role of a function the file calls directly is a guess the callers contradict.
        if (r.role.evidence === 'name' && ctx.program.callersOf(root).length > 0) continue;
        if (r.sites.some((s, i) => droppedBefore(r.chain[i], s.line))) continue;
        const byRole = r.context.rtnl === 'held' || r.context.rtnl === 'weak';
        if (byRole && r.role.role.startsWith('ethtool.') && opsLockedTree && opsLockedEvidence(ctx.program, root.file)) continue;
        // From 5.14 ndo_do_ioctl is "only called by network subsystems internally", some without rtnl
        // (the 802.15.4 socket layer): the document's rtnl promise covers the user ioctl path it no longer serves.
        if (byRole && r.role.role === 'ndo_do_ioctl' && internalIoctlTree) continue;
        const why = byRole
          ? `${root.name} is ${roleLabel(r.role.role)}, which the core calls with rtnl held`
          : `called inside an rtnl_lock() region of ${r.chain.find((f, i) => i < r.sites.length && lockStateAt(f, r.sites[i]).must.has('rtnl'))?.name ?? root.name}`;
        // Before 5.14 ndo_do_ioctl served user ioctls under rtnl, but subsystems also called it directly.
        const base: Severity = r.rtnlWeak || (byRole && r.role.role === 'ndo_do_ioctl') ? 'warning' : 'error';
        if (!byRole) region.add(found.length);
        found.push({ chain: r.chain, sites: r.sites, doc: r.context.doc ?? { section: 'sync' }, why, severity: r.role.evidence === 'name' ? lowerSeverity(base) : base });
      }
      // The role the core calls under rtnl is the canonical explanation; an rtnl region on the way comes second.
      const rank = (h: HeldContext, i: number) => (h.severity === 'error' ? 0 : h.severity === 'warning' ? 100 : 200) + (region.has(i) ? 50 : 0) + h.chain.length;
      return found.map((h, i) => ({ h, k: rank(h, i) })).sort((a, b) => a.k - b.k)[0]?.h;
    };

    const report = (fn: FunctionFacts, call: CallFact, held: HeldContext, messageId: 'deadlock' | 'waitsForRtnl', data: Record<string, string>, extra: number[] = []) => {
      const siteLines = held.sites.map((s) => s.line);
      const chainNames = [...held.chain.map((f) => f.name), call.name];
      const line = anchorOnChange(ctx, fn.file, call.line, siteLines);
      ctx.report({
        file: fn.file,
        line,
        messageId,
        data: { call: call.name, why: held.why + (held.chain.length > 1 ? `; reached via ${chainNames.join(' → ')}` : ''), ...data },
        severity: held.severity,
        doc: held.doc,
        evidence: [call.line, ...siteLines, ...extra],
        chain: held.chain.length > 1 ? chainNames : undefined,
      });
    };

    for (const fn of ctx.functions()) {
      const takes = fn.mentionsAny(TAKES_RTNL);
      const waits = fn.mentionsAny(WORK_WAITS);
      if (!takes && !waits) continue;
      for (const call of fn.calls) {
        if (call.indirect) continue;
        if (TAKES_RTNL.has(call.name)) {
          // `if (!rtnl_held) rtnl_lock();`: the author passes down whether the caller holds it.
          if (underLockFlag(fn, call)) continue;
          const state = lockStateAt(fn, call);
          if (state.must.has('rtnl')) {
            const first = fn.calls.filter((c) => c.line < call.line && (TAKES_RTNL.has(c.name) || c.name === 'ASSERT_RTNL')).pop();
            if (!first) continue;
            if (first.name === 'ASSERT_RTNL') {
              const why = `ASSERT_RTNL() at line ${first.line} says the caller holds it`;
              report(fn, call, { chain: [fn], sites: [], doc: { section: 'sync' }, why, severity: 'error' }, 'deadlock', {}, [first.line]);
              continue;
            }
            ctx.report({
              file: fn.file,
              line: anchorOnChange(ctx, fn.file, call.line, [first.line]),
              messageId: 'nested',
              data: { call: call.name, first: `${first.name}() at line ${first.line}` },
              evidence: [first.line, call.line],
            });
            continue;
          }
          const held = heldContext(fn, call);
          if (held) report(fn, call, held, 'deadlock', {});
        } else if (WORK_WAITS.has(call.name) && call.argTexts[0]) {
          const bound = worksOf(fn.file).get(workItemKey(call.argTexts[0]));
          if (!bound || bound.length === 0) continue;
          const takers = bound.map((b) => ({ b, how: takesRtnl(ctx.program, fn.file, b.fn) }));
          // Only when every function bound to that work item takes rtnl: otherwise the key may name another item.
          if (takers.some((t) => !t.how)) continue;
          const state = lockStateAt(fn, call);
          let held: HeldContext | undefined;
          if (state.must.has('rtnl')) {
            const lock = fn.calls.filter((c) => c.line < call.line && (TAKES_RTNL.has(c.name) || c.name === 'ASSERT_RTNL')).pop();
            if (lock) held = { chain: [fn], sites: [], doc: { section: 'sync' }, why: `${lock.name}() at line ${lock.line}`, severity: 'error' };
          }
          held ??= heldContext(fn, call);
          if (!held) continue;
          const first = takers[0];
          report(fn, call, held, 'waitsForRtnl', { work: `${first.b.fn}()`, how: first.how ?? '' }, [first.b.call.line]);
        }
      }
    }
  },
});

/** A condition naming a lock flag: `locked`, `rtnl_held`, `lock_acquired`, `need_lock`, `rtnl_is_locked()`. */
const LOCK_FLAG = /lock|rtnl|held/i;

/** True when the call sits under an `if` that tests a lock flag. */
function underLockFlag(fn: FunctionFacts, call: CallFact): boolean {
  for (let n = call.node.parent; n && !sameNode(n, fn.body); n = n.parent) {
    if (n.type !== 'if_statement' && n.type !== 'conditional_expression') continue;
    const cond = n.childForFieldName('condition');
    if (cond && LOCK_FLAG.test(fn.text.src.slice(cond.startIndex, cond.endIndex))) return true;
  }
  return false;
}

/** True when `fn` calls rtnl_unlock() before `line`: it dropped the caller's rtnl, so retaking it is fine. */
function droppedBefore(fn: FunctionFacts, line: number): boolean {
  if (!fn.mentions('rtnl_unlock')) return false;
  return fn.calls.some((c) => !c.indirect && c.name === 'rtnl_unlock' && c.line < line);
}

/** How the function `name` (or a same-file helper it calls) takes rtnl_lock(), e.g. `rtnl_lock() at line 40`. */
function takesRtnl(program: Program, file: string, name: string, depth = 0, seen = new Set<string>()): string | undefined {
  const fn = program.lookup(file, name);
  if (!fn || seen.has(name)) return undefined;
  seen.add(name);
  for (const c of fn.calls) {
    if (c.indirect) continue;
    if (TAKES_RTNL.has(c.name)) return `${c.name}() at line ${c.line}`;
  }
  if (depth >= WORK_DEPTH) return undefined;
  for (const c of fn.calls) {
    if (c.indirect) continue;
    const inner = program.lookup(file, c.name);
    if (!inner || inner === fn) continue;
    const how = takesRtnl(program, file, c.name, depth + 1, seen);
    if (how) return `via ${c.name}(), ${how}`;
  }
  return undefined;
}

function roleLabel(role: string): string {
  if (role.startsWith('rtnl_link.')) return `rtnl_link_ops .${role.slice('rtnl_link.'.length)}`;
  if (role.startsWith('ethtool.')) return `ethtool_ops .${role.slice('ethtool.'.length)}`;
  if (role === 'notifier') return 'a netdevice notifier callback';
  return role;
}
