// Dev stand-in for GitHub: a small GraphQL reader and executor, enough to answer the app's queries field by field.

/*
 * Why not return a canned JSON blob per query? Because the app's bugs live in its query text:
 * a field it forgot to select, an alias, a variable it never declared. Executing the selection
 * against a tiny object model returns exactly the fields asked for, and a field GitHub's schema
 * does not have (in this model) is an error shaped like GitHub's, not a silent `undefined`.
 * Supported: queries and mutations, aliases, arguments (literals and variables), fragments
 * (named and inline), @include/@skip. Not supported: subscriptions, schema introspection.
 */

/** What a resolver may return: scalars, objects of the model, and lists of them. */
export type GqlOutput = null | string | number | boolean | GqlObject | readonly GqlOutput[];

/** Arguments a resolver receives, variables already substituted. */
export type GqlArgs = Readonly<Record<string, unknown>>;

/** One object of the model: its GraphQL type name and a resolver per field. */
export interface GqlObject {
  readonly typename: string;
  /** Interfaces the type implements, so `... on Node` fragments apply. */
  readonly interfaces?: readonly string[];
  readonly fields: Readonly<Record<string, (args: GqlArgs) => GqlOutput>>;
}

/** A GraphQL error as GitHub writes it. */
export interface GqlError {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

/** The JSON body of a GraphQL answer. */
export interface GqlResponse {
  data?: Record<string, unknown> | null;
  errors?: GqlError[];
}

/** Thrown by a resolver: the field becomes `null` and the error is reported with its path. */
export class GqlFieldError extends Error {
  constructor(
    message: string,
    readonly type?: string,
  ) {
    super(message);
  }
}

/** Thrown by a resolver or the executor: the whole request fails with `errors` and no `data`. */
export class GqlRequestError extends Error {
  constructor(
    message: string,
    readonly extra: Omit<GqlError, 'message'> = {},
  ) {
    super(message);
  }
}

/** Parses and executes one GraphQL request body against the model's roots. */
export function runGraphql(
  body: unknown,
  roots: { query: GqlObject; mutation: GqlObject },
): GqlResponse {
  if (typeof body !== 'object' || body === null) {
    return { errors: [{ message: 'A query attribute must be specified and must be a string.' }] };
  }
  const request = body as Record<string, unknown>;
  if (typeof request.query !== 'string') {
    return { errors: [{ message: 'A query attribute must be specified and must be a string.' }] };
  }
  const rawVariables = request.variables;
  const variables =
    typeof rawVariables === 'object' && rawVariables !== null && !Array.isArray(rawVariables)
      ? (rawVariables as Record<string, unknown>)
      : {};
  try {
    const document = new Parser(request.query).document();
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const operation = pickOperation(document.operations, operationName);
    const context: Context = {
      fragments: document.fragments,
      variables: bindVariables(operation, variables),
      errors: [],
    };
    if (operation.type === 'subscription') {
      throw new GqlRequestError('Subscriptions are not supported by this stand-in');
    }
    const root = operation.type === 'mutation' ? roots.mutation : roots.query;
    const data = executeSelections(root, operation.selections, [], context);
    return context.errors.length > 0 ? { data, errors: context.errors } : { data };
  } catch (error) {
    if (error instanceof GqlRequestError) return { errors: [{ ...error.extra, message: error.message }] };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the query text.

interface Location {
  line: number;
  column: number;
}

type ValueNode =
  | { kind: 'variable'; name: string }
  | { kind: 'constant'; value: unknown }
  | { kind: 'list'; items: ValueNode[] }
  | { kind: 'object'; fields: [string, ValueNode][] };

interface Directive {
  name: string;
  args: [string, ValueNode][];
}

interface FieldNode {
  kind: 'field';
  alias?: string;
  name: string;
  args: [string, ValueNode][];
  directives: Directive[];
  selections?: Selection[];
  loc: Location;
}

interface InlineFragmentNode {
  kind: 'inline';
  typeCondition?: string;
  directives: Directive[];
  selections: Selection[];
}

interface SpreadNode {
  kind: 'spread';
  name: string;
  directives: Directive[];
  loc: Location;
}

type Selection = FieldNode | InlineFragmentNode | SpreadNode;

interface VariableDefinition {
  name: string;
  type: string;
  defaultValue?: ValueNode;
}

interface OperationNode {
  type: 'query' | 'mutation' | 'subscription';
  name?: string;
  variables: VariableDefinition[];
  selections: Selection[];
}

interface FragmentNode {
  typeCondition: string;
  selections: Selection[];
}

interface DocumentNode {
  operations: OperationNode[];
  fragments: Map<string, FragmentNode>;
}

interface Token {
  kind: 'punct' | 'name' | 'number' | 'string' | 'eof';
  value: string;
  loc: Location;
}

const PUNCTUATORS = new Set(['{', '}', '(', ')', ':', '!', '$', '[', ']', '=', '@', '|', '&']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (at: number): Location => ({ line, column: at - lineStart + 1 });
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      line += 1;
      i += 1;
      lineStart = i;
      continue;
    }
    // Commas are insignificant in GraphQL, like whitespace.
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === ',' || ch === '\uFEFF') {
      i += 1;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i += 1;
      continue;
    }
    if (text.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', loc: loc(i) });
      i += 3;
      continue;
    }
    if (PUNCTUATORS.has(ch)) {
      tokens.push({ kind: 'punct', value: ch, loc: loc(i) });
      i += 1;
      continue;
    }
    if (/[_A-Za-z]/.test(ch)) {
      const start = i;
      while (i < text.length && /[_0-9A-Za-z]/.test(text[i]!)) i += 1;
      tokens.push({ kind: 'name', value: text.slice(start, i), loc: loc(start) });
      continue;
    }
    if (/[-0-9]/.test(ch)) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!match) throw parseError(`Parse error on "${ch}"`, loc(i));
      tokens.push({ kind: 'number', value: match[0], loc: loc(i) });
      i += match[0].length;
      continue;
    }
    if (ch === '"') {
      const start = i;
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        if (end < 0) throw parseError('Parse error: unterminated string', loc(start));
        const raw = text.slice(i + 3, end);
        for (const c of raw) if (c === '\n') line += 1;
        tokens.push({ kind: 'string', value: raw.trim(), loc: loc(start) });
        i = end + 3;
        continue;
      }
      i += 1;
      let value = '';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\n') throw parseError('Parse error: unterminated string', loc(start));
        if (text[i] === '\\') {
          const next = text[i + 1] ?? '';
          const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
          if (next === 'u') {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          value += escapes[next] ?? next;
          i += 2;
          continue;
        }
        value += text[i];
        i += 1;
      }
      if (i >= text.length) throw parseError('Parse error: unterminated string', loc(start));
      i += 1;
      tokens.push({ kind: 'string', value, loc: loc(start) });
      continue;
    }
    throw parseError(`Parse error on "${ch}"`, loc(i));
  }
  tokens.push({ kind: 'eof', value: '', loc: loc(i) });
  return tokens;
}

