// Rule: in an "ops locked" driver, a dev_xxx() helper that takes the netdev instance lock itself, called on
// the device from one of its own ops that the core already runs under that lock (use the netif_xxx() twin).

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { Fix, Severity } from '../src/engine/finding.js';
import type { CallFact, FunctionFacts } from '../src/analysis/facts.js';
import type { Program } from '../src/analysis/program.js';
import { REACH_DEPTH } from '../src/analysis/program.js';
import { roleContext, type Role } from '../src/analysis/roles.js';
import { anchorOnChange } from './lib/anchor.js';
import { privAliases, refKey } from './lib/netdev-refs.js';
import { lockingOpsRoles, opsLockedEvidence, type OpsLockEvidence } from './lib/ops-locked.js';
import { wordsRegExp } from './lib/triggers.js';
import { INSTANCE_LOCK_TWINS, type InstanceLockTwin } from './data/instance-lock-twins.js';

const TWINS = new Map<string, InstanceLockTwin>(INSTANCE_LOCK_TWINS.map((t) => [t.name, t]));

/** Fields of a driver's private struct that point back at its own net_device. */
const BACK_POINTER = /^(\w+)->(?:netdev|ndev|net_dev|netdev_|dev)$/;

/** A context that holds the instance lock of the device its net_device parameter names. */
interface LockedReach {
  role: Role;
  severity: Severity;
  chain: FunctionFacts[];
  sites: CallFact[];
}

export default defineRule({
  meta: {
    id: 'instance-lock-self-deadlock',
    severity: 'error',
    description: 'In an "ops locked" driver, a dev_xxx() helper that takes the netdev instance lock, called on the device from its own ndo, ethtool, queue-management or shaper op.',
    doc: { section: 'instance-lock' },
    since: '6.15',
    docGate: { present: /^(?:RTNL and )?netdev instance lock[ \t]*$/m },
    triggers: wordsRegExp(TWINS.keys()),
    needsWholeFunction: false,
    fixable: true,
    messages: {
      selfDeadlock:
        '{{call}}() takes the instance lock of {{dev}} itself, but {{fn}} is {{role}} of an "ops locked" driver ({{evidence}}), which the core calls with that lock held{{via}}: this deadlocks; call {{twin}} instead',
    },
  },
  check(ctx) {
    const program = ctx.program;
    const evidenceCache = new Map<string, OpsLockEvidence | undefined>();
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(TWINS.keys())) continue;
      if (!evidenceCache.has(fn.file)) evidenceCache.set(fn.file, opsLockedEvidence(program, fn.file));
      const evidence = evidenceCache.get(fn.file);
      if (!evidence) continue;
      for (const call of fn.calls) {
        const twin = call.indirect ? undefined : TWINS.get(call.name);
        const arg = call.argTexts[0];
        if (!twin || !arg) continue;
        // A NAPI instance a driver's op handles belongs to the device whose op it is.
        const reach = lockedReaches(program, fn).find((r) => twin.napiArg || isOwnDevice(r, refKey(arg)));
        if (!reach) continue;
        const root = reach.chain[0];
        const siteLines = reach.sites.map((s) => s.line);
        const chainNames = [...reach.chain.map((f) => f.name), call.name];
        const line = anchorOnChange(ctx, fn.file, call.line, siteLines);
        const where = evidence.file === fn.file ? `line ${evidence.line}` : `${evidence.file}:${evidence.line}`;
        ctx.report({
          file: fn.file,
          line,
          messageId: 'selfDeadlock',
          data: {
            call: call.name,
            dev: twin.napiArg ? `the device of ${refKey(arg)}` : refKey(arg),
            fn: root.name,
            role: roleLabel(reach.role.role),
            evidence: `${evidence.what}, ${where}`,
            via: reach.chain.length > 1 ? ` (reached via ${chainNames.join(' → ')})` : '',
            twin: twin.note ?? `${twin.twin}()`,
          },
          severity: reach.severity,
          doc: { section: 'instance-lock', entry: opsStructOf(reach.role.role) },
          evidence: [call.line, ...siteLines],
          chain: reach.chain.length > 1 ? chainNames : undefined,
          fix: line === call.line && twin.rename ? renameFix(ctx.lineText(fn.file, line), line, twin) : undefined,
        });
      }
    }
  },
});

/** The severity a role gives, or undefined when the core does not call it under the instance lock. */
function lockedSeverity(role: string): Severity | undefined {
  if (role.startsWith('ethtool.') || role.startsWith('queue_mgmt.') || role.startsWith('net_shaper.')) return 'error';
  if (!role.startsWith('ndo_')) return undefined;
  const rtnl = roleContext(role).rtnl;
  if (rtnl === 'held') return 'error';
  // The catch-all "most ndos" sentence, and ndo_setup_tc (most types only): the document is less firm.
  if (rtnl === 'weak' || role === 'ndo_setup_tc') return 'warning';
  return undefined;
}

