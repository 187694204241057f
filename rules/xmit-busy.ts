// Rule: NETDEV_TX_BUSY returned by a start_xmit on a path that never stopped the queue — and, worse,
// after the skb was freed or handed to the DMA ring (the core requeues it and sends it again).

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { FunctionFacts } from '../src/analysis/facts.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import type { Program } from '../src/analysis/program.js';
import type { Role } from '../src/analysis/roles.js';
import { explorePaths } from '../src/analysis/paths.js';
import { calleeName, callArgs, callsIn, nodeText, unwrapExpression, walk } from '../src/analysis/syntax.js';
import { calleeClosure } from './lib/callee-closure.js';

/** Calls that stop the device's transmit queue(s). */
const STOP_CALLS = new Set(['netif_stop_queue', 'netif_tx_stop_queue', 'netif_stop_subqueue', 'netif_tx_stop_all_queues', 'netif_txq_maybe_stop', 'netif_subqueue_maybe_stop']);
/** Driver wrappers named for stopping (`foo_maybe_stop_tx()`, `foo_stop_queue()`) defined elsewhere count too. */
const STOP_NAME = /stop_(?:\w*_)?(?:queues?|tx|txq|subqueue)\b|(?:queues?|txq?)_stop\b|maybe_stop/;
/** Calls that free or consume the skb. */
const FREE_CALLS = /^(?:dev_kfree_skb\w*|kfree_skb\w*|consume_skb|napi_consume_skb|dev_consume_skb_\w+|__dev_kfree_skb_\w+)$/;
const MAP_CALLS = /^(?:dma_map_single\w*|dma_map_page\w*|skb_frag_dma_map|pci_map_single|dma_map_sg\w*|skb_dma_map)$/;
const UNMAP_CALLS = /^(?:dma_unmap_single\w*|dma_unmap_page\w*|pci_unmap_single|dma_unmap_sg\w*|skb_dma_unmap)$/;

interface BusyState {
  stopped: boolean;
  /** The skb was freed or consumed: line and call. */
  freed?: { line: number; how: string };
  /** The skb pointer was stored in a ring/buffer-info field. */
  handed?: { line: number; how: string };
  /** The skb's data was DMA-mapped and not unmapped since. */
  mapped?: { line: number; how: string };
  /** A status variable holding NETDEV_TX_BUSY, and the line that set it. */
  busyVar?: { name: string; line: number };
}

interface Verdict {
  /** Line where NETDEV_TX_BUSY appears (the return, or the assignment of the status variable). */
  busyLine: number;
  returnLine: number;
  unstopped: boolean;
  consumed?: { line: number; how: string; kind: 'freed' | 'handed' | 'mapped' };
  /** The block logs an error just before returning BUSY: a state the author believes cannot happen. */
  defensive: boolean;
}

