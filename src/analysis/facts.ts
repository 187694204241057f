// Analysis stage: the facts rules query — functions, calls, returns, labels, initializers, bindings.

import type { SyntaxNode } from './parser.js';

/** A piece of parsed text: the unit's (sanitized) source and how its rows map to post-image lines. */
export interface ParsedText {
  src: string;
  /** Post-image line of row 0. */
  lineOffset: number;
}

export interface CallFact {
  name: string;
  /** `ops->fn(...)`: the name is a field, not a function of this file. */
  indirect: boolean;
  line: number;
  node: SyntaxNode;
  args: SyntaxNode[];
  argTexts: string[];
}

export interface ReturnFact {
  line: number;
  node: SyntaxNode;
  /** The returned expression, if any. */
  expr?: SyntaxNode;
  exprText: string;
}

export interface AssignFact {
  line: number;
  node: SyntaxNode;
  left: SyntaxNode;
  leftText: string;
  right: SyntaxNode;
  rightText: string;
  operator: string;
}

export interface DeclFact {
  name: string;
  /** Normalized type, e.g. `struct net_device *`. */
  type: string;
  line: number;
  init?: SyntaxNode;
  initText?: string;
}

export interface ParamFact {
  name: string;
  type: string;
}

export interface FunctionFacts {
  name: string;
  file: string;
  /** Post-image line of the function's first line (its signature). */
  line: number;
  endLine: number;
  isStatic: boolean;
  /** Normalized return type (`netdev_tx_t`, `int`, `struct sk_buff *`), '' when unknown. */
  returnType: string;
  /** Line of the return type token (for a fix that retypes the function). */
  returnTypeLine: number;
  /** The return-type node, when the definition was parsed (not a fragment). */
  returnTypeNode?: SyntaxNode;
  params: ParamFact[];
  /** False when only the leading parameters are known (a hunk header cut the signature short). */
  paramsComplete: boolean;
  /** The body from `{` to `}` is visible: path-based rules may run. */
  whole: boolean;
  /** Made from a hunk that starts inside the function (name from the hunk header). */
  fragment: boolean;
  body?: SyntaxNode;
  text: ParsedText;
  /** Offsets of the definition in `text.src`. */
  startIndex: number;
  endIndex: number;
  /**
   * Body facts below are read from the tree on first access (all together), so functions no
   * rule looks into cost nothing beyond their header.
   */
  readonly calls: CallFact[];
  readonly returns: ReturnFact[];
  readonly gotos: { label: string; line: number; node: SyntaxNode }[];
  readonly labels: Map<string, number>;
  readonly assigns: AssignFact[];
  readonly decls: DeclFact[];
  /** True when the identifier appears anywhere in the function's text (a cheap pre-check before reading facts). */
  mentions(name: string): boolean;
  /** True when any of the identifiers appears in the function's text. */
  mentionsAny(names: Iterable<string>): boolean;
  /** Every identifier in the function's text. */
  identifiers(): ReadonlySet<string>;
}

/** One designated entry of a struct initializer, flattened: `.driver = { .pm = &x }` → path `driver.pm`. */
export interface InitField {
  path: string;
  value: string;
  /** The value when it is a plain identifier (or `&identifier`), e.g. a function name. */
  ident?: string;
  line: number;
}

export interface StructInit {
  /** Struct tag, e.g. `net_device_ops`. */
  structType: string;
  /** Variable name, e.g. `foo_netdev_ops`. */
  name: string;
  line: number;
  fields: InitField[];
  /** Macro-built entries inside the initializer, e.g. `SET_SYSTEM_SLEEP_PM_OPS(foo_suspend, foo_resume)`. */
  macroCalls: CallFact[];
}

/** A top-level statement-like macro call: `module_init(foo_init);`, `SIMPLE_DEV_PM_OPS(pm, s, r);`. */
export type TopLevelCall = CallFact;

export interface FileFacts {
  path: string;
  completeness: 'full' | 'stitched';
  functions: FunctionFacts[];
  initializers: StructInit[];
  topLevelCalls: TopLevelCall[];
  /** File-scope declarations (globals), for types of names used in functions (read on first use). */
  readonly globals: DeclFact[];
  /** Number of parse-error regions (kernel macros the grammar does not know). */
  errorNodes: number;
  notes: string[];
}
