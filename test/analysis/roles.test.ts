// Analysis-layer tests: every way RULES.md says a role is bound (ops tables, rtnl_link_ops, NAPI, legacy dev->
// fields, driver structs, module_init, notifiers, PM, PCI error handlers, work/timer/tasklet/IRQ/URB bindings),
// signature and name roles with their restrictions, and the context the document gives each role.

import { describe, expect, it } from 'vitest';
import { roleContext, runsWithoutRtnl } from '../../src/analysis/roles.js';
import { fixture, fnNamed, lineOf, programOf, roleNames } from './helpers.js';

const ETH = fixture('acme_eth.c');
const LINK = fixture('acme_link.c');
const USB = fixture('acme_usb.c');
const eth = programOf(['drivers/net/ethernet/acme/acme_eth.c', ETH]);
const link = programOf(['drivers/net/acme_tun.c', LINK]);
const usb = programOf(['drivers/net/usb/acme_usb.c', USB]);

describe('roles: struct net_device_ops and ethtool_ops', () => {
  it.each([
    ['acme_open', 'ndo_open'],
    ['acme_close', 'ndo_stop'],
    ['acme_xmit_frame', 'ndo_start_xmit'],
    ['acme_set_rx_mode', 'ndo_set_rx_mode'],
    ['acme_get_stats64', 'ndo_get_stats64'],
    ['acme_tx_timeout', 'ndo_tx_timeout'],
    ['acme_change_mtu', 'ndo_change_mtu'],
    ['acme_set_features', 'ndo_set_features'],
    ['acme_netpoll', 'ndo_poll_controller'],
  ])('%s is %s, bound in the ops table', (name, role) => {
    const [r] = eth.roles(fnNamed(eth, name));
    expect(r).toEqual({ role, evidence: 'ops', file: 'drivers/net/ethernet/acme/acme_eth.c', line: lineOf(ETH, `.${role}\t`), via: `acme_netdev_ops.${role}` });
    expect(eth.roles(fnNamed(eth, name))).toHaveLength(1);
  });

  it('binds ethtool_ops entries as ethtool.<field>', () => {
    expect(roleNames(eth, 'acme_get_drvinfo')).toEqual(['ethtool.get_drvinfo/binding']);
  });

  it('maps a legacy .ndo_set_multicast_list entry to ndo_set_rx_mode', () => {
    const p = programOf(['a.c', 'static void acme_mc(struct net_device *dev) { }\nstatic const struct net_device_ops o = {\n\t.ndo_set_multicast_list = acme_mc,\n};\n']);
    expect(roleNames(p, 'acme_mc')).toEqual(['ndo_set_rx_mode/ops']);
  });

  it('lets a binding in one file give a role to a non-static function of another, not to a static one', () => {
    const ops = 'static const struct net_device_ops acme_ops = {\n\t.ndo_open = acme_open,\n\t.ndo_stop = acme_stop,\n};\n';
    const impl = 'int acme_open(struct acme_hw *hw)\n{\n\treturn 0;\n}\n\nstatic int acme_stop(struct acme_hw *hw)\n{\n\treturn 0;\n}\n';
    const p = programOf(['drivers/net/acme/acme_netdev.c', ops], ['drivers/net/acme/acme_hw.c', impl]);
    expect(roleNames(p, 'acme_open')).toEqual(['ndo_open/ops']);
    // A static acme_stop in another file is not the one the table names; its parameters also rule out a name role.
    expect(roleNames(p, 'acme_stop')).toEqual([]);
  });
});