/** Error logging that marks a "cannot happen" branch (`netdev_err(dev, "xmit called while busy")`). */
const LOG_CALL = /\b(?:netdev_(?:err|warn|crit)|dev_(?:err|warn|crit)|netif_(?:err|warn)|net_(?:err|warn)_ratelimited|netdev_\w+_once|pr_(?:err|warn|crit)|printk|WARN(?:_ON)?(?:_ONCE)?|BUG_ON|\w+_err_ratelimited|\w+_warn_ratelimited)\s*\(/;

export default defineRule({
  meta: {
    id: 'xmit-busy',
    severity: 'warning',
    description: 'NETDEV_TX_BUSY returned by ndo_start_xmit on a path that did not stop the queue, or after the skb was freed or put in the DMA ring.',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    triggers: /\bNETDEV_TX_BUSY\b/,
    needsWholeFunction: true,
    fixable: false,
    messages: {
      defensive: '{{fn}} returns NETDEV_TX_BUSY, with an error message, on a path that did not stop the queue: if this cannot happen (the queue is stopped whenever it holds), drop the check; if it can, stop the queue before the ring fills instead of returning BUSY',
      notStopped: '{{fn}} returns NETDEV_TX_BUSY on a path that did not stop the queue: the core will retry at once and spin; stop the queue (netif_stop_queue()) when the ring fills, before it is full, so BUSY is never needed',
      consumed: '{{fn}} returns NETDEV_TX_BUSY after {{how}} at line {{line}}: the core keeps the skb and sends it again, so it is {{effect}}; once the skb is freed or in the ring, return NETDEV_TX_OK',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentions('NETDEV_TX_BUSY')) continue;
      const role = xmitRole(ctx.program, fn);
      if (!role) continue;
      const skb = fn.params.find((p) => p.type === 'struct sk_buff *')?.name;
      const program = ctx.program;
      const helpers: Helpers = {
        stops: functionsThat(program, fn, (n, f) => STOP_CALLS.has(n) || (n !== f.name && STOP_NAME.test(n) && !program.lookup(f.file, n))),
        unmaps: functionsThat(program, fn, (n) => UNMAP_CALLS.test(n)),
        skbDerived: skbDerived(fn, skb),
      };
      // A driver that never unmaps anything (a non-IOMMU platform's direct mapping) has no mapping to leak.
      const fileUnmaps = program.files.find((f) => f.path === fn.file)?.functions.some((f) => f.mentionsAny(['dma_unmap_single', 'dma_unmap_page', 'pci_unmap_single', 'dma_unmap_sg'])) ?? true;
      const verdicts = new Map<number, Verdict>();
      explorePaths<BusyState>(fn, {
        initial: { stopped: false },
        key: (s) => `${s.stopped ? 'S' : ''}|${s.freed?.line ?? ''}|${s.handed?.line ?? ''}|${s.mapped?.line ?? ''}|${s.busyVar ? `${s.busyVar.name}@${s.busyVar.line}` : ''}`,
        transfer(node, state) {
          if (!node.ast) return state;
          if (node.kind === 'return') {
            const busy = busyReturn(fn, node.ast, state);
            if (busy) record(verdicts, { busyLine: busy, returnLine: node.line, unstopped: !state.stopped, consumed: consumedOf(fileUnmaps ? state : { ...state, mapped: undefined }), defensive: loggedBefore(fn, node.ast) });
            return state;
          }
          return step(fn, node.ast, state, skb, helpers, node.kind === 'cond');
        },
        refine(node, branch, state) {
          if (!node.ast || !branch) return state;
          return refineCondition(nodeText(fn.text.src, node.ast).replace(/\s+/g, ''), branch === 'true', state);
        },
      });
      const severity = role.evidence === 'name' ? (s: 'error' | 'warning') => lowerSeverity(s) : (s: 'error' | 'warning') => s;
      for (const v of verdicts.values()) {
        // An unmap between the mapping and the return (in a loop the path may skip) undoes it.
        const c = v.consumed;
        if (c?.kind === 'mapped' && fn.calls.some((x) => isUnmap(x.name, helpers) && x.line > c.line && x.line <= v.returnLine)) v.consumed = undefined;
        const evidence = [v.busyLine, v.returnLine, ...(v.consumed ? [v.consumed.line] : [])];
        if (v.consumed) {
          const effect =
            v.consumed.kind === 'freed'
              ? 'used after it was freed'
              : v.consumed.kind === 'handed'
                ? 'queued twice, and freed twice if the ring entry is ever cleaned'
                : 'mapped again while this mapping leaks';
          ctx.report({ file: fn.file, line: v.busyLine, messageId: 'consumed', severity: severity('error'), data: { fn: fn.name, how: v.consumed.how, line: v.consumed.line, effect }, evidence });
        } else if (v.unstopped) {
          if (v.defensive) ctx.report({ file: fn.file, line: v.busyLine, messageId: 'defensive', severity: 'info', data: { fn: fn.name }, evidence });
          else ctx.report({ file: fn.file, line: v.busyLine, messageId: 'notStopped', severity: severity('warning'), data: { fn: fn.name }, evidence });
        }
      }
    }
  },
});

