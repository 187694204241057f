// Meta-test (opt-in): every rule's cited section is found in every real version of the document
// (../shared/seeds) to which the rule applies. Skips cleanly when ../shared is absent.

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../../rules/index.js';
import { locate, loadDocument } from '../../src/citations/document.js';
import { ruleApplies } from '../../src/engine/run.js';
import { MAINLINE, parseKernelVersion, type KernelVersion } from '../../src/kernel/version.js';

const SEEDS = process.env.NETDEV_REVIEW_SEEDS ?? new URL('../../../shared/seeds/', import.meta.url).pathname;

/** Each snapshot and the release it stands for (see test/citations/seeds.test.ts for the evidence). */
const SNAPSHOTS: { file: string; version: KernelVersion; partial?: boolean }[] = [
  { file: '000_bccc3208e5d210da.txt', version: parseKernelVersion('2.6.18') ?? MAINLINE },
  { file: '001_ee77e0377251e26c.txt', version: parseKernelVersion('2.6.23') ?? MAINLINE },
  { file: '003_53bb13e9db58e890.txt', version: parseKernelVersion('3.13') ?? MAINLINE },
  // A mail carrying only the lifetime section as a diff.
  { file: '004_e79218adfb6513a7.txt', version: parseKernelVersion('5.10') ?? MAINLINE, partial: true },
  { file: '002_b985eb9ed25cb3b7.txt', version: parseKernelVersion('5.12') ?? MAINLINE },
  { file: 'netdevices-upstream-2026.rst', version: MAINLINE },
];

describe.skipIf(!existsSync(SEEDS))('every rule cites a section each applicable document version has', () => {
  // The body is collected even when skipped: read nothing unless the seeds are there.
  if (!existsSync(SEEDS)) return;
  for (const snap of SNAPSHOTS) {
    const text = readFileSync(join(SEEDS, snap.file), 'utf8');
    const doc = loadDocument(text, { kind: 'tree', path: 'Documentation/networking/netdevices.rst', label: snap.file });
    for (const rule of ALL_RULES) {
      const ref = rule.meta.doc;
      // The locking guide is another document; a partial snapshot only holds what it carries.
      if (ref.section === 'kernel-locking') continue;
      if (snap.partial && ref.section !== 'lifetime') continue;
      if (!ruleApplies(rule, snap.version, text)) continue;
      it(`${rule.meta.id} in ${snap.file}`, () => {
        expect(locate(doc, { section: ref.section }), `section "${ref.section}" of ${rule.meta.id} not found in ${snap.file}`).toBeDefined();
      });
    }
  }
});