function parseError(message: string, at: Location): GqlRequestError {
  return new GqlRequestError(`${message} at [${at.line}, ${at.column}]`, { locations: [at] });
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  document(): DocumentNode {
    const operations: OperationNode[] = [];
    const fragments = new Map<string, FragmentNode>();
    while (this.peek().kind !== 'eof') {
      const token = this.peek();
      if (token.kind === 'punct' && token.value === '{') {
        operations.push({ type: 'query', variables: [], selections: this.selectionSet() });
      } else if (token.kind === 'name' && token.value === 'fragment') {
        this.next();
        const name = this.name();
        this.expectName('on');
        const typeCondition = this.name();
        this.directives();
        fragments.set(name, { typeCondition, selections: this.selectionSet() });
      } else if (token.kind === 'name' && ['query', 'mutation', 'subscription'].includes(token.value)) {
        this.next();
        const type = token.value as OperationNode['type'];
        const name = this.peek().kind === 'name' ? this.name() : undefined;
        const variables = this.isPunct('(') ? this.variableDefinitions() : [];
        this.directives();
        operations.push({ type, ...(name === undefined ? {} : { name }), variables, selections: this.selectionSet() });
      } else {
        throw this.unexpected();
      }
    }
    if (operations.length === 0) throw new GqlRequestError('No operations in query document');
    return { operations, fragments };
  }

  private variableDefinitions(): VariableDefinition[] {
    this.expectPunct('(');
    const definitions: VariableDefinition[] = [];
    while (!this.isPunct(')')) {
      this.expectPunct('$');
      const name = this.name();
      this.expectPunct(':');
      const type = this.typeReference();
      let defaultValue: ValueNode | undefined;
      if (this.isPunct('=')) {
        this.next();
        defaultValue = this.value(true);
      }
      this.directives();
      definitions.push({ name, type, ...(defaultValue === undefined ? {} : { defaultValue }) });
    }
    this.expectPunct(')');
    return definitions;
  }

  private typeReference(): string {
    let type: string;
    if (this.isPunct('[')) {
      this.next();
      type = `[${this.typeReference()}]`;
      this.expectPunct(']');
    } else {
      type = this.name();
    }
    if (this.isPunct('!')) {
      this.next();
      type += '!';
    }
    return type;
  }

  private selectionSet(): Selection[] {
    this.expectPunct('{');
    const selections: Selection[] = [];
    while (!this.isPunct('}')) selections.push(this.selection());
    this.expectPunct('}');
    if (selections.length === 0) throw this.unexpected();
    return selections;
  }

  private selection(): Selection {
    if (this.isPunct('...')) {
      const spread = this.next();
      if (this.peek().kind === 'name' && this.peek().value !== 'on') {
        const name = this.name();
        return { kind: 'spread', name, directives: this.directives(), loc: spread.loc };
      }
      let typeCondition: string | undefined;
      if (this.peek().kind === 'name' && this.peek().value === 'on') {
        this.next();
        typeCondition = this.name();
      }
      const directives = this.directives();
      return {
        kind: 'inline',
        ...(typeCondition === undefined ? {} : { typeCondition }),
        directives,
        selections: this.selectionSet(),
      };
    }
    const first = this.peek();
    let name = this.name();
    let alias: string | undefined;
    if (this.isPunct(':')) {
      this.next();
      alias = name;
      name = this.name();
    }
    const args = this.isPunct('(') ? this.arguments(false) : [];
    const directives = this.directives();
    const selections = this.isPunct('{') ? this.selectionSet() : undefined;
    return {
      kind: 'field',
      ...(alias === undefined ? {} : { alias }),
      name,
      args,
      directives,
      ...(selections === undefined ? {} : { selections }),
      loc: first.loc,
    };
  }

  private arguments(constant: boolean): [string, ValueNode][] {
    this.expectPunct('(');
    const args: [string, ValueNode][] = [];
    while (!this.isPunct(')')) {
      const name = this.name();
      this.expectPunct(':');
      args.push([name, this.value(constant)]);
    }
    this.expectPunct(')');
    return args;
  }

  private directives(): Directive[] {
    const directives: Directive[] = [];
    while (this.isPunct('@')) {
      this.next();
      const name = this.name();
      directives.push({ name, args: this.isPunct('(') ? this.arguments(false) : [] });
    }
    return directives;
  }

  private value(constant: boolean): ValueNode {
    const token = this.next();
    if (token.kind === 'punct' && token.value === '$' && !constant) return { kind: 'variable', name: this.name() };
    if (token.kind === 'number') return { kind: 'constant', value: Number(token.value) };
    if (token.kind === 'string') return { kind: 'constant', value: token.value };
    if (token.kind === 'name') {
      if (token.value === 'true') return { kind: 'constant', value: true };
      if (token.value === 'false') return { kind: 'constant', value: false };
      if (token.value === 'null') return { kind: 'constant', value: null };
      return { kind: 'constant', value: token.value }; // an enum value, e.g. RIGHT
    }
    if (token.kind === 'punct' && token.value === '[') {
      const items: ValueNode[] = [];
      while (!this.isPunct(']')) items.push(this.value(constant));
      this.next();
      return { kind: 'list', items };
    }
    if (token.kind === 'punct' && token.value === '{') {
      const fields: [string, ValueNode][] = [];
      while (!this.isPunct('}')) {
        const name = this.name();
        this.expectPunct(':');
        fields.push([name, this.value(constant)]);
      }
      this.next();
      return { kind: 'object', fields };
    }
    this.index -= 1;
    throw this.unexpected();
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private expectPunct(value: string): void {
    if (!this.isPunct(value)) throw this.unexpected();
    this.next();
  }

  private expectName(value: string): void {
    const token = this.peek();
    if (token.kind !== 'name' || token.value !== value) throw this.unexpected();
    this.next();
  }

  private name(): string {
    const token = this.peek();
    if (token.kind !== 'name') throw this.unexpected();
    this.next();
    return token.value;
  }

  private unexpected(): GqlRequestError {
    const token = this.peek();
    const shown = token.kind === 'eof' ? 'end of file' : `"${token.value}"`;
    return parseError(`Parse error on ${shown}`, token.loc);
  }
}

function pickOperation(operations: OperationNode[], name: string | undefined): OperationNode {
  if (name !== undefined) {
    const found = operations.find((operation) => operation.name === name);
    if (!found) throw new GqlRequestError(`No operation named "${name}"`);
    return found;
  }
  if (operations.length > 1) {
    throw new GqlRequestError('An operation name is required when the document holds more than one operation');
  }
  return operations[0]!;
}

// ---------------------------------------------------------------------------------------------
// Executing it.

interface Context {
  fragments: Map<string, FragmentNode>;
  variables: Map<string, unknown>;
  errors: GqlError[];
}

function bindVariables(operation: OperationNode, given: Record<string, unknown>): Map<string, unknown> {
  const bound = new Map<string, unknown>();
  const label = operation.name ?? `anonymous ${operation.type}`;
  for (const definition of operation.variables) {
    let value: unknown = given[definition.name];
    if (value === undefined && definition.defaultValue !== undefined) {
      value = evaluate(definition.defaultValue, new Map());
    }
    if ((value === undefined || value === null) && definition.type.endsWith('!')) {
      throw new GqlRequestError(
        `Variable $${definition.name} of type ${definition.type} was provided invalid value`,
        { extensions: { value: value ?? null, problems: [{ path: [], explanation: 'Expected value to not be null' }] } },
      );
    }
    bound.set(definition.name, value ?? null);
  }
  // A variable used but never declared is an error GitHub reports before running anything.
  const declared = new Set(operation.variables.map((definition) => definition.name));
  const used = new Set<string>();
  collectVariables(operation.selections, used, new Set());
  for (const name of used) {
    if (!declared.has(name)) throw new GqlRequestError(`Variable $${name} is used by ${label} but not declared`);
  }
  return bound;
}

function collectVariables(selections: Selection[], used: Set<string>, seen: Set<Selection>): void {
  const fromValue = (value: ValueNode): void => {
    if (value.kind === 'variable') used.add(value.name);
    if (value.kind === 'list') value.items.forEach(fromValue);
    if (value.kind === 'object') value.fields.forEach(([, v]) => fromValue(v));
  };
  for (const selection of selections) {
    if (seen.has(selection)) continue;
    seen.add(selection);
    for (const directive of selection.directives) directive.args.forEach(([, v]) => fromValue(v));
    if (selection.kind === 'field') {
      selection.args.forEach(([, v]) => fromValue(v));
      if (selection.selections) collectVariables(selection.selections, used, seen);
    } else if (selection.kind === 'inline') {
      collectVariables(selection.selections, used, seen);
    }
  }
}

function evaluate(value: ValueNode, variables: Map<string, unknown>): unknown {
  switch (value.kind) {
    case 'variable':
      return variables.get(value.name) ?? null;
    case 'constant':
      return value.value;
    case 'list':
      return value.items.map((item) => evaluate(item, variables));
    case 'object':
      return Object.fromEntries(value.fields.map(([name, v]) => [name, evaluate(v, variables)]));
  }
}

function included(directives: Directive[], context: Context): boolean {
  for (const directive of directives) {
    const condition = directive.args.find(([name]) => name === 'if');
    const value = condition ? evaluate(condition[1], context.variables) === true : false;
    if (directive.name === 'include' && !value) return false;
    if (directive.name === 'skip' && value) return false;
  }
  return true;
}

function appliesTo(object: GqlObject, typeCondition: string | undefined): boolean {
  return typeCondition === undefined || typeCondition === object.typename || (object.interfaces ?? []).includes(typeCondition);
}

/** Flattens fragments into the fields that apply to `object`, grouped by response key in order. */
function collectFields(
  object: GqlObject,
  selections: Selection[],
  context: Context,
  into: Map<string, FieldNode[]>,
  visiting: Set<string>,
): Map<string, FieldNode[]> {
  for (const selection of selections) {
    if (!included(selection.directives, context)) continue;
    if (selection.kind === 'field') {
      const key = selection.alias ?? selection.name;
      into.set(key, [...(into.get(key) ?? []), selection]);
    } else if (selection.kind === 'inline') {
      if (appliesTo(object, selection.typeCondition)) collectFields(object, selection.selections, context, into, visiting);
    } else {
      const fragment = context.fragments.get(selection.name);
      if (!fragment) {
        throw new GqlRequestError(`Fragment ${selection.name} was used, but not defined`, { locations: [selection.loc] });
      }
      if (visiting.has(selection.name)) continue;
      if (appliesTo(object, fragment.typeCondition)) {
        collectFields(object, fragment.selections, context, into, new Set([...visiting, selection.name]));
      }
    }
  }
  return into;
}

function isGqlObject(value: GqlOutput): value is GqlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'fields' in value;
}

