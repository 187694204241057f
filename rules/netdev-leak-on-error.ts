// Rule: a net_device allocated with alloc_netdev*/alloc_etherdev* and not freed on an error return path
// (following goto ladders and their fall-through).

import { defineRule } from '../src/engine/rule.js';
import type { FunctionFacts } from '../src/analysis/facts.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import type { CfgNode } from '../src/analysis/cfg.js';
import { explorePaths } from '../src/analysis/paths.js';
import type { Program } from '../src/analysis/program.js';
import { callArgs, calleeName, nodeText, unwrapExpression, walk } from '../src/analysis/syntax.js';
import { NETDEV_ALLOCATORS, NETDEV_FREES, WRONG_FREES, names } from './data/netdev-api.js';
import { allocatorCall, backPointers, privAliases, refKey, refShape } from './lib/netdev-refs.js';
import { wordsRegExp } from './lib/triggers.js';

const FREES = names([...NETDEV_FREES, ...WRONG_FREES]);
const OWNED_ALLOCATORS = names(NETDEV_ALLOCATORS);
const HANDOFF_CALLS = new Set(['devm_add_action_or_reset', 'devm_add_action']);
/** A call taking the device with a name like this is assumed to free or take it (precision over recall). */
const RELEASING_NAME = /free|destroy|release|cleanup|clean_up|teardown|deinit|put_netdev|_put$|remove|unregister/i;
const TRAIL_LIMIT = 200;

interface LeakState {
  /** Allocated and still owned here: reference → line of the allocation. */
  owned: ReadonlyMap<string, number>;
  /** Variables known to hold an error code / known to be zero on this path. */
  err: ReadonlySet<string>;
  ok: ReadonlySet<string>;
  /** Decisive lines of this path since the allocation (branches, gotos, labels, error-ladder statements, return). */
  trail: readonly number[];
  /** Past a label: statements now belong to an error ladder. */
  inLadder: boolean;
  /** Some trail line is part of the change (kept in the key so such a path is not hidden by an equal one). */
  touched: boolean;
}

export default defineRule({
  meta: {
    id: 'netdev-leak-on-error',
    severity: 'error',
    description: 'A net_device allocated with alloc_netdev*/alloc_etherdev* is not freed on an error return path.',
    doc: { section: 'lifetime' },
    triggers: wordsRegExp(OWNED_ALLOCATORS),
    needsWholeFunction: true,
    fixable: false,
    messages: {
      leak: '{{dev}}, allocated by {{alloc}}() at line {{allocLine}}, is not freed when this path returns {{value}}; free_netdev() it on the error path (goto the label that frees it)',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(OWNED_ALLOCATORS) || !fn.calls.some((c) => allocatorCall(fn.text.src, c.node, true))) continue;
      const aliases = privAliases(fn);
      const allocName = new Map<number, string>();
      const reported = new Set<string>();
      const isChanged = (line: number) => ctx.isChanged(fn.file, line);
      explorePaths<LeakState>(fn, {
        initial: { owned: new Map(), err: new Set(), ok: new Set(), trail: [], inLadder: false, touched: false },
        key: (s) =>
          [[...s.owned].map(([k, v]) => `${k}@${v}`).sort().join(','), [...s.err].sort().join(','), [...s.ok].sort().join(','), s.inLadder ? 'L' : '', s.touched ? 'T' : ''].join('|'),
        transfer(node, state) {
          let s = withTrail(state, node, isChanged);
          if (node.kind === 'label') return { ...s, inLadder: s.owned.size > 0 || s.inLadder };
          if (!node.ast) return s;
          if (node.kind === 'return') {
            checkReturn(node, s);
            return s;
          }
          s = applyStatement(fn, ctx.program, node.ast, s, aliases, allocName);
          return s;
        },
        refine(node, branch, state) {
          if (!node.ast || !branch) return state;
          return refineCondition(fn, node.ast, branch === 'true', state);
        },
      });

      function checkReturn(node: CfgNode, s: LeakState): void {
        if (s.owned.size === 0 || !node.ast) return;
        const expr = node.ast.namedChildren.find((c) => c.type !== 'comment');
        if (!expr) return;
        const value = nodeText(fn.text.src, expr).replace(/\s+/g, ' ');
        // A success return (the device itself, 0, an unknown value) hands nothing back that leaks.
        if (!isErrorReturn(fn, expr, s)) return;
        for (const [dev, allocLine] of s.owned) {
          const line = anchor(node.line, s.trail);
          const id = `${dev}|${node.line}|${line}`;
          if (reported.has(id)) continue;
          reported.add(id);
          ctx.report({
            file: fn.file,
            line,
            messageId: 'leak',
            data: { dev, alloc: allocName.get(allocLine) ?? 'alloc_netdev', allocLine, value },
            evidence: [allocLine, node.line, ...s.trail],
          });
        }
      }

      function anchor(returnLine: number, trail: readonly number[]): number {
        if (ctx.audit || isChanged(returnLine)) return returnLine;
        for (let i = trail.length - 1; i >= 0; i--) if (isChanged(trail[i])) return trail[i];
        return returnLine;
      }
    }
  },
});

