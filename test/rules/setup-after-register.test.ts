import rule from '../../rules/setup-after-register.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'all setup before register_netdev; carrier, logging and stats after',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct acme_priv *priv;
	int err;

	ndev = alloc_etherdev(sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	priv = netdev_priv(ndev);
	SET_NETDEV_DEV(ndev, &pdev->dev);
	ndev->netdev_ops = &acme_netdev_ops;
	ndev->ethtool_ops = &acme_ethtool_ops;
	ndev->features |= NETIF_F_SG | NETIF_F_IP_CSUM;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = ACME_MAX_MTU;
	netif_napi_add(ndev, &priv->napi, acme_poll);
	eth_hw_addr_set(ndev, priv->mac);

	err = register_netdev(ndev);
	if (err)
		goto err_free;

	netif_carrier_off(ndev);
	ndev->stats.rx_dropped = 0;
	priv->registered = true;
	netdev_info(ndev, "acme at %pa\\n", &priv->base);
	return 0;

err_free:
	free_netdev(ndev);
	return err;
}`,
    },
    {
      name: 'a random MAC on the path where registration failed with a duplicate',
      code: `static int acme_register(struct net_device *ndev)
{
	int err;

	err = register_netdev(ndev);
	if (err == -EEXIST) {
		eth_hw_addr_random(ndev);
		err = register_netdev(ndev);
	}
	return err;
}`,
    },
    {
      name: 'retry after a failed registration tested with !',
      code: `static int acme_try_register(struct net_device *dev)
{
	if (!register_netdev(dev))
		return 0;
	netdev_warn(dev, "retrying with a random address\\n");
	eth_hw_addr_random(dev);
	return register_netdev(dev);
}`,
    },
    {
      name: 'one port after another: each set up before its own registration',
      code: `static int acme_register_ports(struct acme_adapter *ad)
{
	int i, err;

	for (i = 0; i < ad->nports; i++) {
		struct acme_port *port = &ad->ports[i];
		struct net_device *ndev = port->ndev;

		ndev->netdev_ops = &acme_port_ops;
		ndev->watchdog_timeo = 5 * HZ;
		err = register_netdev(ndev);
		if (err)
			return err;
	}
	return 0;
}`,
    },
    {
      name: 'features changed after registration and announced with netdev_update_features',
      code: `static int acme_probe_finish(struct acme_priv *priv)
{
	struct net_device *ndev = priv->ndev;
	int err;

	err = register_netdev(ndev);
	if (err)
		return err;
	if (priv->fw_caps & ACME_CAP_TSO) {
		rtnl_lock();
		ndev->hw_features |= NETIF_F_TSO;
		netdev_update_features(ndev);
		rtnl_unlock();
	}
	return 0;
}`,
    },
    {
      name: 'priv_destructor set after register_netdevice, rtnl still held',
      code: `static int acme_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct acme_tun *t = netdev_priv(dev);
	int err;

	err = acme_tun_init(t);
	if (err)
		return err;
	err = register_netdevice(dev);
	if (err) {
		acme_tun_uninit(t);
		return err;
	}
	dev->priv_destructor = acme_tun_destruct;
	return 0;
}

