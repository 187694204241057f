// Analysis stage: parse each source unit once and read its facts (functions, calls, returns, initializers).

import { parseC, type SyntaxNode } from './parser.js';
import { sanitizeKernelC } from './sanitize.js';
import { callArgs, calleeName, nodeText } from './syntax.js';
import type {
  AssignFact,
  CallFact,
  DeclFact,
  FileFacts,
  FunctionFacts,
  InitField,
  ParamFact,
  ParsedText,
  ReturnFact,
  StructInit,
} from './facts.js';
import type { SourceFile, SourceUnit } from '../source/source-file.js';

/** Tells, for a stitched unit, what git's hunk header says encloses its first line (`static int foo_open(struct ...`). */
export type SectionLookup = (firstLine: number) => string | undefined;

/** Reads the facts of one source file. Never throws on odd C: what cannot be parsed is counted and skipped. */
export function extractFileFacts(file: SourceFile, sectionAt: SectionLookup = () => undefined): FileFacts {
  const facts = new LazyFileFacts(file.path, file.completeness);
  for (const unit of file.units) {
    const section = file.completeness === 'stitched' ? sectionAt(unit.firstLine) : undefined;
    splitAtFileScope(unit).forEach((piece, i) => extractUnit(facts, piece, i === 0 ? section : undefined));
  }
  noteUnparsedChanges(facts, file.added);
  return facts;
}

/** FileFacts whose file-scope declarations are read only when a rule asks for a global's type. */
class LazyFileFacts implements FileFacts {
  functions: FunctionFacts[] = [];
  initializers: StructInit[] = [];
  topLevelCalls: CallFact[] = [];
  errorNodes = 0;
  notes: string[] = [];
  /** Top-level declarations not yet read. */
  readonly pendingGlobals: { node: SyntaxNode; parsed: ParsedText }[] = [];
  private globalFacts?: DeclFact[];

  constructor(
    readonly path: string,
    readonly completeness: 'full' | 'stitched',
  ) {}

  /** Line spans (post-image) the grammar could not parse. */
  readonly errorSpans: [number, number][] = [];

  recordErrors(root: SyntaxNode, parsed: ParsedText): void {
    for (const e of root.descendantsOfType('ERROR')) {
      this.errorSpans.push([e.startPosition.row + parsed.lineOffset, e.endPosition.row + parsed.lineOffset]);
    }
  }

  get globals(): DeclFact[] {
    this.globalFacts ??= this.pendingGlobals.flatMap(({ node, parsed }) => readDeclaration(node, parsed));
    return this.globalFacts;
  }
}

/**
 * Says when changed lines fall in code the grammar could not parse (an unknown macro, say): rules
 * may miss findings there, and the reader should know.
 */
function noteUnparsedChanges(facts: LazyFileFacts, added: ReadonlySet<number>): void {
  const hit: number[] = [];
  for (const [from, to] of facts.errorSpans) {
    // Errors spanning a whole function say little; point at short stretches only.
    if (to - from > 20) continue;
    for (let l = from; l <= to; l++) if (added.has(l)) hit.push(l);
  }
  if (hit.length === 0) return;
  const lines = [...new Set(hit)].sort((a, b) => a - b);
  const shown = lines.slice(0, 5).join(', ') + (lines.length > 5 ? ', …' : '');
  facts.notes.push(`${facts.path}: changed line${lines.length > 1 ? 's' : ''} ${shown} could not be parsed as C (a macro the grammar does not know?); findings there may be missed`);
}

/** Units larger than this are parsed in pieces, so one parse stays short and its tree small. */
export const MAX_PARSE_CHARS = 512 * 1024;

/**
 * Cuts a large unit after column-0 `}` lines (where a function or initializer ends, by kernel
 * style) into pieces of at most about MAX_PARSE_CHARS; file-scope constructs parse independently.
 */
