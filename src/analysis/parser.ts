// Analysis stage: the one tree-sitter-c parser of the process, with a time bound per parse.

import Parser from 'tree-sitter';
import C from 'tree-sitter-c';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

/** Parsing a single unit may not take longer than this; a pathological input is skipped with a note. */
export const PARSE_TIMEOUT_MICROS = 2_000_000;

let parser: Parser | undefined;

function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(C as unknown as Parser.Language);
    parser.setTimeoutMicros(PARSE_TIMEOUT_MICROS);
    disableNodeCache();
    typeNamesOnPrototypes(C as unknown as { nodeSubclasses?: unknown[] });
  }
  return parser;
}

/**
 * node-tree-sitter registers every node object it creates in a per-tree native cache (a weak
 * reference with a finalizer), so that asking for the same node twice gives the same object. The
 * analysis never relies on node identity (nodes are compared by position, see `sameNode`), and the
 * weak references cost more than the nodes: a node came at about 3-5 µs with them, under 1 µs
 * without, and the collector had fewer handles to trace (pipeline CPU over the corpus down ~15%).
 * Turned off for the process; every node fetch then yields a fresh plain object.
 */
function disableNodeCache(): void {
  const tree = (Parser as unknown as { Tree?: { prototype: Record<string, unknown> } }).Tree?.prototype;
  if (!tree) return;
  for (const name of ['_cacheNode', '_cacheNodes']) if (typeof tree[name] === 'function') tree[name] = noCache;
}

function noCache(): void {}

/**
 * node-tree-sitter makes one node class per named node type and means to put the type's name on its
 * prototype (`prototype.type = name`), but that assignment meets the inherited `type` getter and is
 * silently dropped: every `node.type` is a native call. Here each class learns its name from the
 * first node that asks (one native call per class), and keeps it as a plain prototype property.
 */
function typeNamesOnPrototypes(language: { nodeSubclasses?: unknown[] }): void {
  const base = (Parser as unknown as { SyntaxNode: { prototype: object } }).SyntaxNode.prototype;
  const nativeType = Object.getOwnPropertyDescriptor(base, 'type')?.get;
  if (!nativeType || !Array.isArray(language.nodeSubclasses)) return;
  for (const cls of new Set(language.nodeSubclasses)) {
    if (typeof cls !== 'function' || cls.prototype === base || Object.hasOwn(cls.prototype, 'type')) continue;
    const proto = cls.prototype as object;
    Object.defineProperty(proto, 'type', {
      configurable: true,
      get(this: SyntaxNode) {
        const name = nativeType.call(this) as string;
        Object.defineProperty(proto, 'type', { value: name, configurable: true });
        return name;
      },
    });
  }
}

/** Time spent in parses, kept only once a stage clock asked for it (see parseMillis); no cost otherwise. */
let parseClock: { ms: number } | undefined;

/** Starts counting the time tree-sitter spends parsing (for stage timings); returns the total so far, in ms. */
export function parseMillis(): number {
  parseClock ??= { ms: 0 };
  return parseClock.ms;
}

/** Parses C text; returns undefined when the parse hit the time bound. */
export function parseC(text: string): Tree | undefined {
  if (!parseClock) return parseUntimed(text);
  const t0 = performance.now();
  try {
    return parseUntimed(text);
  } finally {
    parseClock.ms += performance.now() - t0;
  }
}

function parseUntimed(text: string): Tree | undefined {
  const p = getParser();
  // node-tree-sitter refuses strings longer than its default buffer unless told the size.
  const bufferSize = text.length + 64;
  try {
    const tree = p.parse(text, undefined, { bufferSize });
    // A timed-out parse returns no tree and leaves the parser mid-way: the next parse would resume it.
    if (!tree) p.reset();
    return tree ?? undefined;
  } catch {
    // A timeout leaves the parser mid-parse; reset so the next file starts clean.
    p.reset();
    return undefined;
  }
}
