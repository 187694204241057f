// Rule: in a remove/disconnect/exit path, free_netdev() of a device this file registers, with no
// unregistration before it on any path.

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { CallFact, FileFacts, FunctionFacts } from '../src/analysis/facts.js';
import type { Reach } from '../src/analysis/program.js';
import type { Program } from '../src/analysis/program.js';
import { explorePaths } from '../src/analysis/paths.js';
import { cfgOf } from '../src/analysis/paths.js';
import { callArgs, callsIn, calleeName, nodeText } from '../src/analysis/syntax.js';
import { NETDEV_FREES, names } from './data/netdev-api.js';
import { anchorOnChange } from './lib/anchor.js';
import { deviceAliases } from './lib/device-aliases.js';
import { refKey } from './lib/netdev-refs.js';
import { REGISTER_CALLS, UNREGISTER_CALLS } from './lib/register-paths.js';
import { wordsRegExp } from './lib/triggers.js';

const FREES = names(NETDEV_FREES);
const TEARDOWN_ROLES = new Set(['remove', 'module_exit']);
/**
 * A call into another file named like this may unregister a net_device (precision over recall); bus, MDIO
 * and notifier unregistrations (`mdiobus_unregister()`, `unregister_netdevice_notifier()`) do not count.
 */
const UNREGISTERING_NAME = /(?:unregister_?(?:net_?dev|ndev|dev|port|netif|iface|interface|vif)|(?:net_?dev|ndev|port|netif|iface|vif)s?_?unregister)(?!\w*notifier)/i;
/** A call into another file that is handed the freed device itself and is named like this may unregister it. */
const TEARDOWN_NAME = /unregister|destroy|remove|deinit|teardown|cleanup|clean_up|uninit|detach|release|_del(?:_|$)|_exit$/i;
const HELPER_DEPTH = 3;

export default defineRule({
  meta: {
    id: 'netdev-free-without-unregister',
    severity: 'warning',
    description: 'In a remove/disconnect/exit path, free_netdev() of a device this file registers, with no unregistration before it.',
    doc: { section: 'lifetime', entry: 'unregister_netdev' },
    triggers: wordsRegExp(FREES),
    needsWholeFunction: true,
    fixable: false,
    messages: {
      noUnregister:
        '{{call}}({{dev}}) in {{role}} {{root}}{{via}}, but no path to it unregisters a device first: this file registers {{dev}} with {{register}}(), so unregister it (unregister_netdev()) before freeing it — freeing a registered device leaves the core with a dangling pointer',
    },
  },
  check(ctx) {
    const registering = new Map<string, string | undefined>();
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(FREES)) continue;
      const frees = fn.calls.filter((c) => !c.indirect && FREES.has(c.name) && c.argTexts.length > 0);
      if (frees.length === 0) continue;
      const reaches = ctx.program.reaches(fn).filter((r) => TEARDOWN_ROLES.has(r.role.role));
      if (reaches.length === 0) continue;
      const file = ctx.program.files.find((f) => f.path === fn.file);
      if (!file) continue;
      if (!registering.has(file.path)) registering.set(file.path, registerCallOf(file));
      const register = registering.get(file.path);
      if (!register) continue;
      const dummies = dummyNames(file);
      const unregFns = new UnregisteringHelpers(ctx.program, fn.file);
      const fnAliases = deviceAliases(fn);
      const bare = unregisteredBefore(fn, unregFns, new Set(frees.map((c) => fnAliases.canon(refKey(c.argTexts[0])))));
      for (const free of frees) {
        const dev = refKey(free.argTexts[0]);
        if (dummies.has(lastName(dev))) continue;
        if (bare.get(free.node.startIndex) !== false) continue;
        const reach = reaches.find((r) => chainHasNoUnregister(r, unregFns));
        if (!reach) continue;
        const siteLines = reach.sites.map((s) => s.line);
        const line = anchorOnChange(ctx, fn.file, free.line, siteLines);
        const root = reach.chain[0];
        ctx.report({
          file: fn.file,
          line,
          messageId: 'noUnregister',
          severity: reach.role.evidence === 'name' ? lowerSeverity('warning') : 'warning',
          data: {
            call: free.name,
            dev,
            role: reach.role.role === 'module_exit' ? 'module exit' : 'remove',
            root: root.name,
            via: reach.chain.length > 1 ? ` (via ${reach.chain.map((f) => f.name).join(' → ')})` : '',
            register,
          },
          evidence: [free.line, ...siteLines, ...deletionsBefore(ctx, fn, free.line)],
          chain: reach.chain.length > 1 ? [...reach.chain.map((f) => f.name), free.name] : undefined,
        });
      }
    }
  },
});

