// GitHub way in tests: `.github/netdev-review.yml` — defaults, every key, and the messages a person gets for a bad file.

import { describe, expect, it } from 'vitest';
import { applyRuleConfig, CONFIG_PATH, DEFAULT_CONFIG, parseRepoConfig, pathSelected, type RepoConfig } from '../../src/github/config.js';
import { busyFinding, freeFinding, mtuFinding, placed, sleepFinding } from './fixtures.js';

function ok(text: string): RepoConfig {
  const r = parseRepoConfig(text);
  if (!r.ok) throw new Error(`expected a valid config, got: ${r.error}`);
  return r.config;
}

function error(text: string): string {
  const r = parseRepoConfig(text);
  if (r.ok) throw new Error(`expected an invalid config, got ${JSON.stringify(r.config)}`);
  return r.error;
}

describe('parseRepoConfig: defaults', () => {
  it('is at .github/netdev-review.yml', () => {
    expect(CONFIG_PATH).toBe('.github/netdev-review.yml');
  });

  it.each([
    ['no file', undefined],
    ['an empty file', ''],
    ['blank lines', '\n\n  \n'],
    ['only comments', '# netdev-review settings\n# (none yet)\n'],
    ['an empty document', '---\n'],
  ])('gives the defaults for %s', (_label, text) => {
    expect(parseRepoConfig(text)).toEqual({ ok: true, config: DEFAULT_CONFIG });
  });

  it('defaults: every rule on, every file, COMMENT reviews, drafts skipped, posting, never failing the check', () => {
    expect(DEFAULT_CONFIG).toEqual({
      rules: {},
      paths: { include: ['**'], exclude: [] },
      review: { event: 'COMMENT' },
      drafts: false,
      dry_run: false,
      check: { fail_on: 'never' },
    });
  });

  it('fills in what a partial file leaves out, down to nested keys', () => {
    expect(ok('paths:\n  exclude: ["drivers/staging/**"]\n')).toEqual({
      ...DEFAULT_CONFIG,
      paths: { include: ['**'], exclude: ['drivers/staging/**'] },
    });
  });

  it('reads a key with nothing after it as not set', () => {
    expect(ok('rules:\npaths:\nreview:\n  event:\ncheck:\nkernel_version:\n')).toEqual(DEFAULT_CONFIG);
  });
});

describe('parseRepoConfig: every key', () => {
  it('reads a file that sets everything', () => {
    const text = [
      '# Review settings for the acme kernel tree',
      'rules:',
      '  lltx-deprecated: off',
      '  xmit-busy: error',
      '  mtu-rx-buffer-vlan: warning',
      '  netdev-free-api: on',
      '  set-rx-mode-deprecated: info',
      'paths:',
      '  include:',
      '    - "drivers/net/**"',
      '    - "target/linux/**/*.patch"',
      '  exclude:',
      '    - "drivers/net/wireless/**"',
      'review:',
      '  event: REQUEST_CHANGES',
      'kernel_version: "6.1"',
      'drafts: true',
      'dry_run: true',
      'check:',
      '  fail_on: error',
      '',
    ].join('\n');
    expect(ok(text)).toEqual({
      rules: {
        'lltx-deprecated': 'off',
        'xmit-busy': 'error',
        'mtu-rx-buffer-vlan': 'warning',
        'netdev-free-api': 'on',
        'set-rx-mode-deprecated': 'info',
      },
      paths: { include: ['drivers/net/**', 'target/linux/**/*.patch'], exclude: ['drivers/net/wireless/**'] },
      review: { event: 'REQUEST_CHANGES' },
      kernel_version: '6.1',
      drafts: true,
      dry_run: true,
      check: { fail_on: 'error' },
    });
  });

  it('keeps an unquoted kernel version as written (YAML would make 5.10 the number 5.1)', () => {
    expect(ok('kernel_version: 5.10\n').kernel_version).toBe('5.10');
    expect(ok('kernel_version: 6.1\n').kernel_version).toBe('6.1');
    expect(ok('kernel_version: v5.15.y\n').kernel_version).toBe('v5.15.y');
    expect(ok('kernel_version: mainline\n').kernel_version).toBe('mainline');
  });

  it('takes true/false for a rule, as YAML 1.1 habits write on/off', () => {
    expect(ok('rules:\n  lltx-deprecated: false\n  xmit-busy: true\n').rules).toEqual({ 'lltx-deprecated': 'off', 'xmit-busy': 'on' });
  });

  it('takes one glob where a list is expected', () => {
    expect(ok('paths:\n  include: "drivers/net/**"\n').paths.include).toEqual(['drivers/net/**']);
  });
});

