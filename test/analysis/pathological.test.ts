// Analysis-layer tests: inputs built to be hostile — 50k nested blocks, a 100k-line function, text that hits
// the parse time bound. The analysis must return (with a note where it skipped something), never hang or throw.
// The multi-second cases are opt-in like the real-tree tests (SLOW_TESTS in helpers.ts).

import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../../src/analysis/extract.js';
import { lockFacts } from '../../src/analysis/locks.js';
import { parseC } from '../../src/analysis/parser.js';
import { Program } from '../../src/analysis/program.js';
import { factsOf, fnNamed, fullSource, SLOW_TESTS } from './helpers.js';

function nestedIfs(depth: number): string {
  return `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
${'\tif (a) {\n'.repeat(depth)}\t\tacme_deep(dev);
${'\t}\n'.repeat(depth)}\treturn NETDEV_TX_OK;
}
`;
}

function longFunction(lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => `\tx += acme_step(dev, ${i});`).join('\n');
  return `static int acme_long(struct net_device *dev)\n{\n\tint x = 0;\n${body}\n\treturn x;\n}\n`;
}

describe('pathological inputs', () => {
  it('reads a function with 50k nested `if (a) {` blocks', () => {
    const facts = factsOf(nestedIfs(50_000));
    const fn = fnNamed(facts, 'acme_start_xmit');
    expect(fn.whole).toBe(true);
    expect(fn.calls.map((c) => [c.name, c.line])).toEqual([['acme_deep', 50_003]]);
    expect(fn.returns.map((r) => r.line)).toEqual([100_004]);
    const program = new Program([facts]);
    expect(program.roles(fn).map((r) => r.role)).toEqual(['ndo_start_xmit']);
    expect(program.reaches(fn)).toHaveLength(1);
  });

  it('computes lock facts of a function with 50k nested blocks without throwing', () => {
    const fn = fnNamed(factsOf(nestedIfs(50_000)), 'acme_start_xmit');
    expect(() => lockFacts(fn)).not.toThrow();
  });

  it('computes lock facts of a function nested 200 deep', () => {
    const fn = fnNamed(factsOf(nestedIfs(200)), 'acme_start_xmit');
    expect(lockFacts(fn).atCall.size).toBe(1);
  });

  it('never throws on odd text: empty, only braces, unterminated comment and string, NUL bytes', () => {
    for (const text of ['', '\n\n', '}}}}', '{{{{', '/* never closed', '"never closed', '\u0000\u0000', 'static int f(', '#if\n#else\n', ')('.repeat(1000)]) {
      expect(() => new Program([factsOf(text)]), JSON.stringify(text)).not.toThrow();
      for (const fn of factsOf(text).functions) expect(() => lockFacts(fn)).not.toThrow();
    }
  });
});

describe.skipIf(!SLOW_TESTS)('slow pathological inputs (run where the real tree is, or with NETDEV_REVIEW_SLOW=1)', () => {
  it('reads a 100k-line function', () => {
    const facts = factsOf(longFunction(100_000));
    const fn = fnNamed(facts, 'acme_long');
    expect([fn.line, fn.endLine, fn.whole]).toEqual([1, 100_005, true]);
    expect(fn.calls).toHaveLength(100_000);
    expect(fn.calls[99_999].line).toBe(100_003);
    expect(fn.assigns).toHaveLength(100_000);
    expect(new Program([facts]).roles(fn)).toEqual([]);
  });


  // Unbalanced punctuation soup: tree-sitter's error recovery on ~2.8 MB of it outlasts PARSE_TIMEOUT_MICROS.
  const soup = Array.from({ length: 200_000 }, (_, i) => (i % 3 ? ') ( ] [ { ;' : 'a b c d e f ,, ::')).join('\n');
  const OPEN = 'static int acme_open(struct net_device *dev)\n{\n\treturn 0;\n}\n';
  /** Whatever state a timed-out parse left behind is consumed, so the next test starts clean. */
  const flushParser = () => void parseC('int acme_flush;');

  it('skips a unit whose parse hits the time bound, with a note, instead of hanging', () => {
    try {
      const facts = extractFileFacts(fullSource(soup));
      expect(facts.notes).toEqual(['drivers/net/ethernet/acme/acme_main.c:1: parsing took too long; this part was skipped']);
      expect(facts.functions).toEqual([]);
    } finally {
      flushParser();
    }
  }, 30_000);

  it('reads the unit after a timed-out one normally (the parser is reset)', () => {
    try {
      const source = fullSource(soup);
      source.units.push({ text: OPEN, firstLine: 200_001 });
      const facts = extractFileFacts(source);
      expect(facts.notes).toHaveLength(1);
      expect(facts.functions.map((f) => [f.name, f.line, f.whole])).toEqual([['acme_open', 200_001, true]]);
    } finally {
      flushParser();
    }
  }, 30_000);

  it('parses normally again once the halted parse is consumed', () => {
    expect(parseC(OPEN)?.rootNode.hasError).toBe(false);
    expect(fnNamed(factsOf(OPEN), 'acme_open').whole).toBe(true);
  });
});
