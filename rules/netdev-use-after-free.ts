// Rule: a net_device (or a pointer into its private area) used after free_netdev() on the same path.

import { defineRule } from '../src/engine/rule.js';
import type { FunctionFacts } from '../src/analysis/facts.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import { explorePaths } from '../src/analysis/paths.js';
import { callArgs, calleeName, callsIn, nodeText, sameNode, walk } from '../src/analysis/syntax.js';
import { NETDEV_FREES, names } from './data/netdev-api.js';
import { backPointers, privAliases, refKey, refShape } from './lib/netdev-refs.js';
import { wordsRegExp } from './lib/triggers.js';

const FREES = names(NETDEV_FREES);

/** Freed device reference → line of the free. Kept sorted in the key so equal states meet. */
type Freed = ReadonlyMap<string, number>;

export default defineRule({
  meta: {
    id: 'netdev-use-after-free',
    severity: 'error',
    description: 'A net_device, or a pointer into its private area (netdev_priv()), used after free_netdev() on the same path.',
    doc: { section: 'lifetime' },
    triggers: wordsRegExp(FREES),
    needsWholeFunction: true,
    fixable: false,
    messages: {
      useDev: '{{name}} is used after free_netdev({{dev}}) at line {{freeLine}}: the device is gone; move the free after its last use',
      usePriv: '{{name}} points into the private area of {{dev}} (netdev_priv()), freed with it by free_netdev() at line {{freeLine}}; read what you need before freeing',
      doubleFree: '{{dev}} is freed again here; it was already freed at line {{freeLine}}',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(FREES) || !fn.calls.some((c) => FREES.has(c.name))) continue;
      const aliases = privAliases(fn);
      const back = backPointers(fn, aliases);
      const reported = new Set<string>();
      explorePaths<Freed>(fn, {
        initial: new Map(),
        key: (s) => [...s].map(([k, v]) => `${k}@${v}`).sort().join(','),
        transfer(node, state) {
          if (!node.ast) return state;
          if (state.size > 0) {
            for (const use of usesOf(fn, node.ast, state, aliases)) {
              const id = `${use.line}|${use.name}`;
              if (reported.has(id)) continue;
              reported.add(id);
              ctx.report({
                file: fn.file,
                line: use.line,
                messageId: use.kind,
                data: { name: use.name, dev: use.dev, freeLine: use.freeLine },
                evidence: [use.freeLine],
              });
            }
          }
          let next: Map<string, number> | undefined;
          const src = fn.text.src;
          // A new value (assignment, or a declaration inside a loop body) ends the freed state.
          walk(node.ast, (n) => {
            let target: SyntaxNode | null = null;
            if (n.type === 'assignment_expression') {
              const op = n.childForFieldName('operator');
              if (op && nodeText(src, op) === '=') target = n.childForFieldName('left');
            } else if (n.type === 'init_declarator' || (n.type === 'declaration' && state.size > 0)) {
              target = n.type === 'init_declarator' ? n.childForFieldName('declarator') : n.childForFieldName('declarator');
              while (target && target.type !== 'identifier') target = target.childForFieldName('declarator');
            }
            if (!target) return;
            const k = refKey(nodeText(src, target));
            // Also every freed path rooted at it: `can = pcie->can[i]` renews `can->can.dev`.
            for (const key of (next ?? state).keys()) {
              if (key === k || key.startsWith(k + '->') || key.startsWith(k + '.')) (next ??= new Map(state)).delete(key);
            }
          });
          for (const call of callsIn(node.ast)) {
            const callee = calleeName(src, call);
            if (!callee || callee.indirect || !FREES.has(callee.name)) continue;
            const arg = callArgs(call)[0];
            if (!arg) continue;
            const k = refKey(nodeText(src, arg));
            const dev = back.get(refShape(k));
            // `free_candev(priv->ports[i])` in a loop names a different device each time round.
            if (!dev && k.includes('[')) continue;
            (next ??= new Map(state)).set(dev ?? k, call.startPosition.row + fn.text.lineOffset);
          }
          return next ?? state;
        },
      });
    }
  },
});

interface Use {
  line: number;
  name: string;
  dev: string;
  freeLine: number;
  kind: 'useDev' | 'usePriv' | 'doubleFree';
}

/** Dereferences and call arguments of freed references (or their priv aliases) inside a statement. */
function usesOf(fn: FunctionFacts, ast: SyntaxNode, freed: Freed, aliases: ReadonlyMap<string, string>): Use[] {
  const src = fn.text.src;
  const out: Use[] = [];
  walk(ast, (n) => {
    if (n.type === 'sizeof_expression' || n.type === 'alignof_expression') return false;
    if (n.type !== 'identifier' && n.type !== 'field_expression') return;
    const text = refKey(nodeText(src, n));
    let dev = freed.has(text) ? text : undefined;
    let viaPriv = false;
    if (!dev && n.type === 'identifier') {
      const owner = aliases.get(text);
      if (owner && freed.has(owner)) {
        dev = owner;
        viaPriv = true;
      }
    }
    if (!dev) return;
    const kind = useKind(src, n);
    if (!kind) return false;
    const freeLine = freed.get(dev) as number;
    const line = n.startPosition.row + fn.text.lineOffset;
    if (kind === 'free') out.push({ line, name: text, dev, freeLine, kind: viaPriv ? 'usePriv' : 'doubleFree' });
    else out.push({ line, name: text, dev, freeLine, kind: viaPriv ? 'usePriv' : 'useDev' });
    return false;
  });
  return out;
}

/** How a reference is used: dereferenced, passed to a call (`free` when to a free again), or only read as a value. */
function useKind(src: string, n: SyntaxNode): 'deref' | 'arg' | 'free' | undefined {
  const p = n.parent;
  if (!p) return undefined;
  if (p.type === 'field_expression' && sameNode(p.childForFieldName('argument'), n)) {
    const op = p.childForFieldName('operator');
    return op && nodeText(src, op) === '->' ? 'deref' : undefined;
  }
  if (p.type === 'pointer_expression' && nodeText(src, p).startsWith('*')) return 'deref';
  if (p.type === 'subscript_expression' && sameNode(p.childForFieldName('argument'), n)) return 'deref';
  if (p.type === 'argument_list') {
    const call = p.parent;
    const callee = call ? calleeName(src, call) : undefined;
    if (callee && FREES.has(callee.name)) return 'free';
    return 'arg';
  }
  return undefined;
}
