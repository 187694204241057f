// Rule helpers: is a driver "ops locked" (its ops run under the netdev instance lock), and which of its
// functions are queue-management or net-shaper ops (bindings src/analysis/roles.ts does not make).

import { dirname } from 'node:path';
import type { FileFacts, FunctionFacts } from '../../src/analysis/facts.js';
import type { Program } from '../../src/analysis/program.js';
import type { Role } from '../../src/analysis/roles.js';

/** Ops structs whose mere presence makes a driver ops locked, and the role prefix of their callbacks. */
const LOCKING_OPS: Record<string, string> = {
  netdev_queue_mgmt_ops: 'queue_mgmt',
  net_shaper_ops: 'net_shaper',
};

/** Why a driver counts as ops locked. */
export interface OpsLockEvidence {
  file: string;
  line: number;
  /** e.g. `request_ops_lock = true`, `struct netdev_queue_mgmt_ops acme_qmgmt_ops`. */
  what: string;
}

const MENTIONS = ['request_ops_lock', 'queue_mgmt_ops', 'net_shaper_ops', 'netdev_queue_mgmt_ops'];

function fileEvidence(file: FileFacts): OpsLockEvidence | undefined {
  for (const init of file.initializers) {
    if (LOCKING_OPS[init.structType]) return { file: file.path, line: init.line, what: `struct ${init.structType} ${init.name}` };
    for (const f of init.fields) {
      if (f.path === 'net_shaper_ops' && !/^\s*NULL\s*$/.test(f.value)) return { file: file.path, line: f.line, what: `.net_shaper_ops = ${f.value.trim()}` };
      if (f.path === 'request_ops_lock' && /^\s*(?:true|1)\s*$/.test(f.value)) return { file: file.path, line: f.line, what: '.request_ops_lock = true' };
    }
  }
  for (const fn of file.functions) {
    if (!fn.mentionsAny(MENTIONS)) continue;
    for (const a of fn.assigns) {
      if (a.operator !== '=') continue;
      const field = /(?:->|\.)\s*(request_ops_lock|queue_mgmt_ops|net_shaper_ops)\s*$/.exec(a.leftText)?.[1];
      if (!field) continue;
      const value = a.rightText.trim();
      if (field === 'request_ops_lock' ? /^(?:true|1)$/.test(value) : !/^(?:NULL|0)$/.test(value)) {
        return { file: file.path, line: a.line, what: `${a.leftText.replace(/\s+/g, '')} = ${value}` };
      }
    }
  }
  return undefined;
}

/**
 * Evidence, in the files of the change that belong to the same driver (same directory) as `path`, that
 * the driver is ops locked: it sets `request_ops_lock`, or provides queue-management or shaper ops.
 */
export function opsLockedEvidence(program: Program, path: string): OpsLockEvidence | undefined {
  const dir = dirname(path);
  const files = [...program.files].sort((a, b) => Number(b.path === path) - Number(a.path === path));
  for (const f of files) {
    if (f.path !== path && dirname(f.path) !== dir) continue;
    const e = fileEvidence(f);
    if (e) return e;
  }
  return undefined;
}

/** The queue-management / net-shaper ops `fn` is bound as (`queue_mgmt.ndo_queue_start`, `net_shaper.set`). */
export function lockingOpsRoles(program: Program, fn: FunctionFacts): Role[] {
  const out: Role[] = [];
  for (const file of program.files) {
    if (file.path !== fn.file && fn.isStatic) continue;
    for (const init of file.initializers) {
      const prefix = LOCKING_OPS[init.structType];
      if (!prefix) continue;
      for (const f of init.fields) {
        if (f.ident === fn.name) out.push({ role: `${prefix}.${f.path}`, evidence: 'binding', file: file.path, line: f.line, via: `${init.name}.${f.path}` });
      }
    }
  }
  return out;
}
