// Analysis stage: what each function is to the kernel (an ndo, a NAPI poll, probe, a work item...) and the
// context the kernel calls it in (rtnl held? may it sleep?), per the synchronization rules of the document.

import type { DocRef } from '../engine/finding.js';
import type { FileFacts, FunctionFacts, StructInit, CallFact } from './facts.js';

/** How a role was learned, strongest first. `name` is the only weak one. */
export type RoleEvidence = 'ops' | 'rtnl_link' | 'napi' | 'legacy' | 'driver' | 'notifier' | 'binding' | 'signature' | 'name';

export interface Role {
  /** `ndo_start_xmit`, `napi_poll`, `rtnl_link.newlink`, `ethtool.get_link`, `probe`, `remove`, `pm`, `work`, ... */
  role: string;
  evidence: RoleEvidence;
  /** Where the binding is (file and line), or the function's own line for signature/name roles. */
  file: string;
  line: number;
  /** Human description of the binding, e.g. `foo_netdev_ops.ndo_start_xmit`. */
  via: string;
}

export interface RoleContext {
  /** `held`: the core holds rtnl; `weak`: held per the document's catch-all sentence; `no`: it does not. */
  rtnl: 'held' | 'weak' | 'no' | 'unknown';
  /** Whether the callback may sleep. */
  sleeps: boolean | undefined;
  /** The document entry that states the context. */
  doc?: DocRef;
}

const RTNL_SLEEP_NDOS = new Set([
  'ndo_open', 'ndo_stop', 'ndo_do_ioctl', 'ndo_eth_ioctl', 'ndo_siocdevprivate', 'ndo_siocbond', 'ndo_siocwandev',
  'ndo_change_mtu', 'ndo_set_mac_address', 'ndo_set_features', 'ndo_change_rx_flags', 'ndo_set_rx_mode_async',
  'ndo_init', 'ndo_uninit',
]);
const DATAPATH_NDOS = new Set(['ndo_select_queue', 'ndo_features_check', 'ndo_xdp_xmit', 'ndo_xsk_wakeup', 'ndo_poll_controller']);
const ATOMIC_NDOS: Record<string, string> = {
  ndo_start_xmit: 'ndo_start_xmit',
  ndo_tx_timeout: 'ndo_tx_timeout',
  ndo_set_rx_mode: 'ndo_set_rx_mode',
  ndo_set_multicast_list: 'ndo_set_rx_mode',
  ndo_get_stats: 'ndo_get_stats',
  ndo_get_stats64: 'ndo_get_stats',
};

/** Maps a role to the context the document gives it. */
export function roleContext(role: string): RoleContext {
  if (role in ATOMIC_NDOS) return { rtnl: 'no', sleeps: false, doc: { section: 'sync', entry: ATOMIC_NDOS[role] } };
  if (role === 'napi_poll') return { rtnl: 'no', sleeps: false, doc: { section: 'napi', entry: 'napi->poll' } };
  if (RTNL_SLEEP_NDOS.has(role)) return { rtnl: 'held', sleeps: true, doc: { section: 'sync', entry: role } };
  if (DATAPATH_NDOS.has(role)) return { rtnl: 'no', sleeps: false, doc: { section: 'sync' } };
  if (role === 'ndo_setup_tc') return { rtnl: 'unknown', sleeps: true, doc: { section: 'sync', entry: 'ndo_setup_tc' } };
  if (role.startsWith('ndo_')) return { rtnl: 'weak', sleeps: true, doc: { section: 'sync' } };
  // `.setup` also runs from alloc_netdev() in probe, without rtnl; the others only under it.
  if (role === 'rtnl_link.setup') return { rtnl: 'unknown', sleeps: true };
  if (role.startsWith('rtnl_link.') || role === 'notifier') return { rtnl: 'held', sleeps: true, doc: { section: 'lifetime' } };
  if (role.startsWith('ethtool.')) return { rtnl: 'held', sleeps: true, doc: { section: 'sync' } };
  switch (role) {
    case 'probe':
    case 'remove':
    case 'shutdown':
    case 'module_init':
    case 'module_exit':
    case 'pm':
    case 'pci_error':
    case 'work':
    case 'irq_thread':
      return { rtnl: 'no', sleeps: true };
    case 'timer':
    case 'tasklet':
    case 'irq':
    case 'urb_complete':
      return { rtnl: 'no', sleeps: false, doc: { section: 'kernel-locking' } };
    default:
      return { rtnl: 'unknown', sleeps: undefined };
  }
}