function splitAtFileScope(unit: SourceUnit): SourceUnit[] {
  const text = unit.text;
  if (text.length <= MAX_PARSE_CHARS) return [unit];
  const pieces: SourceUnit[] = [];
  let start = 0;
  let line = unit.firstLine;
  while (text.length - start > MAX_PARSE_CHARS) {
    // The last file-scope close before the size limit; failing that, the first one after it.
    const limit = start + MAX_PARSE_CHARS;
    let cut = text.lastIndexOf('\n}', limit);
    if (cut <= start) cut = text.indexOf('\n}', limit);
    if (cut === -1) break;
    const eol = text.indexOf('\n', cut + 1);
    if (eol === -1) break;
    const piece = text.slice(start, eol + 1);
    pieces.push({ text: piece, firstLine: line });
    line += countNewlines(piece, 0, piece.length);
    start = eol + 1;
  }
  pieces.push({ text: text.slice(start), firstLine: line });
  return pieces;
}

function extractUnit(facts: LazyFileFacts, unit: SourceUnit, section: string | undefined): void {
  let text = sanitizeKernelC(unit.text);
  let firstLine = unit.firstLine;
  if (facts.completeness === 'stitched') {
    text = blankCommentTail(text);
    const split = leadingFragmentEnd(text, section);
    if (split > 0) {
      extractFragment(facts, text.slice(0, split), firstLine, section);
      firstLine += countNewlines(text, 0, split);
      text = text.slice(split);
    }
  }
  if (text.trim() === '') return;
  // A hunk that ends inside a function leaves it open: close it so the grammar still sees a
  // definition (marked not whole below, since its end lies past the visible text).
  const visibleLength = text.length;
  if (facts.completeness === 'stitched') text += closingText(scanBraces(text));
  const tree = parseC(text);
  if (!tree) {
    facts.notes.push(`${facts.path}:${firstLine}: parsing took too long; this part was skipped`);
    return;
  }
  const parsed: ParsedText = { src: text, lineOffset: firstLine };
  const before = facts.functions.length;
  if (tree.rootNode.hasError) facts.recordErrors(tree.rootNode, parsed);
  readTopLevel(facts, tree.rootNode, parsed);
  for (const fn of facts.functions.slice(before)) if (fn.endIndex > visibleLength) fn.whole = false;
}

/** A hunk may begin inside a block comment: blank up to the comment end (length kept) so no prose is parsed as C. */
function blankCommentTail(text: string): string {
  const close = text.indexOf('*/');
  if (close === -1) return text;
  const open = text.indexOf('/*');
  if (open !== -1 && open < close) return text;
  return text.slice(0, close + 2).replace(/[^\n]/g, ' ') + text.slice(close + 2);
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Brace structure of a piece of C, ignoring comments, literals and preprocessor lines. */
interface BraceScan {
  /** Lowest depth reached (negative when the text closes blocks it did not open). */
  min: number;
  /** Depth at the end. */
  final: number;
  /** The text ends inside a block comment. */
  inComment: boolean;
  /** Offset just past the first column-0 `}` line that leaves depth negative (a function's end), or -1. */
  outerCloseEnd: number;
}

function scanBraces(text: string, initialDepth = 0): BraceScan {
  let depth = initialDepth;
  let min = Math.min(0, initialDepth);
  let outerCloseEnd = -1;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return { min, final: depth, inComment: true, outerCloseEnd };
      i = end + 2;
      continue;
    }
    if (ch === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
      continue;
    }
    if (ch === 34 /* " */ || ch === 39 /* ' */) {
      i = skipQuoted(text, i, ch);
      continue;
    }
    if (ch === 35 /* # */ && (i === 0 || text.charCodeAt(i - 1) === 10)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
      continue;
    }
    if (ch === 123 /* { */) depth++;
    else if (ch === 125 /* } */) {
      depth--;
      if (depth < min) min = depth;
      // Kernel style closes a function (or a file-scope initializer) in column 0.
      if (depth < 0 && outerCloseEnd === -1 && (i === 0 || text.charCodeAt(i - 1) === 10)) {
        const eol = text.indexOf('\n', i);
        outerCloseEnd = eol === -1 ? n : eol + 1;
      }
    }
    i++;
  }
  return { min, final: depth, inComment: false, outerCloseEnd };
}

