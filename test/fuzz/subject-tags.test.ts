// Fuzz: the subject-tag parser — generated `[PATCH net-next v3 2/5]` subjects round-trip; any text reads sanely.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSubject } from '../../src/ingest/subject-tags.js';
import { expectSaneTags } from './invariants.js';
import { check, TEST_TIMEOUT } from './settings.js';
import { taggedSubject } from './subject-arbitraries.js';
import { hostileText, longText } from './text-arbitraries.js';

const subjectNoise = fc
  .array(
    fc.oneof(
      fc.constantFrom('[', ']', 'PATCH', 'RFC', 'v', 'v2', 'v0', '1/2', '0/0', '/', ',', ' ', 'Re:', 're :', 'Fwd:', 'AW:', 'net-next', '5.10', 'stable', '-'),
      fc.constantFrom('99999999999999999999/3', '1/99999999999999999999', 'v99999999999999999999', `${'9'.repeat(400)}/1`),
      hostileText(8),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

const NOISE_TOKENS = ['PATCH', 'RFC', 'v0', 'v2', 'V3', 'rfc-v4', '0/0', '1/2', '009/105', '3/1', '5.10', '6.1.y', 'linux-6.6.y', 'stable', 'stable-5.4', 'net', 'NET-NEXT', 'ethernet', 'x-next', '-next'];
const HUGE_TOKENS = ['99999999999999999999/3', '1/99999999999999999999', 'v99999999999999999999', `${'9'.repeat(400)}/1`, `v${'9'.repeat(400)}`, '1e3/2', '0x10/0x20'];

/** Bracket groups of tag-like tokens, huge numbers among them. */
const tagNoise = fc
  .array(fc.array(fc.oneof(fc.constantFrom(...NOISE_TOKENS, ...HUGE_TOKENS), hostileText(6)), { maxLength: 6 }), { minLength: 1, maxLength: 3 })
  .map((groups) => `${groups.map((g) => `[${g.join(' ')}]`).join(' ')} title`);

/** One bracket group of very many tokens (a crafted subject header can be megabytes long). */
const hugeGroup = fc
  .tuple(fc.constantFrom('a ', 'v2,', '1/2 ', 'net-next\t'), fc.integer({ min: 1000, max: 300_000 }))
  .map(([piece, n]) => `[${piece.repeat(n)}] title`);

describe('fuzz: parseSubject', () => {
  it('reads back the tags of a generated subject', () => {
    check('subject/round-trip', 1000, [taggedSubject], ({ subject, expected }) => {
      const tags = parseSubject(subject);
      const { raw: _raw, ...got } = tags;
      expect(got).toEqual(expected);
      expectSaneTags(tags);
    });
  }, TEST_TIMEOUT);

  it('reads the same tags through patchwork commas, extra spaces and a list prefix', () => {
    check('subject/list-prefix', 300, [taggedSubject], ({ subject, expected }) => {
      if (expected.isReply) return;
      const { raw: _raw, ...got } = parseSubject(`[netdev] ${subject.replace(/^(?:Fwd|FW): /, '')}`);
      expect(got).toEqual(expected);
    });
  }, TEST_TIMEOUT);

  it('reads any text sanely', () => {
    check('subject/any', 1000, [fc.oneof({ arbitrary: fc.oneof(subjectNoise, tagNoise, hostileText(60)), weight: 30 }, { arbitrary: fc.oneof(hugeGroup, longText(20_000)), weight: 1 })], (subject) => {
      expectSaneTags(parseSubject(subject));
    });
  }, TEST_TIMEOUT);
});
