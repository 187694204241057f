// Rule: device setup (ops, features, MTU bounds, MAC address, NAPI, parent device...) done after
// register_netdev()/register_netdevice() succeeded, when the device is already live.

import { defineRule } from '../src/engine/rule.js';
import type { FunctionFacts } from '../src/analysis/facts.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import { explorePaths } from '../src/analysis/paths.js';
import { callArgs, calleeName, nodeText, walk } from '../src/analysis/syntax.js';
import { deviceAliases } from './lib/device-aliases.js';
import { refKey } from './lib/netdev-refs.js';
import { EMPTY_REGISTER_STATE, REGISTER_CALLS, RTNL_HELD_REGISTER_CALLS, RegisterTracker, registerStateKey, type RegisterState } from './lib/register-paths.js';
import { wordsRegExp } from './lib/triggers.js';

/** Fields that configure the device: the core and user space read them from the moment it is registered. */
const SETUP_FIELDS = new Set([
  'netdev_ops', 'ethtool_ops', 'header_ops', 'features', 'hw_features', 'vlan_features', 'priv_flags',
  'min_mtu', 'max_mtu', 'watchdog_timeo', 'needs_free_netdev', 'priv_destructor', 'dev_addr',
]);
/** Feature fields may change after registration when the change is announced (netdev_update_features()). */
const FEATURE_FIELDS = new Set(['features', 'hw_features', 'vlan_features']);
const FEATURES_ANNOUNCED = new Set(['netdev_update_features', 'netdev_change_features', 'netdev_features_change']);
/**
 * Read only when the device is freed, which needs rtnl: set while still holding the rtnl that
 * register_netdevice() ran under, they cannot be missed — drivers set them there on purpose, since
 * register_netdevice() runs the destructor itself when it fails.
 */
const TEARDOWN_FIELDS = new Set(['needs_free_netdev', 'priv_destructor']);
/** Calls that set up the device given as their first argument. */
const SETUP_CALLS = new Set([
  'eth_hw_addr_set', 'eth_hw_addr_random', 'eth_hw_addr_gen', 'eth_hw_addr_inherit', 'dev_addr_set', 'dev_addr_mod',
  'SET_NETDEV_DEV', 'SET_ETHTOOL_OPS', 'netif_napi_add', 'netif_napi_add_weight', 'netif_napi_add_tx',
  'netif_napi_add_tx_weight', 'netif_napi_add_config', 'netif_threaded_napi_add',
]);
/** Byte copies into the first argument: a MAC written into `dev->dev_addr` by hand. */
const ADDR_WRITERS = new Set(['memcpy', 'ether_addr_copy', 'eth_random_addr', 'eth_zero_addr', 'eth_broadcast_addr', 'memset']);

interface Setup {
  line: number;
  /** Canonical device, and the object as written. */
  dev: string;
  text: string;
  what: string;
  field?: string;
}

