// Rule helpers: which function each work item of a file runs (INIT_WORK / INIT_DELAYED_WORK bindings), so a
// cancel_work_sync(&priv->reset_task) can be tied to the function it waits for.

import type { CallFact, FileFacts } from '../../src/analysis/facts.js';
import { normalizeRef } from '../../src/analysis/syntax.js';

const INIT_CALLS = new Set(['INIT_WORK', 'INIT_DELAYED_WORK', 'INIT_DEFERRABLE_WORK', 'INIT_WORK_ONSTACK']);

/** Calls that wait for a work item to finish, with the work item as first argument. */
export const WORK_WAITS: ReadonlySet<string> = new Set([
  'cancel_work_sync',
  'cancel_delayed_work_sync',
  'flush_work',
  'flush_delayed_work',
  'disable_work_sync',
  'disable_delayed_work_sync',
]);

/**
 * The key of a work item expression: its last member name, with the `.work` of a delayed work dropped —
 * `&priv->reset_task` and `&adapter->reset_task` are both `reset_task`, `&p->dwork.work` is `dwork`.
 */
export function workItemKey(expr: string): string {
  const parts = normalizeRef(expr).split(/->|\./);
  if (parts.length > 1 && parts[parts.length - 1] === 'work') parts.pop();
  return parts[parts.length - 1] ?? '';
}

/** Work item key → the functions bound to it in the file (usually one). */
export function workBindings(file: FileFacts): Map<string, { fn: string; call: CallFact }[]> {
  const out = new Map<string, { fn: string; call: CallFact }[]>();
  for (const g of file.functions) {
    if (!g.mentionsAny(INIT_CALLS)) continue;
    for (const c of g.calls) {
      if (c.indirect || !INIT_CALLS.has(c.name) || c.argTexts.length < 2) continue;
      const fn = normalizeRef(c.argTexts[1]);
      if (!/^[A-Za-z_]\w*$/.test(fn)) continue;
      const key = workItemKey(c.argTexts[0]);
      const list = out.get(key) ?? [];
      list.push({ fn, call: c });
      out.set(key, list);
    }
  }
  return out;
}
