// Analysis stage: small readers over tree-sitter nodes (text, lines, calls, identifiers).

import type { SyntaxNode } from './parser.js';

/** Source text of a node. Sliced from the unit's text: cheaper than `node.text` across the binding. */
export function nodeText(src: string, node: SyntaxNode): string {
  return src.slice(node.startIndex, node.endIndex);
}

/** Visits `node` and its descendants in document order; `visit` returns false to skip a subtree. */
export function walk(node: SyntaxNode, visit: (n: SyntaxNode) => boolean | void): void {
  const cursor = node.walk();
  let depth = 0;
  for (;;) {
    const descend = visit(cursor.currentNode) !== false;
    if (descend && cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    for (;;) {
      if (depth === 0) return;
      if (cursor.gotoNextSibling()) break;
      cursor.gotoParent();
      depth--;
    }
  }
}

/** Call expressions inside `node` (itself included), innermost first — the order C evaluates them. */
export function callsIn(node: SyntaxNode): SyntaxNode[] {
  // One native query instead of a JS walk: node objects are costly to materialize one by one.
  const found = node.type === 'call_expression' ? [node, ...node.descendantsOfType('call_expression')] : node.descendantsOfType('call_expression');
  return found.sort((a, b) => a.endIndex - b.endIndex || b.startIndex - a.startIndex);
}

/** The callee name of a call: `foo(...)` → foo, `ops->bar(...)` → bar (with `indirect` set). */
export function calleeName(src: string, call: SyntaxNode): { name: string; indirect: boolean } | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return { name: nodeText(src, fn), indirect: false };
  if (fn.type === 'field_expression') {
    const field = fn.childForFieldName('field');
    if (field) return { name: nodeText(src, field), indirect: true };
  }
  if (fn.type === 'parenthesized_expression') {
    const inner = fn.namedChildren[0];
    if (inner?.type === 'identifier') return { name: nodeText(src, inner), indirect: false };
  }
  return undefined;
}

/** Argument nodes of a call (comments dropped). */
export function callArgs(call: SyntaxNode): SyntaxNode[] {
  const list = call.childForFieldName('arguments');
  if (!list) return [];
  return list.namedChildren.filter((n) => n.type !== 'comment');
}

/** Identifiers read or written inside a node, each with its node. */
export function identifiersIn(node: SyntaxNode): SyntaxNode[] {
  if (node.type === 'identifier') return [node];
  return node.descendantsOfType('identifier');
}

/** Strips redundant parentheses and casts: `((void *)dev)` → `dev`. */
export function unwrapExpression(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0];
    else if (n.type === 'cast_expression') {
      const v = n.childForFieldName('value');
      if (!v) return n;
      n = v;
    } else return n;
  }
}

/** Normalizes an lvalue/argument text for comparison: drops spaces, a leading `&`, and parentheses around it. */
export function normalizeRef(text: string): string {
  let t = text.replace(/\s+/g, '');
  for (;;) {
    if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
    else if (t.startsWith('&')) t = t.slice(1);
    else return t;
  }
}

/** Node identity (binding objects are not reused, so compare positions and type). */
export function sameNode(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}
