// Rule helpers: along a path through a function, which devices a register_netdev*() call has registered (and
// not failed to), which were unregistered since, and which variables hold a registration's result.

import type { FunctionFacts } from '../../src/analysis/facts.js';
import type { CfgNode } from '../../src/analysis/cfg.js';
import type { SyntaxNode } from '../../src/analysis/parser.js';
import { callArgs, calleeName, nodeText, unwrapExpression, walk } from '../../src/analysis/syntax.js';
import { NETDEV_UNREGISTERS, RTNL_HELD_REGISTER, RTNL_TAKING_REGISTER, WRAPPED_RTNL_HELD_REGISTER, names, type ApiEntry } from '../data/netdev-api.js';
import { refKey } from './netdev-refs.js';
import type { DeviceAliases } from './device-aliases.js';

const ALL_REGISTER = [...RTNL_TAKING_REGISTER, ...RTNL_HELD_REGISTER, ...WRAPPED_RTNL_HELD_REGISTER];
const isRegister = (e: ApiEntry) => /^(?:\w+_)?register_/.test(e.name) && !/unregister_/.test(e.name);
/** register_netdev(), register_netdevice() and the subsystem wrappers (register_candev(), ...). */
export const REGISTER_CALLS = names(ALL_REGISTER.filter(isRegister));
/** The registrations that run, and return, with rtnl held by the caller. */
export const RTNL_HELD_REGISTER_CALLS = names([...RTNL_HELD_REGISTER, ...WRAPPED_RTNL_HELD_REGISTER].filter(isRegister));
/** The unregister family, in either locking flavour. */
export const UNREGISTER_CALLS = names([...NETDEV_UNREGISTERS, ...WRAPPED_RTNL_HELD_REGISTER.filter((e) => !isRegister(e))]);
/** Unregistration that takes and releases rtnl itself: the core's teardown has run when it returns. */
const SETTLING_UNREGISTERS = names(RTNL_TAKING_REGISTER.filter((e) => e.name.startsWith('unregister_')));

export interface RegisterState {
  /** Registered on this path, not failed, not unregistered since: device → line of the register call. */
  live: ReadonlyMap<string, number>;
  /** Unregistered on this path: device → line of the unregister call. */
  unregistered: ReadonlyMap<string, number>;
  /** Variables holding a register call's result: name → the devices it registered. */
  pending: ReadonlyMap<string, readonly string[]>;
  /**
   * Unregistered devices whose unregistration has completed (rtnl released since: `unregister_netdev()`,
   * or `rtnl_unlock()` after `unregister_netdevice()`), so the core may already have freed them.
   */
  settled: ReadonlySet<string>;
}

export const EMPTY_REGISTER_STATE: RegisterState = { live: new Map(), unregistered: new Map(), pending: new Map(), settled: new Set() };

/** A stable key of the state, for path exploration. */
export function registerStateKey(s: RegisterState): string {
  const m = (x: ReadonlyMap<string, unknown>) => [...x.keys()].sort().join(',');
  return `${m(s.live)}|${m(s.unregistered)}|${m(s.pending)}|${[...s.settled].sort().join(',')}`;
}

/** Follows registrations of one function; `aliases` names devices (see deviceAliases). */
export class RegisterTracker {
  private readonly src: string;

  constructor(
    private readonly fn: FunctionFacts,
    private readonly aliases: DeviceAliases,
  ) {
    this.src = fn.text.src;
  }

  /** The device a register/unregister call names, or undefined when it is not one device (a list, a loop element). */
  deviceOf(call: SyntaxNode): string | undefined {
    const arg = callArgs(call)[0];
    if (!arg) return undefined;
    const key = refKey(nodeText(this.src, unwrapExpression(arg)));
    // `register_netdev(ad->port[i])` names a different device each time round a loop.
    if (key.includes('[') || key.startsWith('&')) return undefined;
    return this.aliases.canon(key);
  }

  /** Effects of executing a node: registrations, unregistrations, results stored, devices replaced. */
  step(node: CfgNode, state: RegisterState): RegisterState {
    if (!node.ast) return state;
    const src = this.src;
    let live: Map<string, number> | undefined;
    let unreg: Map<string, number> | undefined;
    let pending: Map<string, readonly string[]> | undefined;
    let settled: Set<string> | undefined;
    const L = () => (live ??= new Map(state.live));
    const S = () => (settled ??= new Set(state.settled));
    const U = () => (unreg ??= new Map(state.unregistered));
    const P = () => (pending ??= new Map(state.pending));
    const lineOf = (n: SyntaxNode) => n.startPosition.row + this.fn.text.lineOffset;
    const stored = (name: string, value: SyntaxNode | null) => {
      const devs = value ? this.registered(value) : undefined;
      if (devs) P().set(name, devs);
      else if ((pending ?? state.pending).has(name)) P().delete(name);
    };
    const replaced = (left: SyntaxNode, right: SyntaxNode | null) => {
      const lk = refKey(nodeText(src, left));
      if (lk.includes('[')) return;
      // A copy of the same device (`priv->ndev = ndev`) renews nothing.
      const r = right ? unwrapExpression(right) : undefined;
      if (r && REF_TYPES.has(r.type) && this.aliases.canon(refKey(nodeText(src, r))) === this.aliases.canon(lk)) return;
      // Anything else assigned to a name of a device (or to the variable it hangs from) is another device.
      for (const k of (live ?? state.live).keys()) if (this.aliases.rootedAt(k, lk)) L().delete(k);
      for (const k of (unreg ?? state.unregistered).keys()) if (this.aliases.rootedAt(k, lk)) U().delete(k);
      for (const k of settled ?? state.settled) if (this.aliases.rootedAt(k, lk)) S().delete(k);
    };
    walk(node.ast, (n) => {
      if (n.type === 'call_expression') {
        const callee = calleeName(src, n);
        if (!callee || callee.indirect) return;
        if (REGISTER_CALLS.has(callee.name)) {
          const dev = this.deviceOf(n);
          if (dev) L().set(dev, lineOf(n));
        } else if (UNREGISTER_CALLS.has(callee.name)) {
          const dev = this.deviceOf(n);
          if (dev) {
            L().delete(dev);
            U().set(dev, lineOf(n));
            if (SETTLING_UNREGISTERS.has(callee.name)) S().add(dev);
            else if ((settled ?? state.settled).has(dev)) S().delete(dev);
          }
        } else if (callee.name === 'rtnl_unlock') {
          for (const k of (unreg ?? state.unregistered).keys()) if (!(settled ?? state.settled).has(k)) S().add(k);
        }
        return;
      }
      if (n.type === 'assignment_expression') {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const op = n.childForFieldName('operator');
        if (!left || !op || nodeText(src, op) !== '=') return;
        if (left.type === 'identifier') stored(nodeText(src, left), right);
        replaced(left, right);
        return;
      }
      if (n.type === 'init_declarator') {
        let d = n.childForFieldName('declarator');
        while (d && d.type !== 'identifier') d = d.childForFieldName('declarator');
        if (!d) return;
        stored(nodeText(src, d), n.childForFieldName('value'));
        replaced(d, n.childForFieldName('value'));
      }
    });
    if (!live && !unreg && !pending && !settled) return state;
    return { live: live ?? state.live, unregistered: unreg ?? state.unregistered, pending: pending ?? state.pending, settled: settled ?? state.settled };
  }

