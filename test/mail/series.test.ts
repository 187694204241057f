// Mail stage tests: series assembly on hand-made threads (shallow and deep threading, missing cover, v2 in the v1 thread).

import { describe, expect, it } from 'vitest';

import { assembleSeries, seriesKey } from '../../src/mail/series.js';
import { zeroCounts, type PatchTriage } from '../../src/mail/triage.js';

let ordinal = 0;
function mail(over: Partial<PatchTriage> & Pick<PatchTriage, 'messageId' | 'kind'>): PatchTriage {
  return {
    references: over.inReplyTo !== undefined ? [over.inReplyTo] : [],
    ordinal: ordinal++,
    origin: `${over.messageId ?? ''}.eml`,
    subject: over.title ?? 't',
    title: 't',
    from: 'A <a@x.org>',
    tree: 'net-next',
    treeName: 'net-next',
    revision: 1,
    rfc: false,
    reviewed: over.kind === 'patch',
    relevant: false,
    findings: [],
    counts: zeroCounts(),
    fixes: [],
    missingFixes: false,
    notes: [],
    ...over,
  };
}

describe('assembleSeries', () => {
  it('groups shallow threading under the cover letter, which gives the title', () => {
    const s = assembleSeries([
      mail({ messageId: 'c', kind: 'cover-letter', title: 'the series', index: 0, total: 2 }),
      mail({ messageId: 'p2', kind: 'patch', title: 'second', index: 2, total: 2, inReplyTo: 'c', counts: { error: 1, warning: 0, info: 0 }, relevant: true }),
      mail({ messageId: 'p1', kind: 'patch', title: 'first', index: 1, total: 2, inReplyTo: 'c' }),
      mail({ messageId: 'r1', kind: 'reply', title: 'second', inReplyTo: 'p2', references: ['c', 'p2'] }),
    ]);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ key: 'c#v1', title: 'the series', coverLetter: 'c', total: 2, replies: 1, relevant: true, counts: { error: 1, warning: 0, info: 0 } });
    expect(s[0]?.patches.map((p) => p.messageId)).toEqual(['p1', 'p2']);
  });

  it('follows deep threading and a missing cover letter to one head', () => {
    const s = assembleSeries([
      mail({ messageId: 'd1', kind: 'patch', title: 'first', index: 1, total: 3, inReplyTo: 'gone' }),
      mail({ messageId: 'd2', kind: 'patch', index: 2, total: 3, inReplyTo: 'd1' }),
      mail({ messageId: 'd3', kind: 'patch', index: 3, total: 3, inReplyTo: 'd2' }),
    ]);
    expect(s.map((x) => [x.key, x.title, x.patches.length])).toEqual([['gone#v1', 'first', 3]]);
  });

  it('keeps a v2 sent in the v1 thread apart and marks the v1 superseded', () => {
    const s = assembleSeries([
      mail({ messageId: 'a1', kind: 'patch', title: 'net: fix foo', index: 1, total: 2 }),
      mail({ messageId: 'a2', kind: 'patch', title: 'net: foo bar', index: 2, total: 2, inReplyTo: 'a1' }),
      mail({ messageId: 'b1', kind: 'patch', title: 'net: fix foo', revision: 2, index: 1, total: 2, inReplyTo: 'a1' }),
      mail({ messageId: 'b2', kind: 'patch', title: 'net: foo bar', revision: 2, index: 2, total: 2, inReplyTo: 'b1' }),
    ]);
    expect(s.map((x) => [x.key, x.revision, x.patches.map((p) => p.messageId), x.supersededBy])).toEqual([
      ['a1#v1', 1, ['a1', 'a2'], 'b1#v2'],
      ['b1#v2', 2, ['b1', 'b2'], undefined],
    ]);
  });

  it('lists a git request-pull mail as a pull request, and never a reply as a patch', () => {
    const s = assembleSeries([
      mail({ messageId: 'pr', kind: 'pull-request', title: 'pull-request: can 2026-01-16', index: 0, total: 1 }),
      mail({ messageId: 'x', kind: 'reply', title: 'pull-request: can 2026-01-16', inReplyTo: 'pr' }),
      mail({ messageId: 'lone-reply', kind: 'reply', title: 'elsewhere', inReplyTo: 'unknown' }),
    ]);
    expect(s).toEqual([expect.objectContaining({ key: 'pr#v1', pullRequest: true, patches: [], replies: 1 })]);
  });
});

describe('seriesKey', () => {
  it('names the head from one mail: itself for a cover letter or lone patch, the answered mail otherwise', () => {
    const tags = { title: 't', revision: 3, rfc: false, raw: [], isReply: false };
    expect(seriesKey({ messageId: 'c', kind: 'cover-letter', tags: { ...tags, index: 0, total: 2 }, ordinal: 0 })).toBe('c#v3');
    expect(seriesKey({ messageId: 'p', inReplyTo: 'c', kind: 'patch', tags: { ...tags, index: 2, total: 2 }, ordinal: 1 })).toBe('c#v3');
    expect(seriesKey({ messageId: 'l', inReplyTo: 'greg', kind: 'patch', tags, ordinal: 2 })).toBe('l#v3');
  });
});