/** The first register call of the file (devm_ registration unregisters itself and is not counted). */
function registerCallOf(file: FileFacts): string | undefined {
  for (const f of file.functions) {
    if (!f.mentionsAny(REGISTER_CALLS)) continue;
    const c = f.calls.find((x) => !x.indirect && REGISTER_CALLS.has(x.name));
    if (c) return c.name;
  }
  return undefined;
}

/** Last component of a reference: `priv->napi_dev` → `napi_dev`. */
function lastName(key: string): string {
  return key.split(/->|\./).pop() ?? key;
}

/** Names of devices that are never registered: dummy NAPI devices (`alloc_netdev_dummy()`, `init_dummy_netdev()`). */
function dummyNames(file: FileFacts): Set<string> {
  const out = new Set<string>();
  for (const f of file.functions) {
    if (!f.mentionsAny(['alloc_netdev_dummy', 'init_dummy_netdev'])) continue;
    for (const c of f.calls) if (c.name === 'init_dummy_netdev' && c.argTexts[0]) out.add(lastName(refKey(c.argTexts[0]).replace(/^&/, '')));
    for (const a of f.assigns) if (/^alloc_netdev_dummy\s*\(/.test(a.rightText.trim())) out.add(lastName(refKey(a.leftText)));
    for (const d of f.decls) if (d.initText && /^alloc_netdev_dummy\s*\(/.test(d.initText.trim())) out.add(d.name);
  }
  return out;
}

/** Same-file functions that unregister a device, directly or through helpers (memoized per file). */
class UnregisteringHelpers {
  private readonly memo = new Map<string, boolean>();
  constructor(
    private readonly program: Program,
    private readonly file: string,
  ) {}

  /**
   * True when this call may unregister a device: the family, a same-file helper that calls it, or a function
   * of another file named for it (or named for teardown and handed one of `devices`).
   */
  call(name: string, argKeys: readonly string[] = [], devices: ReadonlySet<string> = new Set()): boolean {
    if (UNREGISTER_CALLS.has(name)) return true;
    const helper = this.program.lookup(this.file, name);
    if (!helper) return UNREGISTERING_NAME.test(name) || (TEARDOWN_NAME.test(name) && argKeys.some((k) => devices.has(k)));
    return this.helper(helper, 0);
  }

  private helper(fn: FunctionFacts, depth: number): boolean {
    const hit = this.memo.get(fn.name);
    if (hit !== undefined) return hit;
    if (depth > HELPER_DEPTH) return false;
    this.memo.set(fn.name, false);
    let found = false;
    for (const c of fn.calls) {
      if (c.indirect) continue;
      if (UNREGISTER_CALLS.has(c.name)) found = true;
      else {
        const h = this.program.lookup(this.file, c.name);
        found = h ? h !== fn && this.helper(h, depth + 1) : UNREGISTERING_NAME.test(c.name);
      }
      if (found) break;
    }
    this.memo.set(fn.name, found);
    return found;
  }
}

/**
 * For every call node of `fn`: true when some path reaching it has unregistered a device before it,
 * false when it is reached only by paths that did not. Unreached calls are absent.
 */
function unregisteredBefore(fn: FunctionFacts, helpers: UnregisteringHelpers, devices: ReadonlySet<string> = new Set()): Map<number, boolean> {
  const out = new Map<number, boolean>();
  const src = fn.text.src;
  const aliases = deviceAliases(fn);
  const ok = explorePaths<boolean>(fn, {
    initial: false,
    key: (s) => (s ? '1' : '0'),
    transfer(node, seen) {
      if (!node.ast) return seen;
      let now = seen;
      for (const call of callsIn(node.ast)) {
        out.set(call.startIndex, (out.get(call.startIndex) ?? false) || now);
        const callee = calleeName(src, call);
        const args = callArgs(call).map((a) => aliases.canon(refKey(nodeText(src, a))));
        if (callee && !callee.indirect && helpers.call(callee.name, args, devices)) now = true;
      }
      return now;
    },
  });
  if (!ok) return new Map();
  return out;
}

/** Every caller on the chain reaches its call site without having unregistered anything first. */
function chainHasNoUnregister(r: Reach, helpers: UnregisteringHelpers): boolean {
  for (let i = 0; i < r.sites.length; i++) {
    const caller = r.chain[i];
    const site: CallFact = r.sites[i];
    if (!caller.whole || cfgOf(caller).partial) return false;
    if (unregisteredBefore(caller, helpers).get(site.node.startIndex) !== false) return false;
  }
  return true;
}

/** Lines just after a deletion, between the function's start and the free: the change may have removed the unregister. */
function deletionsBefore(ctx: { isChanged(file: string, line: number): boolean; isAdded(file: string, line: number): boolean }, fn: FunctionFacts, until: number): number[] {
  const out: number[] = [];
  for (let l = fn.line; l <= until; l++) if (ctx.isChanged(fn.file, l) && !ctx.isAdded(fn.file, l)) out.push(l);
  return out;
}
