// End to end: rules apply by the target kernel — a removed API is silent where it was the API.

import { describe, expect, it } from 'vitest';
import { checkJson, ensureBuilt, findingKeys, fixture } from './harness.js';

ensureBuilt();

describe('version gating through the CLI', () => {
  const patch = fixture('destructor-legacy.patch');

  it('dev->destructor is silent on a 4.4 target, where it was the API', () => {
    const { status, report } = checkJson(['--kernel-version', '4.4', patch]);
    expect(findingKeys(report.reviews[0]!).filter((k) => k.startsWith('destructor-removed'))).toEqual([]);
    expect(report.reviews[0]!.target).toMatchObject({ version: '4.4', source: 'flag' });
    expect(status).toBe(0);
  });

  it('dev->destructor is an error on 6.1, pointing at needs_free_netdev and priv_destructor', () => {
    const { status, report } = checkJson(['--kernel-version', '6.1', patch]);
    const f = report.reviews[0]!.findings.find((x) => x.ruleId === 'destructor-removed');
    expect(f).toMatchObject({ severity: 'error', line: 53 });
    expect(f?.message).toContain('needs_free_netdev = true');
    expect(f?.message).toContain('priv_destructor = vport_free');
    expect(status).toBe(1);
  });
});