export default defineRule({
  meta: {
    id: 'setup-after-register',
    severity: 'warning',
    description: 'Device setup (ops, features, MTU bounds, MAC address, NAPI, parent device) done after register_netdev()/register_netdevice() succeeded.',
    doc: { section: 'lifetime', entry: 'register_netdev' },
    triggers: wordsRegExp(REGISTER_CALLS),
    needsWholeFunction: true,
    fixable: false,
    messages: {
      late: '{{what}} after {{register}}() at line {{regLine}} registered {{dev}}: the device is live from that moment (user space may open it and the core calls its ops), so finish this setup before registering',
      lateTeardown:
        '{{what}} after {{register}}() at line {{regLine}} registered {{dev}}, which released rtnl: an unregistration may already be under way without it. Set it before registering ({{register}}() runs priv_destructor itself when it fails, so the error path must not repeat that cleanup)',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(REGISTER_CALLS) || !setupWordAfterRegister(fn)) continue;
      if (!fn.calls.some((c) => !c.indirect && REGISTER_CALLS.has(c.name))) continue;
      const aliases = deviceAliases(fn);
      const tracker = new RegisterTracker(fn, aliases);
      const registerName = new Map(fn.calls.filter((c) => REGISTER_CALLS.has(c.name)).map((c) => [c.line, c.name]));
      const announcedAfter = fn.calls.filter((c) => FEATURES_ANNOUNCED.has(c.name)).map((c) => c.line);
      const reported = new Set<number>();
      explorePaths<RegisterState>(fn, {
        initial: EMPTY_REGISTER_STATE,
        key: registerStateKey,
        visit(node, state) {
          if (state.live.size === 0 || !node.ast) return;
          for (const s of setupsIn(fn, node.ast, aliases.canon)) {
            const regLine = state.live.get(s.dev);
            if (regLine === undefined || reported.has(s.line)) continue;
            if (s.field && FEATURE_FIELDS.has(s.field) && announcedAfter.some((l) => l >= s.line)) continue;
            if (s.field && TEARDOWN_FIELDS.has(s.field) && RTNL_HELD_REGISTER_CALLS.has(registerName.get(regLine) ?? '')) continue;
            reported.add(s.line);
            ctx.report({
              file: fn.file,
              line: s.line,
              messageId: s.field && TEARDOWN_FIELDS.has(s.field) ? 'lateTeardown' : 'late',
              data: { what: s.what, register: registerName.get(regLine) ?? 'register_netdev', regLine, dev: s.text },
              evidence: [regLine],
            });
          }
        },
        transfer: (node, state) => tracker.step(node, state),
        refine: (node, branch, state) => tracker.refine(node, branch, state),
      });
    }
  },
});

const SETUP_WORDS = new RegExp(`\\b(?:${[...SETUP_FIELDS, ...SETUP_CALLS].join('|')})\\b`);
const REGISTER_WORD = new RegExp(`\\b(?:${[...REGISTER_CALLS].join('|')})\\s*\\(`);

/** A cheap look at the text: some setup word comes after the first register call (else no path can matter). */
function setupWordAfterRegister(fn: FunctionFacts): boolean {
  const text = fn.text.src.slice(fn.startIndex, fn.endIndex);
  const m = REGISTER_WORD.exec(text);
  return !!m && SETUP_WORDS.test(text.slice(m.index));
}

/** Setup actions in one statement, each with the device it configures. */
function setupsIn(fn: FunctionFacts, ast: SyntaxNode, canon: (key: string) => string): Setup[] {
  const src = fn.text.src;
  const out: Setup[] = [];
  const lineOf = (n: SyntaxNode) => n.startPosition.row + fn.text.lineOffset;
  walk(ast, (n) => {
    if (n.type === 'assignment_expression' || n.type === 'update_expression') {
      let target = n.type === 'assignment_expression' ? n.childForFieldName('left') : n.childForFieldName('argument');
      while (target && target.type === 'subscript_expression') target = target.childForFieldName('argument');
      if (!target || target.type !== 'field_expression') return;
      const field = target.childForFieldName('field');
      const obj = target.childForFieldName('argument');
      const op = target.childForFieldName('operator');
      if (!field || !obj || !op || nodeText(src, op) !== '->') return;
      const name = nodeText(src, field);
      if (!SETUP_FIELDS.has(name)) return;
      const dev = canon(refKey(nodeText(src, obj)));
      out.push({ line: lineOf(n), dev, text: refKey(nodeText(src, obj)), what: name === 'dev_addr' ? 'the MAC address is written' : `->${name} is set`, field: name });
      return;
    }
    if (n.type !== 'call_expression') return;
    const callee = calleeName(src, n);
    if (!callee || callee.indirect) return;
    const arg0 = callArgs(n)[0];
    if (!arg0) return;
    const text = refKey(nodeText(src, arg0));
    if (SETUP_CALLS.has(callee.name)) {
      out.push({ line: lineOf(n), dev: canon(text), text, what: `${callee.name}() is called` });
    } else if (ADDR_WRITERS.has(callee.name)) {
      const m = /^(.+)->dev_addr$/.exec(text);
      if (m) out.push({ line: lineOf(n), dev: canon(m[1]), text: m[1], what: `the MAC address is written (${callee.name}())` });
    }
  });
  return out;
}
