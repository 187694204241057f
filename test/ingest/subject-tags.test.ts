// Ingest stage tests: subject prefixes and bracket tags → tree, stable version, revision, series position.

import { describe, expect, it } from 'vitest';

import { parseSubject } from '../../src/ingest/subject-tags.js';

describe('parseSubject', () => {
  const cases: [string, Partial<ReturnType<typeof parseSubject>>][] = [
    [
      '[PATCH net-next v3 2/7] net: acme: use napi_schedule_irqoff()',
      { tree: 'net-next', revision: 3, index: 2, total: 7, rfc: false, isReply: false, title: 'net: acme: use napi_schedule_irqoff()' },
    ],
    ['[PATCH v2 net 1/3] net: acme: fix a leak', { tree: 'net', revision: 2, index: 1, total: 3 }],
    [
      '[PATCH 5.10 009/105] docs: net: explain struct net_device lifetime',
      { tree: 'stable', stableVersion: '5.10', index: 9, total: 105, revision: 1 },
    ],
    ['[PATCH 6.1.y] net: acme: fix a leak', { tree: 'stable', stableVersion: '6.1' }],
    ['[PATCH stable 5.15] net: acme: fix a leak', { tree: 'stable', stableVersion: '5.15' }],
    ['[PATCH 4.19 stable] net: acme: fix a leak', { tree: 'stable', stableVersion: '4.19' }],
    ['[PATCH 6.6 net] net: acme: fix a leak', { tree: 'stable', stableVersion: '6.6' }],
    ['[RFC PATCH net-next 00/10] net: acme: rework rings', { rfc: true, tree: 'net-next', index: 0, total: 10 }],
    ['[PATCH RFC v2] net: acme: try something', { rfc: true, revision: 2 }],
    ['[RFCv3 PATCH] net: acme: try again', { rfc: true, revision: 3 }],
    ['[PATCHv4 3/5] net: acme: compact form', { revision: 4, index: 3, total: 5 }],
    ['[PATCH RESEND] net: acme: fix a leak', { raw: ['PATCH', 'RESEND'], revision: 1 }],
    ['[PATCH iwl-net v2] ice: fix a leak', { tree: 'iwl-net', revision: 2 }],
    ['[PATCH iwl-next] ice: add a counter', { tree: 'iwl-next' }],
    ['[PATCH wireless-next] wifi: acme: add a band', { tree: 'wireless-next' }],
    ['[PATCH bpf-next] bpf: acme: fix verifier', { tree: 'bpf-next' }],
    ['[PATCH can-next] can: acme: fix timing', { tree: 'can-next' }],
    ['[PATCH linux-can] can: acme: fix timing', { tree: 'linux-can' }],
    ['[PATCH mlx5-next] net/mlx5: add a bit', { tree: 'mlx5-next' }],
    ['[net-next PATCH v2 3/4] net: acme: tree first', { tree: 'net-next', revision: 2, index: 3, total: 4 }],
    ['[PATCH v2][net-next] net: acme: two groups', { tree: 'net-next', revision: 2, raw: ['PATCH', 'v2', 'net-next'] }],
    ['[net,2/3] can: acme: patchwork commas', { tree: 'net', index: 2, total: 3 }],
    ['[Intel-wired-lan] [PATCH iwl-next v5 13/15] ice: list tag first', { tree: 'iwl-next', revision: 5, index: 13 }],
    ['[PATCH ethernet] net: ethernet: not a tree', { raw: ['PATCH', 'ethernet'] }],
    ['[tnguy-next-queue:dev-queue] BUILD SUCCESS 3da28eb2', { raw: ['tnguy-next-queue:dev-queue'] }],
    ['[GIT PULL] acme: fixes for 6.14', { raw: ['GIT', 'PULL'], title: 'acme: fixes for 6.14' }],
    ['[PULL net] acme: fixes', { raw: ['PULL', 'net'], tree: 'net' }],
    ['net: acme: no tags at all', { raw: [], revision: 1, title: 'net: acme: no tags at all' }],
  ];

  it.each(cases)('%s', (subject, expected) => {
    const tags = parseSubject(subject);
    expect(tags).toMatchObject(expected);
    if (!('tree' in expected)) expect(tags.tree).toBeUndefined();
  });

  it('marks Re:, RE:, AW: and Re[2]: as replies, Fwd: not', () => {
    expect(parseSubject('Re: [PATCH net 1/2] net: acme: x')).toMatchObject({ isReply: true, tree: 'net', index: 1 });
    expect(parseSubject('RE: [PATCH net-next] net: acme: x').isReply).toBe(true);
    expect(parseSubject('AW: [PATCH] net: acme: x').isReply).toBe(true);
    expect(parseSubject('Re[2]: [PATCH] net: acme: x').isReply).toBe(true);
    expect(parseSubject('Re: [Intel-wired-lan] [PATCH net v3 1/1] i40e: x')).toMatchObject({ isReply: true, tree: 'net' });
    expect(parseSubject('[Intel-wired-lan] Re: [PATCH net] i40e: x')).toMatchObject({ isReply: true, tree: 'net' });
    expect(parseSubject('Fwd: [PATCH net] net: acme: x')).toMatchObject({ isReply: false, tree: 'net', title: 'net: acme: x' });
    expect(parseSubject('Re: Fwd: Re: [PATCH] x').isReply).toBe(true);
  });

  it('leaves a reply-like word inside the title alone', () => {
    expect(parseSubject('[PATCH] sv: sv_eth: fix the link state')).toMatchObject({ isReply: false, title: 'sv: sv_eth: fix the link state' });
    expect(parseSubject('[PATCH] Revert "net: acme: x"').isReply).toBe(false);
  });

  it('finds a reply prefix behind free text', () => {
    const tags = parseSubject('CAN ML only - Re: [PATCH net-next v6 6/6] can: gw: use can_gw_hops');
    expect(tags).toMatchObject({ isReply: true, tree: 'net-next', revision: 6, index: 6, title: 'can: gw: use can_gw_hops' });
  });

  it('unfolds whitespace from a folded header', () => {
    const tags = parseSubject('[PATCH net-next v2 2/3] net: acme: free the netdev after\n unregistering it');
    expect(tags.title).toBe('net: acme: free the netdev after unregistering it');
    expect(parseSubject('  [PATCH\tnet]   net:  x ').raw).toEqual(['PATCH', 'net']);
  });

  it('keeps a title that only looks like tags after the first word', () => {
    expect(parseSubject('[PATCH] net: acme: handle [RFC] frames').title).toBe('net: acme: handle [RFC] frames');
    expect(parseSubject('[PATCH] net: acme: handle [RFC] frames').rfc).toBe(false);
  });

  it('reads an empty subject as no tags', () => {
    expect(parseSubject('')).toEqual({ title: '', revision: 1, rfc: false, raw: [], isReply: false });
  });
});
