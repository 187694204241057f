// GitHub way in: the per-repository settings file `.github/netdev-review.yml` — schema, defaults, and errors a person can act on.

import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import * as z from 'zod';
import { ALL_RULES } from '../../rules/index.js';
import type { Finding, Severity } from '../engine/finding.js';
import { parseKernelVersion } from '../kernel/version.js';

/** Where the app reads a repository's settings (at the pull request's base commit). */
export const CONFIG_PATH = '.github/netdev-review.yml';

/** What a repository may say about one rule: turn it off, keep its own severity (`on`), or set one. */
export type RuleSetting = 'off' | 'on' | Severity;

/** The review event for a review that has an `error` finding; reviews without one are always `COMMENT`. */
export type ReviewEvent = 'COMMENT' | 'REQUEST_CHANGES';

/** A repository's settings, with every default filled in. Keys are spelled as in the YAML file. */
export interface RepoConfig {
  /**
   * Rule id → `off` | `on` | `error` | `warning` | `info`. Rules not listed run with their own severity.
   * `on` also keeps the rule's own severity (useful to document a decision). Unknown ids are an error.
   */
  rules: Readonly<Record<string, RuleSetting>>;
  paths: {
    /** Globs (picomatch) of PR files to review; default `['**']`, every file. */
    include: readonly string[];
    /** Globs of PR files never reviewed, even when included; default none. */
    exclude: readonly string[];
  };
  review: {
    /**
     * `COMMENT` (default) or `REQUEST_CHANGES`. `REQUEST_CHANGES` is used only when the push has an
     * `error` finding; otherwise the review is a `COMMENT`.
     */
    event: ReviewEvent;
  };
  /**
   * The kernel release the repository carries (`"6.1"`, `"5.10.y"`, `"mainline"`), overriding what the
   * top-level Makefile says. Decides which rules apply and which version of the document is cited.
   */
  kernel_version?: string;
  /** Review draft pull requests too; default false (drafts are reviewed when marked ready). */
  drafts: boolean;
  /** Compute the review and log it, post nothing; default false. */
  dry_run: boolean;
  check: {
    /**
     * `never` (default): the check run is `neutral` when there are findings, `success` when none.
     * `error`: it is `failure` when an `error` finding exists (a required check then blocks the merge).
     */
    fail_on: 'error' | 'never';
  };
}

/** The settings of a repository without a settings file. */
export const DEFAULT_CONFIG: RepoConfig = Object.freeze({
  rules: Object.freeze({}),
  paths: Object.freeze({ include: Object.freeze(['**']), exclude: Object.freeze([]) }),
  review: Object.freeze({ event: 'COMMENT' as const }),
  drafts: false,
  dry_run: false,
  check: Object.freeze({ fail_on: 'never' as const }),
});

const RULE_IDS: readonly string[] = ALL_RULES.map((r) => r.meta.id);
const RULE_ID_SET = new Set(RULE_IDS);
const RULE_SETTINGS = ['off', 'on', 'error', 'warning', 'info'] as const;

/** `key:` with nothing after it is YAML null; read it as "not set" so the default applies. */
function unsetWhenNull<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema);
}

/** A glob list may be written as one glob. */
const globList = (fallback: string[]) =>
  unsetWhenNull(
    z
      .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string().min(1, 'expected a non-empty glob')))
      .default(fallback),
  );

const ruleSetting = z.preprocess(
  // YAML 1.1 reads on/off as booleans; a file written with that habit (or `%YAML 1.1`) still means on/off.
  (v) => (v === true ? 'on' : v === false ? 'off' : v),
  z.enum(RULE_SETTINGS),
);

const schema = z.strictObject({
  // Rule ids are checked apart (unknownRuleIds): zod skips refinements once a value fails, and a typo'd
  // id deserves its message even when another rule's value is wrong too.
  rules: unsetWhenNull(z.record(z.string(), ruleSetting).default({})),
  paths: unsetWhenNull(
    z.strictObject({ include: globList(['**']), exclude: globList([]) }).prefault({}),
  ),
  review: unsetWhenNull(
    z.strictObject({ event: unsetWhenNull(z.enum(['COMMENT', 'REQUEST_CHANGES']).default('COMMENT')) }).prefault({}),
  ),
  kernel_version: unsetWhenNull(
    z
      .string()
      .refine((v) => parseKernelVersion(v) !== undefined, 'expected a kernel version such as "6.1", "5.10.y" or "mainline"')
      .optional(),
  ),
  drafts: unsetWhenNull(z.boolean().default(false)),
  dry_run: unsetWhenNull(z.boolean().default(false)),
  check: unsetWhenNull(
    z.strictObject({ fail_on: unsetWhenNull(z.enum(['error', 'never']).default('never')) }).prefault({}),
  ),
});

/**
 * Reads the settings file's text. No file (undefined) or an empty one gives `DEFAULT_CONFIG`; a file that
 * is not valid YAML or does not fit the schema gives one error line per problem, each naming the line,
 * the key and what was expected.
 */
