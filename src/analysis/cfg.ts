// Analysis stage: a statement-level control-flow graph of one function (if/loops/switch/goto/labels).

import type { SyntaxNode } from './parser.js';
import type { CallFact, FunctionFacts } from './facts.js';
import { nodeText, sameNode } from './syntax.js';

export type CfgKind = 'entry' | 'exit' | 'stmt' | 'cond' | 'return' | 'goto' | 'label';

export interface CfgEdge {
  to: number;
  /** For a `cond` node: which way the condition went. */
  branch?: 'true' | 'false';
}

export interface CfgNode {
  id: number;
  kind: CfgKind;
  /** The simple statement, the condition expression, or the return/goto statement. */
  ast?: SyntaxNode;
  line: number;
  succ: CfgEdge[];
  /** For `label` nodes: the label name. */
  label?: string;
}

export interface Cfg {
  nodes: CfgNode[];
  entry: number;
  exit: number;
  /** CFG node holding each call expression, keyed by the call node's start index. */
  nodeOfCall: Map<number, number>;
  /** Calls evaluated by each node (innermost first), by node id. */
  callsAt: CallFact[][];
  /** Predecessors, built on demand by `predecessors()`. */
  preds?: number[][];
  /** The body nests too deeply to follow: the graph is only entry → exit, and path-based rules stay silent. */
  partial?: boolean;
}

/** Nesting beyond this is not followed (the builder recurses once per level; real code stays under ~15). */
export const MAX_NESTING = 256;

interface Jumps {
  breakTo?: number;
  continueTo?: number;
}

/** Builds the CFG of a function body (the body must exist; fragments get a best-effort graph). */
export function buildCfg(fn: FunctionFacts): Cfg {
  if (nestingDepth(fn.text.src, fn.startIndex, fn.endIndex) > MAX_NESTING) return trivialCfg(fn);
  try {
    return new Builder(fn).build();
  } catch (error) {
    // Braceless nesting (a 10,000-long `else if` chain) can still exhaust the stack: give up on this function only.
    if (error instanceof RangeError) return trivialCfg(fn);
    throw error;
  }
}

function trivialCfg(fn: FunctionFacts): Cfg {
  const nodes: CfgNode[] = [
    { id: 0, kind: 'entry', line: fn.line, succ: [{ to: 1 }] },
    { id: 1, kind: 'exit', line: fn.endLine, succ: [] },
  ];
  return { nodes, entry: 0, exit: 1, nodeOfCall: new Map(), callsAt: [[], []], partial: true };
}

/** Deepest brace nesting of a stretch of text (comments and literals are not worth skipping for a bound). */
function nestingDepth(src: string, from: number, to: number): number {
  let depth = 0;
  let max = 0;
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 125) depth--;
  }
  return max;
}

class Builder {
  private nodes: CfgNode[] = [];
  private labels = new Map<string, number>();

  constructor(private readonly fn: FunctionFacts) {}

  build(): Cfg {
    const entry = this.add('entry', undefined, this.fn.line);
    const exit = this.add('exit', undefined, this.fn.endLine);
    const body = this.fn.body;
    for (const [name, line] of this.fn.labels) {
      const id = this.add('label', undefined, line);
      this.nodes[id].label = name;
      this.labels.set(name, id);
    }
    const first = body ? this.stmt(body, exit, {}) : exit;
    this.nodes[entry].succ.push({ to: first });
    // A label whose statement was never built (inside an unparsed region) falls through to exit.
    for (const id of this.labels.values()) if (this.nodes[id].succ.length === 0) this.nodes[id].succ.push({ to: exit });
    // Calls are placed by position, from the function's call facts: no second walk of the tree.
    const calls = [...this.fn.calls].sort((a, b) => a.node.startIndex - b.node.startIndex);
    const starts = calls.map((c) => c.node.startIndex);
    const nodeOfCall = new Map<number, number>();
    const callsAt: CallFact[][] = this.nodes.map(() => []);
    for (const n of this.nodes) {
      if (!n.ast) continue;
      const from = n.ast.startIndex;
      const to = n.ast.endIndex;
      const inside: CallFact[] = [];
      for (let i = lowerBound(starts, from); i < calls.length && starts[i] < to; i++) {
        if (nodeOfCall.has(starts[i]) || calls[i].node.endIndex > to) continue;
        nodeOfCall.set(starts[i], n.id);
        inside.push(calls[i]);
      }
      // Arguments are evaluated before the call that takes them.
      inside.sort((a, b) => a.node.endIndex - b.node.endIndex || b.node.startIndex - a.node.startIndex);
      callsAt[n.id] = inside;
    }
    return { nodes: this.nodes, entry, exit, nodeOfCall, callsAt };
  }

