// Rule helpers: the device the core hands to an rtnl_link_ops callback (newlink, changelink, dellink), followed
// into the same-file helpers the callback passes it to.

import type { CallFact, FunctionFacts } from '../../src/analysis/facts.js';
import type { Program, Reach } from '../../src/analysis/program.js';
import { deviceAliases } from './device-aliases.js';
import { backPointers, privAliases, refKey } from './netdev-refs.js';

/** Roles whose `struct net_device *` parameter is the core's device. */
export const RTNL_LINK_CALLBACKS: ReadonlySet<string> = new Set(['rtnl_link.newlink', 'rtnl_link.changelink', 'rtnl_link.dellink']);

/** A way an rtnl_link_ops callback reaches a function: the callback first, the function last. */
export interface RtnlLinkReach {
  /** `rtnl_link.newlink`, `rtnl_link.changelink` or `rtnl_link.dellink`. */
  role: string;
  /** Bound in an rtnl_link_ops table in view, or known by its signature (which counts as bound). */
  evidence: 'rtnl_link' | 'signature';
  chain: FunctionFacts[];
  sites: CallFact[];
}

const NL = /^struct nlattr \*$/;
const NETDEV = /^struct net_device \*$/;
const EXTACK = /^struct netlink_ext_ack \*$/;

/**
 * The rtnl_link_ops callback a function is by its name and signature alone, when its ops table is not in
 * view (a patch hunk): `foo_newlink(struct net *, struct net_device *, struct nlattr *tb[], struct nlattr
 * *data[], struct netlink_ext_ack *)` (or the 6.15 `(struct net_device *, struct rtnl_newlink_params *, ...)`),
 * `foo_changelink(struct net_device *, struct nlattr *tb[], struct nlattr *data[], ...)`,
 * `foo_dellink(struct net_device *, struct list_head *)`.
 */
export function rtnlLinkRoleBySignature(fn: FunctionFacts): string | undefined {
  if (!fn.paramsComplete) return undefined;
  const t = fn.params.map((p) => p.type);
  const fits = (want: RegExp[], optional = 0) => t.length <= want.length && t.length >= want.length - optional && t.every((x, i) => want[i].test(x));
  if (/newlink$/.test(fn.name) && fn.returnType === 'int') {
    if (fits([/^struct net \*$/, NETDEV, NL, NL, EXTACK], 1) || fits([NETDEV, /^struct rtnl_newlink_params \*$/, EXTACK])) return 'rtnl_link.newlink';
  }
  if (/changelink$/.test(fn.name) && fn.returnType === 'int' && fits([NETDEV, NL, NL, EXTACK], 1)) return 'rtnl_link.changelink';
  if (/dellink$/.test(fn.name) && fn.returnType === 'void' && fits([NETDEV, /^struct list_head \*$/])) return 'rtnl_link.dellink';
  return undefined;
}

/** The rtnl_link_ops callbacks that reach `fn`: bound ones through the program, else by signature (itself or a direct caller). */
export function rtnlLinkReaches(program: Program, fn: FunctionFacts): RtnlLinkReach[] {
  const bound = program
    .reaches(fn)
    .filter((r) => RTNL_LINK_CALLBACKS.has(r.role.role))
    .map((r): RtnlLinkReach => ({ role: r.role.role, evidence: 'rtnl_link', chain: r.chain, sites: r.sites }));
  if (bound.length > 0) return bound;
  const out: RtnlLinkReach[] = [];
  const own = rtnlLinkRoleBySignature(fn);
  if (own) out.push({ role: own, evidence: 'signature', chain: [fn], sites: [] });
  for (const { caller, site } of program.callersOf(fn)) {
    const role = rtnlLinkRoleBySignature(caller);
    if (role) out.push({ role, evidence: 'signature', chain: [caller, fn], sites: [site] });
  }
  return out;
}

/**
 * The names, in the last function of the chain, that hold the device the core passed to the callback:
 * the callback's `struct net_device *` parameters, followed through each call site's arguments.
 */
export function coreDeviceNames(r: Pick<Reach, 'chain' | 'sites'>): Set<string> {
  const root = r.chain[0];
  let held = deviceNamesIn(root, new Set(root.params.filter((p) => p.type === 'struct net_device *').map((p) => p.name)));
  for (let i = 0; i < r.sites.length; i++) {
    const site: CallFact = r.sites[i];
    const callee = r.chain[i + 1];
    const next = new Set<string>();
    site.argTexts.forEach((t, k) => {
      const p = callee.params[k];
      if (p && held.has(refKey(t))) next.add(p.name);
    });
    held = deviceNamesIn(callee, next);
    if (held.size === 0) break;
  }
  return held;
}

/** The given names plus their copies and back pointers in `fn` (`priv->dev`, `struct net_device *d = dev`). */
export function deviceNamesIn(fn: FunctionFacts, seeds: ReadonlySet<string>): Set<string> {
  const out = new Set(seeds);
  if (seeds.size === 0) return out;
  // A parameter reassigned in the body (`dev = alloc_netdev(...)`) no longer holds the core's device.
  for (const a of fn.assigns) if (a.operator === '=' && a.left.type === 'identifier' && out.has(a.leftText.trim())) out.delete(a.leftText.trim());
  if (out.size === 0) return out;
  const aliases = deviceAliases(fn);
  const canon = new Set([...out].map((n) => aliases.canon(n)));
  for (const a of fn.assigns) {
    const k = refKey(a.leftText);
    if (canon.has(aliases.canon(k))) out.add(k);
  }
  for (const d of fn.decls) if (canon.has(aliases.canon(d.name))) out.add(d.name);
  const priv = privAliases(fn);
  for (const [field, dev] of backPointers(fn, priv)) if (out.has(dev)) out.add(field);
  return out;
}