describe('roles: rtnl_link_ops, legacy dev-> callbacks, notifiers, module init/exit (acme_link.c)', () => {
  it.each([
    ['acme_tun_setup', 'rtnl_link.setup'],
    ['acme_tun_validate', 'rtnl_link.validate'],
    ['acme_tun_newlink', 'rtnl_link.newlink'],
    ['acme_tun_changelink', 'rtnl_link.changelink'],
    ['acme_tun_dellink', 'rtnl_link.dellink'],
  ])('%s is %s', (name, role) => {
    expect(roleNames(link, name)).toEqual([`${role}/rtnl_link`]);
  });

  it.each([
    ['acme_tun_open', 'ndo_open', 'dev->open'],
    ['acme_tun_stop', 'ndo_stop', 'dev->stop'],
    ['acme_tun_xmit', 'ndo_start_xmit', 'dev->hard_start_xmit'],
    ['acme_tun_get_stats', 'ndo_get_stats', 'dev->get_stats'],
  ])('%s is %s through the legacy assignment %s', (name, role, via) => {
    const roles = link.roles(fnNamed(link, name));
    expect(roles.map((r) => [r.role, r.evidence, r.via, r.line])).toEqual([[role, 'legacy', via, lineOf(LINK, `${via} = ${name};`)]]);
  });

  it('binds dev->poll = fn as a NAPI poll, and only on a net_device', () => {
    const p = programOf([
      'drivers/net/acme_old.c',
      `static int acme_old_poll(struct net_device *dev, int *budget) { return 0; }
static int acme_fw_poll_fn(struct acme_fw *fw) { return 0; }
static void acme_old_setup(struct net_device *dev, struct acme_fw *fw)
{
	dev->poll = acme_old_poll;
	fw->poll = acme_fw_poll_fn;
}
`,
    ]);
    expect(roleNames(p, 'acme_old_poll')).toEqual(['napi_poll/legacy']);
    expect(roleNames(p, 'acme_fw_poll_fn')).toEqual([]);
  });

  it('binds the notifier_call of a block passed to register_netdevice_notifier (initializer or assignment)', () => {
    expect(link.roles(fnNamed(link, 'acme_tun_device_event')).map((r) => [r.role, r.evidence, r.via])).toEqual([
      ['notifier', 'notifier', 'acme_tun_notifier.notifier_call'],
    ]);
    expect(link.roles(fnNamed(link, 'acme_tun_lower_event')).map((r) => [r.role, r.evidence, r.via])).toEqual([
      ['notifier', 'notifier', 'tun->lower_nb.notifier_call'],
    ]);
  });

  it('gives no notifier role to a block registered with another chain (inetaddr)', () => {
    expect(roleNames(link, 'acme_tun_inet_event')).toEqual([]);
  });

  it('binds the notifier_call of a block passed to register_netdevice_notifier_dev_net', () => {
    const p = programOf([
      'drivers/net/acme_bond.c',
      `static int acme_bond_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	return NOTIFY_DONE;
}

static int acme_bond_init(struct acme_priv *priv, struct net_device *netdev)
{
	priv->bond_nb.notifier_call = acme_bond_event;
	return register_netdevice_notifier_dev_net(netdev, &priv->bond_nb, &priv->bond_nn);
}
`,
    ]);
    expect(roleNames(p, 'acme_bond_event')).toEqual(['notifier/notifier']);
  });

  it('binds module_init / module_exit arguments', () => {
    expect(roleNames(link, 'acme_tun_init')).toEqual(['module_init/driver']);
    expect(roleNames(link, 'acme_tun_exit')).toEqual(['module_exit/driver']);
    expect(roleNames(eth, 'acme_init_module')).toEqual(['module_init/driver']);
    expect(roleNames(eth, 'acme_exit_module')).toEqual(['module_exit/driver']);
  });
});

