// Fuzz: the repository settings loader — any text gives {ok:true} or {ok:false, error}; valid YAML settings read back.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../rules/index.js';
import { parseRepoConfig, pathSelected, type RepoConfig, type RuleSetting } from '../../src/github/config.js';
import { check, TEST_TIMEOUT } from './settings.js';
import { hostileText, longText } from './text-arbitraries.js';

const RULE_IDS = ALL_RULES.map((r) => r.meta.id);

/** Settings as a person means them, and how the file says them. */
interface GenConfig {
  rules: [string, RuleSetting][];
  include: string[] | null;
  exclude: string[] | null;
  event: 'COMMENT' | 'REQUEST_CHANGES' | null;
  kernel: string | null;
  drafts: boolean | null;
  dryRun: boolean | null;
  failOn: 'error' | 'never' | null;
}

const glob = fc.oneof(
  fc.constantFrom('**', '*.patch', 'drivers/net/**', '**/*.c', '.github/**', 'a b/*.c', '!(x)', '{a,b}/**', '[ab]*.c', '#x', 'x: y', '- x', '@x', '*'),
  fc.stringMatching(/^[a-z0-9*?/._-]{1,20}$/),
);

const genConfig: fc.Arbitrary<GenConfig> = fc.record({
  rules: fc.uniqueArray(fc.tuple(fc.constantFrom(...RULE_IDS), fc.constantFrom<RuleSetting>('off', 'on', 'error', 'warning', 'info')), {
    selector: ([id]) => id,
    maxLength: 5,
  }),
  include: fc.option(fc.array(glob, { minLength: 1, maxLength: 4 })),
  exclude: fc.option(fc.array(glob, { maxLength: 4 })),
  event: fc.option(fc.constantFrom('COMMENT', 'REQUEST_CHANGES')),
  kernel: fc.option(fc.constantFrom('6.1', '5.10', '5.10.y', '2.6.29', 'mainline', 'net-next', '6.12', '4.19-rc3', 'v6.6')),
  drafts: fc.option(fc.boolean()),
  dryRun: fc.option(fc.boolean()),
  failOn: fc.option(fc.constantFrom('error', 'never')),
});

interface Style {
  flow: boolean;
  indent: number;
  quote: 'double' | 'single' | 'plain';
  comments: boolean;
  docMarkers: boolean;
  crlf: boolean;
  boolWords: boolean;
  oneGlobAsScalar: boolean;
}

const style: fc.Arbitrary<Style> = fc.record({
  flow: fc.boolean(),
  indent: fc.integer({ min: 1, max: 4 }),
  quote: fc.constantFrom('double', 'single', 'plain'),
  comments: fc.boolean(),
  docMarkers: fc.boolean(),
  crlf: fc.boolean(),
  boolWords: fc.boolean(),
  oneGlobAsScalar: fc.boolean(),
});

/** A string as YAML writes it: quoted always for globs (`*` opens an alias, `#` a comment, `!` a tag). */
function str(value: string, s: Style): string {
  if (s.quote === 'single') return `'${value.replace(/'/g, "''")}'`;
  if (s.quote === 'plain' && /^[A-Za-z][A-Za-z0-9_-]*$/.test(value)) return value;
  return JSON.stringify(value);
}

