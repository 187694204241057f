// Rule: spin_unlock_irq()/local_irq_enable() (and the spin_lock_irq() they pair with) reached from
// ndo_start_xmit or a NAPI poll, which netconsole calls with interrupts disabled.

import { defineRule, lowerSeverity } from '../src/engine/rule.js';
import type { CallFact, FunctionFacts } from '../src/analysis/facts.js';
import type { Reach } from '../src/analysis/program.js';
import type { Fix } from '../src/engine/finding.js';
import { normalizeRef } from '../src/analysis/syntax.js';
import { anchorOnChange } from './lib/anchor.js';
import { guardedByContextTest } from './lib/sleeping.js';

const CONTEXTS = new Set(['ndo_start_xmit', 'napi_poll']);
const LOCK_IRQ = /^(raw_)?(spin|read|write)_lock_irq$/;
const UNLOCK_IRQ = /^(raw_)?(spin|read|write)_unlock_irq$/;
const NAMES = ['spin_lock_irq', 'spin_unlock_irq', 'raw_spin_lock_irq', 'raw_spin_unlock_irq', 'read_lock_irq', 'read_unlock_irq', 'write_lock_irq', 'write_unlock_irq', 'local_irq_enable', 'local_irq_disable'];

const LABEL: Record<string, string> = {
  ndo_start_xmit: 'ndo_start_xmit',
  napi_poll: 'a NAPI poll',
};

/** One place where interrupts get turned on: a lock_irq with its unlocks, a lone unlock_irq, or a local_irq pair / enable. */
interface Site {
  /** The call the finding points at (the lock when there is one: that is what to change). */
  anchor: CallFact;
  /** The calls that turn interrupts on. */
  enables: CallFact[];
  kind: 'lock' | 'unlock' | 'local';
}

export default defineRule({
  meta: {
    id: 'irq-enable-in-xmit-or-poll',
    severity: 'error',
    description: 'spin_lock_irq()/spin_unlock_irq() or local_irq_enable() reached from ndo_start_xmit or a NAPI poll, which netconsole calls with interrupts disabled.',
    doc: { section: 'sync', entry: 'ndo_start_xmit' },
    since: '2.6.23',
    // The document has said so since the netconsole sentence; the very first text said the opposite
    // ("Interrupts must be enabled when calling hard_start_xmit").
    docGate: { present: /called with interrupts disabled by netconsole/ },
    triggers: new RegExp(`\\b(?:${NAMES.join('|')})\\b`),
    needsWholeFunction: false,
    fixable: true,
    messages: {
      lock: '{{call}}() in {{fn}}, {{role}}{{via}}: netconsole calls it with interrupts disabled, and the matching {{unlock}}() turns them back on; use {{save}}() / {{restore}}() with a flags variable',
      unlock: '{{call}}() in {{fn}}, {{role}}{{via}}: netconsole calls it with interrupts disabled, and this turns them on; save the state with {{save}}() and restore it with {{restore}}()',
      local: '{{call}}() in {{fn}}, {{role}}{{via}}: netconsole calls it with interrupts disabled, and this turns them on; use local_irq_save() / local_irq_restore()',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(NAMES)) continue;
      const reaches = ctx.program.reaches(fn).filter((r) => CONTEXTS.has(r.role.role));
      if (reaches.length === 0) continue;
      for (const site of sitesOf(fn)) {
        if ([site.anchor, ...site.enables].some((c) => guardedByContextTest(fn, c))) continue;
        const own = [site.anchor.line, ...site.enables.map((c) => c.line)];
        const inScope = reaches.filter((r) => ctx.audit || [...own, ...r.sites.map((s) => s.line)].some((l) => ctx.isChanged(fn.file, l)));
        if (inScope.length === 0) continue;
        const best = [...inScope].sort((a, b) => rank(a) - rank(b))[0];
        const siteLines = best.sites.map((s) => s.line);
        const line = anchorOnChange(ctx, fn.file, site.anchor.line, siteLines);
        const chainNames = [...best.chain.map((f) => f.name), site.anchor.name];
        const { save, restore, unlock } = twins(site.anchor.name);
        ctx.report({
          file: fn.file,
          line,
          messageId: site.kind,
          data: {
            call: site.anchor.name,
            fn: fn.name,
            role: best.chain.length > 1 ? `reached from ${LABEL[best.role.role]} ${best.chain[0].name}` : `which is ${LABEL[best.role.role]}`,
            via: best.chain.length > 1 ? ` (via ${chainNames.join(' → ')})` : '',
            unlock,
            save,
            restore,
          },
          severity: best.role.evidence === 'name' ? lowerSeverity('error') : 'error',
          doc: best.context.doc,
          evidence: [...own, ...siteLines],
          chain: best.chain.length > 1 ? chainNames : undefined,
          fix: line === site.anchor.line ? irqsaveFix(fn, site, (l) => ctx.lineText(fn.file, l)) : undefined,
        });
      }
    }
  },
});

function rank(r: Reach): number {
  return (r.role.evidence === 'name' ? 100 : 0) + r.chain.length;
}