describe('roles: driver structs', () => {
  it('binds pci_driver .probe/.remove and pci_error_handlers fields (acme_eth.c)', () => {
    expect(eth.roles(fnNamed(eth, 'acme_probe')).map((r) => [r.role, r.evidence, r.via])).toEqual([['probe', 'driver', 'acme_driver.probe']]);
    expect(roleNames(eth, 'acme_remove')).toEqual(['remove/driver']);
    expect(roleNames(eth, 'acme_io_error_detected')).toEqual(['pci_error/binding']);
    expect(roleNames(eth, 'acme_io_slot_reset')).toEqual(['pci_error/binding']);
    expect(roleNames(eth, 'acme_io_resume')).toEqual(['pci_error/binding']);
  });

  it('binds usb_driver .probe/.disconnect/.suspend/.resume and URB completion handlers (acme_usb.c)', () => {
    expect(roleNames(usb, 'acme_usb_probe')).toEqual(['probe/driver']);
    expect(roleNames(usb, 'acme_usb_disconnect')).toEqual(['remove/driver']);
    expect(roleNames(usb, 'acme_usb_suspend')).toEqual(['pm/driver']);
    expect(roleNames(usb, 'acme_usb_resume')).toEqual(['pm/driver']);
    expect(usb.roles(fnNamed(usb, 'acme_usb_rx_complete')).map((r) => [r.role, r.via, r.line])).toEqual([
      ['urb_complete', 'usb_fill_bulk_urb()', lineOf(USB, 'usb_fill_bulk_urb(')],
    ]);
    expect(roleNames(usb, 'acme_usb_int_complete')).toEqual(['urb_complete/binding']);
  });

  const BUSES = `static int acme_plat_probe(struct platform_device *pdev) { return 0; }
static int acme_plat_remove(struct platform_device *pdev) { return 0; }
static int acme_spi_setup_one(struct spi_device *spi) { return 0; }
static void acme_spi_teardown(struct spi_device *spi) { }
static int acme_i2c_attach(struct i2c_client *client, const struct i2c_device_id *id) { return 0; }
static void acme_i2c_detach(struct i2c_client *client) { }
static int acme_mdio_attach(struct mdio_device *mdiodev) { return 0; }
static void acme_mdio_detach(struct mdio_device *mdiodev) { }
static int acme_virtnet_attach(struct virtio_device *vdev) { return 0; }
static void acme_virtnet_detach(struct virtio_device *vdev) { }

static struct platform_driver acme_plat_driver = {
	.probe = acme_plat_probe,
	.remove = acme_plat_remove,
	.driver = {
		.name = "acme",
	},
};
static struct spi_driver acme_spi_driver = {
	.driver = { .name = "acme_spi" },
	.probe = acme_spi_setup_one,
	.remove = acme_spi_teardown,
};
static struct i2c_driver acme_i2c_driver = {
	.driver = { .name = "acme_i2c" },
	.probe = acme_i2c_attach,
	.remove = acme_i2c_detach,
};
static struct mdio_driver acme_mdio_driver = {
	.probe = acme_mdio_attach,
	.remove = acme_mdio_detach,
	.mdiodrv.driver = { .name = "acme_mdio" },
};
static struct virtio_driver acme_virtio_driver = {
	.driver.name = KBUILD_MODNAME,
	.probe = acme_virtnet_attach,
	.remove = acme_virtnet_detach,
};
module_platform_driver(acme_plat_driver);
`;
  const buses = programOf(['drivers/net/acme_buses.c', BUSES]);

  it.each([
    ['acme_plat_probe', 'probe'],
    ['acme_plat_remove', 'remove'],
    ['acme_spi_setup_one', 'probe'],
    ['acme_spi_teardown', 'remove'],
    ['acme_i2c_attach', 'probe'],
    ['acme_i2c_detach', 'remove'],
    ['acme_mdio_attach', 'probe'],
    ['acme_mdio_detach', 'remove'],
    ['acme_virtnet_attach', 'probe'],
    ['acme_virtnet_detach', 'remove'],
  ])('%s is %s through its driver struct (names that prove nothing)', (name, role) => {
    expect(roleNames(buses, name)).toEqual([`${role}/driver`]);
  });

  it('binds i2c_driver .probe_new as probe', () => {
    const p = programOf([
      'drivers/net/acme_i2c.c',
      `static int acme_i2c_attach(struct i2c_client *client) { return 0; }
static struct i2c_driver acme_i2c_driver = {
	.driver = { .name = "acme_i2c" },
	.probe_new = acme_i2c_attach,
};
`,
    ]);
    expect(roleNames(p, 'acme_i2c_attach')).toEqual(['probe/driver']);
  });

  it('does not treat struct device_driver as a bus driver', () => {
    const p = programOf(['a.c', 'static int acme_dd_probe_cb(struct device *dev) { return 0; }\nstatic struct device_driver acme_dd = {\n\t.probe = acme_dd_probe_cb,\n};\n']);
    expect(roleNames(p, 'acme_dd_probe_cb')).toEqual([]);
  });
});