/** Contexts holding the instance lock that reach `fn` through same-file calls (a deadlock needs only one). */
function lockedReaches(program: Program, fn: FunctionFacts): LockedReach[] {
  const out: LockedReach[] = [];
  const visit = (g: FunctionFacts, chainBack: FunctionFacts[], sitesBack: CallFact[]) => {
    const chain = [g, ...chainBack];
    const callers = program.callersOf(g);
    for (const role of [...program.roles(g), ...lockingOpsRoles(program, g)]) {
      // A name-only role of a function the file calls directly is a guess the callers contradict.
      if (role.evidence === 'name' && callers.length > 0) continue;
      const base = lockedSeverity(role.role);
      if (base) out.push({ role, severity: role.evidence === 'name' ? lowerSeverity(base) : base, chain, sites: sitesBack });
    }
    if (chain.length > REACH_DEPTH) return;
    for (const { caller, site } of callers) if (!chain.includes(caller)) visit(caller, chain, [site, ...sitesBack]);
  };
  visit(fn, [], []);
  const rank = (r: LockedReach) => (r.severity === 'error' ? 0 : r.severity === 'warning' ? 100 : 200) + r.chain.length;
  return out.sort((a, b) => rank(a) - rank(b));
}

/** Names for the op's own device (and its private area) in one function. */
interface SelfRefs {
  netdev: Set<string>;
  priv: Set<string>;
}

/** The device the op runs for: its net_device parameter (a shaper op's `binding->netdev`), and aliases of it. */
function rootRefs(fn: FunctionFacts): SelfRefs {
  const refs: SelfRefs = { netdev: new Set(), priv: new Set() };
  for (const p of fn.params) {
    if (p.type === 'struct net_device *' && p.name) refs.netdev.add(p.name);
    if (p.type === 'struct net_shaper_binding *' && p.name) refs.netdev.add(`${p.name}->netdev`);
  }
  return extendRefs(fn, refs);
}

/** Adds locals that alias the device (`ndev = priv->netdev`) or its private area (`priv = netdev_priv(dev)`). */
function extendRefs(fn: FunctionFacts, refs: SelfRefs): SelfRefs {
  for (const [name, of] of privAliases(fn)) if (refs.netdev.has(of)) refs.priv.add(name);
  const isDev = (text: string) => {
    const k = refKey(text);
    const m = BACK_POINTER.exec(k);
    return refs.netdev.has(k) || (!!m && refs.priv.has(m[1]));
  };
  for (const d of fn.decls) if (d.initText && d.type === 'struct net_device *' && isDev(d.initText)) refs.netdev.add(d.name);
  for (const a of fn.assigns) if (a.operator === '=' && a.left.type === 'identifier' && isDev(a.rightText)) refs.netdev.add(a.leftText);
  return refs;
}

/** True when `arg` names the device whose op is running, following it through the chain's arguments. */
function isOwnDevice(reach: LockedReach, arg: string): boolean {
  let refs = rootRefs(reach.chain[0]);
  for (let i = 0; i < reach.sites.length; i++) {
    const next = reach.chain[i + 1];
    const passed: SelfRefs = { netdev: new Set(), priv: new Set() };
    reach.sites[i].argTexts.forEach((text, k) => {
      const param = next.params[k]?.name;
      if (!param) return;
      const key = refKey(text);
      const m = BACK_POINTER.exec(key);
      if (refs.netdev.has(key) || (m && refs.priv.has(m[1]))) passed.netdev.add(param);
      else if (refs.priv.has(key)) passed.priv.add(param);
    });
    refs = extendRefs(next, passed);
  }
  const m = BACK_POINTER.exec(arg);
  return refs.netdev.has(arg) || (!!m && refs.priv.has(m[1]));
}

/** The ops struct a role belongs to: the instance-lock section has one subsection per struct. */
function opsStructOf(role: string): string {
  if (role.startsWith('ethtool.')) return 'ethtool_ops';
  if (role.startsWith('queue_mgmt.')) return 'netdev_queue_mgmt_ops';
  if (role.startsWith('net_shaper.')) return 'net_shaper_ops';
  return 'net_device_ops';
}

function roleLabel(role: string): string {
  if (role.startsWith('ethtool.')) return `its ethtool_ops .${role.slice('ethtool.'.length)}`;
  if (role.startsWith('queue_mgmt.')) return `its netdev_queue_mgmt_ops .${role.slice('queue_mgmt.'.length)}`;
  if (role.startsWith('net_shaper.')) return `its net_shaper_ops .${role.slice('net_shaper.'.length)}`;
  return `its ${role}`;
}

function renameFix(text: string | undefined, line: number, twin: InstanceLockTwin): Fix | undefined {
  if (!text) return undefined;
  const replaced = text.replace(new RegExp(`\\b${twin.name}\\s*\\(`), `${twin.twin}(`);
  return replaced === text ? undefined : { line, endLine: line, replacement: replaced, description: `use ${twin.twin}()` };
}
