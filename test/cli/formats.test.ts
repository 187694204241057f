// CLI end to end: the four `check` formats (text, checkpatch, json, sarif) and `rules` (text, json).

import type { Log, Result } from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';

import { ALL_RULES } from '../../rules/index.js';
import { ruleInfos, sectionLabel } from '../../src/review/rule-info.js';
import { checkJson, ensureBuilt, expectNoStackTrace, fixture, fixtureLines, runCli } from './harness.js';

beforeAll(() => ensureBuilt());

const KS8 = 'drivers/net/ethernet/kestrel/ks8_main.c';
const SYNC_URL = 'https://www.kernel.org/doc/html/latest/networking/netdevices.html#struct-net-device-synchronization-rules';
const LIFETIME_URL = 'https://www.kernel.org/doc/html/latest/networking/netdevices.html#struct-net-device-lifetime-rules';

describe('--format text (the default)', () => {
  const r = () => runCli(['check', fixture('ks8-new-driver.patch')]);

  it('gives file:line, severity, message and rule id, then the offending line, the citation and the fix', () => {
    const { stdout, status, stderr } = r();
    expect(status).toBe(1);
    expect(stderr).toBe('');
    const block = stdout.slice(stdout.indexOf(`${KS8}:76:`)).split('\n\n')[0]!.split('\n');
    expect(block[0]).toBe(
      `${KS8}:76: error: ndev is a struct net_device: free it with free_netdev(), not kfree() — its memory may come from vmalloc and the core has teardown to do [netdev-free-api]`,
    );
    expect(block[1]!.trim()).toBe('kfree(ndev);');
    expect(block[2]).toMatch(/^\s+see: struct net_device lifetime rules — /);
    expect(block[2]).toContain(LIFETIME_URL);
    expect(block[3]).toMatch(/^\s+fix: use free_netdev\(\)$/);
    expect(block[4]!.trim()).toBe('- kfree(ndev);');
    expect(block[5]!.trim()).toBe('+ free_netdev(ndev);');
  });

  it('heads each patch with its origin, subject and target; ends with the totals', () => {
    const { stdout } = r();
    expect(stdout.startsWith(`${fixture('ks8-new-driver.patch')}: [PATCH net-next] net: ethernet: add Kestrel KS8 driver\n  target: mainline (from subject tag)\n`)).toBe(true);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('4 errors, 0 warnings, 0 infos in 1 patch');
    for (const line of [24, 31, 35, 76]) expect(stdout).toContain(`${KS8}:${line}: error:`);
    expect(stdout).toContain('[sleep-in-atomic-ndo]');
    expect(stdout).toContain(`see: struct net_device synchronization rules › ndo_start_xmit — ${SYNC_URL}`);
  });

  it('is the same with --format text, and has no color codes unless asked', () => {
    const explicit = runCli(['check', '--format', 'text', fixture('ks8-new-driver.patch')]);
    expect(explicit.stdout).toBe(r().stdout);
    expect(explicit.stdout).not.toMatch(/\x1b\[/);
    const colored = runCli(['check', '--color', fixture('ks8-new-driver.patch')]);
    expect(colored.stdout).toMatch(/\x1b\[/);
    const noColor = runCli(['check', '--color', '--no-color', fixture('ks8-new-driver.patch')]);
    expect(noColor.stdout).not.toMatch(/\x1b\[/);
  });
});

describe('--format checkpatch', () => {
  /** Each `TYPE:RULE: message` / `#N: FILE: path:line:` / `+code` triple of the output. */
  function entries(stdout: string) {
    const lines = stdout.split('\n');
    const out: { type: string; rule: string; message: string; n: number; file: string; line: number; code: string }[] = [];
    lines.forEach((l, i) => {
      const head = /^(ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)$/.exec(l);
      if (!head) return;
      const loc = /^#(\d+): FILE: (.+):(\d+):$/.exec(lines[i + 1] ?? '');
      expect(loc, `location line after ${l}`).not.toBeNull();
      out.push({ type: head[1]!, rule: head[2]!, message: head[3]!, n: Number(loc![1]), file: loc![2]!, line: Number(loc![3]), code: lines[i + 2] ?? '' });
    });
    return out;
  }

  it('prints ERROR:RULE_ID: msg, then #N: FILE: path:line: where N is the line of the + line in the input', () => {
    const r = runCli(['check', '--format', 'checkpatch', fixture('ks8-new-driver.patch')]);
    expect(r.status).toBe(1);
    const found = entries(r.stdout);
    expect(found.map((e) => `${e.type}:${e.rule}@${e.line}`)).toEqual([
      'ERROR:XMIT_RETURN_TYPE@24',
      'ERROR:SLEEP_IN_ATOMIC_NDO@31',
      'ERROR:XMIT_RETURN_TYPE@35',
      'ERROR:NETDEV_FREE_API@76',
    ]);
    const input = fixtureLines('ks8-new-driver.patch');
    for (const e of found) {
      expect(e.file).toBe(KS8);
      // The quoted code line is line N of the patch file itself, a `+` line.
      expect(e.code.startsWith('+')).toBe(true);
      expect(input[e.n - 1]).toBe(e.code);
    }
    expect(input[found[3]!.n - 1]).toBe('+\t\tkfree(ndev);');
    expect(r.stdout).toContain('total: 4 errors, 0 warnings, 0 checks, 107 lines checked');
  });

  it('numbers lines of each message of an mbox within the mbox file', () => {
    const r = runCli(['check', '-f', 'checkpatch', fixture('series.mbox')]);
    const input = fixtureLines('series.mbox');
    const found = entries(r.stdout);
    expect(found.map((e) => e.rule)).toEqual(['SLEEP_IN_ATOMIC_NDO', 'NETDEV_USE_AFTER_FREE']);
    for (const e of found) expect(input[e.n - 1]).toBe(e.code);
    expect(found.map((e) => e.code)).toEqual(['+\tmutex_lock(&priv->reg_lock);', '+\tpci_iounmap(pdev, priv->regs);']);
  });

  it('numbers lines of a bare diff, and of a patch with a GIT binary part, within that file', () => {
    for (const [name, code] of [
      ['bare.diff', '+\tkfree(ndev);'],
      ['binary-and-c.patch', '+\t\treturn NET_XMIT_CN;'],
    ] as const) {
      const [e, ...rest] = entries(runCli(['check', '-f', 'checkpatch', fixture(name)]).stdout);
      expect(rest).toEqual([]);
      expect(e!.code).toBe(code);
      expect(fixtureLines(name)[e!.n - 1]).toBe(code);
    }
  });

  it('uses WARNING: for a warning and says a clean patch is ready', () => {
    const warn = runCli(['check', '-f', 'checkpatch', fixture('rx-mode-warning.patch')]);
    expect(warn.status).toBe(0);
    const [e] = entries(warn.stdout);
    expect(e).toMatchObject({ type: 'WARNING', rule: 'SLEEP_IN_ATOMIC_NDO', file: 'drivers/net/ethernet/kestrel/ks8_filter.c', line: 34 });
    expect(fixtureLines('rx-mode-warning.patch')[e!.n - 1]).toBe(e!.code);
    const clean = runCli(['check', '-f', 'checkpatch', fixture('clean.patch')]);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('has no obvious style problems and is ready for submission.');
  });
});

describe('--format json', () => {
  it('parses, with the fields reporters and scripts read', () => {
    const { status, report } = checkJson([fixture('ks8-new-driver.patch')]);
    expect(status).toBe(1);
    expect(report.version).toBe(1);
    expect(report.tool.name).toBe('netdev-review');
    expect(report.summary).toEqual({ errors: 4, warnings: 0, infos: 0 });
    const findings = report.reviews[0]!.findings;
    for (const f of findings) {
      expect(typeof f.ruleId).toBe('string');
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(f.file).toBe(KS8);
      expect(Number.isInteger(f.line)).toBe(true);
      expect(f.citation?.url).toMatch(/^https:\/\/www\.kernel\.org\/doc\/html\/latest\/networking\/netdevices\.html#/);
      expect(f).toHaveProperty('fix');
    }
    const free = findings.find((f) => f.ruleId === 'netdev-free-api')!;
    expect(free).toMatchObject({
      severity: 'error',
      line: 76,
      citation: { section: 'struct net_device lifetime rules', url: LIFETIME_URL, docLabel: 'mainline' },
      fix: { line: 76, endLine: 76, replacement: '\t\tfree_netdev(ndev);', description: 'use free_netdev()' },
      scope: 'change',
    });
    // inputLine is the line of the offending `+` line in the patch file.
    expect(fixtureLines('ks8-new-driver.patch')[free.inputLine! - 1]).toBe('+\t\tkfree(ndev);');
    const xmit = findings.filter((f) => f.ruleId === 'xmit-return-type');
    expect(xmit.map((f) => [f.line, f.fix?.replacement ?? null])).toEqual([
      [24, null],
      [35, '\treturn NETDEV_TX_OK;'],
    ]);
    expect(xmit[0]!.citation).toMatchObject({ section: 'struct net_device synchronization rules', entry: 'ndo_start_xmit', url: SYNC_URL });
  });

  it('lists input errors next to the reviews', () => {
    const { report } = checkJson([fixture('clean.patch'), fixture('random.txt')]);
    expect(report.reviews).toHaveLength(1);
    expect(report.inputErrors).toEqual([{ origin: fixture('random.txt'), message: `no patch found in ${fixture('random.txt')}` }]);
  });
});

describe('--format sarif', () => {
  function sarif(args: string[]): { status: number | null; log: Log } {
    const r = runCli(['check', '--format', 'sarif', ...args]);
    expectNoStackTrace(r.stderr);
    return { status: r.status, log: JSON.parse(r.stdout) as Log };
  }

  it('is SARIF 2.1.0 with one result per finding: ruleId, level, start line, fixes for fixable findings', () => {
    const { status, log } = sarif([fixture('ks8-new-driver.patch')]);
    expect(status).toBe(1);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('netdev-review');
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id));
    const results = run.results as Result[];
    const summary = results.map((r) => [r.ruleId, r.level, r.locations?.[0]?.physicalLocation?.region?.startLine, (r.fixes ?? []).length]);
    expect(summary).toEqual([
      ['xmit-return-type', 'error', 24, 0],
      ['sleep-in-atomic-ndo', 'error', 31, 0],
      ['xmit-return-type', 'error', 35, 1],
      ['netdev-free-api', 'error', 76, 1],
    ]);
    for (const r of results) {
      expect(r.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(KS8);
      // ruleIndex points at the rule of the same id in tool.driver.rules.
      expect(run.tool.driver.rules?.[r.ruleIndex!]?.id).toBe(r.ruleId);
    }
    const fix = results[3]!.fixes![0]!;
    expect(fix.description?.text).toBe('use free_netdev()');
    const replacement = fix.artifactChanges[0]!.replacements[0]!;
    expect(replacement.deletedRegion.startLine).toBe(76);
    expect(replacement.insertedContent?.text).toBe('\t\tfree_netdev(ndev);\n');
    expect(run.invocations?.[0]?.executionSuccessful).toBe(true);
  });

  it('marks the driver rules fixable as the catalog does', () => {
    const { log } = sarif([fixture('clean.patch')]);
    const rules = log.runs[0]!.tool.driver.rules!;
    for (const rule of ALL_RULES) {
      expect(rules.find((r) => r.id === rule.meta.id)?.properties?.fixable).toBe(rule.meta.fixable);
    }
    expect(log.runs[0]!.results).toEqual([]);
  });

  it('lists a rule named twice with --rule once', () => {
    const { log } = sarif(['-r', 'netdev-free-api', '-r', 'netdev-free-api', fixture('ks8-new-driver.patch')]);
    expect(log.runs[0]!.tool.driver.rules!.map((r) => r.id)).toEqual(['netdev-free-api']);
  });

  it('records an input that is not a patch as a failed invocation', () => {
    const { status, log } = sarif([fixture('clean.patch'), fixture('random.txt')]);
    expect(status).toBe(2);
    const invocation = log.runs[0]!.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications?.[0]?.message.text).toContain('random.txt');
  });
});

describe('netdev-review rules', () => {
  const infos = ruleInfos(ALL_RULES);

  it('lists every rule of rules/index.ts with its severity, kernel range and section', () => {
    const r = runCli(['rules']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const table = r.stdout.split('\n\n')[0]!.split('\n');
    expect(table[0]).toMatch(/^rule\s+severity\s+kernels\s+fix\s+section$/);
    const rows = table.slice(1);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(ALL_RULES.map((rule) => rule.meta.id));
    for (const [i, rule] of ALL_RULES.entries()) {
      const cells = rows[i]!.split(/\s{2,}/);
      expect(cells[1]).toBe(rule.meta.severity);
      expect(cells[2]).toBe(rule.meta.since ? `since ${rule.meta.since}` : rule.meta.until ? `before ${rule.meta.until}` : 'all');
      expect(rows[i]!.endsWith(sectionLabel(infos[i]!))).toBe(true);
      expect(r.stdout).toContain(`${rule.meta.id}: ${rule.meta.description}`);
    }
    expect(rows.find((row) => row.startsWith('xmit-return-type'))).toMatch(/since 2\.6\.32/);
  });

  it('--format json parses and holds the catalog', () => {
    const r = runCli(['rules', '--format', 'json']);
    expect(r.status).toBe(0);
    const parsed = JSON.parse(r.stdout) as { id: string; severity: string; doc: { section: string }; since?: string; helpUri: string; fixable: boolean }[];
    expect(parsed.map((p) => p.id)).toEqual(ALL_RULES.map((rule) => rule.meta.id));
    for (const [i, rule] of ALL_RULES.entries()) {
      expect(parsed[i]).toMatchObject({ severity: rule.meta.severity, doc: { section: rule.meta.doc.section }, fixable: rule.meta.fixable });
      expect(parsed[i]!.since).toBe(rule.meta.since);
      expect(parsed[i]!.helpUri).toMatch(/^https:\/\//);
    }
  });
});