export function parseRepoConfig(text: string | undefined): { ok: true; config: RepoConfig } | { ok: false; error: string } {
  if (text === undefined || text.trim() === '') return { ok: true, config: DEFAULT_CONFIG };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      error: doc.errors
        .map((e) => {
          const at = e.linePos?.[0];
          // prettyErrors appends "at line L, column C:" and a source excerpt; the position is given separately.
          const message = e.message.split(/ at line \d+, column \d+:/)[0]!.trim();
          return `${at ? `line ${at.line}, column ${at.col}: ` : ''}YAML syntax: ${message}`;
        })
        .join('\n'),
    };
  }

  const alias = unresolvedAlias(doc, lineCounter);
  if (alias !== undefined) return { ok: false, error: alias };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias bomb surfaces only when the document is turned into values.
    return { ok: false, error: `YAML: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (raw === null || raw === undefined) return { ok: true, config: DEFAULT_CONFIG };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, error: `line 1: the file must be a mapping of settings (key: value lines), not ${describe(raw)}` };
  }
  const settings = raw as Record<string, unknown>;
  keepKernelVersionText(doc, text, settings);

  const result = schema.safeParse(settings, { reportInput: true });
  const unknownIds = unknownRuleIds(settings['rules']);
  if (!result.success || unknownIds.length > 0) {
    const lineOf = (path: readonly PropertyKey[]) => yamlLine(doc, lineCounter, path);
    const problems = [...unknownIds, ...(result.error?.issues ?? [])].map((issue) => ({ line: lineOf(issueAt(issue)), text: issueLine(issue, lineOf) }));
    // In file order: the person fixes them top to bottom.
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { ok: false, error: problems.map((p) => p.text).join('\n') };
  }
  const c = result.data;
  const config: RepoConfig = {
    rules: c.rules,
    paths: { include: c.paths.include, exclude: c.paths.exclude },
    review: { event: c.review.event },
    drafts: c.drafts,
    dry_run: c.dry_run,
    check: { fail_on: c.check.fail_on },
  };
  if (c.kernel_version !== undefined) config.kernel_version = c.kernel_version.trim();
  return { ok: true, config };
}

/**
 * `include: *.patch` is YAML for an alias to an anchor named `.patch`, which nothing defines. The parser
 * accepts it; say where it is and what was probably meant.
 */
function unresolvedAlias(doc: Document, counter: LineCounter): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      const start = node.range?.[0];
      const at = start !== undefined ? `line ${counter.linePos(start).line}: ` : '';
      found = `${at}YAML: *${node.source} is an alias to nothing; quote a glob that starts with * ("*${node.source}")`;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * `kernel_version: 5.10` is the number 5.1 to YAML. The text as written is what the person meant, so an
 * unquoted number is read back from the source.
 */
function keepKernelVersionText(doc: Document, text: string, settings: Record<string, unknown>): void {
  if (typeof settings['kernel_version'] !== 'number') return;
  const node = doc.get('kernel_version', true);
  if (isScalar(node) && node.range) settings['kernel_version'] = text.slice(node.range[0], node.range[1]).trim();
}

/** True when `path` (a PR file path) is under `paths.include` and not under `paths.exclude`. */
export function pathSelected(config: RepoConfig, path: string): boolean {
  const m = matchers(config.paths);
  return m.include(path) && !m.exclude(path);
}

interface PathMatchers {
  include: (path: string) => boolean;
  exclude: (path: string) => boolean;
}

/** Compiled once per config: a PR can list 3,000 files. */
const compiled = new WeakMap<RepoConfig['paths'], PathMatchers>();

function matchers(paths: RepoConfig['paths']): PathMatchers {
  let m = compiled.get(paths);
  if (m === undefined) {
    // dot: `.github/…` and other dot-directories are files like any other for a reviewer.
    const compile = (globs: readonly string[]) => (globs.length === 0 ? () => false : picomatch([...globs], { dot: true }));
    m = { include: compile(paths.include), exclude: compile(paths.exclude) };
    compiled.set(paths, m);
  }
  return m;
}

/**
 * Applies `rules`: drops findings of rules turned `off` and sets the severity of rules given one. Takes bare
 * findings or findings placed on a pull request file (`{ finding, path }`); what is passed in is not changed.
 */
export function applyRuleConfig(config: RepoConfig, findings: readonly Finding[]): Finding[];
export function applyRuleConfig<T extends { finding: Finding }>(config: RepoConfig, findings: readonly T[]): T[];
export function applyRuleConfig(config: RepoConfig, findings: readonly (Finding | { finding: Finding })[]): (Finding | { finding: Finding })[] {
  const out: (Finding | { finding: Finding })[] = [];
  for (const item of findings) {
    const f = 'finding' in item ? item.finding : item;
    const setting = config.rules[f.ruleId];
    if (setting === 'off') continue;
    if (setting === undefined || setting === 'on' || setting === f.severity) {
      out.push(item);
      continue;
    }
    const changed: Finding = { ...f, severity: setting };
    out.push('finding' in item ? { ...item, finding: changed } : changed);
  }
  return out;
}

// --- error messages -------------------------------------------------------------------------------

const EXPECTED: Record<string, string> = {
  boolean: 'true or false',
  string: 'a string',
  array: 'a list',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
  number: 'a number',
};

/** Rule ids in `rules` that no rule has, each with the ids it may be a typo of. */
function unknownRuleIds(rules: unknown): z.core.$ZodIssue[] {
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return [];
  return Object.keys(rules)
    .filter((id) => !RULE_ID_SET.has(id))
    .map((id) => {
      const close = closeMatches(id, RULE_IDS);
      const hint = close.length > 0 ? `; did you mean ${orList(close.map(quote))}?` : '; `netdev-review rules` lists the rule ids';
      return { code: 'custom', path: ['rules', id], message: `unknown rule id "${id}"${hint}`, input: id };
    });
}

/** Where an issue is in the file: an unknown key is at the key itself, not at the mapping holding it. */
function issueAt(issue: z.core.$ZodIssue): readonly PropertyKey[] {
  return issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
}

function issueLine(issue: z.core.$ZodIssue, lineOf: (path: readonly PropertyKey[]) => number | undefined): string {
  const path = issue.path;
  let message: string;
  switch (issue.code) {
    case 'invalid_type':
      message = `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
      break;
    case 'invalid_value':
      message = `expected ${orList(issue.values.map((v) => quote(String(v))))}, got ${describe(issue.input)}`;
      break;
    case 'unrecognized_keys': {
      const known = knownKeys(path);
      const parts = issue.keys.map((key) => {
        const close = closeMatches(key, known);
        return `unknown key "${key}"` + (close.length > 0 ? ` (did you mean ${orList(close.map(quote))}?)` : '');
      });
      message = `${parts.join(', ')}; known keys here: ${known.join(', ')}`;
      break;
    }
    default:
      message = issue.message;
  }
  const line = lineOf(issueAt(issue));
  // An unknown rule id names itself in the message; the key shown is the mapping it sits in.
  const key = keyPath(issue.code === 'custom' && path[0] === 'rules' ? ['rules'] : path);
  return `${line !== undefined ? `line ${line}: ` : ''}${key !== '' ? `${key}: ` : ''}${message}`;
}

