// Rule: from a role the core runs without rtnl (probe/remove, module init/exit, PM, PCI error handlers,
// work), a call with no rtnl_lock() before it to the driver's own rtnl-held ndo or to a kernel helper that
// requires rtnl (rules/data/rtnl-required.ts).

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { Severity } from '../src/engine/finding.js';
import type { CallFact, FunctionFacts } from '../src/analysis/facts.js';
import type { Role } from '../src/analysis/roles.js';
import { roleContext } from '../src/analysis/roles.js';
import { anchorOnChange } from './lib/anchor.js';
import { noRtnlRoleLabel, reachWithoutRtnl, type RtnlFreeReach } from './lib/rtnl-free-reach.js';
import { wordsRegExp } from './lib/triggers.js';
import { RTNL_REQUIRED, type RtnlRequired } from './data/rtnl-required.js';
import { RTNL_HELD_REGISTER, RTNL_TAKING_REGISTER } from './data/netdev-api.js';

const REQUIRED = new Map<string, RtnlRequired>(RTNL_REQUIRED.map((e) => [e.name, e]));

/** Calls that register a device: what comes after them in probe runs on a registered device. */
const REGISTERS: ReadonlySet<string> = new Set([...RTNL_TAKING_REGISTER, ...RTNL_HELD_REGISTER].map((e) => e.name).filter((n) => n.startsWith('register_')));

/** Roles in which the device may not be registered yet. */
const SETUP_ROLES: ReadonlySet<string> = new Set(['probe', 'module_init']);

/** Own callbacks whose direct call is an error (the others, a warning). */
const OPEN_STOP: ReadonlySet<string> = new Set(['ndo_open', 'ndo_stop']);

/** The driver's own callbacks are found through an ops binding or, in a hunk, their name. */
const NDO_WORDS = /\bndo_\w+|\w_(?:open|stop|close)\b/;

export default defineRule({
  meta: {
    id: 'rtnl-required-without-rtnl',
    severity: 'error',
    description:
      "A call that needs rtnl (the driver's own rtnl-held ndo, or a kernel helper that asserts rtnl) from probe/remove, module init/exit, PM, PCI error handlers or work functions, without rtnl_lock().",
    doc: { section: 'sync' },
    triggers: new RegExp(`${wordsRegExp(REQUIRED.keys()).source}|${NDO_WORDS.source}`),
    needsWholeFunction: false,
    fixable: false,
    messages: {
      ownNdo:
        "{{call}}() is this driver's {{ndo}}, which the core only calls with rtnl held, but {{fn}} is {{role}}, which runs without rtnl{{via}}, and nothing takes rtnl before this call; take rtnl_lock() around it",
      helper:
        '{{call}}() requires rtnl ({{reason}}), but {{fn}} is {{role}}, which runs without rtnl{{via}}, and nothing takes rtnl before this call; take rtnl_lock() around it',
    },
  },
  check(ctx) {
    const program = ctx.program;
    // Per file: functions bound (or named) as rtnl-held ndos, so callers can be found with a text check.
    const ndoCache = new Map<string, Map<string, Role>>();
    const ndosOf = (path: string) => {
      let map = ndoCache.get(path);
      if (map) return map;
      map = new Map();
      for (const g of program.files.find((f) => f.path === path)?.functions ?? []) {
        if (!g.name) continue;
        const r = program.roles(g).find((x) => x.role.startsWith('ndo_') && roleContext(x.role).rtnl === 'held');
        if (r) map.set(g.name, r);
      }
      ndoCache.set(path, map);
      return map;
    };

    for (const fn of ctx.functions()) {
      const ndos = ndosOf(fn.file);
      if (!fn.mentionsAny(REQUIRED.keys()) && !fn.mentionsAny(ndos.keys())) continue;
      for (const call of fn.calls) {
        if (call.indirect) continue;
        const entry = REQUIRED.get(call.name);
        const callee = entry ? undefined : program.calleeOf(fn, call);
        const ndo = callee ? ndos.get(callee.name) : undefined;
        if (!entry && !ndo) continue;
        const reach = reachWithoutRtnl(ctx, fn, call);
        if (!reach) continue;
        // The device's own callbacks, and the helpers that need rtnl once it is registered, are fine before
        // registration: in probe (unless a registration is seen before the call), or wherever the device is
        // registered after the call on the same path (a work function that sets up the device).
        if ((ndo || entry?.onceRegistered) && (registeredAfter(reach, fn, call) || (SETUP_ROLES.has(reach.role.role) && !registeredBefore(reach, fn, call)))) continue;
        const root = reach.chain[0];
        const siteLines = reach.sites.map((s) => s.line);
        const chainNames = [...reach.chain.map((f) => f.name), call.name];
        // Reopening or closing the device behind the core's back is the clear case; re-applying features, MTU or
        // MAC through the ndo (a resume path reprogramming the hardware) races only with a concurrent change.
        const base: Severity = ndo && OPEN_STOP.has(ndo.role) ? (ndo.evidence === 'name' ? 'warning' : 'error') : 'warning';
        const common = {
          call: call.name,
          fn: root.name,
          role: noRtnlRoleLabel(reach.role),
          via: reach.chain.length > 1 ? ` (reached via ${chainNames.join(' → ')})` : '',
        };
        ctx.report({
          file: fn.file,
          line: anchorOnChange(ctx, fn.file, call.line, siteLines),
          messageId: ndo ? 'ownNdo' : 'helper',
          data: ndo ? { ...common, ndo: ndo.role } : { ...common, reason: entry?.reason ?? '' },
          severity: reach.role.evidence === 'name' ? lowerSeverity(base) : base,
          doc: ndo ? { section: 'sync', entry: ndo.role } : { section: 'sync' },
          evidence: [call.line, ...siteLines],
          chain: reach.chain.length > 1 ? chainNames : undefined,
        });
      }
    }
  },
});

/** True when a registration call comes before the call on its way from the role function (in text order). */
function registeredBefore(reach: RtnlFreeReach, fn: FunctionFacts, call: CallFact): boolean {
  return registersAround(reach, fn, call, (c, at) => c.node.startIndex < at.node.startIndex);
}

/** True when a registration call comes after the call on its way back to the role function (in text order). */
function registeredAfter(reach: RtnlFreeReach, fn: FunctionFacts, call: CallFact): boolean {
  return registersAround(reach, fn, call, (c, at) => c.node.startIndex > at.node.endIndex);
}

function registersAround(reach: RtnlFreeReach, fn: FunctionFacts, call: CallFact, where: (c: CallFact, at: CallFact) => boolean): boolean {
  const registers = (g: FunctionFacts, at: CallFact) => g.mentionsAny(REGISTERS) && g.calls.some((c) => !c.indirect && REGISTERS.has(c.name) && where(c, at));
  return reach.sites.some((s, i) => registers(reach.chain[i], s)) || registers(fn, call);
}