describe('roles: PM callbacks', () => {
  it('binds dev_pm_ops fields and SET_SYSTEM_SLEEP_PM_OPS inside the table (acme_eth.c)', () => {
    expect(roleNames(eth, 'acme_runtime_suspend')).toEqual(['pm/binding']);
    expect(roleNames(eth, 'acme_runtime_resume')).toEqual(['pm/binding']);
    expect(eth.roles(fnNamed(eth, 'acme_suspend')).map((r) => [r.role, r.via])).toEqual([['pm', 'acme_pm_ops: SET_SYSTEM_SLEEP_PM_OPS()']]);
    expect(roleNames(eth, 'acme_resume')).toEqual(['pm/binding']);
  });

  it('binds SIMPLE_DEV_PM_OPS / DEFINE_SIMPLE_DEV_PM_OPS at file scope', () => {
    const p = programOf([
      'a.c',
      `static int acme_a_suspend(struct device *d) { return 0; }
static int acme_a_resume(struct device *d) { return 0; }
static int acme_b_suspend(struct device *d) { return 0; }
static int acme_b_resume(struct device *d) { return 0; }
static SIMPLE_DEV_PM_OPS(acme_a_pm, acme_a_suspend, acme_a_resume);
static DEFINE_SIMPLE_DEV_PM_OPS(acme_b_pm, acme_b_suspend, acme_b_resume);
`,
    ]);
    for (const name of ['acme_a_suspend', 'acme_a_resume', 'acme_b_suspend', 'acme_b_resume']) expect(roleNames(p, name), name).toEqual(['pm/binding']);
  });

  it('binds all three functions of two adjacent PM macros (igb style)', () => {
    const p = programOf([
      'a.c',
      `static int acme_s(struct device *d) { return 0; }
static int acme_r(struct device *d) { return 0; }
static int acme_rs(struct device *d) { return 0; }
static int acme_rr(struct device *d) { return 0; }
static int acme_ri(struct device *d) { return 0; }
static const struct dev_pm_ops acme_pm_ops = {
	SET_SYSTEM_SLEEP_PM_OPS(acme_s, acme_r)
	SET_RUNTIME_PM_OPS(acme_rs, acme_rr, acme_ri)
};
`,
    ]);
    for (const name of ['acme_s', 'acme_r', 'acme_rs', 'acme_rr', 'acme_ri']) expect(roleNames(p, name), name).toEqual(['pm/binding']);
  });

  it('ignores dev_pm_ops fields that are not callbacks of a PM transition', () => {
    const p = programOf(['a.c', 'static int acme_x(struct device *d) { return 0; }\nstatic const struct dev_pm_ops o = {\n\t.not_a_pm_field = acme_x,\n};\n']);
    expect(roleNames(p, 'acme_x')).toEqual([]);
  });
});

