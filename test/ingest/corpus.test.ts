// Ingest stage tests over the shared corpus of real patches and list mails (skipped when ../shared is absent).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Patch } from '../../src/ingest/patch.js';
import { readPatches } from '../../src/ingest/read-input.js';

const SHARED = path.resolve('../shared');
const PATCHES = path.join(SHARED, 'corpus/patches');
const MAILS = path.join(SHARED, 'corpus/mails');
const STABLE_SEED = path.join(SHARED, 'seeds/004_e79218adfb6513a7.txt');

function lines(bytes: Buffer): string[] {
  return bytes.toString('utf8').split('\n').map((line) => line.replace(/\r$/, ''));
}

describe.skipIf(!existsSync(PATCHES))('corpus: 2,500 real patches', () => {
  it('finds a patch with its diff at the right line in every file', async () => {
    const problems: string[] = [];
    let patches = 0;
    for (const name of readdirSync(PATCHES).sort()) {
      const bytes = readFileSync(path.join(PATCHES, name));
      const found = (await readPatches(bytes, name)).filter((patch) => patch.kind === 'patch');
      if (found.length === 0) problems.push(`${name}: no patch`);
      const fileLines = lines(bytes);
      for (const patch of found) {
        patches++;
        if (patch.diff === '') problems.push(`${patch.origin}: empty diff`);
        const atLine = fileLines[patch.diffStartLine - 1];
        if (atLine !== patch.diff.split('\n')[0]) problems.push(`${patch.origin}: line ${patch.diffStartLine} is ${JSON.stringify(atLine)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(patches).toBeGreaterThanOrEqual(2500);
  });
});

describe.skipIf(!existsSync(MAILS))('corpus: 600 raw list mails', () => {
  it('reads every mail; replies are never patches; cover letters are found', async () => {
    const problems: string[] = [];
    const counts: Record<Patch['kind'], number> = { patch: 0, 'cover-letter': 0, reply: 0, 'pull-request': 0, 'no-diff': 0 };
    for (const name of readdirSync(MAILS).sort()) {
      const bytes = readFileSync(path.join(MAILS, name));
      let patches: Patch[];
      try {
        patches = await readPatches(bytes, name);
      } catch (error) {
        problems.push(`${name}: threw ${String(error)}`);
        continue;
      }
      const raw = bytes.toString('latin1');
      const subject = /^Subject:[ \t]*(.*)$/im.exec(raw)?.[1] ?? '';
      const onlyQuotesDiff = /^>[ >]*(?:@@ -\d|diff --git )/m.test(raw) && !/^(?:diff --git |@@ -\d)/m.test(raw);
      for (const patch of patches) {
        counts[patch.kind]++;
        if (patch.kind === 'patch' && (/^(?:re|aw)\s*:/i.test(subject) || onlyQuotesDiff)) problems.push(`${name}: reply read as a patch`);
        if (/^(?:\[[^\]]*\]\s*)*\[[^\]]*\b0+\/\d+\]/.test(subject) && !['cover-letter', 'pull-request'].includes(patch.kind)) {
          problems.push(`${name}: cover letter read as ${patch.kind}`);
        }
        if (patch.kind === 'patch') {
          const atLine = lines(bytes)[patch.diffStartLine - 1];
          const approximate = patch.notes.some((note) => note.startsWith('diffStartLine is approximate'));
          if (!approximate && atLine !== patch.diff.split('\n')[0]) problems.push(`${name}: diffStartLine ${patch.diffStartLine} is off`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(counts.patch).toBeGreaterThan(200);
    expect(counts.reply).toBeGreaterThan(200);
    expect(counts['cover-letter']).toBeGreaterThan(20);
    expect(counts['pull-request']).toBeGreaterThanOrEqual(3);
  });
});

describe.skipIf(!existsSync(STABLE_SEED))('corpus: the stable-5.10 seed mail (a web archive page)', () => {
  it('reads it as a stable patch with the diff where the file has it', async () => {
    const bytes = readFileSync(STABLE_SEED);
    const [patch, ...rest] = await readPatches(bytes, '004_e79218adfb6513a7.txt');
    expect(rest).toEqual([]);
    expect(patch).toMatchObject({
      kind: 'patch',
      subject: '[PATCH 5.10 009/105] docs: net: explain struct net_device lifetime',
      tags: { tree: 'stable', stableVersion: '5.10', index: 9, total: 105, title: 'docs: net: explain struct net_device lifetime' },
      messageId: '20220727161012.444477836@linuxfoundation.org',
    });
    expect(lines(bytes)[patch!.diffStartLine - 1]).toBe('--- a/Documentation/networking/netdevices.rst');
    expect(patch!.diff).toContain('+++ b/net/core/rtnetlink.c');
    expect(patch!.trailers.signedOffBy).toHaveLength(3);
  });
});