/** The irqsave/irqrestore names for a lock_irq/unlock_irq/local_irq call. */
function twins(name: string): { save: string; restore: string; unlock: string } {
  if (name.startsWith('local_irq')) return { save: 'local_irq_save', restore: 'local_irq_restore', unlock: 'local_irq_enable' };
  const base = name.replace(/_(?:un)?lock_irq$/, '');
  return { save: `${base}_lock_irqsave`, restore: `${base}_unlock_irqrestore`, unlock: `${base}_unlock_irq` };
}

/** The places in `fn` that turn interrupts on, each once: a lock_irq owns the unlock_irqs of the same lock after it. */
function sitesOf(fn: FunctionFacts): Site[] {
  const out: Site[] = [];
  const calls = [...fn.calls].sort((a, b) => a.node.startIndex - b.node.startIndex);
  const claimed = new Set<CallFact>();
  for (const c of calls) {
    if (c.indirect || !LOCK_IRQ.test(c.name)) continue;
    const lock = normalizeRef(c.argTexts[0] ?? '');
    const unlockName = c.name.replace('_lock_irq', '_unlock_irq');
    const enables = calls.filter((u) => u.name === unlockName && u.node.startIndex > c.node.startIndex && normalizeRef(u.argTexts[0] ?? '') === lock && !claimed.has(u));
    enables.forEach((u) => claimed.add(u));
    out.push({ anchor: c, enables, kind: 'lock' });
  }
  for (const c of calls) if (!c.indirect && UNLOCK_IRQ.test(c.name) && !claimed.has(c)) out.push({ anchor: c, enables: [c], kind: 'unlock' });
  const disables = calls.filter((c) => c.name === 'local_irq_disable');
  const enables = calls.filter((c) => c.name === 'local_irq_enable');
  // local_irq_disable() alone turns nothing on: it matters only with the enable that follows it.
  if (enables.length > 0) out.push({ anchor: disables.find((d) => d.node.startIndex < enables[0].node.startIndex) ?? enables[0], enables, kind: 'local' });
  return out;
}

/**
 * The whole rewrite, when it is mechanical: one lock_irq (or local_irq_disable) and its enables in this
 * function, each alone on its line, `flags` unused so far, and every line from the declarations to the last
 * enable visible. Changing only the lock line would not compile (no flags) or would leave the unlock enabling
 * interrupts, so the fix spans from the new declaration to the last unlock.
 */
function irqsaveFix(fn: FunctionFacts, site: Site, lineText: (line: number) => string | undefined): Fix | undefined {
  if (site.kind === 'unlock' || site.enables.length === 0 || !fn.whole || !fn.body) return undefined;
  if (fn.identifiers().has('flags')) return undefined;
  const anchor = site.anchor;
  if (anchor.name === 'local_irq_enable') return undefined;
  const sameKind = fn.calls.filter((c) => c.name === anchor.name);
  if (sameKind.length !== 1) return undefined;
  const { save, restore } = twins(anchor.name);
  // The declaration goes after the last declaration at the top of the body (or right after the brace).
  const firstStatements = fn.body.namedChildren.filter((n) => n.type !== 'comment');
  const declNodes: typeof firstStatements = [];
  for (const n of firstStatements) {
    if (n.type !== 'declaration') break;
    declNodes.push(n);
  }
  const declAfter = declNodes.length > 0 ? declNodes[declNodes.length - 1].endPosition.row + fn.text.lineOffset : fn.body.startPosition.row + fn.text.lineOffset;
  const last = Math.max(...site.enables.map((e) => e.line));
  if (declAfter >= anchor.line) return undefined;
  const edits = new Map<number, string>();
  const rewrite = (call: CallFact, to: string, args: string): boolean => {
    const text = lineText(call.line);
    if (text === undefined) return false;
    const m = new RegExp(`^(\\s*)${call.name}\\s*\\((.*)\\)\\s*;\\s*$`).exec(text);
    if (!m || fn.calls.filter((c) => c.line === call.line).length !== 1) return false;
    edits.set(call.line, `${m[1]}${to}(${args});`);
    return true;
  };
  const lockArgs = anchor.argTexts.join(', ');
  const ok = anchor.name === 'local_irq_disable' ? rewrite(anchor, save, 'flags') : rewrite(anchor, save, `${lockArgs}, flags`);
  if (!ok) return undefined;
  for (const e of site.enables) {
    if (!(anchor.name === 'local_irq_disable' ? rewrite(e, restore, 'flags') : rewrite(e, restore, `${e.argTexts.join(', ')}, flags`))) return undefined;
  }
  const out: string[] = [];
  for (let l = declAfter; l <= last; l++) {
    const text = lineText(l);
    if (text === undefined) return undefined;
    out.push(edits.get(l) ?? text);
    if (l === declAfter) {
      const indent = /^(\s*)/.exec(lineText(anchor.line) ?? '')?.[1] ?? '\t';
      const declIndent = declNodes.length > 0 ? (/^(\s*)/.exec(text)?.[1] ?? indent) : indent.slice(0, 1) || '\t';
      out.push(`${declIndent}unsigned long flags;`);
    }
  }
  return { line: declAfter, endLine: last, replacement: out.join('\n'), description: `use ${save}()/${restore}()` };
}