/** The function's start_xmit role, or (for a netdev_tx_t helper that an xmit returns through) the xmit's. */
function xmitRole(program: Program, fn: FunctionFacts): Role | undefined {
  const own = program.roles(fn).find((r) => r.role === 'ndo_start_xmit');
  if (own) return own;
  if (fn.returnType !== 'netdev_tx_t') return undefined;
  // A helper counts when every visible caller returns its result straight away (`return foo_xmit_ring(skb, ring);`)
  // and none of them stopped the queue before the call.
  const callers = program.callersOf(fn);
  if (callers.length === 0) return undefined;
  let role: Role | undefined;
  for (const { caller, site } of callers) {
    const r = program.roles(caller).find((x) => x.role === 'ndo_start_xmit');
    if (!r || site.node.parent?.type !== 'return_statement') return undefined;
    if (caller.calls.some((c) => c.node.startIndex < site.node.startIndex && (STOP_CALLS.has(c.name) || STOP_NAME.test(c.name)))) return undefined;
    role ??= r;
  }
  return role;
}

/** Same-file functions (the xmit's closure) that make a call `matches` accepts, directly or through their own callees. */
function functionsThat(program: Program, fn: FunctionFacts, matches: (name: string, f: FunctionFacts) => boolean): Set<string> {
  const closure = calleeClosure(program, fn);
  const out = new Set<string>();
  for (const f of closure) if (f.calls.some((c) => matches(c.name, f))) out.add(f.name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of closure) {
      if (!out.has(f.name) && f.calls.some((c) => out.has(c.name))) {
        out.add(f.name);
        changed = true;
      }
    }
  }
  return out;
}

function record(verdicts: Map<number, Verdict>, v: Verdict): void {
  const old = verdicts.get(v.busyLine);
  if (!old) return void verdicts.set(v.busyLine, v);
  old.unstopped ||= v.unstopped;
  old.consumed ??= v.consumed;
}

/** A statement of the return's own block, before it, logs an error. */
function loggedBefore(fn: FunctionFacts, ret: SyntaxNode): boolean {
  const block = ret.parent;
  if (!block || block.type !== 'compound_statement') return false;
  for (const child of block.namedChildren) {
    if (child.startIndex >= ret.startIndex) break;
    if (LOG_CALL.test(nodeText(fn.text.src, child))) return true;
  }
  return false;
}

function consumedOf(s: BusyState): Verdict['consumed'] {
  if (s.freed) return { ...s.freed, kind: 'freed' };
  if (s.handed) return { ...s.handed, kind: 'handed' };
  if (s.mapped) return { ...s.mapped, kind: 'mapped' };
  return undefined;
}

/** The line of NETDEV_TX_BUSY when this return gives it (directly or through a status variable). */
function busyReturn(fn: FunctionFacts, ret: SyntaxNode, s: BusyState): number | undefined {
  const expr = ret.namedChildren.find((c) => c.type !== 'comment');
  if (!expr) return undefined;
  const e = unwrapExpression(expr);
  const text = nodeText(fn.text.src, e).replace(/\s+/g, '');
  if (text === 'NETDEV_TX_BUSY') return ret.startPosition.row + fn.text.lineOffset;
  if (e.type === 'identifier' && s.busyVar?.name === text) return s.busyVar.line;
  return undefined;
}

/**
 * What a condition tells: a failed mapping mapped nothing (`if (dma_mapping_error(...))`), and a test of
 * the status variable against NETDEV_TX_OK cannot go the OK way while it holds NETDEV_TX_BUSY.
 */
