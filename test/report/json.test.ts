// Report stage tests: the JSON report (schema version 1).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderJson, type JsonReport } from '../../src/report/json.js';
import { errorFinding, reviewedPatch, RULES, sampleRun } from './fixtures.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('renderJson', () => {
  it('renders the documented schema', () => {
    const out = renderJson(sampleRun());
    expect(out.endsWith('}\n')).toBe(true);
    const report = JSON.parse(out) as JsonReport;
    expect(report).toEqual({
      version: 1,
      tool: { name: 'netdev-review', version: pkg.version },
      reviews: [
        {
          origin: 'foo-v2.mbox#0',
          subject: '[PATCH net v2 0/2] net: foo: teardown fixes',
          messageId: '<20250304091200.1234-1-jane@example.com>',
          target: { version: 'mainline', source: 'subject' },
          skipped: 'cover letter',
          notes: [],
          findings: [],
        },
        {
          origin: 'foo-v2.mbox#1',
          subject: '[PATCH net v2 1/2] net: foo: free the netdev after unregister',
          messageId: '<20250304091200.1234-2-jane@example.com>',
          target: { version: '6.1', source: 'flag' },
          notes: ['no --tree given: reviewed the hunks only'],
          findings: [
            {
              ruleId: 'xmit-may-sleep',
              severity: 'warning',
              file: 'drivers/net/ethernet/foo/foo_main.c',
              line: 213,
              endLine: 213,
              message: 'foo_start_xmit() runs with BHs disabled but may sleep in mutex_lock()',
              citation: {
                section: 'struct net_device synchronization rules',
                entry: 'ndo_start_xmit',
                url: 'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/Documentation/networking/netdevices.rst?h=v6.1#n77',
                docLabel: 'v6.1',
                lines: { start: 77, end: 84 },
              },
              fix: null,
              chain: ['foo_start_xmit', 'foo_refill', 'mutex_lock'],
              scope: 'change',
              inputLine: 24,
            },
            {
              ruleId: 'netdev-stats-lockless',
              severity: 'info',
              file: 'drivers/net/ethernet/foo/foo_main.c',
              line: 214,
              endLine: 214,
              message: 'dev->stats.tx_dropped updated locklessly; consider DEV_STATS_INC()',
              citation: null,
              fix: null,
              chain: null,
              scope: 'change',
              inputLine: 25,
            },
            {
              ruleId: 'netdev-free-api',
              severity: 'error',
              file: 'drivers/net/ethernet/foo/foo_main.c',
              line: 415,
              endLine: 415,
              message: 'net_device freed with kfree(); use free_netdev()',
              citation: {
                section: 'struct net_device lifetime rules',
                entry: null,
                url: 'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/Documentation/networking/netdevices.rst?h=v6.1#n13',
                docLabel: 'v6.1',
                lines: { start: 13, end: 63 },
              },
              fix: { line: 415, endLine: 415, replacement: '\tfree_netdev(ndev);', description: 'use free_netdev()' },
              chain: null,
              scope: 'change',
              inputLine: 34,
            },
          ],
        },
      ],
      inputErrors: [{ origin: 'missing.patch', message: 'missing.patch: cannot read: ENOENT: no such file or directory' }],
      summary: { errors: 1, warnings: 1, infos: 1 },
    });
  });

  it('round-trips: parsing and re-serializing gives the same text', () => {
    const out = renderJson(sampleRun());
    expect(JSON.stringify(JSON.parse(out), null, 2) + '\n').toBe(out);
  });

  it('keeps every finding key present, null when unknown', () => {
    const f = errorFinding();
    delete f.citation;
    delete f.fix;
    delete f.scope;
    delete f.inputLine;
    f.endLine = 417;
    const report = JSON.parse(renderJson({ reviews: [reviewedPatch([f])], inputErrors: [], rules: RULES })) as JsonReport;
    const finding = report.reviews[0]?.findings[0];
    expect(finding).toMatchObject({ endLine: 417, citation: null, fix: null, chain: null, scope: null, inputLine: null });
    expect(Object.keys(finding ?? {})).toEqual([
      'ruleId', 'severity', 'file', 'line', 'endLine', 'message', 'citation', 'fix', 'chain', 'scope', 'inputLine',
    ]);
    expect(report.reviews[0]).not.toHaveProperty('skipped');
  });

  it('renders an empty run', () => {
    expect(JSON.parse(renderJson({ reviews: [], inputErrors: [], rules: [] }))).toEqual({
      version: 1,
      tool: { name: 'netdev-review', version: pkg.version },
      reviews: [],
      inputErrors: [],
      summary: { errors: 0, warnings: 0, infos: 0 },
    });
  });
});
