import rule from '../../rules/instance-lock-self-deadlock.js';
import { ruleTester } from '../lib/rule-tester.js';

const QUEUE_OPS = `
static const struct netdev_queue_mgmt_ops acme_queue_mgmt_ops = {
	.ndo_queue_mem_size	= sizeof(struct acme_rx_ring),
	.ndo_queue_mem_alloc	= acme_queue_mem_alloc,
	.ndo_queue_mem_free	= acme_queue_mem_free,
	.ndo_queue_start	= acme_queue_start,
	.ndo_queue_stop		= acme_queue_stop,
};`;

const SET_CHANNELS = `static int acme_set_channels(struct net_device *dev, struct ethtool_channels *ch)
{
	struct acme_priv *priv = netdev_priv(dev);
	bool running = netif_running(dev);
	int err;

	if (running)
		dev_close(dev);
	priv->num_queues = ch->combined_count;
	err = acme_realloc_queues(priv);
	if (running)
		err = dev_open(dev, NULL);
	return err;
}

static const struct ethtool_ops acme_ethtool_ops = {
	.set_channels = acme_set_channels,
};
`;

ruleTester(rule, {
  valid: [
    {
      name: 'the same ethtool op in a driver that is not ops locked',
      code: SET_CHANNELS,
    },
    {
      name: 'ops-locked driver: the dev_xxx call is in a work function',
      code: `static void acme_recover_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, recover_task);

	rtnl_lock();
	dev_close(priv->netdev);
	acme_hw_reset(priv);
	dev_open(priv->netdev, NULL);
	rtnl_unlock();
}

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct acme_priv *priv = acme_alloc(pdev);

	priv->netdev->request_ops_lock = true;
	INIT_WORK(&priv->recover_task, acme_recover_task);
	return register_netdev(priv->netdev);
}`,
    },
    {
      name: 'ops-locked driver: the netif_xxx twin is used',
      code: `static int acme_set_channels(struct net_device *dev, struct ethtool_channels *ch)
{
	struct acme_priv *priv = netdev_priv(dev);

	netif_close(dev);
	priv->num_queues = ch->combined_count;
	return netif_open(dev, NULL);
}

static const struct ethtool_ops acme_ethtool_ops = {
	.set_channels = acme_set_channels,
};
${QUEUE_OPS}`,
    },
    {
      name: 'ops-locked upper device changes the MTU of its lower device',
      code: `static int acme_change_mtu(struct net_device *dev, int new_mtu)
{
	struct acme_priv *priv = netdev_priv(dev);

	WRITE_ONCE(dev->mtu, new_mtu);
	return dev_set_mtu(priv->lower_dev, new_mtu + ACME_ENCAP_LEN);
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_change_mtu	= acme_change_mtu,
	.net_shaper_ops	= &acme_shaper_ops,
};`,
    },
    {
      name: 'kernel 6.1 has no instance lock',
      kernel: '6.1',
      code: `${SET_CHANNELS}${QUEUE_OPS}`,
    },
    {
      name: 'ops-locked driver enables NAPI with the _locked variant in ndo_open',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	napi_enable_locked(&priv->napi);
	netif_start_queue(dev);
	return 0;
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_open	= acme_open,
	.net_shaper_ops	= &acme_shaper_ops,
};`,
    },
  ],
  invalid: [
    {
      name: 'ethtool set_channels closes and reopens its own device (queue mgmt ops)',
      code: `${SET_CHANNELS}${QUEUE_OPS}`,
      errors: [
        { line: 8, messageId: 'selfDeadlock', severity: 'error', fix: '\t\tnetif_close(dev);', message: 'struct netdev_queue_mgmt_ops acme_queue_mgmt_ops' },
        { line: 12, messageId: 'selfDeadlock', fix: '\t\terr = netif_open(dev, NULL);' },
      ],
    },
    {
      name: 'ndo_set_mac_address through a helper on priv->netdev (request_ops_lock)',
      code: `static int acme_apply_mac(struct acme_priv *priv, struct sockaddr *sa)
{
	acme_hw_write_mac(priv, sa->sa_data);
	return dev_set_mac_address(priv->netdev, sa, NULL);
}

static int acme_set_mac(struct net_device *dev, void *p)
{
	struct acme_priv *priv = netdev_priv(dev);

	return acme_apply_mac(priv, p);
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_set_mac_address = acme_set_mac,
};

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *netdev = alloc_etherdev(sizeof(struct acme_priv));

	netdev->netdev_ops = &acme_netdev_ops;
	netdev->request_ops_lock = true;
	return register_netdev(netdev);
}`,
      errors: [
        {
          line: 4,
          messageId: 'selfDeadlock',
          fix: '\treturn netif_set_mac_address(priv->netdev, sa, NULL);',
          message: 'acme_set_mac → acme_apply_mac → dev_set_mac_address',
        },
      ],
    },
    {
      name: 'queue stop op toggles promiscuity (shaper ops in the ndo table)',
      code: `static int acme_queue_stop(struct net_device *dev, void *qmem, int idx)
{
	struct acme_priv *priv = netdev_priv(dev);

	acme_ring_stop(&priv->rx[idx]);
	return dev_set_promiscuity(dev, -1);
}

static const struct netdev_queue_mgmt_ops acme_qmgmt_ops = {
	.ndo_queue_stop = acme_queue_stop,
};`,
      errors: [{ line: 6, messageId: 'selfDeadlock', message: 'its netdev_queue_mgmt_ops .ndo_queue_stop' }],
    },
    {
      name: 'catch-all ndo (ndo_bpf) closes its device: warning, and allmulti has no rename fix',
      code: `static int acme_xdp(struct net_device *dev, struct netdev_bpf *bpf)
{
	if (bpf->command != XDP_SETUP_PROG)
		return -EINVAL;
	dev_set_allmulti(dev, 1);
	return acme_xdp_setup(netdev_priv(dev), bpf->prog);
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_bpf		= acme_xdp,
	.net_shaper_ops		= &acme_shaper_ops,
};`,
      errors: [{ line: 5, messageId: 'selfDeadlock', severity: 'warning', message: 'netif_set_allmulti(dev, inc, true)' }],
    },
    {
      name: 'ndo_stop of an ops-locked driver disables NAPI with napi_disable',
      code: `static int acme_stop(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	netif_tx_disable(dev);
	napi_disable(&priv->napi);
	acme_free_rings(priv);
	return 0;
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_stop = acme_stop,
};

static void acme_setup(struct net_device *dev)
{
	dev->netdev_ops = &acme_netdev_ops;
	dev->queue_mgmt_ops = &acme_queue_mgmt_ops;
}`,
      errors: [{ line: 6, messageId: 'selfDeadlock', fix: '\tnapi_disable_locked(&priv->napi);', message: 'the device of &priv->napi' }],
    },
    {
      name: 'shaper-ops driver adds and enables its NAPIs from ndo_open through helpers',
      code: `static int acme_poll(struct napi_struct *napi, int budget);

static void acme_add_napis(struct acme_priv *priv)
{
	struct net_device *ndev = priv->ndev;
	int i;

	for (i = 0; i < priv->nrx; i++)
		netif_napi_add_config(ndev, &priv->rx[i].napi, acme_poll, i);
}

static void acme_start_napis(struct acme_priv *priv)
{
	int i;

	for (i = 0; i < priv->nrx; i++)
		napi_enable(&priv->rx[i].napi);
}

static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	acme_add_napis(priv);
	acme_start_napis(priv);
	return 0;
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_open	= acme_open,
	.net_shaper_ops	= &acme_shaper_ops,
};`,
      errors: [
        { line: 9, messageId: 'selfDeadlock', fix: '\t\tnetif_napi_add_config_locked(ndev, &priv->rx[i].napi, acme_poll, i);', message: 'acme_open → acme_add_napis → netif_napi_add_config' },
        { line: 17, messageId: 'selfDeadlock', fix: '\t\tnapi_enable_locked(&priv->rx[i].napi);' },
      ],
    },
  ],
});
