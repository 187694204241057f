// Rule helpers: accesses to named fields of a struct net_device in a function (`dev->priv`, `ndev->open`).

import type { FileFacts, FunctionFacts } from '../../src/analysis/facts.js';
import type { SyntaxNode } from '../../src/analysis/parser.js';
import { normalizeType } from '../../src/analysis/extract.js';
import { nodeText } from '../../src/analysis/syntax.js';
import { netdevRefs, refKey, typeOfName } from './netdev-refs.js';

export interface NetdevFieldAccess {
  /** The object, normalized for comparison (`dev`, `priv->ndev`). */
  object: string;
  /** The object as written, outer parentheses dropped (`(struct net_device *)data`). */
  objectText: string;
  field: string;
  operator: '->' | '.';
  /** The whole `object->field` expression. */
  node: SyntaxNode;
  line: number;
  /** The access is the left side of a plain `=`. */
  assigned: boolean;
}

/**
 * Field expressions `x->field` / `x.field` (field in `fields`) whose object is known to be a struct
 * net_device: typed so (parameter, local, global, a cast), or assigned from a net_device allocator.
 * Objects of unknown type do not count, whatever their name.
 */
export function netdevFieldAccesses(fn: FunctionFacts, file: FileFacts | undefined, fields: ReadonlySet<string>): NetdevFieldAccess[] {
  if (!fn.body || !fn.mentionsAny(fields)) return [];
  const src = fn.text.src;
  let refs: Set<string> | undefined;
  const out: NetdevFieldAccess[] = [];
  // One native query for the field expressions (document order, as a walk would visit them).
  for (const n of fn.body.descendantsOfType('field_expression')) {
    const fieldNode = n.childForFieldName('field');
    if (!fieldNode || !fields.has(nodeText(src, fieldNode))) continue;
    const field = nodeText(src, fieldNode);
    const arg = n.childForFieldName('argument');
    const op = n.childForFieldName('operator');
    if (!arg || !op) continue;
    const operator = nodeText(src, op) === '.' ? '.' : '->';
    const object = refKey(nodeText(src, arg));
    refs ??= netdevRefs(fn, file);
    if (!isNetdevObject(fn, file, src, arg, object, operator, refs)) continue;
    const parent = n.parent;
    const assigned =
      parent?.type === 'assignment_expression' &&
      parent.childForFieldName('left')?.startIndex === n.startIndex &&
      nodeText(src, parent.childForFieldName('operator') ?? parent).trim() === '=';
    let inner = arg;
    while (inner.type === 'parenthesized_expression' && inner.namedChildCount === 1) inner = inner.namedChildren[0];
    out.push({ object, objectText: nodeText(src, inner), field, operator, node: n, line: n.startPosition.row + fn.text.lineOffset, assigned });
  }
  return out;
}

function isNetdevObject(
  fn: FunctionFacts,
  file: FileFacts | undefined,
  src: string,
  arg: SyntaxNode,
  object: string,
  operator: '->' | '.',
  refs: ReadonlySet<string>,
): boolean {
  let e = arg;
  while (e.type === 'parenthesized_expression' && e.namedChildCount === 1) e = e.namedChildren[0];
  if (e.type === 'cast_expression') {
    const type = e.childForFieldName('type');
    return !!type && normalizeType(nodeText(src, type)) === (operator === '->' ? 'struct net_device *' : 'struct net_device');
  }
  if (operator === '->') return refs.has(object);
  // `struct net_device foo_dev;` used as `foo_dev.open`: a device embedded by value (old drivers).
  if (e.type !== 'identifier') return false;
  // A file-scope device with an initializer is recorded as an initializer, not as a global.
  return typeOfName(fn, file, object) === 'struct net_device' || !!file?.initializers.some((i) => i.structType === 'net_device' && i.name === object);
}
