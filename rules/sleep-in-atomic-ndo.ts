// Rule: a sleeping call reached from a callback the core runs in atomic context
// (ndo_start_xmit, ndo_tx_timeout, ndo_set_rx_mode, ndo_get_stats(64), NAPI poll).

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { Fix } from '../src/engine/finding.js';
import { anchorOnChange } from './lib/anchor.js';
import { conditionHolds, guardedByContextTest, mentionsSleepingCall, sleepingCall } from './lib/sleeping.js';
import { wordsRegExp } from './lib/triggers.js';
import { chainCutByConstants } from './lib/constant-guards.js';
import { SLEEPING_CALLS } from './data/sleeping-calls.js';

const ATOMIC_ROLES = new Set(['ndo_start_xmit', 'ndo_tx_timeout', 'ndo_set_rx_mode', 'ndo_get_stats', 'ndo_get_stats64', 'napi_poll']);

const ROLE_LABEL: Record<string, string> = {
  ndo_start_xmit: 'ndo_start_xmit (BHs off)',
  ndo_tx_timeout: 'ndo_tx_timeout (BHs off, tx lock held)',
  ndo_set_rx_mode: 'ndo_set_rx_mode (address lock held, BHs off)',
  ndo_get_stats: 'ndo_get_stats (atomic: RCU or dev_base_lock)',
  ndo_get_stats64: 'ndo_get_stats64 (atomic: RCU or dev_base_lock)',
  napi_poll: 'a NAPI poll (softirq)',
};

export default defineRule({
  meta: {
    id: 'sleep-in-atomic-ndo',
    severity: 'error',
    description: 'A call that may sleep, reached from a callback the core runs in atomic context (xmit, tx_timeout, set_rx_mode, get_stats, NAPI poll).',
    doc: { section: 'sync' },
    triggers: wordsRegExp(SLEEPING_CALLS.map((c) => c.name)),
    needsWholeFunction: false,
    fixable: true,
    messages: {
      sleeps: '{{call}}() may sleep ({{reason}}), but {{fn}} is {{role}}{{via}}; {{advice}}',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!mentionsSleepingCall(fn)) continue;
      const reaches = ctx.program.reaches(fn).filter((r) => ATOMIC_ROLES.has(r.role.role));
      if (reaches.length === 0) continue;
      for (const call of fn.calls) {
        const entry = sleepingCall(call);
        // `disable_irq()` sleeps only for threaded IRQs: data says when a call's sleeping depends on the driver.
        if (!entry || guardedByContextTest(fn, call) || !conditionHolds(entry, ctx.program, fn.file)) continue;
        // One finding per call: the strongest context that makes the change responsible, naming the others.
        const inScope = reaches.filter(
          (r) =>
            (ctx.audit || [call.line, ...r.sites.map((x) => x.line)].some((l) => ctx.isChanged(fn.file, l))) &&
            // `tg3_full_lock(tp, 0)` → `if (irq_sync) tg3_irq_quiesce(tp)`: that path is not taken from here.
            !chainCutByConstants(r.chain, r.sites, call),
        );
        if (inScope.length === 0) continue;
        const rank = (r: (typeof inScope)[number]) => (r.role.evidence === 'name' ? 100 : 0) + r.chain.length;
        const [best, ...others] = [...inScope].sort((a, b) => rank(a) - rank(b));
        const root = best.chain[0];
        const chainNames = [...best.chain.map((f) => f.name), call.name];
        const siteLines = best.sites.map((x) => x.line);
        const line = anchorOnChange(ctx, fn.file, call.line, siteLines);
        const alsoRoots = [...new Set(others.map((o) => o.chain[0].name).filter((n) => n !== root.name))];
        const advice =
          entry.instead === 'gfp-atomic'
            ? 'allocate with GFP_ATOMIC here'
            : entry.instead === 'delay'
              ? 'use udelay()/mdelay() for a short wait, or move the wait to a workqueue'
              : 'defer this work to a workqueue (schedule_work())';
        ctx.report({
          file: fn.file,
          line,
          messageId: 'sleeps',
          data: {
            call: call.name,
            reason: entry.reason,
            fn: root.name,
            role: ROLE_LABEL[best.role.role] ?? best.role.role,
            via: (best.chain.length > 1 ? ` (reached via ${chainNames.join(' → ')})` : '') + (alsoRoots.length ? `, and also from ${alsoRoots.join(', ')}` : ''),
            advice,
          },
          severity: best.role.evidence === 'name' ? lowerSeverity('error') : 'error',
          doc: best.context.doc,
          evidence: [call.line, ...siteLines],
          chain: best.chain.length > 1 ? chainNames : undefined,
          fix: line === call.line && entry.instead === 'gfp-atomic' ? gfpFix(ctx.lineText(fn.file, call.line), call.line) : undefined,
        });
      }
    }
  },
});

function gfpFix(text: string | undefined, line: number): Fix | undefined {
  if (!text || !/\bGFP_KERNEL\b/.test(text)) return undefined;
  return { line, endLine: line, replacement: text.replace(/\bGFP_KERNEL\b/, 'GFP_ATOMIC'), description: 'allocate with GFP_ATOMIC' };
}
