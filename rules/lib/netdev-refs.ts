// Rule helpers: which names in a function hold a struct net_device, and which point into its private area.

import type { FunctionFacts, FileFacts } from '../../src/analysis/facts.js';
import type { SyntaxNode } from '../../src/analysis/parser.js';
import { nodeText, unwrapExpression } from '../../src/analysis/syntax.js';
import { NETDEV_ALLOCATORS, MANAGED_NETDEV_ALLOCATORS, names } from '../data/netdev-api.js';

const OWNED = names(NETDEV_ALLOCATORS);
const ALLOCATORS = names([...NETDEV_ALLOCATORS, ...MANAGED_NETDEV_ALLOCATORS]);

/** Declared type of a name visible in `fn` (parameter, local, or file-scope), normalized. */
export function typeOfName(fn: FunctionFacts, file: FileFacts | undefined, name: string): string | undefined {
  return (
    fn.params.find((p) => p.name === name)?.type ??
    fn.decls.find((d) => d.name === name)?.type ??
    file?.globals.find((g) => g.name === name)?.type
  );
}

/**
 * The allocator call an expression is (after unwrapping casts), if it is one. With `ownedOnly`,
 * device-managed (devm_) allocations do not count: devres frees those.
 */
export function allocatorCall(src: string, expr: SyntaxNode, ownedOnly = false): string | undefined {
  const e = unwrapExpression(expr);
  if (e.type !== 'call_expression') return undefined;
  const f = e.childForFieldName('function');
  if (!f || f.type !== 'identifier') return undefined;
  const name = nodeText(src, f);
  return (ownedOnly ? OWNED : ALLOCATORS).has(name) ? name : undefined;
}

/**
 * Normalized expressions that hold a net_device in `fn`: typed `struct net_device *` names, and
 * names or fields assigned from a net_device allocator.
 */
export function netdevRefs(fn: FunctionFacts, file: FileFacts | undefined): Set<string> {
  const refs = new Set<string>();
  for (const p of fn.params) if (p.type === 'struct net_device *' && p.name) refs.add(p.name);
  for (const d of fn.decls) {
    if (d.type === 'struct net_device *') refs.add(d.name);
    else if (d.init && allocatorCall(fn.text.src, d.init)) refs.add(d.name);
  }
  for (const a of fn.assigns) if (a.operator === '=' && allocatorCall(fn.text.src, a.right)) refs.add(refKey(a.leftText));
  if (file) for (const g of file.globals) if (g.type === 'struct net_device *') refs.add(g.name);
  return refs;
}

/** Names assigned `netdev_priv(X)` in `fn`, mapped to X (normalized). */
export function privAliases(fn: FunctionFacts): Map<string, string> {
  const out = new Map<string, string>();
  const fromInit = (name: string, init: SyntaxNode | undefined) => {
    if (!init) return;
    const e = unwrapExpression(init);
    if (e.type !== 'call_expression') return;
    const f = e.childForFieldName('function');
    if (!f || nodeText(fn.text.src, f) !== 'netdev_priv') return;
    const arg = e.childForFieldName('arguments')?.namedChildren[0];
    if (arg) out.set(name, refKey(nodeText(fn.text.src, arg)));
  };
  for (const d of fn.decls) fromInit(d.name, d.init);
  for (const a of fn.assigns) if (a.operator === '=' && a.left.type === 'identifier') fromInit(a.leftText, a.right);
  return out;
}

/** Canonical text of a reference expression: no spaces, no redundant outer parentheses. */
export function refKey(text: string): string {
  let t = text.replace(/\s+/g, '');
  while (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
  return t;
}

/**
 * Fields of a device's private area that point back at the device (`priv->ndev = ndev` with
 * `priv = netdev_priv(ndev)`), mapped to the device: `free_candev(priv->ndev)` frees `ndev`. Keys are
 * shapes (`refShape`): `adapter->port[0].dev` stored, `adapter->port[i].dev` freed in a loop.
 */
export function backPointers(fn: FunctionFacts, aliases: ReadonlyMap<string, string> = privAliases(fn)): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of fn.assigns) {
    if (a.operator !== '=' || a.left.type !== 'field_expression') continue;
    const lk = refKey(a.leftText);
    const rk = refKey(a.rightText);
    const root = lk.split(/->|\.|\[/)[0];
    if (aliases.get(root) === rk) out.set(refShape(lk), rk);
  }
  return out;
}

/** A reference with its subscripts blurred: `a->port[i].dev` → `a->port[].dev`. */
export function refShape(key: string): string {
  return key.replace(/\[[^\]]*\]/g, '[]');
}
