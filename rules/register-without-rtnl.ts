// Rule: register_netdevice()/unregister_netdevice*() (which expect rtnl held) called where the core does
// not hold rtnl — probe/remove, module init/exit, PM, PCI error handlers, work — with no rtnl_lock() taken.

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { Fix } from '../src/engine/finding.js';
import { anchorOnChange } from './lib/anchor.js';
import { noRtnlRoleLabel, reachWithoutRtnl } from './lib/rtnl-free-reach.js';
import { wordsRegExp } from './lib/triggers.js';
import { RTNL_HELD_REGISTER, names } from './data/netdev-api.js';

const NEEDS_RTNL = names(RTNL_HELD_REGISTER);

/** The rtnl-taking variant of each call, where one exists (`unregister_netdevice_many()` has none). */
const TAKES_RTNL_TWIN: Record<string, string> = {
  register_netdevice: 'register_netdev',
  unregister_netdevice: 'unregister_netdev',
};

export default defineRule({
  meta: {
    id: 'register-without-rtnl',
    severity: 'warning',
    description: 'register_netdevice()/unregister_netdevice*() called without rtnl from probe/remove, module init/exit, PM, PCI error handlers or work functions.',
    doc: { section: 'lifetime', entry: 'register_netdevice' },
    triggers: wordsRegExp(NEEDS_RTNL),
    needsWholeFunction: false,
    fixable: true,
    messages: {
      unlocked:
        '{{call}}() expects the caller to hold rtnl_lock, but {{fn}} is {{role}}, which the core calls without it{{via}}, and nothing takes rtnl before this call; {{advice}}',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(NEEDS_RTNL)) continue;
      for (const call of fn.calls) {
        if (call.indirect || !NEEDS_RTNL.has(call.name)) continue;
        const reach = reachWithoutRtnl(ctx, fn, call);
        if (!reach) continue;
        const root = reach.chain[0];
        const siteLines = reach.sites.map((s) => s.line);
        const chainNames = [...reach.chain.map((f) => f.name), call.name];
        const twin = TAKES_RTNL_TWIN[call.name];
        const queueTwin = call.name === 'unregister_netdevice_queue' && /^\s*NULL\s*$/.test(call.argTexts[1] ?? '');
        const advice = twin
          ? `use ${twin}(), which takes rtnl itself`
          : queueTwin
            ? 'use unregister_netdev(), which takes rtnl itself'
            : 'take rtnl_lock() around it';
        const line = anchorOnChange(ctx, fn.file, call.line, siteLines);
        ctx.report({
          file: fn.file,
          line,
          messageId: 'unlocked',
          data: {
            call: call.name,
            fn: root.name,
            role: noRtnlRoleLabel(reach.role),
            via: reach.chain.length > 1 ? ` (reached via ${chainNames.join(' → ')})` : '',
            advice,
          },
          severity: reach.role.evidence === 'name' ? lowerSeverity('warning') : 'warning',
          evidence: [call.line, ...siteLines],
          chain: reach.chain.length > 1 ? chainNames : undefined,
          fix: line === call.line ? renameFix(ctx.lineText(fn.file, line), line, call.name, twin, queueTwin) : undefined,
        });
      }
    }
  },
});

/** `register_netdevice(dev)` → `register_netdev(dev)`; `unregister_netdevice_queue(dev, NULL)` → `unregister_netdev(dev)`. */
function renameFix(text: string | undefined, line: number, call: string, twin: string | undefined, queueTwin: boolean): Fix | undefined {
  if (!text) return undefined;
  let replaced = text;
  if (twin) replaced = text.replace(new RegExp(`\\b${call}\\s*\\(`), `${twin}(`);
  else if (queueTwin) replaced = text.replace(/\bunregister_netdevice_queue\s*\(\s*([^,()]+(?:\([^()]*\))?[^,()]*?)\s*,\s*NULL\s*\)/, 'unregister_netdev($1)');
  if (replaced === text) return undefined;
  const to = twin ?? 'unregister_netdev';
  return { line, endLine: line, replacement: replaced, description: `use ${to}()` };
}