function executeSelections(
  object: GqlObject,
  selections: Selection[],
  path: (string | number)[],
  context: Context,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, nodes] of collectFields(object, selections, context, new Map(), new Set())) {
    const field = nodes[0]!;
    if (field.name === '__typename') {
      result[key] = object.typename;
      continue;
    }
    const resolver = object.fields[field.name];
    if (!resolver) {
      throw new GqlRequestError(`Field '${field.name}' doesn't exist on type '${object.typename}'`, {
        path: [...path, key],
        locations: [field.loc],
        extensions: { code: 'undefinedField', typeName: object.typename, fieldName: field.name },
      });
    }
    const args = Object.fromEntries(field.args.map(([name, value]) => [name, evaluate(value, context.variables)]));
    // Same-key fields are merged, as GraphQL's field collection requires.
    const subSelections = nodes.flatMap((node) => node.selections ?? []);
    let value: GqlOutput;
    try {
      value = resolver(args);
    } catch (error) {
      if (!(error instanceof GqlFieldError)) throw error;
      context.errors.push({
        ...(error.type === undefined ? {} : { type: error.type }),
        path: [...path, key],
        locations: [field.loc],
        message: error.message,
      });
      result[key] = null;
      continue;
    }
    result[key] = complete(value, field, subSelections, [...path, key], context, object.typename);
  }
  return result;
}

function complete(
  value: GqlOutput,
  field: FieldNode,
  selections: Selection[],
  path: (string | number)[],
  context: Context,
  parentType: string,
): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) {
    const items: readonly GqlOutput[] = value;
    return items.map((item, index) => complete(item, field, selections, [...path, index], context, parentType));
  }
  if (isGqlObject(value)) {
    if (selections.length === 0) {
      throw new GqlRequestError(
        `Field must have selections (field '${field.name}' returns ${value.typename} but has no selections. Did you mean '${field.name} { ... }'?)`,
        { path, locations: [field.loc], extensions: { code: 'selectionMismatch', nodeName: `field '${field.name}'`, typeName: value.typename } },
      );
    }
    return executeSelections(value, selections, path, context);
  }
  if (selections.length > 0) {
    throw new GqlRequestError(
      `Selections can't be made on scalars (field '${field.name}' on ${parentType} returns a scalar)`,
      { path, locations: [field.loc], extensions: { code: 'selectionMismatch' } },
    );
  }
  return value;
}
