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
  }
  return parser;
}

/** Parses C text; returns undefined when the parse hit the time bound. */
export function parseC(text: string): Tree | undefined {
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