/** Roles that never run with rtnl held (the core does not take it for them). */
export function runsWithoutRtnl(role: string): boolean {
  return roleContext(role).rtnl === 'no';
}

const PM_FIELDS = new Set([
  'suspend', 'resume', 'freeze', 'thaw', 'poweroff', 'restore', 'runtime_suspend', 'runtime_resume', 'runtime_idle',
  'suspend_late', 'resume_early', 'freeze_late', 'thaw_early', 'poweroff_late', 'restore_early', 'suspend_noirq',
  'resume_noirq', 'freeze_noirq', 'thaw_noirq', 'poweroff_noirq', 'restore_noirq', 'prepare', 'complete',
]);
const PCI_ERROR_FIELDS = new Set(['error_detected', 'slot_reset', 'resume', 'mmio_enabled', 'reset_prepare', 'reset_done', 'cor_error_detected']);
const DRIVER_FIELD_ROLES: Record<string, string> = {
  probe: 'probe',
  probe_new: 'probe',
  remove: 'remove',
  remove_new: 'remove',
  disconnect: 'remove',
  shutdown: 'shutdown',
  suspend: 'pm',
  resume: 'pm',
  reset_resume: 'pm',
  pre_reset: 'pm',
  post_reset: 'pm',
};
const RTNL_LINK_FIELDS = new Set(['newlink', 'changelink', 'dellink', 'setup', 'validate']);
const LEGACY_FIELDS: Record<string, string> = {
  open: 'ndo_open',
  stop: 'ndo_stop',
  hard_start_xmit: 'ndo_start_xmit',
  tx_timeout: 'ndo_tx_timeout',
  set_multicast_list: 'ndo_set_rx_mode',
  get_stats: 'ndo_get_stats',
  do_ioctl: 'ndo_do_ioctl',
  change_mtu: 'ndo_change_mtu',
  set_mac_address: 'ndo_set_mac_address',
  poll: 'napi_poll',
};
/** Bindings made by a call: function name → (argument index of the callback, role). */
const CALL_BINDINGS: Record<string, [number, string][]> = {
  netif_napi_add: [[2, 'napi_poll']],
  netif_napi_add_weight: [[2, 'napi_poll']],
  netif_napi_add_tx: [[2, 'napi_poll']],
  netif_napi_add_tx_weight: [[2, 'napi_poll']],
  netif_napi_add_config: [[2, 'napi_poll']],
  netif_napi_add_locked: [[2, 'napi_poll']],
  netif_threaded_napi_add: [[2, 'napi_poll']],
  INIT_WORK: [[1, 'work']],
  INIT_DELAYED_WORK: [[1, 'work']],
  INIT_WORK_ONSTACK: [[1, 'work']],
  INIT_DEFERRABLE_WORK: [[1, 'work']],
  timer_setup: [[1, 'timer']],
  setup_timer: [[1, 'timer']],
  hrtimer_setup: [[1, 'timer']],
  tasklet_setup: [[1, 'tasklet']],
  tasklet_init: [[1, 'tasklet']],
  request_irq: [[1, 'irq']],
  request_any_context_irq: [[1, 'irq']],
  devm_request_irq: [[2, 'irq']],
  request_threaded_irq: [[1, 'irq'], [2, 'irq_thread']],
  devm_request_threaded_irq: [[2, 'irq'], [3, 'irq_thread']],
  usb_fill_bulk_urb: [[5, 'urb_complete']],
  usb_fill_int_urb: [[5, 'urb_complete']],
  usb_fill_control_urb: [[6, 'urb_complete']],
  module_init: [[0, 'module_init']],
  module_exit: [[0, 'module_exit']],
  late_initcall: [[0, 'module_init']],
  SIMPLE_DEV_PM_OPS: [[1, 'pm'], [2, 'pm']],
  DEFINE_SIMPLE_DEV_PM_OPS: [[1, 'pm'], [2, 'pm']],
  UNIVERSAL_DEV_PM_OPS: [[1, 'pm'], [2, 'pm'], [3, 'pm']],
  DEFINE_RUNTIME_DEV_PM_OPS: [[1, 'pm'], [2, 'pm'], [3, 'pm']],
  SET_SYSTEM_SLEEP_PM_OPS: [[0, 'pm'], [1, 'pm']],
  SYSTEM_SLEEP_PM_OPS: [[0, 'pm'], [1, 'pm']],
  SET_LATE_SYSTEM_SLEEP_PM_OPS: [[0, 'pm'], [1, 'pm']],
  LATE_SYSTEM_SLEEP_PM_OPS: [[0, 'pm'], [1, 'pm']],
  SET_NOIRQ_SYSTEM_SLEEP_PM_OPS: [[0, 'pm'], [1, 'pm']],
  NOIRQ_SYSTEM_SLEEP_PM_OPS: [[0, 'pm'], [1, 'pm']],
  SET_RUNTIME_PM_OPS: [[0, 'pm'], [1, 'pm'], [2, 'pm']],
  RUNTIME_PM_OPS: [[0, 'pm'], [1, 'pm'], [2, 'pm']],
};
/** Netdevice notifier registrations → index of the notifier_block argument. */
const NETDEV_NOTIFIER_REGISTER: Record<string, number> = {
  register_netdevice_notifier: 0,
  register_netdevice_notifier_rh: 0,
  register_netdevice_notifier_net: 1,
  register_netdevice_notifier_dev_net: 1,
};