function withTrail(s: LeakState, node: CfgNode, isChanged: (line: number) => boolean): LeakState {
  if (s.owned.size === 0) return s;
  const decisive = node.kind === 'cond' || node.kind === 'goto' || node.kind === 'label' || node.kind === 'return' || s.inLadder;
  if (!decisive || s.trail.length >= TRAIL_LIMIT) return s;
  if (s.trail[s.trail.length - 1] === node.line) return s;
  return { ...s, trail: [...s.trail, node.line], touched: s.touched || isChanged(node.line) };
}

const NEGATIVE = /^-\s*\(?\s*(?:E[A-Z0-9]+|\d+)\s*\)?$/;

/** Does this value, on this path, mean failure? */
function isErrorReturn(fn: FunctionFacts, expr: SyntaxNode, s: LeakState): boolean {
  const e = unwrapExpression(expr);
  const text = nodeText(fn.text.src, e).replace(/\s+/g, '');
  if (NEGATIVE.test(text)) return true;
  if (text === 'NULL' && fn.returnType.includes('*')) return true;
  if (e.type === 'call_expression') {
    const callee = calleeName(fn.text.src, e)?.name;
    return callee === 'ERR_PTR' || callee === 'ERR_CAST' || callee === 'PTR_ERR' || callee === 'dev_err_probe' || callee === 'netdev_err_probe';
  }
  if (e.type === 'identifier') return s.err.has(text);
  return false;
}

/** Classifies a value assigned to an error variable. */
function errorValue(fn: FunctionFacts, value: SyntaxNode): 'err' | 'ok' | 'unknown' {
  const e = unwrapExpression(value);
  const text = nodeText(fn.text.src, e).replace(/\s+/g, '');
  if (NEGATIVE.test(text)) return 'err';
  if (text === '0') return 'ok';
  if (e.type === 'call_expression') {
    const callee = calleeName(fn.text.src, e)?.name;
    if (callee === 'PTR_ERR' || callee === 'dev_err_probe' || callee === 'netdev_err_probe') return 'err';
  }
  return 'unknown';
}

const INTEGER_TYPE = /^(?:(?:unsigned |signed )?(?:int|long|long long|short)|s8|s16|s32|s64|ssize_t|int32_t|int64_t|long int)$/;

/** Error codes live in integer variables; a pointer tested for NULL says nothing about an error code. */
function isErrorCodeVar(fn: FunctionFacts, name: string): boolean {
  const type = fn.params.find((p) => p.name === name)?.type ?? fn.decls.find((d) => d.name === name)?.type;
  return type !== undefined && INTEGER_TYPE.test(type);
}