/** Renders generated settings as a YAML file, block or flow style. */
function renderConfig(c: GenConfig, s: Style): string {
  const pad = ' '.repeat(s.indent);
  // YAML 1.2 reads `on`/`off` as strings; the loader also takes booleans, which YAML 1.1 habits produce.
  const setting = (v: RuleSetting): string => (s.boolWords && (v === 'on' || v === 'off') ? (v === 'on' ? 'true' : 'false') : str(v, s));
  const globs = (list: string[]): string =>
    s.oneGlobAsScalar && list.length === 1 ? str(list[0]!, { ...s, quote: 'double' }) : `[${list.map((g) => str(g, { ...s, quote: 'double' })).join(', ')}]`;
  // A kernel version written plain is read back from the text, so `5.10` stays 5.10 and not the number 5.1.
  const kernel = (k: string): string => (s.quote === 'plain' ? k : str(k, s));
  const entries: [string, string, string[]][] = [];
  if (c.rules.length > 0 || s.comments) {
    entries.push(['rules', `{${c.rules.map(([id, v]) => `${id}: ${setting(v)}`).join(', ')}}`, c.rules.map(([id, v]) => `${id}: ${setting(v)}`)]);
  }
  if (c.include !== null || c.exclude !== null) {
    const inner: string[] = [];
    if (c.include !== null) inner.push(`include: ${globs(c.include)}`);
    if (c.exclude !== null) inner.push(`exclude: ${globs(c.exclude)}`);
    entries.push(['paths', `{${inner.join(', ')}}`, inner]);
  }
  if (c.event !== null) entries.push(['review', `{event: ${str(c.event, s)}}`, [`event: ${str(c.event, s)}`]]);
  if (c.kernel !== null) entries.push(['kernel_version', kernel(c.kernel), []]);
  if (c.drafts !== null) entries.push(['drafts', String(c.drafts), []]);
  if (c.dryRun !== null) entries.push(['dry_run', String(c.dryRun), []]);
  if (c.failOn !== null) entries.push(['check', `{fail_on: ${str(c.failOn, s)}}`, [`fail_on: ${str(c.failOn, s)}`]]);

  let text: string;
  if (s.flow) {
    text = `{${entries.map(([key, flow]) => `${key}: ${flow}`).join(', ')}}\n`;
  } else {
    const lines: string[] = [];
    if (s.comments) lines.push('# netdev-review settings', '');
    for (const [key, flow, block] of entries) {
      if (key === 'rules' && block.length === 0) lines.push(`${key}:${s.comments ? '  # none' : ''}`);
      else if (block.length === 0) lines.push(`${key}: ${flow}${s.comments ? ' # set' : ''}`);
      else lines.push(`${key}:`, ...block.map((b) => `${pad}${b}`));
    }
    text = `${lines.join('\n')}\n`;
  }
  if (s.docMarkers) text = `---\n${text}...\n`;
  return s.crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** The config the loader must return for generated settings. */
function expectedConfig(c: GenConfig): RepoConfig {
  const config: RepoConfig = {
    rules: Object.fromEntries(c.rules),
    paths: { include: c.include ?? ['**'], exclude: c.exclude ?? [] },
    review: { event: c.event ?? 'COMMENT' },
    drafts: c.drafts ?? false,
    dry_run: c.dryRun ?? false,
    check: { fail_on: c.failOn ?? 'never' },
  };
  if (c.kernel !== null) config.kernel_version = c.kernel;
  return config;
}

const KEYS = ['rules', 'paths', 'review', 'kernel_version', 'drafts', 'dry_run', 'check', 'include', 'exclude', 'event', 'fail_on', 'rule', 'path', 'Rules', 'kernel-version', 'dryrun', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '<<', '? x', '"quoted key"', ...RULE_IDS.slice(0, 5), 'netdev-free-ap', 'x'.repeat(300)];
const VALUES = ['off', 'on', 'error', 'warning', 'info', 'yes', 'no', 'true', 'false', '~', 'null', '', '1', '5.10', '2.0', '0x10', '.inf', '-.nan', '[]', '{}', '[a, b]', '{a: b}', '*alias', '&anchor x', '*a', '&a [1, 2]', '!!str on', '!!binary aGk=', '!!set {a, b}', '!!int x', '!<tag:x> y', '"unterminated', "'x''y'", '|\n  block\n  text', '>-\n  folded', '- a\n- b', '*.patch', '**', '"\\u0000"', '"\\ud800"', '"\\x00"', '@x', '`x`', '%x', '? a\n: b', 'COMMENT', 'REQUEST_CHANGES', 'never', 'mainline', '6.1', `${'9'.repeat(400)}`, 'x'.repeat(300)];

/** YAML-ish text: known and unknown keys at random depths, odd scalars, anchors, aliases, tags, directives. */
const yamlish: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.tuple(fc.nat({ max: 6 }), fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)).map(([indent, key, value]) => `${' '.repeat(indent)}${key}: ${value}`),
      fc.tuple(fc.nat({ max: 6 }), fc.constantFrom(...VALUES)).map(([indent, value]) => `${' '.repeat(indent)}- ${value}`),
      fc.constantFrom('---', '...', '%YAML 1.1', '%YAML 1.2', '%TAG !x! tag:x,2000:', '# comment', '', '\t', 'rules:', 'paths:', '  include:', 'a: &a {x: 1}', 'b: *a', '<<: *a', 'x: [*a, *a, *a, *a]'),
      fc.tuple(fc.constantFrom(...KEYS), hostileText(20)).map(([key, value]) => `${key}: ${value}`),
    ),
    { maxLength: 16 },
  )
  .map((lines) => lines.join('\n'));

