import rule from '../../rules/netdev-free-without-unregister.js';
import { ruleTester } from '../lib/rule-tester.js';

const PROBE = `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	int err;

	ndev = alloc_etherdev(sizeof(struct acme_priv));
	if (!ndev)
		return -ENOMEM;
	platform_set_drvdata(pdev, ndev);
	err = register_netdev(ndev);
	if (err) {
		free_netdev(ndev);
		return err;
	}
	return 0;
}
`;

const DRIVER = `
static struct platform_driver acme_driver = {
	.probe	= acme_probe,
	.remove	= acme_remove,
	.driver	= { .name = "acme" },
};`;

ruleTester(rule, {
  valid: [
    {
      name: 'unregister_netdev before free_netdev in remove',
      code: `${PROBE}
static int acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);

	unregister_netdev(ndev);
	acme_hw_reset(netdev_priv(ndev));
	free_netdev(ndev);
	return 0;
}
${DRIVER}`,
    },
    {
      name: 'a same-file helper unregisters before the free',
      code: `${PROBE}
static void acme_detach(struct net_device *ndev)
{
	netif_device_detach(ndev);
	unregister_netdev(ndev);
}

static int acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);

	acme_detach(ndev);
	free_netdev(ndev);
	return 0;
}
${DRIVER}`,
    },
    {
      name: 'a free helper shared by the probe error path and remove, which unregisters first',
      code: `static void acme_free_netdev(struct net_device *ndev)
{
	acme_free_rings(netdev_priv(ndev));
	free_netdev(ndev);
}

static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev = alloc_etherdev(sizeof(struct acme_priv));
	int err;

	if (!ndev)
		return -ENOMEM;
	platform_set_drvdata(pdev, ndev);
	err = register_netdev(ndev);
	if (err)
		acme_free_netdev(ndev);
	return err;
}

static int acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);

	unregister_netdev(ndev);
	acme_free_netdev(ndev);
	return 0;
}
${DRIVER}`,
    },
    {
      name: 'a dummy NAPI device freed before the registered one is unregistered',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct acme_priv *priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	int err;

	if (!priv)
		return -ENOMEM;
	priv->napi_dev = alloc_netdev_dummy(0);
	if (!priv->napi_dev)
		return -ENOMEM;
	priv->ndev = alloc_etherdev(0);
	if (!priv->ndev)
		goto err_dummy;
	platform_set_drvdata(pdev, priv);
	err = register_netdev(priv->ndev);
	if (err)
		goto err_ndev;
	return 0;
err_ndev:
	free_netdev(priv->ndev);
err_dummy:
	free_netdev(priv->napi_dev);
	return -ENOMEM;
}

static int acme_remove(struct platform_device *pdev)
{
	struct acme_priv *priv = platform_get_drvdata(pdev);

	free_netdev(priv->napi_dev);
	unregister_netdev(priv->ndev);
	free_netdev(priv->ndev);
	return 0;
}
${DRIVER}`,
    },
    {
      name: 'unregistered only when registered, on some path',
      code: `${PROBE}
static int acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);
	struct acme_priv *priv = netdev_priv(ndev);

	if (priv->registered)
		unregister_netdev(ndev);
	free_netdev(ndev);
	return 0;
}
${DRIVER}`,
    },
    {
      name: 'a file that registers nothing itself',
      code: `static void acme_port_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);

	acme_core_detach(ndev);
	free_netdev(ndev);
}

static struct platform_driver acme_port_driver = {
	.remove_new = acme_port_remove,
};`,
    },
    {
      name: 'CAN: unregister_candev then free_candev in disconnect',
      code: `static int acme_can_probe(struct usb_interface *intf, const struct usb_device_id *id)
{
	struct net_device *netdev = alloc_candev(sizeof(struct acme_can), 16);
	int err;

	if (!netdev)
		return -ENOMEM;
	usb_set_intfdata(intf, netdev);
	err = register_candev(netdev);
	if (err)
		free_candev(netdev);
	return err;
}

