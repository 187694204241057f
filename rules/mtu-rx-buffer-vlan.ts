// Rule: a receive buffer sized from the MTU plus the Ethernet header (or 1514 / ETH_FRAME_LEN) with no room
// for a VLAN tag — the document asks a device at MTU 1500 to take 1518-byte frames.

import { defineRule } from '../src/engine/rule.js';
import type { FunctionFacts } from '../src/analysis/facts.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import type { Fix } from '../src/engine/finding.js';
import { callArgs, calleeName, nodeText, walk } from '../src/analysis/syntax.js';

/** Receive allocators and the index of their size argument. */
const RX_ALLOCS: Record<string, number> = {
  netdev_alloc_skb: 1,
  netdev_alloc_skb_ip_align: 1,
  __netdev_alloc_skb: 1,
  __netdev_alloc_skb_ip_align: 1,
  napi_alloc_skb: 1,
  __napi_alloc_skb: 1,
  dev_alloc_skb: 0,
};
/** Names of variables and fields that hold a receive buffer size. */
const RX_SIZE_NAME = /^rx|buf\w*(?:size|sz|len)/i;
const TX_NAME = /tx/i;
const SELF_TEST = /self_?test|loopback|(?:^|_)test(?:_|$)/i;
/** Anything VLAN in the expression is an allowance (VLAN_HLEN, VLAN_ETH_HLEN, VLAN_ETH_FRAME_LEN, a driver's own VLAN_TAG_SIZE). */
const VLAN = /vlan/i;

interface Sizing {
  /** What makes it Ethernet-without-VLAN, for the message: `->mtu + ETH_HLEN`, `ETH_FRAME_LEN`, `1514`. */
  what: string;
  /** The token to widen in a fix, and its VLAN twin. */
  token: string;
  twin: string;
}

export default defineRule({
  meta: {
    id: 'mtu-rx-buffer-vlan',
    severity: 'info',
    description: 'A receive buffer sized from the MTU plus ETH_HLEN (or 1514 / ETH_FRAME_LEN) with no room for a VLAN tag.',
    doc: { section: 'mtu' },
    since: '2.6.23',
    triggers: /\bETH_HLEN\b|\bETH_FRAME_LEN\b|\b1514\b/,
    needsWholeFunction: false,
    fixable: true,
    messages: {
      noVlan: 'this receive buffer is sized as {{what}}, with no room for a VLAN tag: at MTU 1500 a tagged frame is 1518 bytes, which the document asks the device to accept; add VLAN_HLEN (or use {{twin}})',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(['ETH_HLEN', 'ETH_FRAME_LEN']) && !/\b1514\b/.test(fn.text.src.slice(fn.startIndex, fn.endIndex))) continue;
      // Self-tests build their own test frames with the rx allocators: those are not receive buffers.
      if (!fn.body || SELF_TEST.test(fn.name)) continue;
      const src = fn.text.src;
      const lineOf = (n: SyntaxNode) => n.startPosition.row + fn.text.lineOffset;
      const vlanAdded = vlanAdditions(fn);
      const reported = new Set<number>();
      const report = (expr: SyntaxNode, sizing: Sizing, target?: string) => {
        const line = lineOf(expr);
        if (reported.has(line)) return;
        // `len += VLAN_HLEN` (or `len = len + VLAN_HLEN`) later in the function adds the allowance.
        if (target && vlanAdded.some((v) => v.target === target && v.line >= line)) return;
        reported.add(line);
        ctx.report({ file: fn.file, line, messageId: 'noVlan', data: { what: sizing.what, twin: sizing.twin }, fix: tokenFix(ctx.lineText(fn.file, line), line, sizing) });
      };
      // Variables assigned such a size, then passed to an rx allocator: `len = dev->mtu + ETH_HLEN; netdev_alloc_skb(dev, len)`.
      const sizedVars = new Map<string, { expr: SyntaxNode; sizing: Sizing }>();
      walk(fn.body, (n) => {
        if (n.type === 'assignment_expression' || n.type === 'init_declarator') {
          const left = n.type === 'assignment_expression' ? n.childForFieldName('left') : n.childForFieldName('declarator');
          const right = n.type === 'assignment_expression' ? n.childForFieldName('right') : n.childForFieldName('value');
          if (!left || !right) return;
          const op = n.type === 'assignment_expression' ? nodeText(src, n.childForFieldName('operator') ?? n).trim() : '=';
          if (op !== '=') return;
          const sizing = ethernetSizing(nodeText(src, right));
          if (!sizing) return;
          const target = nodeText(src, left).replace(/\s+/g, '').replace(/^\*+/, '');
          const last = target.split(/->|\./).pop() ?? target;
          if (TX_NAME.test(target)) return;
          if (RX_SIZE_NAME.test(last)) report(right, sizing, target);
          else if (/^\w+$/.test(target)) sizedVars.set(target, { expr: right, sizing });
          return;
        }
        if (n.type !== 'call_expression') return;
        const callee = calleeName(src, n);
        if (!callee || callee.indirect) return;
        const args = callArgs(n);
        let sizeArg: SyntaxNode | undefined;
        if (callee.name in RX_ALLOCS) sizeArg = args[RX_ALLOCS[callee.name]];
        else if (/^dma_map_single(?:_attrs)?$/.test(callee.name) && args.some((a) => nodeText(src, a).includes('DMA_FROM_DEVICE'))) sizeArg = args[2];
        if (!sizeArg) return;
        const text = nodeText(src, sizeArg);
        const direct = ethernetSizing(text);
        if (direct) return report(sizeArg, direct);
        const v = sizedVars.get(text.replace(/\s+/g, ''));
        if (v && !TX_NAME.test(text)) report(v.expr, v.sizing, text.replace(/\s+/g, ''));
      });
    }
  },
});

