// Engine: runs the rules that apply to the target, interpolates messages, and filters to the change.

import type { Finding } from './finding.js';
import type { ReportDescriptor, Rule, RuleContext } from './rule.js';
import type { Program } from '../analysis/program.js';
import type { FunctionFacts } from '../analysis/facts.js';
import type { SourceFile } from '../source/source-file.js';
import { formatKernelVersion, inKernelRange, type KernelVersion } from '../kernel/version.js';

export interface EngineInput {
  program: Program;
  /** Source of each analysed file, by post-image path. */
  sources: ReadonlyMap<string, SourceFile>;
  target: KernelVersion;
  /** Text of the target tree's own netdevices document, when at hand (for `docGate`). */
  targetDocText?: string;
  rules: readonly Rule[];
  /** `--all`: keep findings in code the change did not touch (labelled pre-existing). */
  audit: boolean;
  /**
   * `performance.now()` after which no further rule starts (the patch's time budget). The rules not
   * run are named through `onBudgetSpent`; a rule already running is not interrupted.
   */
  deadline?: number;
  onBudgetSpent?: (rulesNotRun: readonly string[]) => void;
}

/**
 * The document says what drivers must do; `net/core/` is the other side of those rules (it frees
 * devices, takes rtnl and calls the ndos itself), so its code is not reviewed against them.
 */
export const CORE_PATHS = /^net\/core\//;

/** True when the rule applies to the target: the tree's document decides when present, else the version range. */
export function ruleApplies(rule: Rule, target: KernelVersion, targetDocText?: string): boolean {
  const gate = rule.meta.docGate;
  if (gate && targetDocText !== undefined) {
    if (gate.present && !gate.present.test(targetDocText)) return false;
    if (gate.absent && gate.absent.test(targetDocText)) return false;
    return true;
  }
  return inKernelRange(target, rule.meta.since, rule.meta.until);
}

/** True when some rule that applies to the target could fire on this text. */
export function anyTriggerMatches(rules: readonly Rule[], text: string, target: KernelVersion, targetDocText?: string): boolean {
  return combinedTriggers(rules, target, targetDocText)(text);
}

/** Texts tested one rule at a time before the joined expression is built. */
const JOIN_AFTER = 16;

/** Per rule list: the test for each document and target, and the tests themselves by the set of rules they join. */
interface TriggerCache {
  /** Document text ('' for none) → target → test. Keyed by the document string itself, whose hash V8 keeps. */
  byDocument: Map<string, Map<string, (text: string) => boolean>>;
  byRuleSet: Map<string, (text: string) => boolean>;
}
const combined = new WeakMap<readonly Rule[], TriggerCache>();
/**
 * Documents remembered per rule list (a server sees a new one with every base commit). The tests are
 * shared by rule set — most targets run the same rules — so forgetting a document costs a filter.
 */
const MAX_DOCUMENTS = 64;

/**
 * One expression for the triggers of every rule that applies: one scan of a patch instead of one per
 * rule (measured over the corpus patches: 116–145 ms against 203–240 ms). Triggers are flag-less and use
 * no backreferences (both checked), so joining them as alternatives keeps each one's meaning; `^` in an
 * alternative still means the start of the text.
 */
function combinedTriggers(rules: readonly Rule[], target: KernelVersion, targetDocText?: string): (text: string) => boolean {
  let cache = combined.get(rules);
  if (!cache) combined.set(rules, (cache = { byDocument: new Map(), byRuleSet: new Map() }));
  const doc = targetDocText ?? '';
  let byTarget = cache.byDocument.get(doc);
  if (!byTarget) {
    if (cache.byDocument.size >= MAX_DOCUMENTS) cache.byDocument.clear();
    cache.byDocument.set(doc, (byTarget = new Map()));
  }
  const version = formatKernelVersion(target);
  let test = byTarget.get(version);
  if (test) return test;
  const applicable = rules.filter((r) => ruleApplies(r, target, targetDocText));
  const setKey = applicable.map((r) => r.meta.id).join(' ');
  test = cache.byRuleSet.get(setKey);
  if (!test) {
    test = joinedTest(applicable.map((r) => r.meta.triggers));
    cache.byRuleSet.set(setKey, test);
  }
  byTarget.set(version, test);
  return test;
}

