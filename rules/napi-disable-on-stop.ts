// Rule: a NAPI instance enabled by ndo_open (or a helper it calls) that ndo_stop (and its helpers) never
// disables — the document says ndo_stop runs napi_disable() on every instance to wait out pending polls.

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { CallFact, FunctionFacts } from '../src/analysis/facts.js';
import type { Program } from '../src/analysis/program.js';
import type { Role } from '../src/analysis/roles.js';
import { normalizeRef } from '../src/analysis/syntax.js';
import { calleeClosure } from './lib/callee-closure.js';

const ENABLES = new Set(['napi_enable', 'napi_enable_locked']);
/** napi_disable_locked() (instance-locked drivers) disables as much as napi_disable(). */
const DISABLES = new Set(['napi_disable', 'napi_disable_locked', 'napi_disable_pending']);
/**
 * A call in ndo_stop's closure to a function we cannot see whose name says it could disable NAPI or bring
 * the device down (`foo_napi_disable_all()`, `foo_down()`, `bar_stop_rings()`): we cannot tell, so stay silent.
 */
const MAY_DISABLE = /napi|disable|down|stop|close|quiesce|deinit|teardown|shutdown|release|free|detach|halt|suspend/i;

interface Pair {
  open: FunctionFacts;
  stop: FunctionFacts;
  openRole: Role;
  stopRole: Role;
}

export default defineRule({
  meta: {
    id: 'napi-disable-on-stop',
    severity: 'warning',
    description: 'A NAPI instance enabled in ndo_open (or a helper it calls) that ndo_stop never disables with napi_disable().',
    doc: { section: 'napi', entry: 'napi->poll' },
    // struct napi_struct (and napi_enable/napi_disable) arrived in 2.6.24, with the document's NAPI section.
    since: '2.6.24',
    triggers: /\bnapi_enable(?:_locked)?\b/,
    needsWholeFunction: true,
    fixable: false,
    messages: {
      missing: '{{open}} (ndo_open) enables NAPI on {{napi}} at line {{enableLine}}{{via}}, but {{stop}} (ndo_stop) never calls napi_disable() on it: a poll may still be running or scheduled when the device is down; call napi_disable({{napi}}) in {{stop}}',
    },
  },
  check(ctx) {
    for (const pair of pairs(ctx.program)) {
      const { open, stop } = pair;
      const openClosure = calleeClosure(ctx.program, open);
      const stopClosure = calleeClosure(ctx.program, stop);
      // The change must touch one of the two bodies (or a helper of theirs).
      const touchedStop = firstChanged(ctx, stopClosure);
      const touched = touchedStop ?? firstChanged(ctx, openClosure);
      if (!ctx.audit && touched === undefined) continue;
      const enables = openClosure.flatMap((fn) => fn.calls.filter((c) => !c.indirect && ENABLES.has(c.name)).map((call) => ({ fn, call })));
      if (enables.length === 0) continue;
      const disabled: string[] = [];
      let unknown = false;
      const seen = new Set(stopClosure.map((f) => f.name));
      for (const fn of stopClosure) {
        for (const call of fn.calls) {
          if (DISABLES.has(call.name)) disabled.push(napiKey(call) ?? '*');
          // Something we cannot see might disable it.
          else if (MAY_DISABLE.test(call.name) && !KNOWN_NON_DISABLING.has(call.name) && (call.indirect || !seen.has(call.name))) unknown = true;
        }
      }
      if (unknown || disabled.includes('*')) continue;
      const reported = new Set<string>();
      for (const { fn, call } of enables) {
        const key = napiKey(call);
        // An enable through a parameter (`napi_enable(n)` in a helper) could be any instance: only when none is disabled.
        if (key === undefined ? disabled.length > 0 : disabled.includes(key)) continue;
        const napi = call.argTexts[0]?.trim() ?? 'the NAPI instance';
        if (reported.has(key ?? napi)) continue;
        reported.add(key ?? napi);
        // Anchor: ndo_stop's first line when the change touches it, else the napi_enable() call.
        const atStop = !ctx.audit && touchedStop !== undefined;
        const file = atStop ? stop.file : fn.file;
        const line = atStop ? stop.line : call.line;
        ctx.report({
          file,
          line,
          messageId: 'missing',
          severity: pair.openRole.evidence === 'name' || pair.stopRole.evidence === 'name' ? lowerSeverity('warning') : 'warning',
          data: { open: open.name, stop: stop.name, napi, enableLine: call.line, via: fn === open ? '' : ` (in ${fn.name})` },
          evidence: touched !== undefined && touched.file === file ? [touched.line] : [],
        });
      }
    }
  },
});

