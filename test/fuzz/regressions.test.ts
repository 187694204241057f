// Fuzz regressions: each shrunk counterexample the property tests found, as a plain test of the fixed parser.

import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../src/diff/parse.js';
import { parseRepoConfig } from '../../src/github/config.js';
import { messageIds } from '../../src/ingest/mail-headers.js';
import { readPatches } from '../../src/ingest/read-input.js';
import { parseSubject } from '../../src/ingest/subject-tags.js';

describe('fuzz regressions: parseUnifiedDiff', () => {
  it('numbers a non-empty side that a hunk header starts at line 0 from line 1, as git apply does', () => {
    // Added lines were numbered from 0, so a finding could sit on line 0 (SARIF needs startLine >= 1).
    const model = parseUnifiedDiff('@@ -0,0 +0,3 @@\n+a\n+b\n+c\n');
    const [file] = model.files;
    expect(file?.hunks[0]?.lines.map((l) => l.newLine)).toEqual([1, 2, 3]);
    expect([...file!.added]).toEqual([1, 2, 3]);
    expect(file?.notes.some((n) => n.includes('line 0; read as line 1'))).toBe(true);
  });

  it('gives a binary file no added lines, even when a text hunk follows its Binary files line', () => {
    // The hunks of a binary file were dropped but their added lines were kept: lines with no hunk.
    const text = '--- /dev/null\nBinary files /dev/null and b/y differ\n+++ b/a.c\n@@ -0,0 +1,1 @@\n+\n';
    const [file] = parseUnifiedDiff(text).files;
    expect(file?.status).toBe('binary');
    expect(file?.hunks).toEqual([]);
    expect([...file!.added]).toEqual([]);
  });
});

describe('fuzz regressions: parseSubject', () => {
  it('reads no series position or revision from numbers too large to be one', () => {
    // They became 1e20 or Infinity, which a stored triage (JSON) turns into null.
    const tags = parseSubject('[99999999999999999999/3] title');
    expect(tags.index).toBeUndefined();
    expect(tags.total).toBeUndefined();
    expect(parseSubject(`[PATCH v${'9'.repeat(400)}] x`).revision).toBe(1);
    expect(parseSubject('[PATCH v3 009/105] x')).toMatchObject({ revision: 3, index: 9, total: 105 });
  });
});

describe('fuzz regressions: message ids', () => {
  it('keeps a Message-ID bare when its closing (or opening) angle bracket is missing', async () => {
    // Found as `<01543296.80` and `Òx@y>` in mutated mails: the bracket stayed in the id, which no
    // In-Reply-To or References (always read bare) could match.
    expect(messageIds('<01543296.80')).toEqual(['01543296.80']);
    expect(messageIds('\xd2x@y>')).toEqual(['\xd2x@y']);
    expect(messageIds('<a@b>')).toEqual(['a@b']);
    expect(messageIds('a<b')).toEqual([]);
    const [patch] = await readPatches(Buffer.from('From: A <a@b.org>\nSubject: [PATCH] x\nMessage-ID: <01543296.80\n\nbody\n'), 'x.eml');
    expect(patch?.messageId).toBe('01543296.80');
  });
});

describe('fuzz regressions: parseRepoConfig', () => {
  it('answers quickly for a huge unknown rule id written as a YAML explicit key', () => {
    // `? <1 MB>` is not capped like a plain key; the typo suggestions computed a full edit-distance table
    // against every rule id: 3.3 s for 1 MB, 13 s for 2 MB.
    const start = performance.now();
    const result = parseRepoConfig(`rules:\n  ? ${'x'.repeat(2_000_000)}\n  : off\n`);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(result.ok).toBe(false);
    // Suggestions are unchanged: a near miss and an id inside a longer word are still offered.
    const typo = parseRepoConfig('rules:\n  netdev-free-ap: off\n');
    expect(typo.ok === false && typo.error).toContain('did you mean "netdev-free-api"');
    const longer = parseRepoConfig('rules:\n  my-netdev-free-api-rule: off\n');
    expect(longer.ok === false && longer.error).toContain('"netdev-free-api"');
  });
});