static void acme_can_disconnect(struct usb_interface *intf)
{
	struct net_device *netdev = usb_get_intfdata(intf);

	usb_set_intfdata(intf, NULL);
	unregister_candev(netdev);
	free_candev(netdev);
}

static struct usb_driver acme_can_driver = {
	.probe = acme_can_probe,
	.disconnect = acme_can_disconnect,
};`,
    },
  ],
  invalid: [
    {
      name: 'remove frees the registered device without unregistering it',
      code: `${PROBE}
static int acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);

	acme_hw_reset(netdev_priv(ndev));
	free_netdev(ndev);
	return 0;
}
${DRIVER}`,
      errors: [{ line: 23, messageId: 'noUnregister', severity: 'warning', message: 'free_netdev(ndev) in remove acme_remove' }],
    },
    {
      name: 'USB disconnect without unregister',
      code: `static int acme_usb_probe(struct usb_interface *intf, const struct usb_device_id *id)
{
	struct net_device *net = alloc_etherdev(sizeof(struct acme_usb));
	int ret;

	if (!net)
		return -ENOMEM;
	usb_set_intfdata(intf, net);
	ret = register_netdev(net);
	if (ret)
		free_netdev(net);
	return ret;
}

static void acme_usb_disconnect(struct usb_interface *intf)
{
	struct net_device *net = usb_get_intfdata(intf);
	struct acme_usb *au = netdev_priv(net);

	usb_set_intfdata(intf, NULL);
	usb_kill_urb(au->rx_urb);
	free_netdev(net);
}

static struct usb_driver acme_usb_driver = {
	.probe = acme_usb_probe,
	.disconnect = acme_usb_disconnect,
};`,
      errors: [{ line: 22, messageId: 'noUnregister', message: 'register_netdev()' }],
    },
    {
      name: 'module exit frees a global device',
      code: `static struct net_device *acme_dev;

static int __init acme_init(void)
{
	acme_dev = alloc_netdev(0, "acme%d", NET_NAME_UNKNOWN, acme_setup);
	if (!acme_dev)
		return -ENOMEM;
	return register_netdev(acme_dev);
}

static void __exit acme_exit(void)
{
	free_netdev(acme_dev);
}

module_init(acme_init);
module_exit(acme_exit);`,
      errors: [{ line: 13, messageId: 'noUnregister', message: 'in module exit acme_exit' }],
    },
    {
      name: 'the free is in a helper that remove calls',
      code: `${PROBE}
static void acme_free(struct net_device *ndev)
{
	acme_free_rings(netdev_priv(ndev));
	free_netdev(ndev);
}

static int acme_remove(struct platform_device *pdev)
{
	acme_free(platform_get_drvdata(pdev));
	return 0;
}
${DRIVER}`,
      errors: [{ line: 21, messageId: 'noUnregister', message: 'via acme_remove → acme_free' }],
    },
    {
      name: 'a remove recognised by its name only is reported one step lower',
      code: `${PROBE}
static int acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);

	free_netdev(ndev);
	return 0;
}`,
      errors: [{ line: 22, messageId: 'noUnregister', severity: 'info' }],
    },
    {
      name: 'a patch that deletes the unregister_netdev() from remove',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -180,19 +180,18 @@ static int acme_probe(struct platform_device *pdev)
 	err = register_netdev(ndev);
 	if (err)
 		goto err_free;
 	return 0;
 err_free:
 	free_netdev(ndev);
 	return err;
 }
 
 static int acme_remove(struct platform_device *pdev)
 {
 	struct net_device *ndev = platform_get_drvdata(pdev);
 
-	unregister_netdev(ndev);
 	acme_hw_reset(netdev_priv(ndev));
 	free_netdev(ndev);
 	return 0;
 }
 
 static struct platform_driver acme_driver = {
 	.probe	= acme_probe,
 	.remove	= acme_remove,
`,
      errors: [{ line: 194, messageId: 'noUnregister' }],
    },
  ],
});
