// Rule: ndo_start_xmit must be declared netdev_tx_t and return only NETDEV_TX_OK / NETDEV_TX_BUSY.

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { FunctionFacts, ReturnFact } from '../src/analysis/facts.js';
import { nodeText, unwrapExpression } from '../src/analysis/syntax.js';

export default defineRule({
  meta: {
    id: 'xmit-return-type',
    severity: 'error',
    description: 'An ndo_start_xmit not declared netdev_tx_t, or returning something other than NETDEV_TX_OK/NETDEV_TX_BUSY (an errno, NET_XMIT_*).',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    since: '2.6.32',
    // Every start_xmit is bound, typed or named with one of these.
    triggers: /xmit|netdev_tx_t/,
    needsWholeFunction: false,
    fixable: true,
    messages: {
      declaredType: '{{fn}} is an ndo_start_xmit but is declared to return {{type}}; declare it netdev_tx_t',
      errno: '{{fn}} (ndo_start_xmit) returns {{value}}, an errno: the core treats any value other than NETDEV_TX_OK/NETDEV_TX_BUSY as a bug; drop the skb (dev_kfree_skb_any()), count it in tx_dropped and return NETDEV_TX_OK',
      netXmit: '{{fn}} (ndo_start_xmit) returns {{value}}, a qdisc code, not a netdev_tx_t; return NETDEV_TX_OK (after freeing the skb if it was dropped)',
      number: '{{fn}} (ndo_start_xmit) returns the bare number {{value}}; return NETDEV_TX_OK or NETDEV_TX_BUSY',
      errnoVar: '{{fn}} (ndo_start_xmit) returns {{value}}, which holds an errno (set at line {{setLine}}); drop the skb, count it in tx_dropped and return NETDEV_TX_OK',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      const role = ctx.program.roles(fn).find((r) => r.role === 'ndo_start_xmit');
      if (!role) continue;
      const severity = role.evidence === 'name' ? lowerSeverity('error') : 'error';
      if (!fn.fragment && fn.returnType && fn.returnType !== 'netdev_tx_t' && fn.returnTypeNode) {
        const typeNode = fn.returnTypeNode;
        const line = fn.returnTypeLine;
        const text = ctx.lineText(fn.file, line);
        const col = typeNode.startPosition.column;
        const len = typeNode.endIndex - typeNode.startIndex;
        const fix =
          text !== undefined && typeNode.startPosition.row === typeNode.endPosition.row && !fn.returnType.includes('*')
            ? { line, endLine: line, replacement: text.slice(0, col) + 'netdev_tx_t' + text.slice(col + len), description: 'declare it netdev_tx_t' }
            : undefined;
        ctx.report({ file: fn.file, line, messageId: 'declaredType', data: { fn: fn.name, type: fn.returnType }, severity, evidence: [fn.line], fix });
      }
      for (const ret of fn.returns) checkReturn(ret, fn);
      function checkReturn(ret: ReturnFact, f: FunctionFacts): void {
        if (!ret.expr) return;
        const e = unwrapExpression(ret.expr);
        const text = nodeText(f.text.src, e).replace(/\s+/g, '');
        if (text === 'NETDEV_TX_OK' || text === 'NETDEV_TX_BUSY' || text === '0') return;
        // Valid before 4.7; from 4.7 on, xmit-tx-locked-removed owns it.
        if (text === 'NETDEV_TX_LOCKED') return;
        const base = { file: f.file, line: ret.line, severity, data: { fn: f.name, value: text } };
        if (/^-\(?E[A-Z0-9]+\)?$/.test(text) || /^-\d+$/.test(text)) return ctx.report({ ...base, messageId: 'errno' });
        if (/^NET_XMIT_[A-Z]+$/.test(text)) {
          const lineText = ctx.lineText(f.file, ret.line);
          const fix =
            text === 'NET_XMIT_SUCCESS' && lineText?.includes('NET_XMIT_SUCCESS')
              ? { line: ret.line, endLine: ret.line, replacement: lineText.replace('NET_XMIT_SUCCESS', 'NETDEV_TX_OK'), description: 'return NETDEV_TX_OK' }
              : undefined;
          return ctx.report({ ...base, messageId: 'netXmit', fix });
        }
        if (/^\d+$/.test(text)) return ctx.report({ ...base, messageId: 'number' });
        if (e.type === 'identifier') {
          const decl = f.decls.find((d) => d.name === text);
          if (!decl || !/^(?:int|long|s32)$/.test(decl.type)) return;
          const setter = [
            ...(decl.initText !== undefined ? [{ line: decl.line, value: decl.initText }] : []),
            ...f.assigns.filter((a) => a.operator === '=' && a.leftText === text && a.line <= ret.line).map((a) => ({ line: a.line, value: a.rightText })),
          ].find((s) => /^-\s*E[A-Z0-9]+$/.test(s.value.trim()));
          if (setter) ctx.report({ ...base, messageId: 'errnoVar', data: { ...base.data, setLine: setter.line }, evidence: [setter.line] });
        }
      }
    }
  },
});