static struct rtnl_link_ops acme_link_ops = {
	.kind		= "acmetun",
	.newlink	= acme_newlink,
};`,
    },
    {
      name: 'a hunk that does not show the whole function',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -300,6 +300,7 @@ static int acme_probe(struct platform_device *pdev)
 	err = register_netdev(ndev);
 	if (err)
 		goto err_free;
+	ndev->features |= NETIF_F_RXCSUM;
 
 	netif_carrier_off(ndev);
 	return 0;
`,
    },
  ],
  invalid: [
    {
      name: 'MAC address set after register_netdev succeeded',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct acme_priv *priv;
	int err;

	ndev = alloc_etherdev(sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	priv = netdev_priv(ndev);
	ndev->netdev_ops = &acme_netdev_ops;

	err = register_netdev(ndev);
	if (err)
		goto err_free;

	if (is_valid_ether_addr(priv->mac))
		eth_hw_addr_set(ndev, priv->mac);
	else
		eth_hw_addr_random(ndev);
	return 0;

err_free:
	free_netdev(ndev);
	return err;
}`,
      errors: [
        { line: 18, messageId: 'late', severity: 'warning', message: 'eth_hw_addr_set() is called after register_netdev() at line 13' },
        { line: 20, messageId: 'late', message: 'eth_hw_addr_random()' },
      ],
    },
    {
      name: 'NAPI added after a registration tested inside the if',
      code: `static int acme_init_one(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct acme_priv));
	struct acme_priv *ap;

	if (!dev)
		return -ENOMEM;
	ap = netdev_priv(dev);
	dev->netdev_ops = &acme_netdev_ops;
	if (register_netdev(dev)) {
		dev_err(&pdev->dev, "registration failed\\n");
		free_netdev(dev);
		return -ENODEV;
	}
	netif_napi_add(dev, &ap->napi, acme_poll);
	pci_set_drvdata(pdev, dev);
	return 0;
}`,
      errors: [{ line: 15, messageId: 'late', message: 'netif_napi_add()' }],
    },
    {
      name: 'features and the MAC written by hand after a registration checked with < 0',
      code: `static int acme_usb_bind(struct acme_usb *au)
{
	struct net_device *net = au->net;
	int ret;

	ret = register_netdev(net);
	if (ret < 0) {
		dev_err(&au->intf->dev, "register_netdev failed: %d\\n", ret);
		return ret;
	}
	net->features |= NETIF_F_HIGHDMA;
	memcpy(net->dev_addr, au->mac, ETH_ALEN);
	return 0;
}`,
      errors: [
        { line: 11, messageId: 'late', message: '->features is set' },
        { line: 12, messageId: 'late', message: 'the MAC address is written (memcpy())' },
      ],
    },
    {
      name: 'ethtool_ops set through a copy of the registered pointer',
      code: `static int acme_netdev_init(struct acme_adapter *ad)
{
	struct net_device *ndev = ad->ndev;
	int err;

	err = register_netdev(ad->ndev);
	if (err)
		return err;
	ndev->ethtool_ops = &acme_ethtool_ops;
	return 0;
}`,
      errors: [{ line: 9, messageId: 'late', message: 'register_netdev() at line 6 registered ndev' }],
    },
    {
      name: 'priv_destructor set after register_netdev, which released rtnl',
      code: `static int acme_add_vif(struct acme_hw *hw, struct net_device *ndev)
{
	int err;

	err = register_netdev(ndev);
	if (err) {
		acme_vif_cleanup(netdev_priv(ndev));
		return err;
	}
	ndev->priv_destructor = acme_vif_destruct;
	ndev->needs_free_netdev = true;
	return 0;
}`,
      errors: [
        { line: 10, messageId: 'lateTeardown', message: 'released rtnl' },
        { line: 11, messageId: 'lateTeardown' },
      ],
    },
    {
      name: 'priv_flags changed after register_netdevice in newlink',
      code: `static int acme_vlan_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
			     struct nlattr *data[], struct netlink_ext_ack *extack)
{
	int err;

	err = register_netdevice(dev);
	if (err < 0)
		return err;
	dev->priv_flags |= IFF_ACME_VLAN;
	return 0;
}`,
      errors: [{ line: 9, messageId: 'late', message: 'register_netdevice() at line 6' }],
    },
    {
      name: 'a patch that moves the netdev_ops assignment below the registration',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -119,13 +119,13 @@ static void acme_get_drvinfo(struct net_device *ndev, struct ethtool_drvinfo *info)
 static int acme_setup_netdev(struct acme_priv *priv)
 {
 	struct net_device *ndev = priv->ndev;
 	int err;
 
-	ndev->netdev_ops = &acme_netdev_ops;
 	err = register_netdev(ndev);
 	if (err)
 		return err;
+	ndev->netdev_ops = &acme_netdev_ops;
 
 	netif_carrier_off(ndev);
 	return 0;
 }
`,
      errors: [{ line: 127, messageId: 'late', message: '->netdev_ops is set' }],
    },
  ],
});