/** Calls whose arguments bind roles, and the fields whose assignment does: functions naming none are not read. */
const BINDING_CALL_NAMES = new Set([...Object.keys(CALL_BINDINGS), ...Object.keys(NETDEV_NOTIFIER_REGISTER)]);
const ASSIGNED_FIELDS = new Set([...Object.keys(LEGACY_FIELDS), 'notifier_call']);
/** `x->open = ...` / `nb.notifier_call = ...`: names like `open` are common, the assignment is not. */
const ASSIGNED_FIELD_RE = new RegExp(`(?:->|\\.)\\s*(?:${[...ASSIGNED_FIELDS].join('|')})\\s*=[^=]`);
/**
 * Text that may bind a role (an ops table, a driver struct, a registration call, a legacy `dev->`
 * callback): a file without it and without any rule's trigger words cannot matter to a review.
 */
export const BINDING_TEXT = new RegExp(
  [
    '\\bstruct\\s+(?:net_device_ops|rtnl_link_ops|ethtool_ops|dev_pm_ops|pci_error_handlers|notifier_block|\\w+_driver)\\b',
    `\\b(?:${[...BINDING_CALL_NAMES].join('|')})\\b`,
    `(?:->|\\.)\\s*(?:${[...ASSIGNED_FIELDS].join('|')})\\s*=[^=]`,
  ].join('|'),
);

/** A function name bound to a role somewhere in the files of a change. */
export interface Binding extends Role {
  fn: string;
}

function evidenceForStruct(structType: string): RoleEvidence | undefined {
  if (structType === 'net_device_ops') return 'ops';
  if (structType === 'rtnl_link_ops') return 'rtnl_link';
  if (structType === 'ethtool_ops' || structType === 'dev_pm_ops' || structType === 'pci_error_handlers') return 'binding';
  if (structType.endsWith('_driver') && structType !== 'device_driver') return 'driver';
  return undefined;
}

