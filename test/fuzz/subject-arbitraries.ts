// Fuzz generators: patch subjects (`Re: [PATCH net-next v3 2/5] net: foo: bar`) with the tags they carry.

import fc from 'fast-check';
import type { SubjectTags } from '../../src/ingest/patch.js';

/** A generated subject and what parseSubject must read from it. */
export interface GenSubject {
  subject: string;
  expected: Omit<SubjectTags, 'raw'>;
}

const TREES = ['net', 'net-next', 'wireless-next', 'bpf-next', 'iwl-net', 'iwl-next', 'can-next', 'nf', 'ipsec-next', 'mlx5-next', 'rdma-next', 'linux-next'];
const STABLE = ['5.10', '6.1', '6.1.y', '5.15.123', 'linux-6.6.y', 'stable', 'stable-5.4', 'stable-6.12.y'];

interface Tokens {
  rfc: 'none' | 'before' | 'after' | 'rfc-v';
  tree: string | null;
  stable: string | null;
  revision: number | null;
  position: { index: number; total: number; width: number } | null;
}

const tokens: fc.Arbitrary<Tokens> = fc.record({
  rfc: fc.constantFrom('none', 'none', 'before', 'after', 'rfc-v'),
  tree: fc.option(fc.constantFrom(...TREES)),
  stable: fc.option(fc.constantFrom(...STABLE), { freq: 4 }),
  revision: fc.option(fc.integer({ min: 1, max: 99 })),
  position: fc.option(
    fc.integer({ min: 1, max: 300 }).chain((total) =>
      fc.record({ index: fc.integer({ min: 0, max: total }), total: fc.constant(total), width: fc.integer({ min: 1, max: 3 }) }),
    ),
  ),
});

/** Title words: never a bracket or a reply prefix at the start, as a real title after the tags. */
const title: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom('net:', 'acme:', 'fix', 'leak', 'on', 'error', 'path', 'ndo_open()', 'v2', '1/2', '[x]', 're:', 'Re:', 'RFC', 'PATCH'),
      fc.stringMatching(/^[a-z0-9_()\-.]{1,10}$/),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((words) => words.join(' '))
  .filter((t) => !/^(?:\[|(?:re|aw|sv|antw|odp|fwd?|fw)\s*(?:\[\d+\])?\s*:)/i.test(t));

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `[PATCH net-next v3 2/5] title`, with reply/forward prefixes, patchwork commas and mixed case. */
export const taggedSubject: fc.Arbitrary<GenSubject> = fc
  .record({
    t: tokens,
    title,
    reply: fc.oneof({ arbitrary: fc.constant(''), weight: 4 }, fc.constantFrom('Re: ', 'RE: ', 'Re[2]: ', 'AW: ', 'SV: ', 'Re: Re: ')),
    forward: fc.oneof({ arbitrary: fc.constant(''), weight: 4 }, fc.constantFrom('Fwd: ', 'FW: ')),
    comma: fc.boolean(),
    patchWord: fc.constantFrom('PATCH', 'patch', 'Patch'),
    order: fc.boolean(),
    spaces: fc.constantFrom(' ', '  ', '\t'),
  })
  .map(({ t, title: words, reply, forward, comma, patchWord, order, spaces }): GenSubject => {
    const list: string[] = [];
    if (t.rfc === 'before') list.push('RFC');
    list.push(patchWord);
    if (t.rfc === 'after') list.push('RFC');
    const middle: string[] = [];
    if (t.tree !== null) middle.push(t.tree);
    if (t.stable !== null) middle.push(t.stable);
    if (t.revision !== null) middle.push(t.rfc === 'rfc-v' ? `RFC-v${t.revision}` : `v${t.revision}`);
    if (order) middle.reverse();
    list.push(...middle);
    if (t.position !== null) list.push(`${pad(t.position.index, t.position.width)}/${pad(t.position.total, t.position.width)}`);
    const subject = `${forward}${reply}[${list.join(comma ? ',' : spaces)}]${spaces}${words}`;

    const stableMatch = t.stable === null ? undefined : /(\d+\.\d+)/.exec(t.stable)?.[1];
    const expected: GenSubject['expected'] = {
      title: words,
      revision: t.revision ?? 1,
      rfc: t.rfc === 'before' || t.rfc === 'after' || (t.rfc === 'rfc-v' && t.revision !== null),
      isReply: reply !== '',
    };
    if (t.stable !== null) {
      expected.tree = 'stable';
      if (stableMatch !== undefined) expected.stableVersion = stableMatch;
    } else if (t.tree !== null) expected.tree = t.tree;
    if (t.position !== null) {
      expected.index = t.position.index;
      expected.total = t.position.total;
    }
    return { subject, expected };
  });