/** What to append so that a piece of C ends at file scope: a comment end, then the missing braces. */
function closingText(scan: BraceScan): string {
  const closers = scan.final - Math.min(0, scan.min);
  if (!scan.inComment && closers <= 0) return '';
  return (scan.inComment ? ' */' : '') + '\n' + '}'.repeat(Math.max(0, closers));
}

/**
 * Where a stitched unit stops being the inside of a function (or initializer) it began in: just
 * past that function's closing brace, or the whole unit when it never closes; 0 when it starts at file scope.
 */
function leadingFragmentEnd(text: string, section: string | undefined): number {
  // A unit that opens with the body's `{` (the signature is in git's header) is one level inside already.
  const opensBody = /^(?:[ \t]*\n)*\{[ \t]*(?:\n|$)/.test(text);
  const scan = scanBraces(text, opensBody ? -1 : 0);
  if (scan.outerCloseEnd !== -1) return scan.outerCloseEnd;
  if (scan.min < 0) return text.length;
  // Nothing closes: an indented first line (or the body's opening brace) says we are inside.
  const head = section?.trim() ?? '';
  if (head && startsInside(text) && (FUNCTION_HEADER_RE.test(head) || INITIALIZER_HEADER_RE.test(head))) return text.length;
  return 0;
}

function startsInside(text: string): boolean {
  // Blank lines, preprocessor lines and goto labels sit in column 0 inside functions too: look past them.
  for (const line of text.split('\n', 64)) {
    if (/^\s*$/.test(line) || /^#/.test(line)) continue;
    if (/^[A-Za-z_]\w*:\s*(?:\/[*/].*)?$/.test(line) && !/^default:/.test(line)) return true;
    return /^[ \t]/.test(line) || /^\{\s*$/.test(line);
  }
  return false;
}

function skipQuoted(text: string, start: number, quote: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i += 2;
    else if (c === quote) return i + 1;
    else if (c === 10) return i; // an unterminated literal ends at the line end
    else i++;
  }
  return i;
}

const FUNCTION_HEADER_RE = /^(?<ret>[\w\s*]*?)\b(?<name>[A-Za-z_]\w*)\s*\((?<params>[^)]*)(?<closed>\))?/;
// `static const struct net_device_ops foo_ops = {` — or cut short by `diff -p`/quilt (`... net_device_ops mtk_n`).
const INITIALIZER_HEADER_RE = /^[^(]*\b(?:struct|union)\s+(?<type>\w+)\s+(?:const\s+)?(?<name>\w+)\s*(?:\[[^\]]*\])?\s*(?:=\s*\{?\s*)?$/;

/**
 * Parses the head of a stitched unit that began inside a function (or a struct initializer), wrapped
 * so the grammar sees a complete definition, and records it under the name git's hunk header gives.
 */
function extractFragment(facts: LazyFileFacts, region: string, firstLine: number, section: string | undefined): void {
  const init = section ? INITIALIZER_HEADER_RE.exec(section) : null;
  // Conditional compilation inside an initializer would break the list (see sanitize.ts).
  if (init) region = region.replace(/^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b.*$/gm, (m) => ' '.repeat(m.length));
  const scan = scanBraces(region);
  const wrapperHead = init ? `struct ${init.groups?.type ?? 'x'} __nr_fragment = {` : 'void __nr_fragment(void) {';
  // The wrapper's block must outlive the region: open one more for every block the region closes
  // without opening (it began nested), and close whatever is left open at its end.
  const extraOpen = -scan.min;
  const closers = 1 + extraOpen + scan.final;
  const src =
    wrapperHead + '{'.repeat(extraOpen) + '\n' + region + (scan.inComment ? ' */' : '') + '\n' + '}'.repeat(Math.max(0, closers)) + (init ? ';' : '');
  const tree = parseC(src);
  if (!tree) {
    facts.notes.push(`${facts.path}:${firstLine}: parsing took too long; this part was skipped`);
    return;
  }
  const parsed: ParsedText = { src, lineOffset: firstLine - 1 };
  if (tree.rootNode.hasError) facts.recordErrors(tree.rootNode, parsed);
  const top = tree.rootNode.namedChildren[0];
  if (!top) return;
  if (init) {
    const structInit = readInitializerDeclaration(top, parsed);
    if (structInit) {
      structInit.name = init.groups?.name ?? structInit.name;
      structInit.line = firstLine;
      facts.initializers.push(structInit);
    }
    return;
  }
  if (top.type !== 'function_definition') return;
  const header = section ? FUNCTION_HEADER_RE.exec(section.trim()) : null;
  const fn = readFunction(facts.path, top, parsed);
  if (!fn) return;
  fn.fragment = true;
  fn.whole = false;
  fn.line = firstLine;
  // The wrapper's own closing lines are not the function's: it ends where the region does.
  fn.endLine = Math.min(fn.endLine, firstLine + countNewlines(region.replace(/\n$/, ''), 0, region.length));
  fn.returnTypeNode = undefined;
  if (header?.groups) {
    fn.name = header.groups.name;
    fn.isStatic = /\bstatic\b/.test(header.groups.ret);
    fn.returnType = normalizeType(header.groups.ret.replace(/\b(?:static|inline|extern)\b/g, ''));
    // An unclosed header (`foo(struct net_device *dev, int n,`) still tells the leading parameters.
    fn.params = header.groups.closed
      ? parseParamText(header.groups.params)
      : parseParamText(header.groups.params.replace(/,?[^,]*$/, ''));
    fn.paramsComplete = !!header.groups.closed;
  } else {
    fn.name = '';
    fn.returnType = '';
    fn.params = [];
    fn.paramsComplete = false;
  }
  facts.functions.push(fn);
}

function parseParamText(text: string): ParamFact[] {
  if (text.trim() === '' || text.trim() === 'void') return [];
  return text.split(',').map((p) => {
    const m = /^(.*?)([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*$/.exec(p.trim());
    if (!m) return { name: '', type: normalizeType(p) };
    return { name: m[2], type: normalizeType(m[1]) };
  });
}

function readTopLevel(facts: LazyFileFacts, root: SyntaxNode, parsed: ParsedText): void {
  for (const node of root.namedChildren) {
    switch (node.type) {
      case 'function_definition': {
        const fn = readFunction(facts.path, node, parsed);
        if (fn) facts.functions.push(fn);
        break;
      }
      case 'declaration': {
        const init = readInitializerDeclaration(node, parsed);
        if (init) facts.initializers.push(init);
        else facts.pendingGlobals.push({ node, parsed });
        break;
      }
      case 'expression_statement': {
        const call = node.namedChildren[0];
        if (call?.type === 'call_expression') {
          const fact = readCall(call, parsed);
          if (fact) facts.topLevelCalls.push(fact);
        }
        break;
      }
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'preproc_elifdef':
        readTopLevel(facts, node, parsed);
        break;
      case 'ERROR':
        facts.errorNodes++;
        readTopLevel(facts, node, parsed);
        break;
      default:
        break;
    }
  }
}

function line(parsed: ParsedText, node: SyntaxNode): number {
  return node.startPosition.row + parsed.lineOffset;
}

/** `static netdev_tx_t foo(struct sk_buff *skb, struct net_device *dev) { ... }` → FunctionFacts. */
function readFunction(path: string, node: SyntaxNode, parsed: ParsedText): FunctionFacts | undefined {
  const { src } = parsed;
  let decl = node.childForFieldName('declarator');
  let stars = 0;
  while (decl && decl.type !== 'function_declarator') {
    if (decl.type === 'pointer_declarator') stars++;
    decl = decl.childForFieldName('declarator') ?? decl.namedChildren[0] ?? null;
  }
  if (!decl) return undefined;
  const nameNode = decl.childForFieldName('declarator');
  if (!nameNode || nameNode.type !== 'identifier') return undefined;
  const typeNode = node.childForFieldName('type');
  const body = node.childForFieldName('body') ?? undefined;
  const isStatic = node.namedChildren.some((c) => c.type === 'storage_class_specifier' && nodeText(src, c) === 'static');
  const params: ParamFact[] = [];
  const plist = decl.childForFieldName('parameters');
  if (plist) {
    for (const p of plist.namedChildren) {
      if (p.type !== 'parameter_declaration') continue;
      const t = p.childForFieldName('type');
      const d = p.childForFieldName('declarator');
      const { name, stars: pstars } = d ? declaratorName(src, d) : { name: '', stars: 0 };
      const type = normalizeType((t ? nodeText(src, t) : '') + ' ' + '*'.repeat(pstars));
      if (type === 'void' && !name) continue;
      params.push({ name, type });
    }
  }
  const closing = body?.lastChild;
  const whole = !!body && !!closing && closing.type === '}' && !closing.isMissing && body.firstChild?.type === '{';
  const fn = new LazyFunction(parsed, node.startIndex, node.endIndex, body ?? undefined);
  fn.name = nodeText(src, nameNode);
  fn.file = path;
  fn.line = line(parsed, node);
  fn.endLine = node.endPosition.row + parsed.lineOffset;
  fn.isStatic = isStatic;
  fn.returnType = normalizeType((typeNode ? nodeText(src, typeNode) : '') + ' ' + '*'.repeat(stars));
  fn.returnTypeLine = typeNode ? line(parsed, typeNode) : line(parsed, node);
  fn.returnTypeNode = typeNode ?? undefined;
  fn.params = params;
  fn.whole = whole;
  return fn;
}

interface BodyFacts {
  calls: CallFact[];
  returns: ReturnFact[];
  gotos: { label: string; line: number; node: SyntaxNode }[];
  labels: Map<string, number>;
  assigns: AssignFact[];
  decls: DeclFact[];
}

const IDENT_RE = /[A-Za-z_][A-Za-z0-9_]*/g;

/** FunctionFacts whose body facts and identifier set are read on first use. */
class LazyFunction implements FunctionFacts {
  name = '';
  file = '';
  line = 0;
  endLine = 0;
  isStatic = false;
  returnType = '';
  returnTypeLine = 0;
  returnTypeNode?: SyntaxNode;
  params: ParamFact[] = [];
  paramsComplete = true;
  whole = false;
  fragment = false;
  private bodyFacts?: BodyFacts;
  private idents?: Set<string>;

  constructor(
    readonly text: ParsedText,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly body: SyntaxNode | undefined,
  ) {}

  private facts(): BodyFacts {
    if (!this.bodyFacts) {
      this.bodyFacts = { calls: [], returns: [], gotos: [], labels: new Map(), assigns: [], decls: [] };
      if (this.body) readBody(this.bodyFacts, this.body, this.text);
    }
    return this.bodyFacts;
  }

  get calls(): CallFact[] {
    return this.facts().calls;
  }
  get returns(): ReturnFact[] {
    return this.facts().returns;
  }
  get gotos(): BodyFacts['gotos'] {
    return this.facts().gotos;
  }
  get labels(): Map<string, number> {
    return this.facts().labels;
  }
  get assigns(): AssignFact[] {
    return this.facts().assigns;
  }
  get decls(): DeclFact[] {
    return this.facts().decls;
  }

  mentions(name: string): boolean {
    return this.identSet().has(name);
  }

  mentionsAny(names: Iterable<string>): boolean {
    const set = this.identSet();
    // Walk the smaller side: rule word lists run to a hundred names, most functions hold far fewer.
    if (names instanceof Set && names.size > set.size) {
      for (const n of set) if (names.has(n)) return true;
      return false;
    }
    for (const n of names) if (set.has(n)) return true;
    return false;
  }

  identifiers(): ReadonlySet<string> {
    return this.identSet();
  }

  private identSet(): Set<string> {
    if (!this.idents) this.idents = new Set(this.text.src.slice(this.startIndex, this.endIndex).match(IDENT_RE) ?? []);
    return this.idents;
  }
}

function declaratorName(src: string, node: SyntaxNode): { name: string; stars: number } {
  let n: SyntaxNode | null = node;
  let stars = 0;
  while (n && n.type !== 'identifier' && n.type !== 'field_identifier') {
    if (n.type === 'pointer_declarator' || n.type === 'abstract_pointer_declarator') stars++;
    if (n.type === 'function_declarator') return { name: '', stars };
    n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c.type !== 'type_qualifier') ?? null;
  }
  return { name: n ? nodeText(src, n) : '', stars };
}

/** `const struct net_device  *` → `struct net_device *`. */
export function normalizeType(text: string): string {
  let type = normalizedTypes.get(text);
  if (type === undefined) {
    type = text
      .replace(/\b(?:const|volatile|register|static|inline|extern)\b/g, ' ')
      .replace(/\s*\*\s*/g, '*')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/([^*\s])\*/, '$1 *');
    // Types repeat (int, struct net_device *, …): remembered, up to a bound a long run cannot outgrow.
    if (normalizedTypes.size >= MAX_NORMALIZED_TYPES) normalizedTypes.clear();
    normalizedTypes.set(text, type);
  }
  return type;
}

const normalizedTypes = new Map<string, string>();
const MAX_NORMALIZED_TYPES = 4096;

const BODY_FACT_TYPES = ['call_expression', 'return_statement', 'goto_statement', 'labeled_statement', 'assignment_expression', 'declaration'];

function readBody(fn: BodyFacts, body: SyntaxNode, parsed: ParsedText): void {
  const { src } = parsed;
  for (const n of body.descendantsOfType(BODY_FACT_TYPES)) {
    switch (n.type) {
      case 'call_expression': {
        const c = readCall(n, parsed);
        if (c) fn.calls.push(c);
        break;
      }
      case 'return_statement': {
        const expr = n.namedChildren.find((c) => c.type !== 'comment');
        fn.returns.push({ line: line(parsed, n), node: n, expr, exprText: expr ? nodeText(src, expr) : '' });
        break;
      }
      case 'goto_statement': {
        const label = n.childForFieldName('label');
        if (label) fn.gotos.push({ label: nodeText(src, label), line: line(parsed, n), node: n });
        break;
      }
      case 'labeled_statement': {
        const label = n.childForFieldName('label');
        if (label) fn.labels.set(nodeText(src, label), line(parsed, n));
        break;
      }
      case 'assignment_expression': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const op = n.childForFieldName('operator');
        if (left && right) {
          const a: AssignFact = {
            line: line(parsed, n),
            node: n,
            left,
            leftText: nodeText(src, left),
            right,
            rightText: nodeText(src, right),
            operator: op ? nodeText(src, op) : '=',
          };
          fn.assigns.push(a);
        }
        break;
      }
      case 'declaration':
        fn.decls.push(...readDeclaration(n, parsed));
        break;
      default:
        break;
    }
  }
  // Calls are collected in document order (outer before inner); evaluation order matters to the
  // lock analysis, which re-reads calls per statement, so document order is what this list promises.
  fn.calls.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function readCall(node: SyntaxNode, parsed: ParsedText): CallFact | undefined {
  const callee = calleeName(parsed.src, node);
  if (!callee) return undefined;
  const args = callArgs(node);
  return {
    name: callee.name,
    indirect: callee.indirect,
    line: line(parsed, node),
    node,
    args,
    argTexts: args.map((a) => nodeText(parsed.src, a)),
  };
}

function readDeclaration(node: SyntaxNode, parsed: ParsedText): DeclFact[] {
  const { src } = parsed;
  const typeNode = node.childForFieldName('type');
  const baseType = typeNode ? nodeText(src, typeNode) : '';
  const out: DeclFact[] = [];
  for (const d of node.childrenForFieldName('declarator')) {
    const isInit = d.type === 'init_declarator';
    const target = isInit ? d.childForFieldName('declarator') : d;
    if (!target) continue;
    const { name, stars } = declaratorName(src, target);
    if (!name) continue;
    const value = isInit ? (d.childForFieldName('value') ?? undefined) : undefined;
    out.push({
      name,
      type: normalizeType(baseType + ' ' + '*'.repeat(stars)),
      line: line(parsed, d),
      init: value,
      initText: value ? nodeText(src, value) : undefined,
    });
  }
  return out;
}

/** `static const struct net_device_ops foo_ops = { .ndo_open = foo_open, ... };` → StructInit. */
function readInitializerDeclaration(node: SyntaxNode, parsed: ParsedText): StructInit | undefined {
  const { src } = parsed;
  const typeNode = node.childForFieldName('type');
  if (!typeNode || (typeNode.type !== 'struct_specifier' && typeNode.type !== 'union_specifier')) return undefined;
  const tag = typeNode.childForFieldName('name');
  if (!tag) return undefined;
  const d = node.childForFieldName('declarator');
  if (!d || d.type !== 'init_declarator') return undefined;
  const value = d.childForFieldName('value');
  if (!value || value.type !== 'initializer_list') return undefined;
  const target = d.childForFieldName('declarator');
  const init: StructInit = {
    structType: nodeText(src, tag),
    name: target ? declaratorName(src, target).name : '',
    line: line(parsed, node),
    fields: [],
    macroCalls: [],
  };
  readInitializerList(init, value, '', parsed);
  return init;
}

function readInitializerList(init: StructInit, list: SyntaxNode, prefix: string, parsed: ParsedText): void {
  const { src } = parsed;
  for (const item of list.namedChildren) {
    if (item.type === 'initializer_pair') {
      const designators = item.childrenForFieldName('designator');
      const value = item.childForFieldName('value');
      if (!value) continue;
      const path =
        prefix +
        designators
          .map((des) => {
            const f = des.namedChildren.find((c) => c.type === 'field_identifier');
            return f ? nodeText(src, f) : '';
          })
          .filter(Boolean)
          .join('.');
      if (value.type === 'initializer_list') {
        readInitializerList(init, value, path + '.', parsed);
        continue;
      }
      const field: InitField = { path, value: nodeText(src, value), line: line(parsed, item) };
      const ident = value.type === 'pointer_expression' ? value.childForFieldName('argument') : value;
      if (ident?.type === 'identifier') field.ident = nodeText(src, ident);
      init.fields.push(field);
    } else if (item.type === 'call_expression') {
      const c = readCall(item, parsed);
      if (c) init.macroCalls.push(c);
    } else if (item.type === 'assignment_expression') {
      // `SET_SYSTEM_SLEEP_PM_OPS(s, r)` ends in its own comma, so the next `.field = x` glues onto it.
      const left = item.childForFieldName('left');
      const value = item.childForFieldName('right');
      const macro = left?.type === 'field_expression' ? left.childForFieldName('argument') : null;
      const field = left?.type === 'field_expression' ? left.childForFieldName('field') : null;
      if (macro?.type === 'call_expression') {
        const c = readCall(macro, parsed);
        if (c) init.macroCalls.push(c);
      }
      if (field && value) {
        const f: InitField = { path: prefix + nodeText(src, field), value: nodeText(src, value), line: line(parsed, field) };
        const ident = value.type === 'pointer_expression' ? value.childForFieldName('argument') : value;
        if (ident?.type === 'identifier') f.ident = nodeText(src, ident);
        init.fields.push(f);
      }
    } else if (item.type === 'ERROR' || item.type === 'initializer_list') {
      readInitializerList(init, item, prefix, parsed);
    }
  }
}