/** The expression sizes an untagged Ethernet frame: `->mtu + ETH_HLEN`, `ETH_DATA_LEN + ETH_HLEN`, `ETH_FRAME_LEN`, `1514` — and adds nothing VLAN. */
function ethernetSizing(expr: string): Sizing | undefined {
  if (VLAN.test(expr)) return undefined;
  const e = expr.replace(/\s+/g, ' ');
  // A literal slack of 4 bytes or more (`+ 8`, `+ 128`) already leaves room for the tag.
  if ((e.match(/(?<![\w.])\d+(?![\w.])/g) ?? []).some((n) => n !== '1514' && Number(n) >= 4)) return undefined;
  if (/\bETH_HLEN\b/.test(e) && /(?:->|\.)\s*mtu\b|\bnew_mtu\b|\bETH_DATA_LEN\b/.test(e) && /\+/.test(e)) {
    const base = /\bETH_DATA_LEN\b/.test(e) ? 'ETH_DATA_LEN + ETH_HLEN' : 'the MTU + ETH_HLEN';
    return { what: base, token: 'ETH_HLEN', twin: 'VLAN_ETH_HLEN' };
  }
  if (/\bETH_FRAME_LEN\b/.test(e)) return { what: 'ETH_FRAME_LEN (1514)', token: 'ETH_FRAME_LEN', twin: 'VLAN_ETH_FRAME_LEN' };
  if (/(?<![\w.])1514(?![\w.])/.test(e)) return { what: '1514 bytes', token: '1514', twin: 'VLAN_ETH_FRAME_LEN' };
  return undefined;
}

/** `x += VLAN_HLEN` / `x = x + VLAN_HLEN` statements: the target and line. */
function vlanAdditions(fn: FunctionFacts): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  for (const a of fn.assigns) {
    if (!VLAN.test(a.rightText)) continue;
    const target = a.leftText.replace(/\s+/g, '');
    if (a.operator === '+=' || (a.operator === '=' && new RegExp(`(?:^|[^\\w>.])${escapeRe(target)}(?![\\w])`).test(a.rightText.replace(/\s+/g, '')))) out.push({ target, line: a.line });
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Swap the one token for its VLAN twin when it occurs exactly once on the line. */
function tokenFix(text: string | undefined, line: number, sizing: Sizing): Fix | undefined {
  if (!text) return undefined;
  const re = new RegExp(`(?<![\\w.])${sizing.token}(?![\\w.])`, 'g');
  const hits = text.match(re);
  if (!hits || hits.length !== 1) return undefined;
  return { line, endLine: line, replacement: text.replace(re, sizing.twin), description: `make room for a VLAN tag (${sizing.twin})` };
}