/** Any of `triggers`, tested one by one at first and as one joined expression once it has been asked often. */
function joinedTest(triggers: readonly RegExp[]): (text: string) => boolean {
  const each = (text: string) => triggers.some((t) => t.test(text));
  if (!triggers.every((t) => t.flags === '' && !/\\[1-9]/.test(t.source))) return each;
  // Compiling the joined expression costs a few milliseconds (thousands of call names): a one-patch
  // run (a cold `check`) is better off with the separate ones, which stop at the first that matches.
  let calls = 0;
  let one: RegExp | undefined;
  return (text) => {
    if (++calls <= JOIN_AFTER) return each(text);
    one ??= new RegExp(triggers.map((t) => `(?:${t.source})`).join('|') || '(?!)');
    return one.test(text);
  };
}

/** Fills `{{name}}` placeholders. */
export function interpolate(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, key: string) => (data && key in data ? String(data[key]) : m));
}

/** Line-number → original text, per file, built on first use. */
class LineIndex {
  private readonly cache = new Map<string, Map<number, string>>();
  constructor(private readonly sources: ReadonlyMap<string, SourceFile>) {}
  get(file: string, line: number): string | undefined {
    let map = this.cache.get(file);
    if (!map) {
      map = new Map();
      const src = this.sources.get(file);
      if (src) {
        for (const unit of src.units) {
          const lines = unit.text.split('\n');
          for (let i = 0; i < lines.length; i++) map.set(unit.firstLine + i, lines[i]);
        }
      }
      this.cache.set(file, map);
    }
    return map.get(line);
  }
}

/** Runs every applicable rule and returns findings in scope, sorted by file and line. */
export function runRules(input: EngineInput): Finding[] {
  const { program, sources, target, audit } = input;
  const lines = new LineIndex(sources);
  const isAdded = (file: string, line: number) => sources.get(file)?.added.has(line) ?? false;
  const isChanged = (file: string, line: number) => isAdded(file, line) || (sources.get(file)?.deletedAt.has(line) ?? false);
  const findings: Finding[] = [];
  const seen = new Set<string>();

  const applicable = input.rules.filter((rule) => ruleApplies(rule, target, input.targetDocText));
  for (const [i, rule] of applicable.entries()) {
    if (input.deadline !== undefined && performance.now() > input.deadline) {
      input.onBudgetSpent?.(applicable.slice(i).map((r) => r.meta.id));
      break;
    }
    const meta = rule.meta;
    const functions = function* (): Iterable<FunctionFacts> {
      for (const fn of program.functions()) if ((!meta.needsWholeFunction || fn.whole) && !CORE_PATHS.test(fn.file)) yield fn;
    };
    const context: RuleContext<string> = {
      program,
      target,
      audit,
      functions,
      isAdded,
      isChanged,
      lineText: (file, line) => lines.get(file, line),
      report(d: ReportDescriptor<string>) {
        const evidence = [...new Set([d.line, ...(d.evidence ?? [])])].sort((a, b) => a - b);
        const inChange = evidence.some((l) => isChanged(d.file, l));
        if (!inChange && !audit) return;
        const message = interpolate(meta.messages[d.messageId] ?? d.messageId, d.data);
        const key = `${meta.id}\u0000${d.file}\u0000${d.line}\u0000${message}`;
        if (seen.has(key)) return;
        seen.add(key);
        findings.push({
          ruleId: meta.id,
          messageId: d.messageId,
          severity: d.severity ?? meta.severity,
          file: d.file,
          line: d.line,
          endLine: d.endLine,
          message,
          doc: d.doc ?? meta.doc,
          fix: d.fix,
          chain: d.chain,
          evidence,
          sourceLine: lines.get(d.file, d.line),
          scope: inChange ? 'change' : 'pre-existing',
        });
      },
    };
    rule.check(context);
  }
  findings.sort((a, b) => (a.file === b.file ? a.line - b.line || a.ruleId.localeCompare(b.ruleId) : a.file.localeCompare(b.file)));
  return findings;
}
