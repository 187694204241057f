// Report stage tests: checkpatch.pl-shaped output, line by line against checkpatch's report()/process() format.

import { describe, expect, it } from 'vitest';
import { checkpatchType, renderCheckpatch } from '../../src/report/checkpatch.js';
import { linesChecked } from '../../src/diff/lines-checked.js';
import { errorFinding, infoFinding, reviewedPatch, RULES, sampleRun, warningFinding } from './fixtures.js';

describe('renderCheckpatch', () => {
  it('prints each patch like a checked file, headed by its name when there are several', () => {
    expect(renderCheckpatch(sampleRun()).split('\n')).toEqual([
      '-------------',
      'missing.patch',
      '-------------',
      'ERROR:INPUT_ERROR: missing.patch: cannot read: ENOENT: no such file or directory',
      '',
      'total: 1 errors, 0 warnings, 0 checks, 0 lines checked',
      '',
      'missing.patch has style problems, please review.',
      '-------------',
      'foo-v2.mbox#0',
      '-------------',
      'total: 0 errors, 0 warnings, 0 checks, 0 lines checked',
      '',
      'NOTE: not reviewed: cover letter',
      '',
      'foo-v2.mbox#0 has no obvious style problems and is ready for submission.',
      '-------------',
      'foo-v2.mbox#1',
      '-------------',
      'WARNING:XMIT_MAY_SLEEP: foo_start_xmit() runs with BHs disabled but may sleep in mutex_lock()',
      '#24: FILE: drivers/net/ethernet/foo/foo_main.c:213:',
      '+\t\tfoo_refill(priv);',
      '',
      'CHECK:NETDEV_STATS_LOCKLESS: dev->stats.tx_dropped updated locklessly; consider DEV_STATS_INC()',
      '#25: FILE: drivers/net/ethernet/foo/foo_main.c:214:',
      '+\t\tdev->stats.tx_dropped++;',
      '',
      'ERROR:NETDEV_FREE_API: net_device freed with kfree(); use free_netdev()',
      '#34: FILE: drivers/net/ethernet/foo/foo_main.c:415:',
      '+\tkfree(ndev);',
      '',
      'total: 1 errors, 1 warnings, 1 checks, 15 lines checked',
      '',
      'NOTE: For some of the reported defects, netdev-review has a mechanical fix:',
      '      see --format text, json or sarif.',
      '',
      'NOTE: no --tree given: reviewed the hunks only',
      '',
      'foo-v2.mbox#1 has style problems, please review.',
      '',
    ]);
  });

  it('uses the input file line numbers (#N) of the fixture patch', () => {
    // The '+' lines really are at these lines of the input, as checkpatch's $linenr counts them.
    const mail = reviewedPatch().patch;
    const out = renderCheckpatch({ reviews: [reviewedPatch()], inputErrors: [], rules: RULES });
    const records = [...out.matchAll(/^#(\d+): FILE: .*\n(.*)$/gm)];
    expect(records.map((m) => m[1])).toEqual(['24', '25', '34']);
    for (const m of records) {
      const diffLine = mail.diff.split('\n')[Number(m[1]) - mail.diffStartLine];
      expect(diffLine).toBe(m[2]);
    }
  });

  it('has no header for a single patch, and orders records by input line as checkpatch reads the file', () => {
    const out = renderCheckpatch({
      reviews: [reviewedPatch([errorFinding(), infoFinding(), warningFinding()])],
      inputErrors: [],
      rules: RULES,
    });
    expect(out.startsWith('WARNING:XMIT_MAY_SLEEP: ')).toBe(true);
    expect([...out.matchAll(/^(ERROR|WARNING|CHECK):/gm)].map((m) => m[1])).toEqual(['WARNING', 'CHECK', 'ERROR']);
  });

  it('prints FILE: without #N when the input line is unknown, and a context line for a pre-existing finding', () => {
    const f = warningFinding();
    delete f.inputLine;
    f.scope = 'pre-existing';
    const out = renderCheckpatch({ reviews: [reviewedPatch([f])], inputErrors: [], rules: RULES });
    expect(out.split('\n').slice(0, 4)).toEqual([
      'WARNING:XMIT_MAY_SLEEP: foo_start_xmit() runs with BHs disabled but may sleep in mutex_lock()',
      'FILE: drivers/net/ethernet/foo/foo_main.c:213:',
      ' \t\tfoo_refill(priv);',
      '',
    ]);
  });

  it('says "no obvious style problems" for a clean patch, with no fix note', () => {
    const out = renderCheckpatch({ reviews: [reviewedPatch([])], inputErrors: [], rules: RULES });
    expect(out).toBe(
      [
        'total: 0 errors, 0 warnings, 0 checks, 15 lines checked',
        '',
        'NOTE: no --tree given: reviewed the hunks only',
        '',
        'foo-v2.mbox#1 has no obvious style problems and is ready for submission.',
        '',
      ].join('\n'),
    );
  });

  it('names a patch read from standard input by its quoted subject, or "Your patch"', () => {
    const withSubject = reviewedPatch([]);
    withSubject.patch.origin = '-';
    const bare = reviewedPatch([]);
    bare.patch.origin = '-#2';
    delete bare.patch.subject;
    const out = renderCheckpatch({ reviews: [withSubject, bare], inputErrors: [], rules: RULES });
    const subject = '"[PATCH net v2 1/2] net: foo: free the netdev after unregister"';
    expect(out).toContain(`${'-'.repeat(subject.length)}\n${subject}\n${'-'.repeat(subject.length)}\n`);
    expect(out).toContain(`\n${subject} has no obvious style problems and is ready for submission.\n`);
    expect(out).toContain('----------\nYour patch\n----------\n');
  });

  it("rules the header by the name's UTF-8 byte length, as Perl measures an undecoded name", () => {
    const a = reviewedPatch([]);
    a.patch.origin = 'pätch.mbox#1';
    const out = renderCheckpatch({ reviews: [a, reviewedPatch([])], inputErrors: [], rules: RULES });
    expect(out.startsWith(`${'-'.repeat(13)}\npätch.mbox#1\n${'-'.repeat(13)}\n`)).toBe(true);
  });
});

describe('checkpatchType', () => {
  it('upper-cases the rule id and joins its words with _', () => {
    expect(checkpatchType('netdev-free-api')).toBe('NETDEV_FREE_API');
    expect(checkpatchType('ndo.v2 rule')).toBe('NDO_V2_RULE');
  });
});

describe('linesChecked', () => {
  it('counts hunk body lines up to the last post-image line, like $cnt_lines', () => {
    expect(linesChecked(reviewedPatch().patch.diff)).toBe(15);
    expect(linesChecked('')).toBe(0);
  });

  it('does not count removals after the last post-image line, nor a pure deletion hunk', () => {
    const diff = [
      'diff --git a/f.c b/f.c',
      '--- a/f.c',
      '+++ b/f.c',
      '@@ -1,3 +1 @@',
      ' a',
      '-b',
      '-c',
      '@@ -9,2 +8,0 @@',
      '-x',
      '-y',
      '',
    ].join('\n');
    // First hunk: its one post-image line ' a'; the trailing '-b', '-c' are past it. Second hunk: nothing.
    expect(linesChecked(diff)).toBe(1);
  });

  it('counts a blank context line that lost its leading space', () => {
    expect(linesChecked(['@@ -1,3 +1,3 @@', ' a', '', '-b', '+c', ''].join('\n'))).toBe(4);
  });
});
