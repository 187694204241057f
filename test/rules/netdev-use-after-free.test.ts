import rule from '../../rules/netdev-use-after-free.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'device declared inside the loop body is a new variable each time',
      code: `static void acme_disconnect(struct usb_interface *intf)
{
	struct acme_usb *dev;

	for (dev = usb_get_intfdata(intf); dev; dev = dev->prev) {
		struct net_device *netdev = dev->netdev;

		unregister_netdev(netdev);
		free_candev(netdev);
	}
}`,
    },
    {
      name: 'freed through a field whose owner is renewed each iteration',
      code: `static void acme_teardown_ctrls(struct acme_pcie *pcie)
{
	struct acme_can *can;
	int i;

	for (i = 0; i < pcie->nr_channels; i++) {
		can = pcie->can[i];
		if (can)
			free_candev(can->can.dev);
	}
}`,
    },
    {
      name: 'priv fields copied into locals before the free',
      code: `static int acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);
	struct acme_priv *priv = netdev_priv(ndev);
	struct clk *clk = priv->clk;

	unregister_netdev(ndev);
	free_netdev(ndev);
	clk_disable_unprepare(clk);
	return 0;
}`,
    },
    {
      name: 'pointer reset to NULL after the free',
      code: `static void acme_port_destroy(struct acme_port *port)
{
	struct net_device *ndev = port->ndev;

	unregister_netdev(ndev);
	free_netdev(ndev);
	ndev = NULL;
	acme_log(ndev);
}`,
    },
    {
      name: 'use on another path than the free',
      code: `static int acme_init_one(struct acme_adapter *ad)
{
	struct net_device *ndev = alloc_etherdev(sizeof(struct acme_priv));
	int err;

	if (!ndev)
		return -ENOMEM;
	err = register_netdev(ndev);
	if (err) {
		free_netdev(ndev);
		return err;
	}
	netdev_info(ndev, "registered\\n");
	return 0;
}`,
    },
    {
      name: 'loop re-assigns the device each iteration',
      code: `static void acme_free_ports(struct acme_switch *sw)
{
	struct net_device *ndev;
	int i;

	for (i = 0; i < sw->num_ports; i++) {
		ndev = sw->ports[i];
		unregister_netdev(ndev);
		free_netdev(ndev);
	}
}`,
    },
  ],
  invalid: [
    {
      name: 'netdev_info after free_netdev',
      code: `static void acme_teardown(struct net_device *ndev)
{
	unregister_netdev(ndev);
	free_netdev(ndev);
	netdev_info(ndev, "removed\\n");
}`,
      errors: [{ line: 5, messageId: 'useDev', message: 'line 4' }],
    },
    {
      name: 'priv (netdev_priv) dereferenced after the free',
      code: `static int acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);
	struct acme_priv *priv = netdev_priv(ndev);

	unregister_netdev(ndev);
	free_netdev(ndev);
	clk_disable_unprepare(priv->clk);
	return 0;
}`,
      errors: [{ line: 8, messageId: 'usePriv' }],
    },
    {
      name: 'error ladder frees and then falls through to a label that uses it',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct acme_priv *priv;
	int err;

	ndev = alloc_etherdev(sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	priv = netdev_priv(ndev);
	err = register_netdev(ndev);
	if (err)
		goto err_free;
	return 0;

err_free:
	free_netdev(ndev);
err_clk:
	clk_disable_unprepare(priv->clk);
	return err;
}`,
      errors: [{ line: 19, messageId: 'usePriv' }],
    },
    {
      name: 'freed twice',
      code: `static void acme_destroy(struct acme_port *port)
{
	struct net_device *ndev = port->ndev;

	free_netdev(ndev);
	if (port->registered)
		unregister_netdev(port->ndev);
	free_netdev(ndev);
}`,
      errors: [{ line: 8, messageId: 'doubleFree' }],
    },
  ],
});