describe('roles: bindings made by calls', () => {
  it('binds NAPI polls from the third argument of every netif_napi_add* form', () => {
    const p = programOf([
      'a.c',
      `static int acme_rx_napi(struct napi_struct *n, int b) { return 0; }
static int acme_tx_napi(struct napi_struct *n, int b) { return 0; }
static int acme_old_napi(struct napi_struct *n, int b) { return 0; }
static int acme_w_napi(struct napi_struct *n, int b) { return 0; }
static void acme_setup_napi(struct net_device *dev, struct acme_priv *priv)
{
	netif_napi_add(dev, &priv->rx_napi, acme_rx_napi);
	netif_napi_add_tx(dev, &priv->tx_napi, acme_tx_napi);
	netif_napi_add(dev, &priv->old_napi, acme_old_napi, NAPI_POLL_WEIGHT);
	netif_napi_add_weight(dev, &priv->w_napi, acme_w_napi, 16);
}
`,
    ]);
    for (const name of ['acme_rx_napi', 'acme_tx_napi', 'acme_old_napi', 'acme_w_napi']) expect(roleNames(p, name), name).toEqual(['napi_poll/napi']);
  });

  it('binds work items, timers and tasklets (acme_eth.c)', () => {
    expect(eth.roles(fnNamed(eth, 'acme_reset_task')).map((r) => [r.role, r.via])).toEqual([['work', 'INIT_WORK()']]);
    expect(eth.roles(fnNamed(eth, 'acme_watchdog_task')).map((r) => [r.role, r.via])).toEqual([['work', 'INIT_DELAYED_WORK()']]);
    expect(eth.roles(fnNamed(eth, 'acme_phy_timer')).map((r) => [r.role, r.via])).toEqual([['timer', 'timer_setup()']]);
    expect(eth.roles(fnNamed(eth, 'acme_rx_tasklet')).map((r) => [r.role, r.via])).toEqual([['tasklet', 'tasklet_setup()']]);
  });

  it('tells a hard IRQ handler from a threaded IRQ function', () => {
    expect(roleNames(eth, 'acme_intr')).toEqual(['irq/binding']);
    expect(roleNames(eth, 'acme_link_thread')).toEqual(['irq_thread/binding']);
    const p = programOf([
      'a.c',
      `static irqreturn_t acme_hard(int irq, void *d) { return IRQ_WAKE_THREAD; }
static irqreturn_t acme_thread(int irq, void *d) { return IRQ_HANDLED; }
static irqreturn_t acme_plain(int irq, void *d) { return IRQ_HANDLED; }
static irqreturn_t acme_only_thread(int irq, void *d) { return IRQ_HANDLED; }
static int acme_irqs(struct platform_device *pdev, struct acme_priv *priv)
{
	devm_request_threaded_irq(&pdev->dev, priv->irq, acme_hard, acme_thread, 0, "acme", priv);
	devm_request_irq(&pdev->dev, priv->irq2, acme_plain, 0, "acme", priv);
	return request_threaded_irq(priv->irq3, NULL, acme_only_thread, IRQF_ONESHOT, "acme", priv);
}
`,
    ]);
    expect(roleNames(p, 'acme_hard')).toEqual(['irq/binding']);
    expect(roleNames(p, 'acme_thread')).toEqual(['irq_thread/binding']);
    expect(roleNames(p, 'acme_plain')).toEqual(['irq/binding']);
    expect(roleNames(p, 'acme_only_thread')).toEqual(['irq_thread/binding']);
    expect(roleContext('irq').sleeps).toBe(false);
    expect(roleContext('irq_thread').sleeps).toBe(true);
  });

  it('binds a callback passed as &fn (request_irq, INIT_DELAYED_WORK)', () => {
    const p = programOf([
      'a.c',
      `static irqreturn_t acme_msix_ring(int irq, void *data) { return IRQ_HANDLED; }
static void acme_ptp_work(struct work_struct *w) { }
static int acme_req(struct acme_priv *priv)
{
	INIT_DELAYED_WORK(&priv->ptp_work, &acme_ptp_work);
	return request_irq(priv->vec, &acme_msix_ring, 0, "acme", priv);
}
`,
    ]);
    expect(roleNames(p, 'acme_msix_ring')).toEqual(['irq/binding']);
    expect(roleNames(p, 'acme_ptp_work')).toEqual(['work/binding']);
  });
});

