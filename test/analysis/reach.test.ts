// Analysis-layer tests: how role contexts reach same-file helpers — chains up to depth 3 with their call sites,
// cycles, rtnl carried through a call inside an rtnl_lock() region, and the weak rtnl of unlisted ndos.

import { describe, expect, it } from 'vitest';
import { REACH_DEPTH, type Reach } from '../../src/analysis/program.js';
import { fixture, fnNamed, lineOf, programOf } from './helpers.js';

const summary = (r: Reach) => ({
  role: r.role.role,
  chain: r.chain.map((f) => f.name).join(' > '),
  sites: r.sites.map((s) => `${s.name}@${s.line}`).join(', '),
  rtnl: r.rtnlWeak ? 'weak' : r.rtnlHeld ? 'held' : 'no',
});

const CHAINS = `static void acme_h4(struct acme_priv *p)
{
	msleep(1);
}

static void acme_h3(struct acme_priv *p)
{
	acme_h4(p);
}

static void acme_h2(struct acme_priv *p)
{
	acme_h3(p);
}

static void acme_h1(struct acme_priv *p)
{
	acme_h2(p);
}

static void acme_ping(struct acme_priv *p, int n)
{
	if (n)
		acme_pong(p, n - 1);
}

static void acme_pong(struct acme_priv *p, int n)
{
	if (n)
		acme_ping(p, n - 1);
	acme_self(p, n);
}

static void acme_self(struct acme_priv *p, int n)
{
	if (n)
		acme_self(p, n - 1);
}

static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *p = netdev_priv(dev);

	acme_h1(p);
	acme_ping(p, 3);
	return NETDEV_TX_OK;
}

static int acme_vlan_add(struct net_device *dev, __be16 proto, u16 vid)
{
	acme_vlan_write(netdev_priv(dev), vid);
	return 0;
}

static void acme_vlan_write(struct acme_priv *p, u16 vid)
{
}

static void acme_reset_work(struct work_struct *w)
{
	struct acme_priv *p = container_of(w, struct acme_priv, reset_work);

	acme_before(p);
	rtnl_lock();
	acme_locked_helper(p);
	rtnl_unlock();
	acme_before(p);
}

static void acme_locked_helper(struct acme_priv *p)
{
	acme_inner(p);
}

static void acme_inner(struct acme_priv *p)
{
}

static void acme_before(struct acme_priv *p)
{
}

static void acme_orphan(struct acme_priv *p)
{
	acme_inner(p);
}

static const struct net_device_ops acme_ops = {
	.ndo_start_xmit		= acme_start_xmit,
	.ndo_vlan_rx_add_vid	= acme_vlan_add,
};

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct acme_priv *p = acme_alloc(pdev);

	INIT_WORK(&p->reset_work, acme_reset_work);
	return 0;
}

static struct pci_driver acme_driver = {
	.probe = acme_probe,
};
`;
const program = programOf(['drivers/net/ethernet/acme/acme_main.c', CHAINS]);
const reaches = (name: string) => program.reaches(fnNamed(program, name)).map(summary);
const at = (marker: string) => lineOf(CHAINS, marker);

describe('reach: chains', () => {
  it('gives a role function itself a chain of one, with no sites', () => {
    expect(reaches('acme_start_xmit')).toEqual([{ role: 'ndo_start_xmit', chain: 'acme_start_xmit', sites: '', rtnl: 'no' }]);
  });

  it('follows calls to depth 3 and reports the call site in each caller', () => {
    expect(REACH_DEPTH).toBe(3);
    expect(reaches('acme_h1')).toEqual([{ role: 'ndo_start_xmit', chain: 'acme_start_xmit > acme_h1', sites: `acme_h1@${at('\tacme_h1(p);')}`, rtnl: 'no' }]);
    expect(reaches('acme_h3')).toEqual([
      {
        role: 'ndo_start_xmit',
        chain: 'acme_start_xmit > acme_h1 > acme_h2 > acme_h3',
        sites: `acme_h1@${at('\tacme_h1(p);')}, acme_h2@${at('\tacme_h2(p);')}, acme_h3@${at('\tacme_h3(p);')}`,
        rtnl: 'no',
      },
    ]);
  });

  it('stops beyond depth 3', () => {
    expect(reaches('acme_h4')).toEqual([]);
  });

  it('never puts a function twice in a chain (mutual recursion, self recursion)', () => {
    expect(reaches('acme_ping')).toEqual([{ role: 'ndo_start_xmit', chain: 'acme_start_xmit > acme_ping', sites: expect.any(String), rtnl: 'no' }]);
    expect(reaches('acme_pong').map((r) => r.chain)).toEqual(['acme_start_xmit > acme_ping > acme_pong']);
    expect(reaches('acme_self').map((r) => r.chain)).toEqual(['acme_start_xmit > acme_ping > acme_pong > acme_self']);
    for (const fn of program.functions()) {
      for (const r of program.reaches(fn)) expect(new Set(r.chain).size, r.chain.map((f) => f.name).join(' > ')).toBe(r.chain.length);
    }
  });

  it('gives a helper called by no role no reach', () => {
    expect(reaches('acme_orphan')).toEqual([]);
  });

  it('lists one reach per call site when a caller calls a helper twice', () => {
    const lines = CHAINS.split('\n').flatMap((l, i) => (l === '\tacme_before(p);' ? [i + 1] : []));
    expect(lines).toHaveLength(2);
    expect(reaches('acme_before')).toEqual(
      lines.map((line) => ({ role: 'work', chain: 'acme_reset_work > acme_before', sites: `acme_before@${line}`, rtnl: 'no' })),
    );
  });
});

