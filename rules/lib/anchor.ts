// Rule helpers: where to anchor a finding so that it points at the change (RULES.md "Anchor line").

import type { RuleContext } from '../../src/engine/rule.js';

/**
 * The offending line when the change touched it (or in an audit); otherwise the changed line among
 * `path` (in order, nearest the offending construct last) — e.g. the call site that brings a helper into reach.
 */
export function anchorOnChange<M extends string>(ctx: RuleContext<M>, file: string, offending: number, path: readonly number[]): number {
  if (ctx.audit || ctx.isChanged(file, offending)) return offending;
  for (let i = path.length - 1; i >= 0; i--) if (ctx.isChanged(file, path[i])) return path[i];
  return offending;
}