describe('parseRepoConfig: invalid files', () => {
  it('reports YAML syntax errors with line and column', () => {
    expect(error('paths:\n  include: [drivers/net/**\nreview:\n  event: COMMENT\n')).toMatch(/^line 3, column 1: YAML syntax: Flow sequence/);
  });

  it('reports a duplicated key', () => {
    expect(error('drafts: true\ndrafts: false\n')).toBe('line 2, column 1: YAML syntax: Map keys must be unique');
  });

  it('reports tabs used for indentation', () => {
    expect(error('review:\n\tevent: COMMENT\n')).toMatch(/^line 2, column 1: YAML syntax: Tabs are not allowed as indentation/);
  });

  it('says a top-level list or scalar is not a settings file', () => {
    expect(error('- drivers/net/**\n')).toBe('line 1: the file must be a mapping of settings (key: value lines), not a list');
    expect(error('netdev-review\n')).toBe('line 1: the file must be a mapping of settings (key: value lines), not "netdev-review"');
  });

  it('names the key, what was expected and what was found, at the line of the key', () => {
    expect(error('drafts: yes\n')).toBe('line 1: drafts: expected true or false, got "yes"');
    expect(error('# settings\n\ndry_run: 1\n')).toBe('line 3: dry_run: expected true or false, got 1');
    expect(error('review:\n  event: APPROVE\n')).toBe('line 2: review.event: expected "COMMENT" or "REQUEST_CHANGES", got "APPROVE"');
    expect(error('check:\n  fail_on: errors\n')).toBe('line 2: check.fail_on: expected "error" or "never", got "errors"');
    expect(error('rules:\n  xmit-busy: warn\n')).toBe(
      'line 2: rules.xmit-busy: expected "off", "on", "error", "warning" or "info", got "warn"',
    );
    expect(error('paths:\n  include:\n    - drivers/net/**\n    - 7\n')).toBe('line 4: paths.include[1]: expected a string, got 7');
    expect(error('paths: drivers/net\n')).toBe('line 1: paths: expected a mapping (key: value lines), got "drivers/net"');
    expect(error('rules:\n  - xmit-busy\n')).toBe('line 1: rules: expected a mapping (key: value lines), got a list');
  });

  it('rejects a kernel version it cannot read', () => {
    expect(error('kernel_version: six\n')).toBe('line 1: kernel_version: expected a kernel version such as "6.1", "5.10.y" or "mainline"');
  });

  it('names an unknown rule id and the ids it may be a typo of', () => {
    expect(error('rules:\n  netdev-free-apis: off\n')).toBe('line 2: rules: unknown rule id "netdev-free-apis"; did you mean "netdev-free-api"?');
    expect(error('rules:\n  sleep-in-atomic: warning\n')).toBe(
      'line 2: rules: unknown rule id "sleep-in-atomic"; did you mean "sleep-in-atomic-ndo" or "sleep-in-atomic-context"?',
    );
    expect(error('rules:\n  checkpatch: off\n')).toBe('line 2: rules: unknown rule id "checkpatch"; `netdev-review rules` lists the rule ids');
  });

  it('names an unknown key and the keys that are there', () => {
    expect(error('path:\n  include: drivers/**\n')).toBe(
      'line 1: unknown key "path" (did you mean "paths"?); known keys here: rules, paths, review, kernel_version, drafts, dry_run, check',
    );
    expect(error('paths:\n  exlude: []\n')).toBe('line 2: paths: unknown key "exlude" (did you mean "exclude"?); known keys here: include, exclude');
  });

  it('lists every problem, in file order, even an unknown rule next to a bad value', () => {
    expect(error('review:\n  event: comment\nrules:\n  xmit-busy: warn\n  netdev-fre-api: off\ndrafts: no\n').split('\n')).toEqual([
      'line 2: review.event: expected "COMMENT" or "REQUEST_CHANGES", got "comment"',
      'line 4: rules.xmit-busy: expected "off", "on", "error", "warning" or "info", got "warn"',
      'line 5: rules: unknown rule id "netdev-fre-api"; did you mean "netdev-free-api"?',
      'line 6: drafts: expected true or false, got "no"',
    ]);
  });

  it('explains an unquoted glob that YAML reads as an alias', () => {
    expect(error('paths:\n  exclude:\n    - *.h\n')).toBe('line 3: YAML: *.h is an alias to nothing; quote a glob that starts with * ("*.h")');
  });
});

