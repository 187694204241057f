// Rule: a sleeping call in atomic context the netdevices document does not cover — a timer, hard IRQ
// handler, tasklet or URB completion bound in this file, or inside a spinlock/RCU/IRQs-off region.

import { defineRule } from '../src/engine/rule.js';
import type { CallFact, FunctionFacts } from '../src/analysis/facts.js';
import type { Program, Reach } from '../src/analysis/program.js';
import type { DocRef, Fix } from '../src/engine/finding.js';
import { anchorOnChange } from './lib/anchor.js';
import { atomicRegionAt, describeRegion, type AtomicRegion } from './lib/atomic-regions.js';
import { conditionHolds, guardedByContextTest, guardedByParameterTest, mentionsSleepingCall, sleepingCall } from './lib/sleeping.js';
import { wordsRegExp } from './lib/triggers.js';
import { SLEEPING_CALLS, type SleepingCall } from './data/sleeping-calls.js';

/** Contexts of the kernel-locking guide: they never sleep, and this file binds the function to them. */
const ATOMIC_ROLES: Record<string, string> = {
  timer: 'a timer callback (softirq)',
  tasklet: 'a tasklet (softirq)',
  irq: 'a hard IRQ handler',
  urb_complete: 'a URB completion handler (may run in IRQ context)',
};
/** Contexts sleep-in-atomic-ndo reports: a call reached from one of these is left to it. */
const NDO_ATOMIC_ROLES = new Set(['ndo_start_xmit', 'ndo_tx_timeout', 'ndo_set_rx_mode', 'ndo_get_stats', 'ndo_get_stats64', 'napi_poll']);

const DOC: DocRef = { section: 'kernel-locking', entry: 'Some Functions Which Sleep' };

