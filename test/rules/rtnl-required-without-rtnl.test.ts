import rule from '../../rules/rtnl-required-without-rtnl.js';
import { ruleTester } from '../lib/rule-tester.js';

const OPS = `
static const struct net_device_ops acme_netdev_ops = {
	.ndo_open	= acme_open,
	.ndo_stop	= acme_close,
};`;

ruleTester(rule, {
  valid: [
    {
      name: 'resume reopens the device under rtnl_lock',
      code: `static int acme_open(struct net_device *dev)
{
	return acme_hw_up(netdev_priv(dev));
}

static int acme_close(struct net_device *dev)
{
	return acme_hw_down(netdev_priv(dev));
}

static int acme_resume(struct device *d)
{
	struct net_device *dev = dev_get_drvdata(d);
	int err = 0;

	rtnl_lock();
	if (netif_running(dev))
		err = acme_open(dev);
	rtnl_unlock();
	netif_device_attach(dev);
	return err;
}

static SIMPLE_DEV_PM_OPS(acme_pm_ops, NULL, acme_resume);
${OPS}`,
    },
    {
      name: 'queue counts set in probe before register_netdev',
      code: `static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *ndev = alloc_etherdev_mq(sizeof(struct acme_priv), 16);
	int err;

	if (!ndev)
		return -ENOMEM;
	netif_set_real_num_tx_queues(ndev, acme_num_queues(pdev));
	netif_set_real_num_rx_queues(ndev, acme_num_queues(pdev));
	err = register_netdev(ndev);
	if (err)
		free_netdev(ndev);
	return err;
}

static struct pci_driver acme_pci_driver = {
	.probe = acme_probe,
};`,
    },
    {
      name: 'work function with rtnl_lock before phylink_stop',
      code: `static void acme_restart_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, restart_task);

	rtnl_lock();
	phylink_stop(priv->phylink);
	acme_hw_reset(priv);
	phylink_start(priv->phylink);
	rtnl_unlock();
}

static void acme_setup(struct acme_priv *priv)
{
	INIT_WORK(&priv->restart_task, acme_restart_task);
}`,
    },
    {
      name: 'helper asserting rtnl, called from the PCI error handler',
      code: `static void acme_detach_port(struct acme_priv *priv)
{
	ASSERT_RTNL();
	dev_close(priv->ndev);
}

static pci_ers_result_t acme_io_error_detected(struct pci_dev *pdev, pci_channel_state_t state)
{
	acme_detach_port(pci_get_drvdata(pdev));
	return PCI_ERS_RESULT_NEED_RESET;
}

static const struct pci_error_handlers acme_err_handler = {
	.error_detected = acme_io_error_detected,
};`,
    },
    {
      name: 'rtnl-held ndo calls dev_set_mtu on a lower device',
      code: `static int acme_change_mtu(struct net_device *dev, int new_mtu)
{
	struct acme_priv *priv = netdev_priv(dev);

	dev->mtu = new_mtu;
	return dev_set_mtu(priv->lower, new_mtu + ACME_HLEN);
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_change_mtu = acme_change_mtu,
};`,
    },
    {
      name: 'unregister_netdevice in remove is register-without-rtnl business',
      code: `static void acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);

	unregister_netdevice(ndev);
	free_netdev(ndev);
}

static struct platform_driver acme_driver = {
	.remove_new = acme_remove,
};`,
    },
    {
      name: 'helper called from remove and from an rtnl region, not all callers visible (extern)',
      code: `void acme_port_down(struct acme_port *port)
{
	dev_close(port->ndev);
}

static void acme_remove(struct platform_device *pdev)
{
	acme_port_down(platform_get_drvdata(pdev));
}

static struct platform_driver acme_driver = {
	.remove_new = acme_remove,
};`,
    },
    {
      name: 'USB post_reset releases the rtnl that pre_reset took',
      code: `static int acme_pre_reset(struct usb_interface *intf)
{
	struct acme_priv *priv = usb_get_intfdata(intf);

	rtnl_lock();
	netif_stop_queue(priv->ndev);
	return 0;
}

static int acme_post_reset(struct usb_interface *intf)
{
	struct acme_priv *priv = usb_get_intfdata(intf);
	struct sockaddr sa;

	if (acme_read_mac(priv, &sa) == 0)
		dev_set_mac_address(priv->ndev, &sa, NULL);
	netif_wake_queue(priv->ndev);
	rtnl_unlock();
	return 0;
}

static struct usb_driver acme_usb_driver = {
	.pre_reset	= acme_pre_reset,
	.post_reset	= acme_post_reset,
};`,
    },
    {
      name: 'work function takes rtnl through the driver lock wrapper',
      code: `static void acme_lock(struct acme_priv *priv)
{
	rtnl_lock();
	mutex_lock(&priv->cfg_lock);
}

static void acme_unlock(struct acme_priv *priv)
{
	mutex_unlock(&priv->cfg_lock);
	rtnl_unlock();
}

static void acme_recovery_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, recovery_task);

	acme_lock(priv);
	udp_tunnel_nic_reset_ntf(priv->ndev);
	acme_unlock(priv);
}

static void acme_setup(struct acme_priv *priv)
{
	INIT_WORK(&priv->recovery_task, acme_recovery_task);
}`,
    },
    {
      name: 'work function that sets the device up before registering it',
      code: `static void acme_start_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, start_task);

	netif_set_real_num_tx_queues(priv->ndev, priv->nqueues);
	netif_set_real_num_rx_queues(priv->ndev, priv->nqueues);
	if (register_netdev(priv->ndev))
		dev_err(priv->dev, "cannot register\n");
}

static void acme_setup(struct acme_priv *priv)
{
	INIT_WORK(&priv->start_task, acme_start_task);
}`,
    },
    {
      name: 'rtnl taken in the other branch: the author locks per branch',
      code: `static void acme_service_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, service_task);

	if (priv->caller_holds_rtnl) {
		dev_close(priv->ndev);
	} else {
		rtnl_lock();
		dev_close(priv->ndev);
		rtnl_unlock();
	}
}

static void acme_setup(struct acme_priv *priv)
{
	INIT_WORK(&priv->service_task, acme_service_task);
}`,
    },
  ],
  invalid: [
    {
      name: 'suspend calls the driver ndo_stop without rtnl',
      code: `static int acme_open(struct net_device *dev)
{
	return acme_hw_up(netdev_priv(dev));
}

static int acme_close(struct net_device *dev)
{
	return acme_hw_down(netdev_priv(dev));
}

static int acme_suspend(struct device *d)
{
	struct net_device *dev = dev_get_drvdata(d);

	netif_device_detach(dev);
	if (netif_running(dev))
		acme_close(dev);
	return 0;
}

static SIMPLE_DEV_PM_OPS(acme_pm_ops, acme_suspend, NULL);
${OPS}`,
      errors: [{ line: 17, messageId: 'ownNdo', severity: 'error', message: "acme_close() is this driver's ndo_stop" }],
    },
    {
      name: 'reset work calls dev_close and dev_open without rtnl',
      code: `static void acme_reset_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, reset_task);

	dev_close(priv->ndev);
	acme_hw_reset(priv);
	dev_open(priv->ndev, NULL);
}

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct acme_priv *priv = acme_alloc(pdev);

	INIT_WORK(&priv->reset_task, acme_reset_task);
	return register_netdev(priv->ndev);
}

static struct pci_driver acme_pci_driver = {
	.probe = acme_probe,
};`,
      errors: [
        { line: 5, messageId: 'helper', severity: 'warning', message: 'acme_reset_task is a work function' },
        { line: 7, messageId: 'helper', severity: 'warning' },
      ],
    },
    {
      name: 'resume calls phylink_resume through a helper',
      code: `static void acme_phy_resume(struct acme_priv *priv)
{
	phylink_resume(priv->phylink);
}

static int acme_resume(struct device *d)
{
	struct acme_priv *priv = dev_get_drvdata(d);

	acme_hw_init(priv);
	acme_phy_resume(priv);
	return 0;
}

static const struct dev_pm_ops acme_pm_ops = {
	SET_SYSTEM_SLEEP_PM_OPS(NULL, acme_resume)
};`,
      errors: [{ line: 3, messageId: 'helper', message: 'acme_resume → acme_phy_resume → phylink_resume' }],
    },
    {
      name: 'queue counts changed in probe after registration',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev = alloc_etherdev_mqs(sizeof(struct acme_priv), 8, 8);
	int err;

	if (!ndev)
		return -ENOMEM;
	err = register_netdev(ndev);
	if (err)
		goto err_free;
	err = netif_set_real_num_tx_queues(ndev, acme_queues(pdev));
	if (err)
		goto err_unreg;
	return 0;

err_unreg:
	unregister_netdev(ndev);
err_free:
	free_netdev(ndev);
	return err;
}

static struct platform_driver acme_driver = {
	.probe = acme_probe,
};`,
      errors: [{ line: 11, messageId: 'helper', message: 'asserts rtnl once the device is registered' }],
    },
    {
      name: 'PCI slot reset reopens through the ndo_open helper',
      code: `static int acme_open(struct net_device *dev)
{
	return acme_hw_up(netdev_priv(dev));
}

static int acme_close(struct net_device *dev)
{
	return acme_hw_down(netdev_priv(dev));
}

static pci_ers_result_t acme_io_slot_reset(struct pci_dev *pdev)
{
	struct net_device *dev = pci_get_drvdata(pdev);

	pci_restore_state(pdev);
	if (netif_running(dev) && acme_open(dev))
		return PCI_ERS_RESULT_DISCONNECT;
	return PCI_ERS_RESULT_RECOVERED;
}

static const struct pci_error_handlers acme_err_handler = {
	.slot_reset = acme_io_slot_reset,
};
${OPS}`,
      errors: [{ line: 16, messageId: 'ownNdo', message: 'a PCI error handler' }],
    },
    {
      name: 'rtnl_dereference in remove',
      code: `static void acme_remove(struct pci_dev *pdev)
{
	struct acme_priv *priv = pci_get_drvdata(pdev);
	struct bpf_prog *prog = rtnl_dereference(priv->xdp_prog);

	if (prog)
		bpf_prog_put(prog);
	unregister_netdev(priv->ndev);
}

static struct pci_driver acme_pci_driver = {
	.remove = acme_remove,
};`,
      errors: [{ line: 4, messageId: 'helper', message: 'lockdep' }],
    },
    {
      name: 'a hunk in a function named like remove calls dev_close (name only: info)',
      patch: `--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -501,6 +501,7 @@
 static void acme_remove(struct pci_dev *pdev)
 {
 	struct acme_priv *priv = pci_get_drvdata(pdev);
 
+	dev_close(priv->ndev);
 	unregister_netdev(priv->ndev);
 	free_netdev(priv->ndev);
`,
      errors: [{ line: 505, messageId: 'helper', severity: 'info' }],
    },
    {
      name: 'PM resume re-applies features through the driver ndo_set_features: warning',
      code: `static int acme_set_features(struct net_device *dev, netdev_features_t features)
{
	return acme_hw_set_csum(netdev_priv(dev), features & NETIF_F_RXCSUM);
}

static int acme_resume(struct device *d)
{
	struct net_device *dev = dev_get_drvdata(d);

	acme_hw_init(netdev_priv(dev));
	acme_set_features(dev, dev->features);
	netif_device_attach(dev);
	return 0;
}

static SIMPLE_DEV_PM_OPS(acme_pm_ops, NULL, acme_resume);

static const struct net_device_ops acme_netdev_ops = {
	.ndo_set_features = acme_set_features,
};`,
      errors: [{ line: 11, messageId: 'ownNdo', severity: 'warning', message: 'ndo_set_features' }],
    },
    {
      name: 'rtnl released before the call in the same work function',
      code: `static void acme_link_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, link_task);

	rtnl_lock();
	acme_read_link(priv);
	rtnl_unlock();
	netdev_update_features(priv->ndev);
}

static void acme_setup(struct acme_priv *priv)
{
	INIT_WORK(&priv->link_task, acme_link_task);
}`,
      errors: [{ line: 8, messageId: 'helper', message: '__netdev_update_features() asserts rtnl' }],
    },
  ],
});