/** `paths.include[1]`, as a person would point at it. */
function keyPath(path: readonly PropertyKey[]): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i > 0 ? '.' : ''}${String(seg)}`)).join('');
}

function knownKeys(path: readonly PropertyKey[]): string[] {
  let shape: z.ZodType = schema;
  for (const seg of path) {
    const inner = objectShape(shape);
    const next = inner?.[String(seg)];
    if (next === undefined) return [];
    shape = next;
  }
  return Object.keys(objectShape(shape) ?? {});
}

/** The shape of an object schema, looking through the preprocess and default wrappers used above. */
function objectShape(s: z.ZodType): Record<string, z.ZodType> | undefined {
  if (s instanceof z.ZodObject) return s.shape as Record<string, z.ZodType>;
  if (s instanceof z.ZodPipe) return objectShape(s.out as z.ZodType);
  if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault) return objectShape(s.unwrap() as z.ZodType);
  return undefined;
}

/** The line where the key (or list item) at `path` is written, when the YAML parser recorded one. */
function yamlLine(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let at: YamlNode | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) break;
      at = isScalar(pair.key) ? pair.key : at;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      if (item === undefined) break;
      at = isScalar(item) || isMap(item) || isSeq(item) ? item : at;
      node = item;
    } else break;
  }
  const start = at?.range?.[0];
  return start === undefined ? undefined : counter.linePos(start).line;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

function quote(s: string): string {
  return `"${s}"`;
}

/** `a`, `a or b`, `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Up to three candidates a typo could have meant: within a few edits, or containing / contained in it. */
function closeMatches(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 4));
  return candidates
    .map((c) => ({ c, d: boundedDistance(w, c.toLowerCase(), limit) }))
    .filter(({ c, d }) => d <= limit || (w.length >= 4 && (c.includes(w) || w.includes(c))))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, 3)
    .map(({ c }) => c);
}

/**
 * The edit distance where it can matter: exact when it is at most `limit` or one string contains the other,
 * else a lower bound above `limit`. A YAML explicit key (`? …`) has no length limit, and a full table for a
 * 1 MB key took seconds per rule id; the length difference bounds the distance, and is it when one contains the other.
 */
function boundedDistance(a: string, b: string, limit: number): number {
  const gap = Math.abs(a.length - b.length);
  if (a.includes(b) || b.includes(a)) return gap;
  return gap > limit ? gap : editDistance(a, b);
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
