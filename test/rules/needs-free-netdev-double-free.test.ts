import rule from '../../rules/needs-free-netdev-double-free.js';
import { ruleTester } from '../lib/rule-tester.js';

const SETUP = `static void acme_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &acme_netdev_ops;
	dev->needs_free_netdev = true;
}
`;

/** Registration under rtnl: a later step fails and unwinds through unregister_netdevice() into free_netdev(). */
const CREATE_LINK = `${SETUP}
static int acme_create_link(struct acme_ctx *ctx, const char *name)
{
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	dev = alloc_netdev(sizeof(struct acme_priv), name, NET_NAME_USER, acme_setup);
	if (!dev)
		return -ENOMEM;
	err = register_netdevice(dev);
	if (err)
		goto err_free;
	err = netdev_upper_dev_link(ctx->lower, dev, NULL);
	if (err)
		goto err_unregister;
	ctx->dev = dev;
	return 0;

err_unregister:
	unregister_netdevice(dev);
err_free:
	free_netdev(dev);
	return err;
}`;

ruleTester(rule, {
  valid: [
    {
      name: 'free_netdev where register_netdevice failed',
      code: `${SETUP}
static int acme_add(struct acme_ctx *ctx)
{
	struct net_device *ndev;
	int err;

	ndev = alloc_netdev(sizeof(struct acme_priv), "acme%d", NET_NAME_UNKNOWN, acme_setup);
	if (!ndev)
		return -ENOMEM;
	err = register_netdevice(ndev);
	if (err)
		goto error;
	list_add_rcu(&ctx->list, &acme_devices);
	return 0;

error:
	free_netdev(ndev);
	return err;
}`,
    },
    {
      name: 'free_netdev right after unregister_netdevice with rtnl still held (lenient free_netdev)',
      kernel: '6.1',
      code: CREATE_LINK,
    },
    {
      name: 'a priv_destructor that only releases private state',
      code: `static void acme_destruct(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	free_percpu(priv->stats);
	acme_ring_free(priv);
}

static void acme_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->needs_free_netdev = true;
	dev->priv_destructor = acme_destruct;
}`,
    },
    {
      name: 'unregister then free of a device without needs_free_netdev',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev = alloc_etherdev(sizeof(struct acme_priv));

	if (!ndev)
		return -ENOMEM;
	platform_set_drvdata(pdev, ndev);
	return register_netdev(ndev);
}

static int acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);

	unregister_netdev(ndev);
	free_netdev(ndev);
	return 0;
}`,
    },
    {
      name: 'needs_free_netdev only on some devices: the main one is freed by the driver',
      code: `static struct net_device *acme_vif_add(struct acme_hw *hw, const char *name, int id)
{
	struct net_device *ndev;

	ndev = alloc_netdev(sizeof(struct acme_vif), name, NET_NAME_USER, ether_setup);
	if (!ndev)
		return ERR_PTR(-ENOMEM);
	if (id == 0) {
		hw->main_ndev = ndev;
	} else {
		ndev->priv_destructor = acme_vif_destruct;
		ndev->needs_free_netdev = true;
	}
	return ndev;
}

static void acme_main_remove(struct acme_hw *hw)
{
	struct net_device *ndev = hw->main_ndev;

	unregister_netdev(ndev);
	free_netdev(ndev);
}`,
    },
    {
      name: 'the core device of an rtnl_link_ops callback is left to rtnl-link-no-free',
      code: `${SETUP}
static int acme_newlink(struct net *net, struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	int err = register_netdevice(dev);

	if (err)
		return err;
	err = acme_bind(dev);
	if (err) {
		unregister_netdevice(dev);
		rtnl_unlock();
		free_netdev(dev);
	}
	return err;
}

static struct rtnl_link_ops acme_link_ops = {
	.kind		= "acme",
	.setup		= acme_setup,
	.newlink	= acme_newlink,
};`,
    },
    {
      name: 'a tree older than needs_free_netdev',
      kernel: '4.9',
      code: `static void acme_destruct(struct net_device *dev)
{
	acme_ring_free(netdev_priv(dev));
	free_netdev(dev);
}

static void acme_setup(struct net_device *dev)
{
	dev->needs_free_netdev = true;
	dev->priv_destructor = acme_destruct;
}`,
    },
  ],
  invalid: [
    {
      name: 'a patch that installs a freeing destructor next to needs_free_netdev (anchored on the change)',
      patch: `diff --git a/drivers/net/acme_tun.c b/drivers/net/acme_tun.c
--- a/drivers/net/acme_tun.c
+++ b/drivers/net/acme_tun.c
@@ -60,11 +60,13 @@ static const struct net_device_ops acme_netdev_ops = {
 static void acme_destruct(struct net_device *dev)
 {
 	free_percpu(dev->tstats);
 	free_netdev(dev);
 }
 
 static void acme_setup(struct net_device *dev)
 {
 	ether_setup(dev);
 	dev->netdev_ops = &acme_netdev_ops;
+	dev->needs_free_netdev = true;
+	dev->priv_destructor = acme_destruct;
 	dev->features |= NETIF_F_LLTX;
`,
      errors: [{ line: 71, messageId: 'inDestructor', message: 'acme_destruct() is the priv_destructor' }],
    },
    {
      name: 'a priv_destructor that frees the device the core frees too',
      code: `static void acme_destruct(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	free_percpu(priv->stats);
	free_netdev(dev);
}

static void acme_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->needs_free_netdev = true;
	dev->priv_destructor = acme_destruct;
}`,
      errors: [{ line: 6, messageId: 'inDestructor', severity: 'error', message: 'acme_destruct() is the priv_destructor' }],
    },
    {
      name: 'priv_destructor = free_netdev next to needs_free_netdev',
      code: `static void acme_tun_setup(struct net_device *dev)
{
	dev->netdev_ops = &acme_tun_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = free_netdev;
}`,
      errors: [{ line: 5, messageId: 'destructorIsFree' }],
    },
    {
      name: 'unregister_netdev then free_netdev of a device whose setup sets needs_free_netdev',
      code: `${SETUP}
static int acme_create(struct acme_ctx *ctx)
{
	ctx->dev = alloc_netdev(0, "acme%d", NET_NAME_UNKNOWN, acme_setup);
	if (!ctx->dev)
		return -ENOMEM;
	return register_netdev(ctx->dev);
}

static void acme_destroy(struct acme_ctx *ctx)
{
	unregister_netdev(ctx->dev);
	free_netdev(ctx->dev);
}`,
      errors: [{ line: 19, messageId: 'afterUnregister', message: 'line 5' }],
    },
    {
      name: 'unwinding through unregister_netdevice into free_netdev on a tree before the lenient free_netdev',
      kernel: '5.10',
      code: CREATE_LINK,
      errors: [{ line: 29, messageId: 'afterUnregister', message: 'unregistration at line 27' }],
    },
    {
      name: 'free_netdev after rtnl was released following unregister_netdevice',
      code: `static int acme_port_add(struct acme_port *port)
{
	struct net_device *dev;
	int err;

	dev = alloc_etherdev(sizeof(struct acme_port_priv));
	if (!dev)
		return -ENOMEM;
	dev->needs_free_netdev = true;
	rtnl_lock();
	err = register_netdevice(dev);
	if (err)
		goto err_unlock;
	err = acme_port_link(port, dev);
	if (err) {
		unregister_netdevice(dev);
		rtnl_unlock();
		free_netdev(dev);
		return err;
	}
	rtnl_unlock();
	return 0;

err_unlock:
	rtnl_unlock();
	free_netdev(dev);
	return err;
}`,
      errors: [{ line: 18, messageId: 'afterUnregister', message: 'rtnl has been released' }],
    },
    {
      name: 'free_netdev of a registered device on a later error path',
      code: `static int acme_port_add(struct acme_port *port)
{
	struct net_device *dev;
	int err;

	dev = alloc_etherdev(sizeof(struct acme_port_priv));
	if (!dev)
		return -ENOMEM;
	dev->needs_free_netdev = true;
	err = register_netdev(dev);
	if (err)
		goto err_free;
	err = acme_port_link(port, dev);
	if (err)
		goto err_free;
	return 0;

err_free:
	free_netdev(dev);
	return err;
}`,
      errors: [{ line: 19, messageId: 'afterRegister', message: 'register_netdev() at line 10' }],
    },
  ],
});