  /** Narrows along a condition edge: the branch where a registration failed forgets it. */
  refine(node: CfgNode, branch: 'true' | 'false' | undefined, state: RegisterState): RegisterState {
    if (!node.ast || !branch) return state;
    const failed = new Set<string>();
    const succeeded = new Set<string>();
    for (const [devs, outcome] of this.outcomes(node.ast, branch === 'true', state, 0)) {
      for (const d of devs) (outcome === 'fail' ? failed : succeeded).add(d);
    }
    if (failed.size === 0) return state;
    const live = new Map(state.live);
    for (const d of failed) if (!succeeded.has(d)) live.delete(d);
    return { ...state, live };
  }

  /** Devices whose registration result this expression is (`register_netdev(dev)`, `err`, `(err = register_netdev(dev))`). */
  private registered(e: SyntaxNode, pending?: ReadonlyMap<string, readonly string[]>): readonly string[] | undefined {
    const u = unwrapExpression(e);
    if (u.type === 'call_expression') {
      const callee = calleeName(this.src, u);
      if (callee && !callee.indirect && REGISTER_CALLS.has(callee.name)) {
        const dev = this.deviceOf(u);
        return dev ? [dev] : undefined;
      }
      return undefined;
    }
    if (u.type === 'identifier') return pending?.get(nodeText(this.src, u));
    if (u.type === 'assignment_expression') {
      const right = u.childForFieldName('right');
      return right ? this.registered(right, pending) : undefined;
    }
    return undefined;
  }

  /** What a condition being `truth` says about registrations: a non-zero result is a failure. */
  private outcomes(cond: SyntaxNode, truth: boolean, s: RegisterState, depth: number): [readonly string[], 'fail' | 'ok'][] {
    if (depth > 16) return [];
    const src = this.src;
    let e = unwrapExpression(cond);
    for (;;) {
      if (e.type !== 'call_expression') break;
      const name = calleeName(src, e)?.name;
      if (name !== 'likely' && name !== 'unlikely' && name !== 'WARN_ON' && name !== 'WARN_ON_ONCE' && name !== 'WARN' && name !== 'WARN_ONCE') break;
      const arg = callArgs(e)[0];
      if (!arg) break;
      e = unwrapExpression(arg);
    }
    const direct = this.registered(e, s.pending);
    if (direct) return [[direct, truth ? 'fail' : 'ok']];
    if (e.type === 'unary_expression' && nodeText(src, e).trimStart().startsWith('!')) {
      const arg = e.childForFieldName('argument');
      return arg ? this.outcomes(arg, !truth, s, depth + 1) : [];
    }
    if (e.type !== 'binary_expression') return [];
    const op = nodeText(src, e.childForFieldName('operator') ?? e).trim();
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    if (!left || !right) return [];
    if (op === '&&') return truth ? [...this.outcomes(left, true, s, depth + 1), ...this.outcomes(right, true, s, depth + 1)] : [];
    if (op === '||') return truth ? [] : [...this.outcomes(left, false, s, depth + 1), ...this.outcomes(right, false, s, depth + 1)];
    const devs = this.registered(left, s.pending);
    const rtext = nodeText(src, right).replace(/\s+/g, '');
    if (!devs) return [];
    // `err == -EEXIST`: equal to an error code is a failure; different from it says nothing.
    if (/^-\(?(?:E[A-Z0-9]+|\d+)\)?$/.test(rtext)) {
      if (op === '==' && truth) return [[devs, 'fail']];
      if (op === '!=' && !truth) return [[devs, 'fail']];
      return [];
    }
    if (!/^(?:0|NULL)$/.test(rtext)) return [];
    switch (op) {
      case '<':
      case '!=':
        return [[devs, truth ? 'fail' : 'ok']];
      case '==':
      case '>=':
        return [[devs, truth ? 'ok' : 'fail']];
      default:
        return [];
    }
  }
}

const REF_TYPES = new Set(['identifier', 'field_expression']);
