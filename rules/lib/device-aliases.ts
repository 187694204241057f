// Rule helpers: which references in one function name the same device (`ndev` and `priv->ndev` after
// `priv->ndev = ndev`), so path rules can follow a net_device across copies.

import type { FunctionFacts } from '../../src/analysis/facts.js';
import type { SyntaxNode } from '../../src/analysis/parser.js';
import { nodeText, unwrapExpression } from '../../src/analysis/syntax.js';
import { refKey } from './netdev-refs.js';

const REF_TYPES = new Set(['identifier', 'field_expression']);

export interface DeviceAliases {
  /** The canonical name of the device a reference holds. */
  canon(key: string): string;
  /** True when `root` (a variable) is the root of some name of the device `canonKey`: assigning it changes the device. */
  rootedAt(canonKey: string, root: string): boolean;
}

/**
 * Maps a reference to a canonical name for the device it holds. Copies between plain
 * references (`dev = priv->ndev`, `priv->ndev = ndev`, `struct net_device *d = dev`) join two names;
 * a name assigned more than once is left alone (it may hold different devices on different paths).
 */
export function deviceAliases(fn: FunctionFacts): DeviceAliases {
  const src = fn.text.src;
  const writes = new Map<string, number>();
  const copies: [string, string][] = [];
  const note = (left: string, right: SyntaxNode | undefined) => {
    writes.set(left, (writes.get(left) ?? 0) + 1);
    if (!right) return;
    const r = unwrapExpression(right);
    if (REF_TYPES.has(r.type)) copies.push([left, refKey(nodeText(src, r))]);
  };
  for (const a of fn.assigns) if (a.operator === '=' && REF_TYPES.has(a.left.type)) note(refKey(a.leftText), a.right);
  for (const d of fn.decls) if (d.init) note(d.name, d.init);
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let x = k;
    for (let i = 0; i < 16; i++) {
      const p = parent.get(x);
      if (p === undefined || p === x) return x;
      x = p;
    }
    return x;
  };
  for (const [l, r] of copies) {
    if (l.includes('[') || r.includes('[') || (writes.get(l) ?? 0) > 1) continue;
    const a = find(l);
    const b = find(r);
    if (a === b) continue;
    // The shorter name represents the group: `ndev` rather than `priv->ndev`.
    if (a.length < b.length || (a.length === b.length && a < b)) parent.set(b, a);
    else parent.set(a, b);
  }
  const members = new Map<string, string[]>();
  for (const k of parent.keys()) {
    const r = find(k);
    const list = members.get(r) ?? [r];
    list.push(k);
    members.set(r, list);
  }
  const rooted = (k: string, root: string) => k === root || k.startsWith(root + '->') || k.startsWith(root + '.');
  return {
    canon: (key: string) => find(refKey(key).replace(/^&/, '')),
    rootedAt: (canonKey: string, root: string) => (members.get(canonKey) ?? [canonKey]).some((k) => rooted(k, root)),
  };
}