describe('reach: rtnl along the chain', () => {
  it('carries rtnl into a helper called inside the caller’s rtnl_lock() region, and on down', () => {
    expect(reaches('acme_locked_helper')).toEqual([
      { role: 'work', chain: 'acme_reset_work > acme_locked_helper', sites: `acme_locked_helper@${at('\tacme_locked_helper(p);')}`, rtnl: 'held' },
    ]);
    expect(reaches('acme_inner')).toEqual([
      {
        role: 'work',
        chain: 'acme_reset_work > acme_locked_helper > acme_inner',
        sites: `acme_locked_helper@${at('\tacme_locked_helper(p);')}, acme_inner@${at('static void acme_locked_helper(') + 2}`,
        rtnl: 'held',
      },
    ]);
  });

  it('marks rtnl weak for an ndo the document covers only by its catch-all sentence, and carries it to helpers', () => {
    expect(reaches('acme_vlan_add')).toEqual([{ role: 'ndo_vlan_rx_add_vid', chain: 'acme_vlan_add', sites: '', rtnl: 'weak' }]);
    expect(reaches('acme_vlan_write')).toEqual([{ role: 'ndo_vlan_rx_add_vid', chain: 'acme_vlan_add > acme_vlan_write', sites: expect.any(String), rtnl: 'weak' }]);
  });

  it('holds rtnl (not weak) along chains from rtnl-held roles of the fixture driver', () => {
    const eth = programOf(['drivers/net/ethernet/acme/acme_eth.c', fixture('acme_eth.c')]);
    const wr32 = eth.reaches(fnNamed(eth, 'acme_wr32')).map(summary);
    expect(wr32).toContainEqual(expect.objectContaining({ role: 'ndo_open', chain: 'acme_open > acme_up > acme_configure > acme_wr32', rtnl: 'held' }));
    expect(wr32).toContainEqual(expect.objectContaining({ role: 'ndo_start_xmit', chain: 'acme_xmit_frame > acme_wr32', rtnl: 'no' }));
    // acme_reset_task calls acme_open inside rtnl_lock(): the work function's reach of acme_configure holds rtnl.
    expect(eth.reaches(fnNamed(eth, 'acme_configure')).map(summary)).toContainEqual(
      expect.objectContaining({ role: 'work', chain: 'acme_reset_task > acme_open > acme_up > acme_configure', rtnl: 'held' }),
    );
    // The poll-controller ndo reaches the IRQ handler it calls.
    expect(eth.reaches(fnNamed(eth, 'acme_intr')).map((r) => r.role.role).sort()).toEqual(['irq', 'ndo_poll_controller']);
  });
});

describe('reach: callers, callees and lookup', () => {
  it('lists same-file callers with their call sites, and resolves callees', () => {
    const inner = fnNamed(program, 'acme_inner');
    expect(program.callersOf(inner).map(({ caller, site }) => `${caller.name}:${site.line}`).sort()).toEqual([
      `acme_locked_helper:${at('static void acme_locked_helper(') + 2}`,
      `acme_orphan:${at('static void acme_orphan(') + 2}`,
    ]);
    const helper = fnNamed(program, 'acme_locked_helper');
    expect(program.calleeOf(helper, helper.calls[0])).toBe(inner);
    const self = fnNamed(program, 'acme_self');
    expect(program.calleeOf(self, self.calls[0])).toBeUndefined();
    expect(program.lookup('drivers/net/ethernet/acme/acme_main.c', 'acme_h2')).toBe(fnNamed(program, 'acme_h2'));
    expect(program.lookup('other.c', 'acme_h2')).toBeUndefined();
  });

  it('does not follow calls into another file, nor indirect calls', () => {
    const p = programOf(
      ['drivers/net/acme/a.c', 'static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)\n{\n\tacme_shared(dev);\n\tpriv->ops->acme_ind(dev);\n\treturn NETDEV_TX_OK;\n}\n'],
      ['drivers/net/acme/b.c', 'void acme_shared(struct net_device *dev)\n{\n}\n\nstatic void acme_ind(struct net_device *dev)\n{\n}\n'],
    );
    expect(p.reaches(fnNamed(p, 'acme_shared'))).toEqual([]);
    expect(p.reaches(fnNamed(p, 'acme_ind'))).toEqual([]);
  });

  it('caches reaches per function', () => {
    const fn = fnNamed(program, 'acme_h2');
    expect(program.reaches(fn)).toBe(program.reaches(fn));
  });
});
