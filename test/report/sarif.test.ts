// Report stage tests: SARIF 2.1.0 as GitHub code scanning requires it.

import { readFileSync } from 'node:fs';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/finding.js';
import type { RunResult } from '../../src/review/result.js';
import { renderSarif } from '../../src/report/sarif.js';
import { errorFinding, infoFinding, reviewedPatch, RULES, sampleRun, warningFinding } from './fixtures.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function sarif(run: RunResult): Sarif.Log {
  return JSON.parse(renderSarif(run)) as Sarif.Log;
}

function only(log: Sarif.Log): Sarif.Run {
  expect(log.runs).toHaveLength(1);
  const [run] = log.runs;
  if (run === undefined) throw new Error('no run');
  return run;
}

function runOf(findings: Finding[]): RunResult {
  return { reviews: [reviewedPatch(findings)], inputErrors: [], rules: RULES };
}

function fingerprintsOf(findings: Finding[]): string[] {
  return (only(sarif(runOf(findings))).results ?? []).map((r) => r.partialFingerprints?.['primaryLocationLineHash'] ?? '');
}

describe('renderSarif', () => {
  it('is a SARIF 2.1.0 log with one run of netdev-review and its rules', () => {
    const log = sarif(sampleRun());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const { driver } = only(log).tool;
    expect(driver.name).toBe('netdev-review');
    expect(driver.version).toBe(pkg.version);
    expect(driver.semanticVersion).toBe(pkg.version);
    expect(driver.rules?.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(driver.rules?.[1]).toEqual({
      id: 'netdev-free-api',
      name: 'netdev-free-api',
      shortDescription: { text: 'A net_device is freed with something other than free_netdev().' },
      fullDescription: {
        text: 'A net_device is freed with something other than free_netdev(). See the kernel document, struct net_device lifetime rules.',
      },
      help: {
        text: 'A net_device is freed with something other than free_netdev().\nSee https://docs.kernel.org/networking/netdevices.html#struct-net-device-lifetime-rules',
        markdown:
          'A net_device is freed with something other than free_netdev().\n\nSee [struct net_device lifetime rules](https://docs.kernel.org/networking/netdevices.html#struct-net-device-lifetime-rules).',
      },
      helpUri: 'https://docs.kernel.org/networking/netdevices.html#struct-net-device-lifetime-rules',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['netdev', 'linux-kernel'], fixable: true, docSection: 'lifetime', since: '2.6.29' },
    });
    expect(driver.rules?.[3]?.properties).toMatchObject({ since: '6.1', until: '6.9', docEntry: 'ndo_start_xmit' });
    expect(driver.rules?.[3]?.defaultConfiguration?.level).toBe('note');
  });

  it('gives every result the fields code scanning requires, its rule index and a mapped level', () => {
    const log = sarif(sampleRun());
    const run = only(log);
    const rules = run.tool.driver.rules ?? [];
    const results = run.results ?? [];
    expect(results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['xmit-may-sleep', 2, 'warning'],
      ['netdev-stats-lockless', 3, 'note'],
      ['netdev-free-api', 1, 'error'],
    ]);
    for (const r of results) {
      expect(rules[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
      expect(r.message.text).toMatch(/\S/);
      expect(r.locations).toHaveLength(1);
      const loc = r.locations?.[0]?.physicalLocation;
      expect(loc?.artifactLocation).toEqual({ uri: 'drivers/net/ethernet/foo/foo_main.c', uriBaseId: 'SRCROOT' });
      expect(loc?.region?.startLine).toBeGreaterThanOrEqual(1);
      expect(loc?.region?.endLine).toBeGreaterThanOrEqual(loc?.region?.startLine ?? 0);
      expect(r.partialFingerprints?.['primaryLocationLineHash']).toMatch(/^[0-9a-f]{16}:1$/);
    }
    expect(run.originalUriBaseIds).toHaveProperty('SRCROOT');
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('puts the region on the code of the line and keeps patch context in properties', () => {
    const [warning] = only(sarif(sampleRun())).results ?? [];
    // '\t\tfoo_refill(priv);': code from column 3 to just past the ';' at column 19.
    expect(warning?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 213, endLine: 213, startColumn: 3, endColumn: 20 });
    expect(warning?.properties).toMatchObject({
      patch: 'foo-v2.mbox#1',
      kernel: '6.1',
      scope: 'change',
      chain: ['foo_start_xmit', 'foo_refill', 'mutex_lock'],
      inputLine: 24,
    });
  });

  it('turns a fix into a replacement of the whole lines', () => {
    const results = only(sarif(sampleRun())).results ?? [];
    expect(results[2]?.fixes).toEqual([
      {
        description: { text: 'use free_netdev()' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'drivers/net/ethernet/foo/foo_main.c', uriBaseId: 'SRCROOT' },
            replacements: [
              {
                deletedRegion: { startLine: 415, startColumn: 1, endLine: 416, endColumn: 1 },
                insertedContent: { text: '\tfree_netdev(ndev);\n' },
              },
            ],
          },
        ],
      },
    ]);
    expect(results[0]?.fixes).toBeUndefined();
  });

  it('deletes without inserting when a fix removes lines, and spans several lines', () => {
    const f = errorFinding();
    f.fix = { line: 414, endLine: 416, replacement: '', description: 'drop the teardown' };
    const [result] = only(sarif(runOf([f]))).results ?? [];
    expect(result?.fixes?.[0]?.artifactChanges[0]?.replacements).toEqual([
      { deletedRegion: { startLine: 414, startColumn: 1, endLine: 417, endColumn: 1 } },
    ]);
  });

  it('keeps a fingerprint when only the line number changes, and changes it with rule, file or text', () => {
    const base = fingerprintsOf([errorFinding()])[0];
    const moved = errorFinding();
    moved.line = 480;
    moved.endLine = 480;
    moved.inputLine = 99;
    const reindented = errorFinding();
    reindented.sourceLine = '        kfree(ndev);  ';
    expect(fingerprintsOf([moved])[0]).toBe(base);
    expect(fingerprintsOf([reindented])[0]).toBe(base);

    const otherText = errorFinding();
    otherText.sourceLine = '\tkfree(priv->ndev);';
    const otherFile = errorFinding();
    otherFile.file = 'drivers/net/ethernet/foo/foo_pci.c';
    const otherRule = errorFinding();
    otherRule.ruleId = 'napi-poll-budget';
    for (const f of [otherText, otherFile, otherRule]) expect(fingerprintsOf([f])[0]).not.toBe(base);
  });

  it('numbers identical lines so two alerts stay two', () => {
    const second = errorFinding();
    second.line = 520;
    const [a, b] = fingerprintsOf([errorFinding(), second]);
    expect(a?.replace(/:1$/, ':2')).toBe(b);
  });

  it('describes a rule that is missing from the catalog so its ruleIndex still resolves', () => {
    const f = warningFinding();
    f.ruleId = 'not-in-catalog';
    const run = only(sarif(runOf([infoFinding(), f])));
    const rules = run.tool.driver.rules ?? [];
    expect(rules).toHaveLength(RULES.length + 1);
    expect(run.results?.[1]?.ruleIndex).toBe(RULES.length);
    expect(rules[RULES.length]).toMatchObject({ id: 'not-in-catalog', defaultConfiguration: { level: 'warning' } });
    expect(rules[RULES.length]?.fullDescription?.text).toBe(
      'See the kernel document, struct net_device synchronization rules › ndo_start_xmit.',
    );
  });

  it('percent-encodes path segments so the uri stays a relative path', () => {
    const f = errorFinding();
    f.file = './drivers/net/foo bar/a#b%c.c';
    const [result] = only(sarif(runOf([f]))).results ?? [];
    expect(result?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('drivers/net/foo%20bar/a%23b%25c.c');
  });

  it('reports unreadable inputs, skipped patches and notes as tool notifications', () => {
    const [invocation] = only(sarif(sampleRun())).invocations ?? [];
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications?.map((n) => [n.level, n.message.text])).toEqual([
      ['error', 'missing.patch: cannot read: ENOENT: no such file or directory'],
      ['note', 'foo-v2.mbox#0: not reviewed: cover letter'],
      ['note', 'foo-v2.mbox#1: no --tree given: reviewed the hunks only'],
    ]);
    expect(only(sarif(runOf([]))).invocations?.[0]?.executionSuccessful).toBe(true);
  });
});
