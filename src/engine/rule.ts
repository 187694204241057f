// Engine: the rule API — a rule is `meta` (data) plus one `check` function, like an ESLint rule.

import type { DocRef, Fix, Severity } from './finding.js';
import type { Program } from '../analysis/program.js';
import type { FunctionFacts } from '../analysis/facts.js';
import type { KernelVersion } from '../kernel/version.js';

export interface RuleMeta<M extends string> {
  id: string;
  severity: Severity;
  /** One sentence: what the rule flags (shown by `netdev-review rules`, SARIF shortDescription). */
  description: string;
  doc: DocRef;
  /** First kernel release the rule applies to (inclusive), e.g. "4.12". */
  since?: string;
  /** First release it no longer applies to (exclusive). */
  until?: string;
  /**
   * When the target tree's own document is at hand, the rule applies only if the document
   * contains `present` (and not `absent`) — the most faithful test, winning over since/until.
   */
  docGate?: { present?: RegExp; absent?: RegExp };
  /**
   * Words without which the rule cannot fire (its calls, types, names). A change whose visible C
   * matches no applicable rule's triggers is not parsed at all: the cheapest review is the one skipped.
   */
  triggers: RegExp;
  /** Reasons about paths through a function: runs only on functions whose whole body is visible. */
  needsWholeFunction: boolean;
  /** Message templates with `{{placeholders}}`. */
  messages: Record<M, string>;
  /** The rule offers mechanical fixes. */
  fixable: boolean;
}

export interface ReportDescriptor<M extends string> {
  file: string;
  line: number;
  endLine?: number;
  messageId: M;
  data?: Record<string, string | number>;
  /** Overrides meta.severity (e.g. lowered one step when a role is known only from a name). */
  severity?: Severity;
  /** Overrides meta.doc (e.g. the entry of the callback involved). */
  doc?: DocRef;
  /** Other post-image lines the finding rests on; the anchor line is always included. */
  evidence?: number[];
  chain?: string[];
  fix?: Fix;
}

/** What a rule sees: the analysis facts, the target, and `report`. */
export interface RuleContext<M extends string> {
  readonly program: Program;
  readonly target: KernelVersion;
  /** Whole-function audit (`--all`): findings need not touch the change. */
  readonly audit: boolean;
  /** Functions to check: every function, or — for rules that need whole bodies — only whole ones. */
  functions(): Iterable<FunctionFacts>;
  /** True when the change added this post-image line. */
  isAdded(file: string, line: number): boolean;
  /** True when the change added this line or removed lines just before it. */
  isChanged(file: string, line: number): boolean;
  /** The original text of a post-image line (before any sanitizing), or undefined when not visible. */
  lineText(file: string, line: number): string | undefined;
  report(descriptor: ReportDescriptor<M>): void;
}

export interface Rule<M extends string = string> {
  meta: RuleMeta<M>;
  check(context: RuleContext<M>): void;
}

/** Declares a rule; the type parameter makes a misspelled message id a compile error. */
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

/** One step down: error → warning → info (used when a role is inferred from a name only). */
export function lowerSeverity(s: Severity): Severity {
  return s === 'error' ? 'warning' : 'info';
}
