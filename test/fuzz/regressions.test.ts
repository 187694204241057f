// Fuzz regressions: each shrunk counterexample the property tests found, as a plain test of the fixed parser.

import { describe, expect, it } from 'vitest';
import { scaling } from '../lib/scaling.js';
import { parseUnifiedDiff } from '../../src/diff/parse.js';
import type { Finding } from '../../src/engine/finding.js';
import { parseRepoConfig } from '../../src/github/config.js';
import { parsePullUrl } from '../../src/github/pr-command.js';
import { codeSpan, commentBody, escapeMarkdown, fenced, parseMarker } from '../../src/github/review-payload.js';
import { messageIds } from '../../src/ingest/mail-headers.js';
import { readPatches } from '../../src/ingest/read-input.js';
import { messageIdOf } from '../../src/mail/intake.js';
import { parseSubject } from '../../src/ingest/subject-tags.js';
import { renderCheckpatch } from '../../src/report/checkpatch.js';
import { oneLine } from '../../src/report/one-line.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import type { RunResult } from '../../src/review/result.js';

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
  it('answers in linear time for a huge unknown rule id written as a YAML explicit key', () => {
    // `? <1 MB>` is not capped like a plain key; the typo suggestions computed a full edit-distance table
    // against every rule id: 3.3 s for 1 MB, 13 s for 2 MB.
    const result = parseRepoConfig(`rules:\n  ? ${'x'.repeat(2_000_000)}\n  : off\n`);
    expect(result.ok).toBe(false);
    const { ratio, linearBound } = scaling((n) => void parseRepoConfig(`rules:\n  ? ${'x'.repeat(n)}\n  : off\n`), 50_000, 400_000);
    expect(ratio).toBeLessThan(linearBound);
    // Suggestions are unchanged: a near miss and an id inside a longer word are still offered.
    const typo = parseRepoConfig('rules:\n  netdev-free-ap: off\n');
    expect(typo.ok === false && typo.error).toContain('did you mean "netdev-free-api"');
    const longer = parseRepoConfig('rules:\n  my-netdev-free-api-rule: off\n');
    expect(longer.ok === false && longer.error).toContain('"netdev-free-api"');
  });
});

describe('fuzz regressions: huge subjects', () => {
  it('reads a subject with 300,000 bracketed tokens, in a mail too', async () => {
    // raw.push(...tokens) overflowed the call stack: a RangeError out of readPatches instead of a patch.
    expect(parseSubject(`[${'a '.repeat(300_000)}] x`).raw).toHaveLength(300_000);
    const mail = `From: a <a@b>\nSubject: [${'a,'.repeat(300_000)}] x\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n`;
    expect(await readPatches(Buffer.from(mail), 'x.eml')).toHaveLength(1);
  });
});

/** A run with one finding, for the report writers. */
function runWith(finding: Partial<Finding>, review: { skipped?: string; subject?: string } = {}): RunResult {
  const f: Finding = { ruleId: 'netdev-free-api', severity: 'error', file: 'a.c', line: 1, message: 'm', doc: { section: 'lifetime' }, evidence: [], ...finding };
  return {
    reviews: [
      {
        patch: {
          origin: '-',
          ordinal: 0,
          references: [],
          tags: { title: '', revision: 1, rfc: false, raw: [], isReply: false },
          description: '',
          trailers: { fixes: [], signedOffBy: [] },
          diff: '',
          diffStartLine: 0,
          kind: 'patch',
          notes: [],
          ...(review.subject !== undefined ? { subject: review.subject } : {}),
        },
        target: { version: { kind: 'mainline' }, source: 'flag' },
        findings: [f],
        notes: [],
        ...(review.skipped !== undefined ? { skipped: review.skipped } : {}),
      },
    ],
    inputErrors: [],
    rules: [],
  };
}

describe('fuzz regressions: report writers', () => {
  it('folds a long run of blanks with no line break in linear time', () => {
    // `[ \t]*(?:break)\s*` retried its leading blanks from every position: 9 s for 100,000 tabs.
    expect(oneLine('\t'.repeat(100_000))).toHaveLength(100_000);
    expect(oneLine(`${' '.repeat(100_000)}x`)).toHaveLength(100_001);
    renderText(runWith({}, { skipped: '\t'.repeat(100_000), subject: ' '.repeat(100_000) }), { color: false });
    renderCheckpatch(runWith({ message: ' '.repeat(100_000) }));
    const { ratio, linearBound } = scaling((n) => {
      oneLine('\t'.repeat(n));
      oneLine(`${' '.repeat(n)}x`);
    }, 25_000, 200_000);
    expect(ratio).toBeLessThan(linearBound);
    // What it folds is unchanged.
    expect(oneLine('a \t\n  b')).toBe('a b');
    expect(oneLine('a\n\n b\r\nc \n')).toBe('a b c ');
    expect(oneLine('\nb')).toBe(' b');
  });

  it('writes the text report of a fix that replaces 300,000 lines', () => {
    // lines.push(...preview) and Math.min(...indents) overflowed the call stack (RangeError).
    const run = runWith({ fix: { line: 1, endLine: 1, replacement: 'x\n'.repeat(300_000), description: 'd' } });
    expect(renderText(run, { color: false })).toContain('+ x');
  });

  it('writes SARIF regions from line 1 whatever the finding says', () => {
    // A line 0 (or negative, NaN, an end before the start) went out as is: consumers reject such a log.
    for (const [line, endLine] of [[0, 0], [-3, 2], [Number.NaN, 4], [5, 2], [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]]) {
      const log = JSON.parse(renderSarif(runWith({ line: line!, endLine: endLine!, fix: { line: line!, endLine: endLine!, replacement: 'y', description: 'd' } })));
      const result = log.runs[0].results[0];
      const region = result.locations[0].physicalLocation.region;
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
      const deleted = result.fixes[0].artifactChanges[0].replacements[0].deletedRegion;
      expect(deleted.startLine).toBeGreaterThanOrEqual(1);
      expect(deleted.endLine).toBeGreaterThan(deleted.startLine);
      expect(Number.isSafeInteger(deleted.endLine)).toBe(true);
    }
    const ok = JSON.parse(renderSarif(runWith({ line: 7, endLine: 9 }))).runs[0].results[0].locations[0].physicalLocation.region;
    expect(ok).toMatchObject({ startLine: 7, endLine: 9 });
  });

  it('keeps control characters of a rule id out of the text report', () => {
    expect(renderText(runWith({ ruleId: 'a\u0000b\nc' }), { color: false })).toContain('[a^@b c]');
  });
});

