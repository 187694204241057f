// Benchmark: one measured part in a process of its own (so its peak RSS is its own); bench.ts runs it.
// Usage: node dist/bench/part.js patches|audit|memory --dir DIR --display NAME --out FILE [options]

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { measurePatches } from './measure-patches.js';
import { measureAudit } from './measure-audit.js';
import { measureMemory } from './measure-memory.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string' },
    display: { type: 'string' },
    out: { type: 'string' },
    tree: { type: 'string' },
    warmup: { type: 'string', default: '100' },
    cycles: { type: 'string', default: '4' },
    every: { type: 'string', default: '500' },
  },
});
const [part] = positionals;
const dir = values.dir;
const out = values.out;
if (!dir || !out || !part) throw new Error('part: give the part, --dir and --out');
const display = values.display ?? dir;

let result: unknown;
if (part === 'patches') result = await measurePatches(dir, { display, warmup: Number(values.warmup), tree: values.tree });
else if (part === 'audit') result = await measureAudit(dir, { display });
else if (part === 'memory') result = await measureMemory(dir, { display, cycles: Number(values.cycles), every: Number(values.every) });
else throw new Error(`part: unknown part '${part}'`);
await writeFile(out, JSON.stringify(result));