/** A network driver: under drivers/net, or a file that binds net_device callbacks or a NAPI poll. */
function isNetworkDriver(program: Program, file: string): boolean {
  if (/(?:^|\/)drivers\/net\//.test(file) || /(?:^|\/)net\//.test(file)) return true;
  return program.bindings.some((b) => b.file === file && (b.role.startsWith('ndo_') || b.role === 'napi_poll'));
}

export default defineRule({
  meta: {
    id: 'sleep-in-atomic-context',
    severity: 'warning',
    description: 'A call that may sleep in a timer, hard IRQ handler, tasklet or URB completion bound in this file, or inside a spinlock/RCU/IRQs-off region.',
    doc: DOC,
    triggers: wordsRegExp(SLEEPING_CALLS.map((c) => c.name)),
    needsWholeFunction: false,
    fixable: true,
    messages: {
      role: '{{call}}() may sleep ({{reason}}), but {{fn}} is {{role}}{{via}}; {{advice}}',
      region: '{{call}}() may sleep ({{reason}}), but it runs inside {{region}}{{via}}, where sleeping is not allowed; {{advice}}',
    },
  },
  check(ctx) {
    const driverFiles = new Map<string, boolean>();
    // One finding per call site that enters a sleeping helper under a caller's lock, not one per sleeping call inside it.
    const throughHelpers = new Map<string, { fn: FunctionFacts; call: CallFact; entry: SleepingCall; region: AtomicRegion; more: number }>();
    for (const fn of ctx.functions()) {
      if (!mentionsSleepingCall(fn)) continue;
      let netDriver = driverFiles.get(fn.file);
      if (netDriver === undefined) driverFiles.set(fn.file, (netDriver = isNetworkDriver(ctx.program, fn.file)));
      const reaches = ctx.program.reaches(fn);
      // sleep-in-atomic-ndo owns every sleeping call an atomic ndo or NAPI poll reaches.
      if (reaches.some((r) => NDO_ATOMIC_ROLES.has(r.role.role))) continue;
      const roleReaches = reaches.filter((r) => r.role.role in ATOMIC_ROLES && !chainGuarded(r));
      for (const call of fn.calls) {
        const entry = sleepingCall(call);
        if (!entry || guardedByContextTest(fn, call) || !conditionHolds(entry, ctx.program, fn.file)) continue;
        if (reportRole(fn, call, entry, roleReaches.filter((r) => r.chain.length === 1 || !guardedByParameterTest(fn, call)))) continue;
        // The _locked wait forms are meant to be called with their lock held.
        if (netDriver && !entry.dropsLock) reportRegion(fn, call, entry);
      }
    }
    for (const { fn, call, entry, region, more } of throughHelpers.values()) emitRegion(fn, call, entry, region, more);

    function reportRole(fn: FunctionFacts, call: CallFact, entry: SleepingCall, roleReaches: Reach[]): boolean {
      const inScope = roleReaches.filter((r) => ctx.audit || [call.line, ...r.sites.map((x) => x.line)].some((l) => ctx.isChanged(fn.file, l)));
      if (inScope.length === 0) return roleReaches.length > 0;
      const [best, ...others] = [...inScope].sort((a, b) => a.chain.length - b.chain.length);
      const chainNames = [...best.chain.map((f) => f.name), call.name];
      const siteLines = best.sites.map((x) => x.line);
      const line = anchorOnChange(ctx, fn.file, call.line, siteLines);
      const alsoRoots = [...new Set(others.map((o) => o.chain[0].name).filter((n) => n !== best.chain[0].name))];
      ctx.report({
        file: fn.file,
        line,
        messageId: 'role',
        data: {
          call: call.name,
          reason: entry.reason,
          fn: best.chain[0].name,
          role: `${ATOMIC_ROLES[best.role.role]}, bound by ${best.role.via}`,
          via: (best.chain.length > 1 ? ` (reached via ${chainNames.join(' → ')})` : '') + (alsoRoots.length ? `, and also from ${alsoRoots.join(', ')}` : ''),
          advice: advice(entry, best.role.role === 'irq'),
        },
        evidence: [call.line, ...siteLines],
        chain: best.chain.length > 1 ? chainNames : undefined,
        fix: line === call.line && entry.instead === 'gfp-atomic' ? gfpFix(ctx.lineText(fn.file, call.line), call.line) : undefined,
      });
      return true;
    }

    function reportRegion(fn: FunctionFacts, call: CallFact, entry: SleepingCall): void {
      const region = atomicRegionAt(ctx.program, fn, call);
      if (!region) return;
      // A caller may test the context before entering the helper, as the helper itself may.
      if (region.sites.some((s, i) => guardedByContextTest(region.chain[i], s))) return;
      // Below the holder, a branch on a parameter lets the caller choose not to sleep (`bool can_lock`, an action code).
      if (region.chain.length > 1 && (guardedByParameterTest(fn, call) || region.sites.some((s, i) => i > 0 && guardedByParameterTest(region.chain[i], s)))) return;
      if (region.chain.length === 1) return emitRegion(fn, call, entry, region, 0);
      const key = `${region.chain[0].file}:${region.sites[0].node.startIndex}`;
      const seen = throughHelpers.get(key);
      if (!seen) throughHelpers.set(key, { fn, call, entry, region, more: 0 });
      else seen.more++;
    }

    function emitRegion(fn: FunctionFacts, call: CallFact, entry: SleepingCall, region: AtomicRegion, more: number): void {
      const holder = region.chain[0];
      const siteLines = region.sites.map((s) => s.line);
      const openerLine = region.opener && holder === fn ? [region.opener.line] : [];
      const evidence = [call.line, ...siteLines, ...openerLine];
      if (!ctx.audit && !evidence.some((l) => ctx.isChanged(fn.file, l))) return;
      const line = anchorOnChange(ctx, fn.file, call.line, siteLines);
      const chainNames = [...region.chain.map((f) => f.name), call.name];
      const openedAt = region.opener ? ` at line ${region.opener.line}` : '';
      ctx.report({
        file: fn.file,
        line,
        messageId: 'region',
        data: {
          call: call.name,
          reason: entry.reason,
          region: `${describeRegion(region)}${openedAt}${holder === fn ? '' : ` in ${holder.name}`}`,
          via: (region.chain.length > 1 ? ` (reached via ${chainNames.join(' → ')})` : '') + (more > 0 ? `; ${more} more sleeping call${more > 1 ? 's' : ''} reached the same way` : ''),
          advice: region.token === 'rcu' ? adviceRcu(entry) : advice(entry, false),
        },
        evidence,
        chain: region.chain.length > 1 ? chainNames : undefined,
        fix: line === call.line && entry.instead === 'gfp-atomic' ? gfpFix(ctx.lineText(fn.file, call.line), call.line) : undefined,
      });
    }

    /** A call site along the chain sits under a test of the execution context. */
    function chainGuarded(r: Reach): boolean {
      return r.sites.some((s, i) => guardedByContextTest(r.chain[i], s) || (i > 0 && guardedByParameterTest(r.chain[i], s)));
    }
  },
});

function advice(entry: SleepingCall, hardIrq: boolean): string {
  if (entry.instead === 'gfp-atomic') return 'allocate with GFP_ATOMIC here';
  if (entry.instead === 'delay') return hardIrq ? 'busy-wait with udelay() only for a few microseconds, or move the wait to a workqueue' : 'use udelay()/mdelay() for a short wait, or move the wait to a workqueue or a threaded handler';
  return hardIrq ? 'move this work to a threaded IRQ handler or a workqueue' : 'move this work out of the atomic section (after the unlock) or to a workqueue';
}

function adviceRcu(entry: SleepingCall): string {
  if (entry.instead === 'gfp-atomic') return 'allocate with GFP_ATOMIC, or before rcu_read_lock()';
  return 'do it after rcu_read_unlock(), or hold a reference (or a mutex) instead of the RCU read lock';
}

function gfpFix(text: string | undefined, line: number): Fix | undefined {
  if (!text || !/\bGFP_KERNEL\b/.test(text)) return undefined;
  return { line, endLine: line, replacement: text.replace(/\bGFP_KERNEL\b/, 'GFP_ATOMIC'), description: 'allocate with GFP_ATOMIC' };
}