function setVar(s: LeakState, name: string, v: 'err' | 'ok' | 'unknown', fn?: FunctionFacts): LeakState {
  if (fn && v !== 'unknown' && !isErrorCodeVar(fn, name)) return s;
  if (!s.err.has(name) && !s.ok.has(name) && v === 'unknown') return s;
  const err = new Set(s.err);
  const ok = new Set(s.ok);
  err.delete(name);
  ok.delete(name);
  if (v === 'err') err.add(name);
  if (v === 'ok') ok.add(name);
  return { ...s, err, ok };
}

function release(s: LeakState, dev: string): LeakState {
  if (!s.owned.has(dev)) return s;
  const owned = new Map(s.owned);
  owned.delete(dev);
  return { ...s, owned };
}

/** Effects of one statement (or condition) on ownership and error variables, in source order. */
function applyStatement(
  fn: FunctionFacts,
  program: Program,
  ast: SyntaxNode,
  state: LeakState,
  aliases: ReadonlyMap<string, string>,
  allocName: Map<number, string>,
): LeakState {
  const src = fn.text.src;
  let s = state;
  const back = backPointers(fn, aliases);
  const ownedBy = (text: string): string | undefined => {
    const k = refKey(text);
    if (s.owned.has(k)) return k;
    const owner = aliases.get(k) ?? back.get(refShape(k));
    return owner && s.owned.has(owner) ? owner : undefined;
  };
  const lineOf = (n: SyntaxNode) => n.startPosition.row + fn.text.lineOffset;
  const assign = (left: SyntaxNode, right: SyntaxNode) => {
    const lk = refKey(nodeText(src, left));
    const alloc = allocatorCall(src, right, true);
    // Allocated straight into a struct field (`ar->napi_dev = alloc_netdev(...)`): handed on at birth.
    if (alloc && left.type === 'identifier') {
      const line = lineOf(right);
      allocName.set(line, alloc);
      const owned = new Map(s.owned);
      owned.set(lk, line);
      s = { ...s, owned, trail: [], inLadder: false };
      return;
    }
    if (s.owned.has(lk)) s = release(s, lk);
    const rk = refKey(nodeText(src, unwrapExpression(right)));
    // Stored in a struct: ownership handed on — unless the struct is the device's own private area.
    const leftRoot = lk.split(/->|\.|\[/)[0];
    if (s.owned.has(rk) && left.type !== 'identifier' && aliases.get(leftRoot) !== rk && leftRoot !== rk) s = release(s, rk);
    // Its private area stored in another struct (`bp->vf_reps[i] = vf_rep`): the owner can reach and free it.
    const privOf = aliases.get(rk);
    if (privOf && s.owned.has(privOf) && left.type !== 'identifier' && aliases.get(leftRoot) !== privOf) s = release(s, privOf);
    if (left.type === 'identifier') s = setVar(s, lk, errorValue(fn, right), fn);
  };
  walk(ast, (n) => {
    switch (n.type) {
      case 'assignment_expression': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const op = n.childForFieldName('operator');
        if (!left || !right) return;
        // Visit the right side first: `ndev = alloc_etherdev(...)` has nothing to walk into that matters.
        if (op && nodeText(src, op) === '=') assign(left, right);
        return;
      }
      case 'init_declarator': {
        const d = n.childForFieldName('declarator');
        const v = n.childForFieldName('value');
        if (!d || !v) return;
        let id: SyntaxNode | null = d;
        while (id && id.type !== 'identifier') id = id.childForFieldName('declarator');
        if (id) assign(id, v);
        return;
      }
      case 'call_expression': {
        const callee = calleeName(src, n);
        if (!callee || callee.indirect) return;
        const args = callArgs(n);
        if (FREES.has(callee.name)) {
          const dev = args[0] ? ownedBy(nodeText(src, args[0])) : undefined;
          if (dev) s = release(s, dev);
          return;
        }
        for (const a of args) {
          const dev = ownedBy(nodeText(src, unwrapExpression(a)));
          if (!dev) continue;
          if (HANDOFF_CALLS.has(callee.name) || RELEASING_NAME.test(callee.name) || helperFrees(program, fn, callee.name, args.indexOf(a), 0)) {
            s = release(s, dev);
          }
        }
        return;
      }
      default:
        return;
    }
  });
  return s;
}

