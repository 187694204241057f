// Meta-test: what changes with kernel releases is data in rules/data/, and every entry says why it is there.

import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';

const modules = readdirSync('rules/data').filter((f) => f.endsWith('.ts'));

describe('rules/data', () => {
  for (const file of modules) {
    it(`${file}: every entry of every list has a one-line reason`, async () => {
      const mod = (await import(`../../rules/data/${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
      const lists = Object.entries(mod).filter(([, v]) => Array.isArray(v) && v.length > 0 && typeof v[0] === 'object');
      expect(lists.length, `${file} exports no list of entries`).toBeGreaterThan(0);
      for (const [name, list] of lists) {
        for (const entry of list as Record<string, unknown>[]) {
          const reason = entry.reason;
          expect(typeof reason === 'string' && reason.trim().length > 3 && !reason.includes('\n'), `${file} ${name}: ${JSON.stringify(entry)}`).toBe(true);
        }
      }
    });
  }
});