/** An alias bomb: each level refers to the one before it several times (a billion laughs, in small). */
const aliasBomb: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 9 })).map(([levels, fan]) => {
  const lines = ['a0: &a0 [x]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: fan }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\nrules: *a${levels - 1}\n`;
});

/** Explicit keys (`? key`), which YAML does not cap at 1024 characters as it does plain ones, long and near a rule id. */
const explicitKey: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('rules', 'paths', 'review', 'check'), fc.constantFrom('', ...RULE_IDS.slice(0, 3)), longText(100_000))
  .map(([section, id, long]) => `${section}:\n  ? "${id}${long.replace(/[\\"\n\r]/g, 'x')}"\n  : off\n`);

function expectResultShape(result: ReturnType<typeof parseRepoConfig>): void {
  if (result.ok) {
    const c = result.config;
    expect(Object.getPrototypeOf(c.rules) === Object.prototype || Object.getPrototypeOf(c.rules) === null).toBe(true);
    for (const [id, v] of Object.entries(c.rules)) {
      expect(RULE_IDS).toContain(id);
      expect(['off', 'on', 'error', 'warning', 'info']).toContain(v);
    }
    for (const g of [...c.paths.include, ...c.paths.exclude]) expect(typeof g).toBe('string');
    expect(['COMMENT', 'REQUEST_CHANGES']).toContain(c.review.event);
    expect(['error', 'never']).toContain(c.check.fail_on);
    expect(typeof c.drafts).toBe('boolean');
    expect(typeof c.dry_run).toBe('boolean');
    if (c.kernel_version !== undefined) expect(typeof c.kernel_version).toBe('string');
    // The globs compile, and any path can be asked about.
    pathSelected(c, 'drivers/net/ethernet/acme/acme_main.c');
  } else {
    expect(typeof result.error).toBe('string');
    expect(result.error.trim()).not.toBe('');
    expect(result.error).not.toMatch(/\[object Object\]|undefined/);
  }
}

describe('fuzz: parseRepoConfig', () => {
  it('reads generated settings back, in any YAML style', () => {
    check('config/round-trip', 500, [genConfig, style], (c, s) => {
      const text = renderConfig(c, s);
      const result = parseRepoConfig(text);
      if (!result.ok) throw new Error(`${JSON.stringify(text)} → ${result.error}`);
      expect(result.config).toEqual(expectedConfig(c));
    });
  }, TEST_TIMEOUT);

  it('gives {ok:true} or {ok:false, error} for YAML-ish and any text, never a throw', () => {
    check('config/any', 800, [
        fc.oneof(
          { arbitrary: yamlish, weight: 6 },
          { arbitrary: aliasBomb, weight: 1 },
          { arbitrary: explicitKey, weight: 1 },
          { arbitrary: hostileText(200), weight: 3 },
          { arbitrary: longText(50_000), weight: 1 },
          { arbitrary: genConfig.chain((c) => style.map((s) => renderConfig(c, s))), weight: 3 },
        ),
      ], (text) => {
      expectResultShape(parseRepoConfig(text));
    });
  }, TEST_TIMEOUT);

  it('names the line of an unknown key in a mapping', () => {
    check('config/unknown-key', 200, [genConfig, fc.stringMatching(/^[a-z][a-z_]{2,12}$/), fc.integer({ min: 0, max: 20 })], (c, key, at) => {
      const known = new Set(['rules', 'paths', 'review', 'kernel_version', 'drafts', 'dry_run', 'check']);
      if (known.has(key)) return;
      const lines = renderConfig(c, { flow: false, indent: 2, quote: 'double', comments: false, docMarkers: false, crlf: false, boolWords: false, oneGlobAsScalar: false }).split('\n');
      // Between top-level entries only, so the key stays at the top level.
      const tops = lines.map((l, i) => (/^\S/.test(l) || l === '' ? i : -1)).filter((i) => i !== -1);
      const line = tops[at % tops.length]!;
      lines.splice(line, 0, `${key}: 1`);
      const result = parseRepoConfig(lines.join('\n'));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain(`line ${line + 1}: unknown key "${key}"`);
    });
  }, TEST_TIMEOUT);
});