/** A same-file helper that frees (or hands on) its `index`-th parameter, looking up to two calls deep. */
function helperFrees(program: Program, fn: FunctionFacts, name: string, index: number, depth: number): boolean {
  const helper = program.lookup(fn.file, name);
  if (!helper || helper === fn || depth > 1) return false;
  const param = helper.params[index]?.name;
  if (!param) return false;
  const privOf = privAliases(helper);
  for (const c of helper.calls) {
    const i = c.argTexts.findIndex((t) => {
      const k = refKey(t);
      return k === param || privOf.get(k) === param || k.startsWith(param + '->');
    });
    if (i < 0) continue;
    if (FREES.has(c.name)) return true;
    if (helperFrees(program, helper, c.name, i, depth + 1)) return true;
  }
  return false;
}

/** Narrows the state along a branch: `if (!ndev)` (true: no device), `if (err)` (true: err is an error). */
function refineCondition(fn: FunctionFacts, cond: SyntaxNode, truth: boolean, s: LeakState, depth = 0): LeakState | undefined {
  const src = fn.text.src;
  // A condition of a thousand && terms is not worth narrowing (and must not exhaust the stack).
  if (depth > 32) return s;
  let e = unwrapExpression(cond);
  // likely()/unlikely() are transparent.
  while (e.type === 'call_expression') {
    const name = calleeName(src, e)?.name;
    if (name !== 'likely' && name !== 'unlikely') break;
    const arg = callArgs(e)[0];
    if (!arg) break;
    e = unwrapExpression(arg);
  }
  const keyOf = (n: SyntaxNode): string => {
    const u = unwrapExpression(n);
    if (u.type === 'assignment_expression') {
      const l = u.childForFieldName('left');
      return l ? refKey(nodeText(src, l)) : '';
    }
    return refKey(nodeText(src, u));
  };
  if (e.type === 'unary_expression' && nodeText(src, e).startsWith('!')) {
    const arg = e.childForFieldName('argument');
    return arg ? refineCondition(fn, arg, !truth, s, depth + 1) : s;
  }
  if (e.type === 'binary_expression') {
    const op = nodeText(src, e.childForFieldName('operator') ?? e).trim();
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    if (!left || !right) return s;
    if (op === '&&' && truth) {
      const a = refineCondition(fn, left, true, s, depth + 1);
      return a && refineCondition(fn, right, true, a, depth + 1);
    }
    if (op === '||' && !truth) {
      const a = refineCondition(fn, left, false, s, depth + 1);
      return a && refineCondition(fn, right, false, a, depth + 1);
    }
    const rtext = nodeText(src, right).replace(/\s+/g, '');
    const k = keyOf(left);
    if ((op === '==' || op === '!=') && (rtext === 'NULL' || rtext === '0')) {
      const isNull = op === '==' ? truth : !truth;
      if (s.owned.has(k)) return isNull ? release(s, k) : s;
      return setVar(s, k, isNull ? 'ok' : 'err', fn);
    }
    if (op === '<' && rtext === '0') return truth ? setVar(s, k, 'err', fn) : setVar(s, k, 'ok', fn);
    return s;
  }
  if (e.type === 'call_expression') {
    const name = calleeName(src, e)?.name;
    const arg = callArgs(e)[0];
    if ((name === 'IS_ERR' || name === 'IS_ERR_OR_NULL') && arg) {
      const k = keyOf(arg);
      if (truth && s.owned.has(k)) return release(s, k);
    }
    return s;
  }
  const k = keyOf(e);
  if (s.owned.has(k)) return truth ? s : release(s, k);
  if (e.type === 'identifier' || e.type === 'assignment_expression') return setVar(s, k, truth ? 'err' : 'ok', fn);
  return s;
}
