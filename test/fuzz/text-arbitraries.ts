// Fuzz generators: hostile text — control characters, NUL, lone surrogates, line breaks of every kind, long runs.

import fc from 'fast-check';

/** Pieces that break naive text handling: line breaks, controls, bidi overrides, surrogates, markup, quoting. */
export const HOSTILE_PIECES = [
  '\0', '\x01', '\x07', '\b', '\t', '\n', '\v', '\f', '\r', '\r\n', '\x1b', '\x1b[31m', '\x1b]0;t\x07', '\x7f', '\x85',
  '\x9b', '\u00a0', '\u061c', '\u200e', '\u2028', '\u2029', '\u202e', '\u2066', '\ufeff', '\ufffd', '\ud800', '\udfff',
  '\ud83d\ude00', '\ude00\ud83d', 'é', '日本語', '"', "'", '\\', '/', '<', '>', '&', '`', '```', '<!--', '-->', '%', '%00',
  '${x}', '{', '}', '[', ']', '(', ')', '*', '_', '#', ' ', '  ', '-- ', '@@', '+', '-', ':', ';', ',', '=', '?', '0',
  '9999999999999999999999', 'free_netdev()', 'ERROR:X: y', '#1: FILE: a.c:1:', 'total: 0 errors',
];

/** Any UTF-16 code unit, lone surrogates included (fast-check's own string units never produce those). */
export const codeUnit: fc.Arbitrary<string> = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Short text of any kind: printable, any code point, any code unit, or hostile pieces run together. */
export function hostileText(maxLength = 30): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: codeUnit, maxLength }),
    fc.array(fc.constantFrom(...HOSTILE_PIECES), { maxLength }).map((pieces) => pieces.join('')),
    fc.string({ unit: fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: 'grapheme', maxLength: 3 })), maxLength }),
  );
}

/** A long run of one hostile piece (a very long line, many lines, many backticks), up to `max` repeats. */
export function longText(max = 100_000): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('a', ' ', '\n', '\r\n', '`', '\t', 'é', '\ud800', '<', '_', '-- \n', '\n\n'), fc.integer({ min: 1000, max }))
    .map(([piece, n]) => piece.repeat(n));
}

/** Hostile text, now and then a very long one. */
export function anyText(maxLength = 30): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: hostileText(maxLength), weight: 20 }, { arbitrary: longText(), weight: 1 });
}

/** True when the string has no unpaired surrogate (it survives UTF-8 encoding unchanged). */
export function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
