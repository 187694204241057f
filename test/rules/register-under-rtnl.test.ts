import rule from '../../rules/register-under-rtnl.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'register_netdev in probe',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	int err;

	ndev = alloc_etherdev(sizeof(struct acme_priv));
	if (!ndev)
		return -ENOMEM;
	err = register_netdev(ndev);
	if (err) {
		free_netdev(ndev);
		return err;
	}
	platform_set_drvdata(pdev, ndev);
	return 0;
}

static struct platform_driver acme_driver = {
	.probe = acme_probe,
};`,
    },
    {
      name: 'register_netdevice inside rtnl_lock',
      code: `static int acme_add_port(struct acme_switch *sw, int port)
{
	struct net_device *ndev = sw->ports[port];
	int err;

	rtnl_lock();
	err = register_netdevice(ndev);
	rtnl_unlock();
	return err;
}`,
    },
    {
      name: 'unregister_netdev after rtnl_unlock',
      code: `static void acme_remove_port(struct acme_switch *sw, int port)
{
	struct net_device *ndev = sw->ports[port];

	rtnl_lock();
	dev_close(ndev);
	rtnl_unlock();
	unregister_netdev(ndev);
	free_netdev(ndev);
}`,
    },
    {
      name: 'early unlock on the error branch, register after the region',
      code: `static int acme_setup(struct acme_priv *priv)
{
	rtnl_lock();
	if (acme_busy(priv)) {
		rtnl_unlock();
		return -EBUSY;
	}
	acme_apply(priv);
	rtnl_unlock();
	return register_netdev(priv->ndev);
}`,
    },
  ],
  invalid: [
    {
      name: 'register_netdev inside rtnl_lock region, with a fix',
      code: `static int acme_add_port(struct acme_switch *sw, int port)
{
	struct net_device *ndev = sw->ports[port];
	int err;

	rtnl_lock();
	err = register_netdev(ndev);
	rtnl_unlock();
	return err;
}`,
      errors: [{ line: 7, messageId: 'deadlock', fix: '\terr = register_netdevice(ndev);', message: 'rtnl_lock() at line 6' }],
    },
    {
      name: 'unregister_netdev after ASSERT_RTNL',
      code: `static void acme_del_vport(struct acme_vport *vp)
{
	ASSERT_RTNL();
	netif_carrier_off(vp->ndev);
	unregister_netdev(vp->ndev);
}`,
      errors: [{ line: 5, messageId: 'deadlock', fix: '\tunregister_netdevice(vp->ndev);' }],
    },
    {
      name: 'rtnl_link_ops newlink calls register_netdev',
      code: `static int acme_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	return register_netdev(dev);
}

static struct rtnl_link_ops acme_link_ops = {
	.kind		= "acme",
	.newlink	= acme_newlink,
};`,
      errors: [{ line: 5, messageId: 'deadlock', severity: 'error', message: 'acme_newlink is rtnl_link_ops .newlink' }],
    },
    {
      name: 'helper called from ndo_open reaches unregister_candev',
      code: `static void acme_can_teardown(struct acme_can *priv)
{
	unregister_candev(priv->ndev);
}

static int acme_can_open(struct net_device *dev)
{
	struct acme_can *priv = netdev_priv(dev);

	if (acme_can_dead(priv)) {
		acme_can_teardown(priv);
		return -EIO;
	}
	return 0;
}

static const struct net_device_ops acme_can_ops = {
	.ndo_open = acme_can_open,
};`,
      errors: [{ line: 3, messageId: 'deadlock', message: 'acme_can_open → acme_can_teardown → unregister_candev' }],
    },
  ],
});
