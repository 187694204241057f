// Rule: a struct net_device allocated with a general-purpose allocator (kmalloc/kzalloc/vzalloc...) instead of
// alloc_netdev_mqs() and its wrappers.

import { defineRule } from '../src/engine/rule.js';
import type { CallFact, FunctionFacts } from '../src/analysis/facts.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import { nodeText, walk } from '../src/analysis/syntax.js';
import { inKernelRange } from '../src/kernel/version.js';
import { GENERIC_ALLOCATORS, names } from './data/netdev-api.js';
import { refKey, typeOfName } from './lib/netdev-refs.js';
import { wordsRegExp } from './lib/triggers.js';

const SIZE_ARGS = new Map(GENERIC_ALLOCATORS.map((a) => [a.name, a.sizeArgs]));
const ALLOCATORS = names(GENERIC_ALLOCATORS);
const NETDEV_TYPE = /^sizeof\s*\(\s*struct\s+net_device\s*\)$/;
const DEREF = /^sizeof\s*(?:\(\s*\*\s*([A-Za-z_]\w*)\s*\)|\*\s*([A-Za-z_]\w*))$/;
/** alloc_netdev_dummy() ("net: create a dummy net_device allocator") is in v6.10. */
const DUMMY_ALLOCATOR_SINCE = '6.10';

export default defineRule({
  meta: {
    id: 'netdev-alloc-api',
    severity: 'error',
    description: 'A struct net_device allocated with kmalloc()/kzalloc()/kcalloc()/vzalloc()/kvzalloc() instead of alloc_netdev_mqs() and its wrappers.',
    doc: { section: 'lifetime' },
    // The "allocated with kmalloc" sentence gave way to "alloc_netdev_mqs() and friends" with the
    // vmalloc fallback for net_device ("net: extend net_device allocation to vmalloc()"), v3.13.
    since: '3.13',
    docGate: { present: /alloc_netdev_mqs\(\)\s+and\s+friends/ },
    // Both words must be visible: the allocator, and the type it is sized by.
    triggers: new RegExp(`^(?=[\\s\\S]*\\bnet_device\\b)(?=[\\s\\S]*${wordsRegExp(ALLOCATORS).source})`),
    needsWholeFunction: false,
    fixable: false,
    messages: {
      slabNetdev:
        '{{what}} is allocated with {{call}}(): a struct net_device must come from alloc_netdev_mqs() or one of its wrappers (alloc_netdev(), alloc_etherdev(), ...), which size it with its private area and queues and pair with free_netdev()',
      slabDummy:
        '{{what}} is allocated with {{call}}() for a dummy (NAPI-only) device: use alloc_netdev_dummy(), and free_netdev() to free it',
    },
  },
  check(ctx) {
    const dummyApi = inKernelRange(ctx.target, DUMMY_ALLOCATOR_SINCE);
    const netdevGlobals = new Map<string, string[]>();
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(ALLOCATORS)) continue;
      const file = ctx.program.files.find((f) => f.path === fn.file);
      // The size names the type, or a name typed as one (a local, a parameter, or a file-scope device).
      if (!netdevGlobals.has(fn.file)) netdevGlobals.set(fn.file, file?.globals.filter((g) => g.type === 'struct net_device *').map((g) => g.name) ?? []);
      if (!fn.mentions('net_device') && !fn.mentionsAny(netdevGlobals.get(fn.file) ?? [])) continue;
      for (const call of fn.calls) {
        const sizeArgs = !call.indirect ? SIZE_ARGS.get(call.name) : undefined;
        if (!sizeArgs) continue;
        const what = sizedAsNetdev(fn, call, sizeArgs, (n) => typeOfName(fn, file, n));
        if (!what) continue;
        const target = assignedTo(fn, call);
        const dummy = target !== undefined && fn.calls.some((c) => c.name === 'init_dummy_netdev' && refKey(c.argTexts[0] ?? '').replace(/^&/, '') === target);
        // Before alloc_netdev_dummy() existed, a dummy device could only be embedded or allocated by hand.
        if (dummy && !dummyApi) continue;
        ctx.report({
          file: fn.file,
          line: call.line,
          messageId: dummy ? 'slabDummy' : 'slabNetdev',
          data: { what: target ?? what, call: call.name },
        });
      }
    }
  },
});

/** The sizeof term that makes this allocation a net_device (`sizeof(struct net_device)` or `sizeof(*dev)`), if any. */
function sizedAsNetdev(fn: FunctionFacts, call: CallFact, sizeArgs: readonly number[], typeOf: (name: string) => string | undefined): string | undefined {
  const src = fn.text.src;
  let found: string | undefined;
  for (const i of sizeArgs) {
    const arg = call.args[i];
    if (!arg) continue;
    walk(arg, (n: SyntaxNode) => {
      if (found) return false;
      if (n.type !== 'sizeof_expression') return;
      const text = nodeText(src, n).replace(/\s+/g, ' ');
      if (NETDEV_TYPE.test(text)) found = 'a struct net_device';
      const m = DEREF.exec(text);
      const name = m?.[1] ?? m?.[2];
      if (name && typeOf(name) === 'struct net_device *') found = name;
      return false;
    });
    if (found) return found;
  }
  return undefined;
}

/** The variable or field the allocation is stored in (`dev = kzalloc(...)`, `struct net_device *dev = kzalloc(...)`). */
function assignedTo(fn: FunctionFacts, call: CallFact): string | undefined {
  const src = fn.text.src;
  let n: SyntaxNode | null = call.node.parent;
  while (n && (n.type === 'cast_expression' || n.type === 'parenthesized_expression')) n = n.parent;
  if (!n) return undefined;
  if (n.type === 'assignment_expression') {
    const left = n.childForFieldName('left');
    return left ? refKey(nodeText(src, left)) : undefined;
  }
  if (n.type === 'init_declarator') {
    let d = n.childForFieldName('declarator');
    while (d && d.type !== 'identifier') d = d.childForFieldName('declarator');
    return d ? nodeText(src, d) : undefined;
  }
  return undefined;
}