describe('fuzz regressions: GitHub comment bodies', () => {
  it('builds code spans and fences for long hostile text in linear time, without overflowing the stack', () => {
    // oneLine's `\s*[\r\n]+\s*` took 7.6 s on 100,000 spaces; Math.max(...runs) overflowed on 200,000 backtick runs.
    expect(codeSpan(`${' '.repeat(100_000)}x`)).toHaveLength(100_003);
    expect(codeSpan('`x'.repeat(200_000))).toMatch(/^`` `x/);
    expect(fenced('suggestion', '`x'.repeat(200_000)).startsWith('```suggestion\n')).toBe(true);
    const f: Finding = { ruleId: 'xmit-busy', severity: 'error', file: 'a.c', line: 1, message: ' '.repeat(100_000), doc: { section: 'sync' }, evidence: [], chain: ['`x'.repeat(200_000)] };
    expect(parseMarker(commentBody(f, { suggestion: false }))?.rule).toBe('xmit-busy');
    const { ratio, linearBound } = scaling((n) => {
      codeSpan(`${' '.repeat(n)}x`);
      codeSpan('`x'.repeat(n));
    }, 25_000, 200_000);
    expect(ratio).toBeLessThan(linearBound);
    // What they produce is unchanged.
    expect(codeSpan('a \n \n b')).toBe('`a b`');
    expect(codeSpan('`a`')).toBe('`` `a` ``');
  });
});

describe('fuzz regressions: escapeMarkdown', () => {
  it('escapes text of many blank lines in linear time, as before', () => {
    // `^(\s*)` ran across line breaks from every line start: 4.6 s for 100,000 newlines (a citation section).
    expect(escapeMarkdown('\n'.repeat(100_000))).toHaveLength(100_000);
    const { ratio, linearBound } = scaling((n) => void escapeMarkdown('\n'.repeat(n)), 25_000, 200_000);
    expect(ratio).toBeLessThan(linearBound);
    expect(escapeMarkdown('\n\n- x\n \n1. y\n  # z')).toBe('\n\n\\- x\n \n1\\. y\n  \\# z');
  });
});

describe('fuzz regressions: messageIdOf', () => {
  it('reads only the header block of a CRLF mail', () => {
    // The blank line ending the headers was looked for as `\n\n` only: in a CRLF mail without a Message-ID
    // of its own, a Message-ID line of the body (a forwarded mail) was taken for the mail's.
    expect(messageIdOf(Buffer.from('\r\n\r\n\r\nMessage-ID: <quoted@elsewhere.org>\r\n'))).toBeNull();
    expect(messageIdOf(Buffer.from('Subject: x\r\n\r\nMessage-ID: <quoted@elsewhere.org>\r\n'))).toBeNull();
    expect(messageIdOf(Buffer.from('Subject: x\r\nMessage-Id:\r\n <own@x.org>\r\n\r\nbody'))).toBe('own@x.org');
  });

  it('never keeps an angle bracket in the id, and reads it as ingest does', () => {
    // `<<<…` gave an id of brackets; now the value is read by ingest's messageIds().
    expect(messageIdOf(Buffer.from('Subject: x\nMessage-ID: <<<<\n\n'))).toBeNull();
    expect(messageIdOf(Buffer.from('Message-ID: <<a@b>>\n\n'))).toBe('a@b');
    expect(messageIdOf(Buffer.from('Message-ID: <a@b> (comment)\n\n'))).toBe('a@b');
    expect(messageIdOf(Buffer.from('Message-ID: a@b\n\n'))).toBe('a@b');
  });
});

describe('fuzz regressions: parsePullUrl', () => {
  it('takes only a host name, GitHub names and an exact pull number', () => {
    // `pull/9007199254740993` gave 9007199254740992 and `pull/0` gave 0; `[^/]+` let NUL, `?`, `#` and
    // spaces into the host, owner and repository.
    expect(parsePullUrl('https://\u0000/github.com/github.com/pull/9007199254740993')).toBeUndefined();
    expect(parsePullUrl('https://github.com/a/b/pull/9007199254740993')).toBeUndefined();
    expect(parsePullUrl('https://github.com/a/b/pull/0')).toBeUndefined();
    expect(parsePullUrl('https://github.com/a?x/b/pull/1')).toBeUndefined();
    expect(parsePullUrl('https://user:pw@github.com/a/b/pull/1')).toBeUndefined();
    expect(parsePullUrl(' https://ghe.example.com:8443/net-dev/linux.git_x/pull/12/files ')).toEqual({ host: 'ghe.example.com:8443', owner: 'net-dev', repo: 'linux.git_x', number: 12 });
  });
});