/** Every binding a file makes: ops tables, driver structs, PM ops, NAPI/work/timer/IRQ registration, legacy `dev->` fields. */
export function fileBindings(file: FileFacts): Binding[] {
  const out: Binding[] = [];
  const add = (fn: string | undefined, role: string, evidence: RoleEvidence, line: number, via: string) => {
    if (fn && /^[A-Za-z_]\w*$/.test(fn) && fn !== 'NULL') out.push({ fn, role, evidence, file: file.path, line, via });
  };
  for (const init of file.initializers) readInitializerBindings(init, add);
  const notifierBlocks = new Set<string>();
  const allCalls: CallFact[] = [...file.topLevelCalls];
  for (const fn of file.functions) if (fn.mentionsAny(BINDING_CALL_NAMES)) allCalls.push(...fn.calls);
  for (const c of allCalls) {
    const nbIndex = NETDEV_NOTIFIER_REGISTER[c.name];
    if (nbIndex !== undefined) {
      const arg = c.argTexts[nbIndex]?.replace(/^&\s*/, '').trim();
      if (arg) notifierBlocks.add(arg.split(/->|\./).pop() ?? arg);
      continue;
    }
    const spec = CALL_BINDINGS[c.name];
    if (!spec) continue;
    for (const [index, role] of spec) {
      // `request_irq(irq, &fn, ...)` binds fn as much as `request_irq(irq, fn, ...)`.
      const ident = c.argTexts[index]?.trim().replace(/^&\s*/, '');
      const evidence: RoleEvidence = role === 'napi_poll' ? 'napi' : role.startsWith('module_') ? 'driver' : 'binding';
      add(ident, role, evidence, c.line, `${c.name}()`);
    }
  }
  // Notifier blocks: `.notifier_call = fn` in an initializer, or `nb.notifier_call = fn` in code.
  for (const init of file.initializers) {
    if (init.structType !== 'notifier_block' || !notifierBlocks.has(init.name)) continue;
    for (const f of init.fields) if (f.path === 'notifier_call') add(f.ident, 'notifier', 'notifier', f.line, `${init.name}.notifier_call`);
  }
  for (const fn of file.functions) {
    if (!fn.mentionsAny(ASSIGNED_FIELDS) || !ASSIGNED_FIELD_RE.test(fn.text.src.slice(fn.startIndex, fn.endIndex))) continue;
    for (const a of fn.assigns) {
      if (a.operator !== '=' || a.right.type !== 'identifier' && a.right.type !== 'pointer_expression') continue;
      const fieldNode = a.left.type === 'field_expression' ? a.left.childForFieldName('field') : null;
      if (!fieldNode) continue;
      const field = fn.text.src.slice(fieldNode.startIndex, fieldNode.endIndex);
      const target = a.rightText.replace(/^&\s*/, '').trim();
      if (field === 'notifier_call' && notifierBlocks.size > 0) {
        const owner = a.leftText.replace(/\s+/g, '').replace(/(?:->|\.)notifier_call$/, '').split(/->|\./).pop() ?? '';
        if (notifierBlocks.has(owner)) add(target, 'notifier', 'notifier', a.line, `${a.leftText}`);
        continue;
      }
      const legacy = LEGACY_FIELDS[field];
      if (legacy && looksLikeNetdevExpr(a.leftText, fn, file)) add(target, legacy, 'legacy', a.line, `dev->${field}`);
    }
  }
  return out;
}

function readInitializerBindings(init: StructInit, add: (fn: string | undefined, role: string, e: RoleEvidence, line: number, via: string) => void): void {
  const evidence = evidenceForStruct(init.structType);
  const via = (path: string) => `${init.name || init.structType}.${path}`;
  for (const f of init.fields) {
    if (init.structType === 'net_device_ops') {
      if (f.path.startsWith('ndo_')) add(f.ident, f.path === 'ndo_set_multicast_list' ? 'ndo_set_rx_mode' : f.path, 'ops', f.line, via(f.path));
    } else if (init.structType === 'rtnl_link_ops') {
      if (RTNL_LINK_FIELDS.has(f.path)) add(f.ident, `rtnl_link.${f.path}`, 'rtnl_link', f.line, via(f.path));
    } else if (init.structType === 'ethtool_ops') {
      add(f.ident, `ethtool.${f.path}`, 'binding', f.line, via(f.path));
    } else if (init.structType === 'dev_pm_ops') {
      if (PM_FIELDS.has(f.path)) add(f.ident, 'pm', 'binding', f.line, via(f.path));
    } else if (init.structType === 'pci_error_handlers') {
      if (PCI_ERROR_FIELDS.has(f.path)) add(f.ident, 'pci_error', 'binding', f.line, via(f.path));
    } else if (evidence === 'driver') {
      const role = DRIVER_FIELD_ROLES[f.path] ?? (f.path.startsWith('driver.pm') ? undefined : undefined);
      if (role) add(f.ident, role, 'driver', f.line, via(f.path));
    }
  }
  for (const c of init.macroCalls) {
    const spec = CALL_BINDINGS[c.name];
    if (spec) for (const [i, role] of spec) add(c.argTexts[i]?.trim().replace(/^&\s*/, ''), role, 'binding', c.line, `${init.name}: ${c.name}()`);
  }
}