/** Kernel helpers named like teardown that certainly do not disable NAPI. */
const KNOWN_NON_DISABLING = new Set([
  'netif_stop_queue', 'netif_tx_stop_all_queues', 'netif_tx_stop_queue', 'netif_tx_disable', 'netif_carrier_off', 'free_irq', 'phy_stop',
  'phy_disconnect', 'phylink_stop', 'phylink_disconnect_phy', 'del_timer_sync', 'kfree', 'dev_kfree_skb', 'dev_kfree_skb_any', 'dma_free_coherent',
  'clk_disable_unprepare', 'disable_irq', 'pm_runtime_put', 'pm_runtime_put_sync', 'free_netdev', 'netif_napi_del', 'dma_unmap_single', 'kfree_skb',
  'cancel_work_sync', 'cancel_delayed_work_sync', 'tasklet_disable', 'tasklet_kill', 'page_pool_destroy', 'regulator_disable', 'vfree', 'kvfree',
  'devm_free_irq', 'free_percpu', 'dev_consume_skb_any', 'clk_disable', 'reset_control_assert', 'netdev_reset_queue', 'skb_queue_purge',
]);

/** What identifies a NAPI instance across functions: its last field (`&priv->rx[i].napi` → `napi`), or undefined for a bare variable. */
function napiKey(call: CallFact): string | undefined {
  const arg = normalizeRef(call.argTexts[0] ?? '');
  const parts = arg.replace(/\[[^\]]*\]/g, '').split(/->|\./);
  if (parts.length < 2) return undefined;
  return parts[parts.length - 1];
}

/** The first changed line in the spans of these functions. */
function firstChanged(ctx: { isChanged(file: string, line: number): boolean }, fns: readonly FunctionFacts[]): { file: string; line: number } | undefined {
  for (const fn of fns) for (let l = fn.line; l <= fn.endLine; l++) if (ctx.isChanged(fn.file, l)) return { file: fn.file, line: l };
  return undefined;
}

/** ndo_open/ndo_stop pairs whose bodies are both visible: bound by the same ops table, else (names only) sharing a prefix. */
function pairs(program: Program): Pair[] {
  const out: Pair[] = [];
  const seen = new Set<string>();
  const add = (open: FunctionFacts | undefined, stop: FunctionFacts | undefined, openRole: Role | undefined, stopRole: Role | undefined) => {
    if (!open || !stop || !openRole || !stopRole || !open.whole || !stop.whole) return;
    const k = `${open.file}:${open.name}|${stop.file}:${stop.name}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ open, stop, openRole, stopRole });
  };
  const find = (name: string, file: string) => program.lookup(file, name) ?? [...program.functions()].find((f) => f.name === name && !f.isStatic);
  // Bound pairs: the same table (its variable name is the part of `via` before the field).
  const tables = new Map<string, { open?: string; stop?: string; file: string }>();
  for (const b of program.bindings) {
    if (b.role !== 'ndo_open' && b.role !== 'ndo_stop') continue;
    const table = `${b.file}:${b.via.replace(/\.(?:ndo_open|ndo_stop|open|stop)$/, '')}`;
    const t = tables.get(table) ?? { file: b.file };
    if (b.role === 'ndo_open') t.open = b.fn;
    else t.stop = b.fn;
    tables.set(table, t);
  }
  for (const t of tables.values()) {
    if (!t.open || !t.stop) continue;
    const open = find(t.open, t.file);
    const stop = find(t.stop, t.file);
    add(open, stop, open && program.roles(open).find((r) => r.role === 'ndo_open'), stop && program.roles(stop).find((r) => r.role === 'ndo_stop'));
  }
  if (out.length > 0 || tables.size > 0) return out;
  // No table in view (a patch hunk): pair functions that look like open and stop with the same prefix.
  const fns = [...program.functions()];
  for (const open of fns) {
    const openRole = program.roles(open).find((r) => r.role === 'ndo_open');
    if (!openRole) continue;
    const prefix = open.name.replace(/_open$/, '');
    for (const stop of fns) {
      if (stop.file !== open.file || !/_(?:stop|close)$/.test(stop.name) || stop.name.replace(/_(?:stop|close)$/, '') !== prefix) continue;
      add(open, stop, openRole, program.roles(stop).find((r) => r.role === 'ndo_stop'));
    }
  }
  return out;
}