describe('pathSelected', () => {
  it('selects every file by default, dot-directories included', () => {
    for (const path of ['drivers/net/ethernet/foo/foo_main.c', 'Makefile', '.github/workflows/x.yml', 'target/linux/generic/pending-6.6/760-x.patch']) {
      expect(pathSelected(DEFAULT_CONFIG, path)).toBe(true);
    }
  });

  it('applies include, then exclude', () => {
    const config = ok(
      'paths:\n  include: ["drivers/net/**", "target/linux/**/*.patch"]\n  exclude: ["drivers/net/wireless/**", "**/*_test.c"]\n',
    );
    expect(pathSelected(config, 'drivers/net/ethernet/foo/foo_main.c')).toBe(true);
    expect(pathSelected(config, 'target/linux/generic/pending-6.6/760-net-foo.patch')).toBe(true);
    expect(pathSelected(config, 'drivers/net/wireless/ath/ath9k/main.c')).toBe(false);
    expect(pathSelected(config, 'drivers/net/ethernet/foo/foo_test.c')).toBe(false);
    expect(pathSelected(config, 'drivers/gpu/drm/drm_drv.c')).toBe(false);
    expect(pathSelected(config, 'target/linux/generic/config-6.6')).toBe(false);
  });

  it('excludes nothing with an empty include list but an exclude list', () => {
    const config = ok('paths:\n  exclude: ["**/*.h"]\n');
    expect(pathSelected(config, 'drivers/net/foo.c')).toBe(true);
    expect(pathSelected(config, 'drivers/net/foo.h')).toBe(false);
  });

  it('selects nothing when include is an empty list', () => {
    expect(pathSelected(ok('paths:\n  include: []\n'), 'drivers/net/foo.c')).toBe(false);
  });
});

describe('applyRuleConfig', () => {
  const findings = [freeFinding(), sleepFinding(), busyFinding(), mtuFinding()];
  const config = ok('rules:\n  xmit-busy: off\n  netdev-free-api: warning\n  sleep-in-atomic-ndo: on\n  mtu-rx-buffer-vlan: info\n');

  it('drops rules turned off and sets configured severities, keeping the rest as they are', () => {
    const out = applyRuleConfig(config, findings);
    expect(out.map((f) => [f.ruleId, f.severity])).toEqual([
      ['netdev-free-api', 'warning'],
      ['sleep-in-atomic-ndo', 'error'],
      ['mtu-rx-buffer-vlan', 'info'],
    ]);
    // Unchanged findings are passed through; changed ones are copies.
    expect(out[1]).toBe(findings[1]);
    expect(findings[0]!.severity).toBe('error');
  });

  it('works on findings placed on pull request files', () => {
    const out = applyRuleConfig(config, findings.map((f) => placed(f)));
    expect(out.map((p) => [p.path, p.finding.ruleId, p.finding.severity])).toEqual([
      ['drivers/net/ethernet/foo/foo_main.c', 'netdev-free-api', 'warning'],
      ['drivers/net/ethernet/foo/foo_main.c', 'sleep-in-atomic-ndo', 'error'],
      ['drivers/net/ethernet/foo/foo_main.c', 'mtu-rx-buffer-vlan', 'info'],
    ]);
  });

  it('changes nothing with the defaults', () => {
    expect(applyRuleConfig(DEFAULT_CONFIG, findings)).toEqual(findings);
  });
});