/** `dev->open = ...`: the left side's object is a net_device (typed, or named like one). */
function looksLikeNetdevExpr(leftText: string, fn: FunctionFacts, file: FileFacts): boolean {
  const obj = leftText.replace(/\s+/g, '').replace(/->\w+$/, '');
  if (obj === leftText.replace(/\s+/g, '')) return false;
  const typeOf = (name: string) =>
    fn.params.find((p) => p.name === name)?.type ?? fn.decls.find((d) => d.name === name)?.type ?? file.globals.find((g) => g.name === name)?.type;
  const t = typeOf(obj);
  if (t !== undefined) return t === 'struct net_device *';
  return /^(?:dev|ndev|netdev|net_dev)$/.test(obj);
}

const NAME_ROLES: [RegExp, string][] = [
  [/_(?:start_xmit|xmit_frame|hard_start_xmit|xmit)$/, 'ndo_start_xmit'],
  [/_poll$/, 'napi_poll'],
  [/_set_rx_mode$/, 'ndo_set_rx_mode'],
  [/_set_multicast(?:_list)?$/, 'ndo_set_rx_mode'],
  [/_get_stats64$/, 'ndo_get_stats64'],
  [/_get_stats$/, 'ndo_get_stats'],
  [/_tx_timeout$/, 'ndo_tx_timeout'],
  [/_open$/, 'ndo_open'],
  [/_(?:stop|close)$/, 'ndo_stop'],
  [/_probe$/, 'probe'],
  [/_(?:remove|disconnect)$/, 'remove'],
];

const isType = (p: { type: string } | undefined, re: RegExp) => !!p && re.test(p.type);
const SKB = /^struct sk_buff \*$/;
const NETDEV = /^struct net_device \*$/;

/** Role from the signature alone, which counts as bound (it can only be that callback). */
function signatureRole(fn: FunctionFacts): string | undefined {
  const p = fn.params;
  // A hunk header cut short: a netdev_tx_t function taking an skb first can only be a transmit path.
  if (!fn.paramsComplete && fn.returnType === 'netdev_tx_t' && isType(p[0], SKB) && (p.length < 2 || isType(p[1], NETDEV))) return 'ndo_start_xmit';
  if (fn.returnType === 'netdev_tx_t' && p.length === 2 && isType(p[0], SKB) && isType(p[1], NETDEV)) return 'ndo_start_xmit';
  if (fn.returnType === 'int' && p.length === 2 && isType(p[0], /^struct napi_struct \*$/) && /^int$/.test(p[1]?.type ?? '')) return 'napi_poll';
  if (fn.returnType === 'void' && p.length === 2 && isType(p[0], NETDEV) && /^unsigned(?: int)?$/.test(p[1]?.type ?? '') && /timeout/.test(fn.name)) return 'ndo_tx_timeout';
  if (fn.returnType === 'void' && p.length === 2 && isType(p[0], NETDEV) && isType(p[1], /^struct rtnl_link_stats64 \*$/)) return 'ndo_get_stats64';
  return undefined;
}

/** Return types a callback of that role can have, when the name is the only evidence. */
const NAME_ROLE_RETURNS: Record<string, RegExp> = {
  ndo_start_xmit: /^(?:netdev_tx_t|int|enum netdev_tx)?$/,
  napi_poll: /^(?:int)?$/,
  ndo_set_rx_mode: /^(?:void)?$/,
  ndo_tx_timeout: /^(?:void)?$/,
  ndo_open: /^(?:int)?$/,
  ndo_stop: /^(?:int)?$/,
  ndo_get_stats64: /^(?:void|struct rtnl_link_stats64 \*)?$/,
  ndo_get_stats: /^(?:struct net_device_stats \*)?$/,
};