  private add(kind: CfgKind, ast: SyntaxNode | undefined, line: number): number {
    const id = this.nodes.length;
    this.nodes.push({ id, kind, ast, line, succ: [] });
    return id;
  }

  private lineOf(n: SyntaxNode): number {
    return n.startPosition.row + this.fn.text.lineOffset;
  }

  /** Builds `n` so that it continues at `next`; returns the id of its first node. */
  private stmt(n: SyntaxNode, next: number, jumps: Jumps): number {
    switch (n.type) {
      case 'compound_statement':
        return this.seq(n.namedChildren, next, jumps);
      case 'if_statement': {
        const cond = n.childForFieldName('condition');
        const cons = n.childForFieldName('consequence');
        const alt = n.childForFieldName('alternative');
        const c = this.add('cond', cond ? unparen(cond) : undefined, this.lineOf(n));
        const t = cons ? this.stmt(cons, next, jumps) : next;
        const altStmt = alt ? (alt.type === 'else_clause' ? alt.namedChildren.find(isStatementLike) : alt) : undefined;
        const f = altStmt ? this.stmt(altStmt, next, jumps) : next;
        this.nodes[c].succ.push({ to: t, branch: 'true' }, { to: f, branch: 'false' });
        return c;
      }
      case 'while_statement': {
        const cond = n.childForFieldName('condition');
        const c = this.add('cond', cond ? unparen(cond) : undefined, this.lineOf(n));
        const body = n.childForFieldName('body');
        const b = body ? this.stmt(body, c, { breakTo: next, continueTo: c }) : c;
        this.nodes[c].succ.push({ to: b, branch: 'true' }, { to: next, branch: 'false' });
        return c;
      }
      case 'do_statement': {
        const cond = n.childForFieldName('condition');
        const c = this.add('cond', cond ? unparen(cond) : undefined, this.lineOf(cond ?? n));
        const body = n.childForFieldName('body');
        const b = body ? this.stmt(body, c, { breakTo: next, continueTo: c }) : c;
        const once = cond && /^\(\s*0\s*\)$/.test(nodeText(this.fn.text.src, cond));
        // `do { } while (0)` never loops; a back edge would only invent paths.
        if (once) this.nodes[c].succ.push({ to: next, branch: 'false' });
        else this.nodes[c].succ.push({ to: b, branch: 'true' }, { to: next, branch: 'false' });
        return b;
      }
      case 'for_statement': {
        const init = n.childForFieldName('initializer');
        const cond = n.childForFieldName('condition');
        const update = n.childForFieldName('update');
        const c = this.add('cond', cond ?? undefined, this.lineOf(n));
        const u = update ? this.add('stmt', update, this.lineOf(update)) : c;
        if (update) this.nodes[u].succ.push({ to: c });
        const body = n.childForFieldName('body');
        const b = body ? this.stmt(body, u, { breakTo: next, continueTo: u }) : u;
        this.nodes[c].succ.push({ to: b, branch: 'true' });
        if (cond) this.nodes[c].succ.push({ to: next, branch: 'false' });
        if (!init) return c;
        const i = this.add('stmt', init, this.lineOf(init));
        this.nodes[i].succ.push({ to: c });
        return i;
      }
      case 'switch_statement': {
        const cond = n.childForFieldName('condition');
        const s = this.add('cond', cond ? unparen(cond) : undefined, this.lineOf(n));
        const body = n.childForFieldName('body');
        const cases = body ? body.namedChildren.filter((c) => c.type === 'case_statement') : [];
        let following = next;
        let hasDefault = false;
        const entries: number[] = [];
        for (let i = cases.length - 1; i >= 0; i--) {
          const cs = cases[i];
          if (!cs.childForFieldName('value')) hasDefault = true;
          const value = cs.childForFieldName('value');
          const stmts = cs.namedChildren.filter((c) => !sameNode(c, value) && isStatementLike(c));
          following = this.seq(stmts, following, { breakTo: next, continueTo: jumps.continueTo });
          entries.unshift(following);
        }
        for (const e of entries) this.nodes[s].succ.push({ to: e });
        if (!hasDefault) this.nodes[s].succ.push({ to: next });
        return s;
      }
      case 'return_statement': {
        const r = this.add('return', n, this.lineOf(n));
        this.nodes[r].succ.push({ to: 1 });
        return r;
      }
      case 'goto_statement': {
        const g = this.add('goto', n, this.lineOf(n));
        const label = n.childForFieldName('label');
        const target = label ? this.labels.get(nodeText(this.fn.text.src, label)) : undefined;
        this.nodes[g].succ.push({ to: target ?? 1 });
        return g;
      }
      case 'labeled_statement': {
        const label = n.childForFieldName('label');
        const id = label ? this.labels.get(nodeText(this.fn.text.src, label)) : undefined;
        const inner = n.namedChildren.filter((c) => !sameNode(c, label) && isStatementLike(c));
        const first = this.seq(inner, next, jumps);
        if (id === undefined) return first;
        this.nodes[id].succ = [{ to: first }];
        return id;
      }
      case 'break_statement':
        return jumps.breakTo ?? next;
      case 'continue_statement':
        return jumps.continueTo ?? next;
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef': {
        // Either branch of a conditional compilation may be the one built: both are paths.
        const alt = n.childForFieldName('alternative');
        const inner = n.namedChildren.filter((c) => !sameNode(c, alt) && isStatementLike(c));
        // `#ifdef X  else { ... }  #endif` continues an `if` before the directive: the grammar cannot
        // see that, and treating the block as following the `if` would invent paths. Leave it out.
        if (inner[0]?.type === 'ERROR' && /^else\b/.test(nodeText(this.fn.text.src, inner[0]))) return next;
        const c = this.add('cond', undefined, this.lineOf(n));
        const t = this.seq(inner, next, jumps);
        const f = alt ? this.stmt(alt, next, jumps) : next;
        this.nodes[c].succ.push({ to: t }, { to: f });
        return c;
      }
      case 'preproc_else':
        return this.seq(n.namedChildren.filter(isStatementLike), next, jumps);
      case 'ERROR': {
        const inner = n.namedChildren.filter(isStatementLike);
        if (inner.length > 0) return this.seq(inner, next, jumps);
        const s = this.add('stmt', n, this.lineOf(n));
        this.nodes[s].succ.push({ to: next });
        return s;
      }
      case 'comment':
      case 'preproc_call':
      case 'preproc_def':
      case 'preproc_function_def':
      case 'preproc_include':
        return next;
      default: {
        const s = this.add('stmt', n, this.lineOf(n));
        this.nodes[s].succ.push({ to: next });
        return s;
      }
    }
  }

  private seq(stmts: SyntaxNode[], next: number, jumps: Jumps): number {
    let cont = next;
    for (let i = stmts.length - 1; i >= 0; i--) {
      if (!isStatementLike(stmts[i])) continue;
      cont = this.stmt(stmts[i], cont, jumps);
    }
    return cont;
  }
}

const NOT_STATEMENTS = new Set(['comment', 'statement_identifier', 'identifier', 'preproc_arg', 'field_identifier']);

function isStatementLike(n: SyntaxNode): boolean {
  return !NOT_STATEMENTS.has(n.type);
}

function unparen(n: SyntaxNode): SyntaxNode {
  let x = n;
  while (x.type === 'parenthesized_expression' && x.namedChildCount === 1) x = x.namedChildren[0];
  return x;
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Predecessor lists, computed once per CFG. */
export function predecessors(cfg: Cfg): number[][] {
  if (cfg.preds) return cfg.preds;
  const preds: number[][] = cfg.nodes.map(() => []);
  for (const n of cfg.nodes) for (const e of n.succ) preds[e.to].push(n.id);
  cfg.preds = preds;
  return preds;
}
