import rule from '../../rules/rtnl-link-no-free.js';
import { ruleTester } from '../lib/rule-tester.js';

const OPS = `
static struct rtnl_link_ops acme_link_ops = {
	.kind		= "acme",
	.priv_size	= sizeof(struct acme_priv),
	.setup		= acme_setup,
	.newlink	= acme_newlink,
	.changelink	= acme_changelink,
	.dellink	= acme_dellink,
};`;

ruleTester(rule, {
  valid: [
    {
      name: 'newlink returns the error and leaves the device to the core',
      code: `static int acme_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct acme_priv *priv = netdev_priv(dev);
	int err;

	err = acme_parse(priv, data, extack);
	if (err)
		return err;
	return register_netdevice(dev);
}

static void acme_dellink(struct net_device *dev, struct list_head *head)
{
	unregister_netdevice_queue(dev, head);
}
${OPS}`,
    },
    {
      name: 'a peer device the callback allocated itself and never registered',
      code: `static int acme_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct net_device *peer;
	int err;

	peer = alloc_netdev(sizeof(struct acme_priv), "acmep%d", NET_NAME_ENUM, acme_setup);
	if (!peer)
		return -ENOMEM;
	err = acme_pair(dev, peer);
	if (err) {
		free_netdev(peer);
		return err;
	}
	return register_netdevice(dev);
}
${OPS}`,
    },
    {
      name: 'a helper called with the peer, not the core device',
      code: `static void acme_drop_peer(struct net_device *peer)
{
	acme_peer_uninit(netdev_priv(peer));
	free_netdev(peer);
}

static int acme_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct net_device *peer = acme_alloc_peer(src_net);
	int err;

	if (!peer)
		return -ENOMEM;
	err = register_netdevice(dev);
	if (err)
		acme_drop_peer(peer);
	return err;
}
${OPS}`,
    },
    {
      name: "a device created outside rtnl_link_ops (an ioctl) is the driver's to free",
      code: `static int acme_ioctl_add(struct acme_ctx *ctx, struct net_device *dev)
{
	int err;

	rtnl_lock();
	err = register_netdevice(dev);
	rtnl_unlock();
	if (err)
		free_netdev(dev);
	return err;
}`,
    },
    {
      name: 'a helper named like newlink, with another signature, frees its own device',
      code: `static int acme_port_newlink(struct acme_switch *sw, int port)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct acme_port));
	int err;

	if (!dev)
		return -ENOMEM;
	err = register_netdev(dev);
	if (err)
		free_netdev(dev);
	return err;
}`,
    },
  ],
  invalid: [
    {
      name: 'the 6.15 newlink signature, with no ops table in view',
      code: `static int acme_newlink(struct net_device *dev, struct rtnl_newlink_params *params,
			struct netlink_ext_ack *extack)
{
	int err = acme_configure(dev, params->data);

	if (err) {
		free_netdev(dev);
		return err;
	}
	return register_netdevice(dev);
}`,
      errors: [{ line: 7, messageId: 'coreOwned', message: 'also when .newlink fails' }],
    },
    {
      name: 'newlink frees the core device when registration fails',
      code: `static int acme_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	int err;

	err = register_netdevice(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	return 0;
}
${OPS}`,
      errors: [{ line: 8, messageId: 'coreOwned', severity: 'error', message: 'passed to .newlink (acme_newlink)' }],
    },
    {
      name: 'dellink frees after queueing the unregistration',
      code: `static void acme_dellink(struct net_device *dev, struct list_head *head)
{
	struct acme_priv *priv = netdev_priv(dev);

	list_del(&priv->list);
	unregister_netdevice_queue(dev, head);
	free_netdev(dev);
}
${OPS}`,
      errors: [{ line: 7, messageId: 'coreOwned', message: '.dellink' }],
    },
    {
      name: 'a helper newlink calls frees the device it is given',
      code: `static void acme_abort(struct net_device *ndev)
{
	acme_release_queues(netdev_priv(ndev));
	free_netdev(ndev);
}

static int acme_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	int err = acme_configure(dev, data);

	if (err) {
		acme_abort(dev);
		return err;
	}
	return register_netdevice(dev);
}
${OPS}`,
      errors: [{ line: 4, messageId: 'coreOwned', message: 'via acme_newlink → acme_abort' }],
    },
    {
      name: 'a copy of the device freed in changelink',
      code: `static int acme_changelink(struct net_device *dev, struct nlattr *tb[], struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	struct net_device *ndev = dev;
	int err;

	err = acme_reconfigure(netdev_priv(ndev), data);
	if (err == -ENODEV) {
		unregister_netdevice(ndev);
		free_netdev(ndev);
	}
	return err;
}
${OPS}`,
      errors: [{ line: 10, messageId: 'coreOwned', message: 'free_netdev(ndev)' }],
    },
    {
      name: 'a patch that adds the free to newlink',
      patch: `diff --git a/drivers/net/acme.c b/drivers/net/acme.c
--- a/drivers/net/acme.c
+++ b/drivers/net/acme.c
@@ -210,11 +210,13 @@ static void acme_setup(struct net_device *dev)
 static int acme_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
 			struct nlattr *data[], struct netlink_ext_ack *extack)
 {
 	int err;
 
 	err = register_netdevice(dev);
-	if (err)
+	if (err) {
+		free_netdev(dev);
 		return err;
+	}
 	return 0;
 }
 
`,
      errors: [{ line: 217, messageId: 'coreOwned', message: '.newlink' }],
    },
  ],
});