function refineCondition(cond: string, taken: boolean, s: BusyState): BusyState | undefined {
  const c = cond.replace(/^(?:unlikely|likely)\((.*)\)$/, '$1');
  if (s.mapped && /dma_mapping_error\(|_mapping_error\(/.test(c)) {
    const negated = c.startsWith('!');
    if (taken !== negated) return { ...s, mapped: undefined };
  }
  const v = s.busyVar?.name;
  if (v) {
    const first = c.split(/&&|\|\|/)[0];
    const and = c.includes('&&') && !c.includes('||');
    if (first === `${v}==NETDEV_TX_OK` || first === `!${v}`) {
      if (taken) return undefined;
      if (!and) return s;
    }
    if (first === `${v}!=NETDEV_TX_OK` || first === `${v}==NETDEV_TX_BUSY` || first === v) {
      if (!taken && !c.includes('&&') && !c.includes('||')) return undefined;
    }
  }
  return s;
}

/** Effect of one statement (or condition) on the state. */
function isUnmap(name: string, h: Helpers): boolean {
  return UNMAP_CALLS.test(name) || /unmap/.test(name) || h.unmaps.has(name);
}

interface Helpers {
  stops: ReadonlySet<string>;
  unmaps: ReadonlySet<string>;
  /** Locals that point into the skb itself (`finfo = (void *)skb->cb`): storing the skb there hands it to no ring. */
  skbDerived: ReadonlySet<string>;
}

/** Locals assigned from an expression that reads the skb. */
function skbDerived(fn: FunctionFacts, skb: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!skb) return out;
  const re = new RegExp(`\\b${skb}\\b`);
  for (const d of fn.decls) if (d.initText && re.test(d.initText)) out.add(d.name);
  for (const a of fn.assigns) if (a.operator === '=' && /^\w+$/.test(a.leftText) && re.test(a.rightText)) out.add(a.leftText);
  return out;
}

function step(fn: FunctionFacts, ast: SyntaxNode, state: BusyState, skb: string | undefined, h: Helpers, isCond: boolean): BusyState {
  const src = fn.text.src;
  let s = state;
  const set = (patch: Partial<BusyState>) => (s = { ...s, ...patch });
  // A condition that asks whether the queue is stopped (`if (netif_queue_stopped(dev))`): either way, the
  // author is handling flow control there.
  // Likewise a netpoll test: BUSY tells netpoll to queue the frame for later (bonding, team).
  if (isCond && /stopped\s*\(|netpoll/.test(nodeText(src, ast))) set({ stopped: true });
  for (const call of callsIn(ast)) {
    const callee = calleeName(src, call);
    if (!callee) continue;
    const name = callee.name;
    const line = call.startPosition.row + fn.text.lineOffset;
    if (!callee.indirect && (STOP_CALLS.has(name) || h.stops.has(name) || STOP_NAME.test(name))) set({ stopped: true });
    if (!skb) continue;
    if (callee.indirect) continue;
    const args = callArgs(call).map((a) => nodeText(src, a).replace(/\s+/g, ''));
    if (FREE_CALLS.test(name) && args[0] === skb) set({ freed: { line, how: `${name}(${skb})` } });
    else if (MAP_CALLS.test(name) && args[1] !== undefined && new RegExp(`\\b${skb}\\b`).test(args[1])) set({ mapped: { line, how: `${name}() of its data` } });
    // Unmapping (or a driver helper that unmaps ring entries) takes the skb back out of the ring.
    else if (isUnmap(name, h)) set({ mapped: undefined, handed: undefined });
  }
  walk(ast, (n) => {
    if (n.type !== 'assignment_expression' && n.type !== 'init_declarator') return;
    const left = n.type === 'assignment_expression' ? n.childForFieldName('left') : n.childForFieldName('declarator');
    const right = n.type === 'assignment_expression' ? n.childForFieldName('right') : n.childForFieldName('value');
    if (!left || !right) return;
    const l = nodeText(src, left).replace(/\s+/g, '');
    const r = nodeText(src, unwrapExpression(right)).replace(/\s+/g, '');
    const line = n.startPosition.row + fn.text.lineOffset;
    const name = l.replace(/^\*+/, '');
    if (r === 'NETDEV_TX_BUSY' && /^\w+$/.test(name)) set({ busyVar: { name, line } });
    else if (s.busyVar?.name === name) set({ busyVar: undefined });
    if (!skb) return;
    // A new skb in the variable: what happened to the old one no longer matters.
    if (name === skb) set({ freed: undefined, handed: undefined, mapped: undefined });
    else if (r === skb && left.type === 'field_expression' && /skb/i.test(l.split(/->|\./).pop() ?? '') && !h.skbDerived.has(l.split(/->|\.|\[/)[0])) set({ handed: { line, how: `storing the skb in ${l}` } });
    else if (r === 'NULL' && left.type === 'field_expression' && s.handed && /skb/i.test(l.split(/->|\./).pop() ?? '')) set({ handed: undefined });
  });
  return s;
}

