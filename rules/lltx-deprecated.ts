// Rule: a hardware driver turning on lockless transmit (NETIF_F_LLTX, or dev->lltx from 6.12), which the
// document calls deprecated (from 2.6.24) and, from 6.12, meant for software devices only.

import { defineRule } from '../src/engine/rule.js';
import type { FunctionFacts } from '../src/analysis/facts.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import { nodeText, unwrapExpression, walk } from '../src/analysis/syntax.js';
import { compareKernelVersions, parseKernelVersion, type KernelVersion } from '../src/kernel/version.js';
import { CORE_PATHS } from '../src/engine/run.js';
import { driverKind } from './lib/driver-kind.js';

/** NETIF_F_LLTX became the `lltx` bit of struct net_device ("netdev_features: convert NETIF_F_LLTX to dev->lltx"). */
const LLTX_FIELD_SINCE = parseKernelVersion('6.12') as KernelVersion;

interface LltxSetter {
  /** Line of the NETIF_F_LLTX token or of the `lltx` assignment. */
  line: number;
  /** The whole statement's lines. */
  lines: number[];
  what: 'flag' | 'field';
  /** For the message: `NETIF_F_LLTX in dev->features`, `ndev->lltx`. */
  text: string;
}

export default defineRule({
  meta: {
    id: 'lltx-deprecated',
    severity: 'warning',
    description: 'A hardware driver turns on lockless transmit (NETIF_F_LLTX / dev->lltx), which the document reserves for software devices.',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    // The deprecation note arrived with the net-2.6.24 merge: the 2.6.23 text (seed 001) still describes
    // LLTX without it, the 2.6.24 text (the first with the NAPI section) carries it.
    since: '2.6.24',
    docGate: { present: /LLTX\s+is\s+deprecated|lltx\s+is\s+meant\s+for\s+software/i },
    triggers: /\bNETIF_F_LLTX\b|\blltx\b/,
    needsWholeFunction: false,
    fixable: false,
    messages: {
      deprecated:
        'setting {{what}} turns on lockless transmit in a hardware driver ({{why}}); the document calls LLTX deprecated and not for new drivers — drop it and let the core serialize ndo_start_xmit with the tx queue lock',
      flagGone:
        'NETIF_F_LLTX no longer exists from 6.12 on (it became dev->lltx), and lockless transmit is meant for software devices only, while this is a hardware driver ({{why}}) — drop it and let the core serialize ndo_start_xmit with the tx queue lock',
      softwareOnly:
        'dev->lltx is meant for software devices only (they keep no per-queue state), and this is a hardware driver ({{why}}) — drop {{what}} and let the core serialize ndo_start_xmit with the tx queue lock',
    },
  },
  check(ctx) {
    const modern = compareKernelVersions(ctx.target, LLTX_FIELD_SINCE) >= 0;
    for (const file of ctx.program.files) {
      if (CORE_PATHS.test(file.path)) continue;
      const candidates = file.functions.filter((fn) => fn.mentions('NETIF_F_LLTX') || fn.mentions('lltx'));
      if (candidates.length === 0) continue;
      const kind = driverKind(file);
      if (kind.kind !== 'hardware') continue;
      for (const fn of candidates) {
        // One finding a function: `features |= LLTX; hw_features |= LLTX;` is one decision.
        const setters = lltxSetters(fn).filter((s) => ctx.audit || ctx.isAdded(fn.file, s.line));
        const first = setters[0];
        if (!first) continue;
        const messageId = !modern ? 'deprecated' : first.what === 'flag' ? 'flagGone' : 'softwareOnly';
        ctx.report({
          file: fn.file,
          line: first.line,
          messageId,
          data: { what: first.text, why: kind.why },
          evidence: setters.flatMap((s) => s.lines),
        });
      }
    }
  },
});

/** Assignments and initializations in `fn` that turn lockless transmit on (clearing it does not count). */
function lltxSetters(fn: FunctionFacts): LltxSetter[] {
  const src = fn.text.src;
  const lineOf = (n: SyntaxNode) => n.startPosition.row + fn.text.lineOffset;
  const linesOf = (n: SyntaxNode) => Array.from({ length: n.endPosition.row - n.startPosition.row + 1 }, (_, i) => lineOf(n) + i);
  const out: LltxSetter[] = [];
  const flagSetter = (target: string, value: SyntaxNode, stmt: SyntaxNode) => {
    // Feature words: `dev->features`, `ndev->hw_features`, a local `features` (ndo_fix_features).
    if (!/features$/i.test(target)) return;
    const token = setLltxToken(src, value);
    if (!token) return;
    out.push({ line: lineOf(token), lines: linesOf(stmt), what: 'flag', text: `NETIF_F_LLTX in ${target}` });
  };
  for (const a of fn.assigns) {
    if (a.operator !== '=' && a.operator !== '|=') continue;
    const target = a.leftText.replace(/\s+/g, '');
    if (/(?:->|\.)lltx$/.test(target)) {
      const v = nodeText(src, unwrapExpression(a.right)).replace(/\s+/g, '');
      if (v !== 'false' && v !== '0') out.push({ line: a.line, lines: linesOf(a.node), what: 'field', text: target });
      continue;
    }
    flagSetter(target, a.right, a.node);
  }
  for (const d of fn.decls) if (d.init) flagSetter(d.name, d.init, d.init);
  return out.sort((x, y) => x.line - y.line);
}

/** The NETIF_F_LLTX identifier in an expression, unless it sits under `~` (a mask that clears it). */
function setLltxToken(src: string, expr: SyntaxNode): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  walk(expr, (n) => {
    if (found) return false;
    if (n.type === 'unary_expression' && nodeText(src, n).trimStart().startsWith('~')) return false;
    if (n.type === 'identifier' && nodeText(src, n) === 'NETIF_F_LLTX') found = n;
  });
  return found;
}