describe('roles: signature and name roles', () => {
  const p = programOf([
    'drivers/net/acme_sig.c',
    `static netdev_tx_t acme_tag_tx(struct sk_buff *skb, struct net_device *dev) { return NETDEV_TX_OK; }
static int acme_napi_cb(struct napi_struct *napi, int budget) { return 0; }
static void acme_hw_tx_timeout(struct net_device *dev, unsigned int txqueue) { }
static void acme_stats_cb(struct net_device *dev, struct rtnl_link_stats64 *s) { }
static int acme_old_xmit(struct sk_buff *skb, struct net_device *dev) { return 0; }
static int acme_eth_open(struct net_device *dev) { return 0; }
static int acme_eth_close(struct net_device *dev) { return 0; }
static void acme_eth_set_multicast_list(struct net_device *dev) { }
static struct net_device_stats *acme_eth_get_stats(struct net_device *dev) { return &dev->stats; }
static int acme_dev_probe(struct platform_device *pdev) { return 0; }
static int acme_dev_remove(struct platform_device *pdev) { return 0; }
static int acme_file_open(struct inode *inode, struct file *file) { return 0; }
static void acme_void_open(struct net_device *dev) { }
static unsigned int acme_file_poll(struct file *file, poll_table *wait) { return 0; }
static void acme_void_poll(struct napi_struct *napi, int budget) { }
static int acme_ring_stop(struct acme_ring *ring) { return 0; }
static struct sk_buff *acme_tag_xmit(struct sk_buff *skb, struct net_device *dev) { return skb; }
static void acme_watchdog_timeout(struct net_device *dev, unsigned int txqueue) { }
static void acme_wd(struct net_device *dev, unsigned int txqueue) { }
`,
  ]);

  it.each([
    ['acme_tag_tx', 'ndo_start_xmit/signature'],
    ['acme_napi_cb', 'napi_poll/signature'],
    ['acme_hw_tx_timeout', 'ndo_tx_timeout/signature'],
    ['acme_watchdog_timeout', 'ndo_tx_timeout/signature'],
    ['acme_stats_cb', 'ndo_get_stats64/signature'],
  ])('%s gets %s (the signature can only be that callback)', (name, role) => {
    expect(roleNames(p, name)).toEqual([role]);
  });

  it.each([
    ['acme_old_xmit', 'ndo_start_xmit/name'],
    ['acme_eth_open', 'ndo_open/name'],
    ['acme_eth_close', 'ndo_stop/name'],
    ['acme_eth_set_multicast_list', 'ndo_set_rx_mode/name'],
    ['acme_eth_get_stats', 'ndo_get_stats/name'],
    ['acme_dev_probe', 'probe/name'],
    ['acme_dev_remove', 'remove/name'],
  ])('%s gets the weak %s', (name, role) => {
    expect(roleNames(p, name)).toEqual([role]);
  });

  it.each([
    ['acme_file_open', 'params are (inode, file)'],
    ['acme_void_open', 'returns void'],
    ['acme_file_poll', 'a file poll, not NAPI'],
    ['acme_void_poll', 'returns void'],
    ['acme_ring_stop', 'takes a ring, not a net_device'],
    ['acme_tag_xmit', 'returns an skb (a DSA tagger)'],
    ['acme_wd', 'a tx_timeout signature needs "timeout" in the name'],
  ])('%s gets no role: %s', (name) => {
    expect(roleNames(p, name)).toEqual([]);
  });

  it('gives no name role to a function bound in a struct that binds no known role (dsa_device_ops.xmit)', () => {
    const q = programOf([
      'net/dsa/tag_acme.c',
      `static int acme_tag_start_xmit(struct sk_buff *skb, struct net_device *dev) { return 0; }
static int acme_hw_open(struct net_device *dev) { return 0; }
static const struct dsa_device_ops acme_netdev_ops = {
	.xmit	= acme_tag_start_xmit,
};
static const struct acme_hw_ops acme_hw = {
	.open	= acme_hw_open,
};
`,
    ]);
    expect(q.opaque).toEqual(new Set(['acme_tag_start_xmit', 'acme_hw_open']));
    expect(roleNames(q, 'acme_tag_start_xmit')).toEqual([]);
    expect(roleNames(q, 'acme_hw_open')).toEqual([]);
  });

  it('prefers a binding over the signature and the name', () => {
    const q = programOf([
      'a.c',
      'static netdev_tx_t acme_xmit_frame(struct sk_buff *skb, struct net_device *dev) { return NETDEV_TX_OK; }\nstatic const struct net_device_ops o = {\n\t.ndo_start_xmit = acme_xmit_frame,\n};\n',
    ]);
    expect(roleNames(q, 'acme_xmit_frame')).toEqual(['ndo_start_xmit/ops']);
  });

  it('gives no remove role to a *_remove helper with two parameters', () => {
    const q = programOf(['a.c', 'static int acme_vlan_remove(struct acme_priv *priv, u16 vid)\n{\n\treturn 0;\n}\n']);
    expect(roleNames(q, 'acme_vlan_remove')).toEqual([]);
  });

  it('gives functions without a name no role', () => {
    expect([...eth.functions()].every((fn) => fn.name !== '')).toBe(true);
  });
});