/** Role from the name, only when the parameters and return type (if known) fit the callback. */
function nameRole(fn: FunctionFacts): string | undefined {
  for (const [re, role] of NAME_ROLES) {
    if (!re.test(fn.name)) continue;
    if (NAME_ROLE_RETURNS[role] && !NAME_ROLE_RETURNS[role].test(fn.returnType)) return undefined;
    const p = fn.params;
    if (p.length === 0) return fn.fragment ? role : undefined;
    if (!fn.paramsComplete) return prefixFits(role, p) ? role : undefined;
    switch (role) {
      case 'ndo_start_xmit':
        return p.length === 2 && isType(p[0], SKB) && isType(p[1], NETDEV) ? role : undefined;
      case 'napi_poll':
        return p.length === 2 && isType(p[0], /^struct napi_struct \*$/) ? role : undefined;
      case 'ndo_set_rx_mode':
      case 'ndo_open':
      case 'ndo_stop':
      case 'ndo_get_stats':
        return p.length === 1 && isType(p[0], NETDEV) ? role : undefined;
      case 'ndo_get_stats64':
      case 'ndo_tx_timeout':
        return isType(p[0], NETDEV) ? role : undefined;
      // Bus callbacks take the bus device (and, for probe, its id): a `foo_remove(priv, vid)` is a helper.
      case 'probe':
        return p.length <= 2 && /\*$/.test(p[0].type) ? role : undefined;
      case 'remove':
        return p.length === 1 && /\*$/.test(p[0].type) ? role : undefined;
      default:
        return role;
    }
  }
  return undefined;
}

/**
 * Functions stored in initializers of structs that bind no role we know (`dsa_device_ops.xmit`,
 * `phy_driver.config_aneg`, ...): they are something else, so their names prove nothing.
 */
export function opaqueBindings(file: FileFacts): Set<string> {
  const out = new Set<string>();
  for (const init of file.initializers) {
    if (evidenceForStruct(init.structType) || init.structType === 'notifier_block') continue;
    for (const f of init.fields) if (f.ident) out.add(f.ident);
  }
  return out;
}

/** The leading parameters a cut-short header shows fit the callback's. */
function prefixFits(role: string, p: readonly { type: string }[]): boolean {
  const expected: Record<string, RegExp[]> = {
    ndo_start_xmit: [SKB, NETDEV],
    napi_poll: [/^struct napi_struct \*$/, /^int$/],
    ndo_set_rx_mode: [NETDEV],
    ndo_open: [NETDEV],
    ndo_stop: [NETDEV],
    ndo_get_stats: [NETDEV],
    ndo_get_stats64: [NETDEV],
    ndo_tx_timeout: [NETDEV],
  };
  const want = expected[role];
  if (!want) return true;
  return p.every((param, i) => i >= want.length || want[i].test(param.type));
}

/**
 * All roles of a function: bindings that name it (from any file of the change) first, else its
 * signature, else its name (unless `opaque` says it is bound to something else).
 */
export function rolesOf(fn: FunctionFacts, bindings: readonly Binding[], opaque: ReadonlySet<string> = new Set()): Role[] {
  const bound = bindings.filter((b) => b.fn === fn.name && (b.file === fn.file || !fn.isStatic));
  if (bound.length > 0) return dedupeRoles(bound);
  const sig = signatureRole(fn);
  if (sig) return [{ role: sig, evidence: 'signature', file: fn.file, line: fn.line, via: 'its signature' }];
  if (opaque.has(fn.name)) return [];
  const byName = nameRole(fn);
  // The change binds that callback to another function: this one only looks like it (a helper).
  if (byName && bindings.some((b) => b.role === byName && b.fn !== fn.name)) return [];
  if (byName) return [{ role: byName, evidence: 'name', file: fn.file, line: fn.line, via: 'its name' }];
  return [];
}

function dedupeRoles(roles: Binding[]): Role[] {
  const seen = new Set<string>();
  const out: Role[] = [];
  for (const r of roles) {
    if (seen.has(r.role)) continue;
    seen.add(r.role);
    out.push({ role: r.role, evidence: r.evidence, file: r.file, line: r.line, via: r.via });
  }
  return out;
}
