// Rule helpers: where a net_device_ops member is set — in an ops table's initializer (whole or a hunk
// fragment of it) or by an assignment in code (`ops->ndo_set_rx_mode = fn`).

import type { Program } from '../../src/analysis/program.js';
import { CORE_PATHS } from '../../src/engine/run.js';

export interface OpsEntry {
  file: string;
  /** Line of the entry (the designator, or the assignment). */
  line: number;
  /** The value as written (`acme_set_rx_mode`, `NULL`). */
  value: string;
  /** The function it names, when it is a plain identifier. */
  ident?: string;
  /** The ops table's name, or the assigned expression for an assignment. */
  table: string;
  /** Every member the same table (as far as it is visible) sets. */
  siblings: ReadonlySet<string>;
}

/** Every place the files of a change set net_device_ops member `member` to something other than NULL. */
export function opsEntries(program: Program, member: string): OpsEntry[] {
  const out: OpsEntry[] = [];
  for (const file of program.files) {
    if (CORE_PATHS.test(file.path)) continue;
    for (const init of file.initializers) {
      if (init.structType !== 'net_device_ops') continue;
      const siblings = new Set(init.fields.map((f) => f.path));
      for (const f of init.fields) {
        if (f.path !== member || isNull(f.value)) continue;
        out.push({ file: file.path, line: f.line, value: f.value.trim(), ident: f.ident, table: init.name || 'net_device_ops', siblings });
      }
    }
    for (const fn of file.functions) {
      if (!fn.mentions(member)) continue;
      for (const a of fn.assigns) {
        if (a.operator !== '=' || a.left.type !== 'field_expression') continue;
        const m = /^(.*?)\s*(?:->|\.)\s*(\w+)$/s.exec(a.leftText);
        if (!m || m[2] !== member || isNull(a.rightText)) continue;
        const owner = m[1].replace(/\s+/g, '');
        const siblings = new Set(
          fn.assigns.map((b) => /^(.*?)\s*(?:->|\.)\s*(\w+)$/s.exec(b.leftText)).filter((x) => x && x[1].replace(/\s+/g, '') === owner).map((x) => (x as RegExpExecArray)[2]),
        );
        const ident = /^&?\s*([A-Za-z_]\w*)$/.exec(a.rightText.trim())?.[1];
        out.push({ file: file.path, line: a.line, value: a.rightText.trim(), ident, table: owner, siblings });
      }
    }
  }
  return out;
}

function isNull(value: string): boolean {
  const v = value.replace(/[\s()]/g, '');
  return v === 'NULL' || v === '0';
}