describe('roles: the context of each role (RULES.md table)', () => {
  it.each([
    // rtnl held, may sleep
    ['ndo_open', 'held', true],
    ['ndo_stop', 'held', true],
    ['ndo_do_ioctl', 'held', true],
    ['ndo_eth_ioctl', 'held', true],
    ['ndo_siocdevprivate', 'held', true],
    ['ndo_change_mtu', 'held', true],
    ['ndo_set_mac_address', 'held', true],
    ['ndo_set_features', 'held', true],
    ['ndo_change_rx_flags', 'held', true],
    ['ndo_set_rx_mode_async', 'held', true],
    ['ndo_init', 'held', true],
    ['ndo_uninit', 'held', true],
    // any other ndo: weak rtnl
    ['ndo_vlan_rx_add_vid', 'weak', true],
    ['ndo_bpf', 'weak', true],
    ['ndo_setup_tc', 'unknown', true],
    // datapath ndos
    ['ndo_select_queue', 'no', false],
    ['ndo_features_check', 'no', false],
    ['ndo_xdp_xmit', 'no', false],
    ['ndo_xsk_wakeup', 'no', false],
    ['ndo_poll_controller', 'no', false],
    // rtnl_link_ops, notifiers, ethtool
    ['rtnl_link.newlink', 'held', true],
    ['rtnl_link.changelink', 'held', true],
    ['rtnl_link.dellink', 'held', true],
    ['notifier', 'held', true],
    ['ethtool.get_link_ksettings', 'held', true],
    // atomic ndos and NAPI
    ['ndo_start_xmit', 'no', false],
    ['ndo_tx_timeout', 'no', false],
    ['ndo_set_rx_mode', 'no', false],
    ['ndo_get_stats', 'no', false],
    ['ndo_get_stats64', 'no', false],
    ['napi_poll', 'no', false],
    // process context without rtnl
    ['probe', 'no', true],
    ['remove', 'no', true],
    ['module_init', 'no', true],
    ['module_exit', 'no', true],
    ['pm', 'no', true],
    ['pci_error', 'no', true],
    ['work', 'no', true],
    ['irq_thread', 'no', true],
    // atomic, beyond the ndo table
    ['timer', 'no', false],
    ['tasklet', 'no', false],
    ['irq', 'no', false],
    ['urb_complete', 'no', false],
    // unknown
    ['something_else', 'unknown', undefined],
  ] as const)('%s: rtnl %s, sleeps %s', (role, rtnl, sleeps) => {
    expect(roleContext(role)).toMatchObject({ rtnl, sleeps });
  });

  it('cites the entry of each atomic ndo (set_multicast_list cites ndo_set_rx_mode) and the NAPI entry', () => {
    expect(roleContext('ndo_start_xmit').doc).toEqual({ section: 'sync', entry: 'ndo_start_xmit' });
    expect(roleContext('ndo_set_multicast_list').doc).toEqual({ section: 'sync', entry: 'ndo_set_rx_mode' });
    expect(roleContext('ndo_get_stats64').doc).toEqual({ section: 'sync', entry: 'ndo_get_stats' });
    expect(roleContext('napi_poll').doc).toEqual({ section: 'napi', entry: 'napi->poll' });
    expect(roleContext('timer').doc).toEqual({ section: 'kernel-locking' });
  });

  it('says which roles run without rtnl', () => {
    expect(['probe', 'remove', 'pm', 'work', 'ndo_start_xmit', 'napi_poll'].every(runsWithoutRtnl)).toBe(true);
    expect(['ndo_open', 'ndo_vlan_rx_add_vid', 'notifier', 'ndo_setup_tc', 'something_else'].some(runsWithoutRtnl)).toBe(false);
  });
});
