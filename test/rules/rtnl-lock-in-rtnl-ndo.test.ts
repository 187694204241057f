import rule from '../../rules/rtnl-lock-in-rtnl-ndo.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'rtnl_trylock in ndo_change_mtu',
      code: `static int acme_change_mtu(struct net_device *dev, int new_mtu)
{
	struct acme_priv *priv = netdev_priv(dev);

	if (!rtnl_trylock())
		return -EBUSY;
	dev->mtu = new_mtu;
	acme_hw_set_mtu(priv, new_mtu);
	rtnl_unlock();
	return 0;
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_change_mtu = acme_change_mtu,
};`,
    },
    {
      name: 'rtnl_lock in a work function',
      code: `static void acme_reset_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, reset_task);

	rtnl_lock();
	if (netif_running(priv->ndev)) {
		acme_down(priv);
		acme_up(priv);
	}
	rtnl_unlock();
}

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct acme_priv *priv = acme_alloc(pdev);

	INIT_WORK(&priv->reset_task, acme_reset_task);
	return 0;
}`,
    },
    {
      name: 'rtnl_lock in probe and remove',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct acme_priv *priv = acme_alloc(pdev);

	rtnl_lock();
	acme_apply_features(priv);
	rtnl_unlock();
	return register_netdev(priv->ndev);
}

static int acme_remove(struct platform_device *pdev)
{
	struct acme_priv *priv = platform_get_drvdata(pdev);

	rtnl_lock();
	dev_close(priv->ndev);
	rtnl_unlock();
	unregister_netdev(priv->ndev);
	return 0;
}

static struct platform_driver acme_driver = {
	.probe = acme_probe,
	.remove = acme_remove,
};`,
    },
    {
      name: 'ndo_stop cancels a work item that uses rtnl_trylock',
      code: `static void acme_watchdog_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, watchdog_task.work);

	if (!rtnl_trylock()) {
		schedule_delayed_work(&priv->watchdog_task, HZ);
		return;
	}
	acme_check_link(priv);
	rtnl_unlock();
}

static int acme_stop(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	cancel_delayed_work_sync(&priv->watchdog_task);
	return 0;
}

static void acme_init_priv(struct acme_priv *priv)
{
	INIT_DELAYED_WORK(&priv->watchdog_task, acme_watchdog_task);
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_stop = acme_stop,
};`,
    },
    {
      name: 'remove cancels a work item that takes rtnl_lock (no rtnl held there)',
      code: `static void acme_reset_task(struct work_struct *work)
{
	rtnl_lock();
	acme_reinit(container_of(work, struct acme_priv, reset_task));
	rtnl_unlock();
}

static void acme_remove(struct pci_dev *pdev)
{
	struct acme_priv *priv = pci_get_drvdata(pdev);

	cancel_work_sync(&priv->reset_task);
	unregister_netdev(priv->ndev);
}

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct acme_priv *priv = acme_alloc(pdev);

	INIT_WORK(&priv->reset_task, acme_reset_task);
	return 0;
}

static struct pci_driver acme_pci_driver = {
	.probe = acme_probe,
	.remove = acme_remove,
};`,
    },
    {
      name: 'ndo_stop drops rtnl before waiting, then takes it back',
      code: `static int acme_stop(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	rtnl_unlock();
	wait_event(priv->fw_wq, !priv->fw_busy);
	rtnl_lock();
	acme_hw_stop(priv);
	return 0;
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_stop = acme_stop,
};`,
    },
    {
      name: 'helper with a name like ndo_open that the file calls from a work function',
      code: `static int acme_port_open(struct net_device *dev)
{
	rtnl_lock();
	dev_open(dev, NULL);
	rtnl_unlock();
	return 0;
}

static void acme_link_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, link_task);

	acme_port_open(priv->ndev);
}

static void acme_setup(struct acme_priv *priv)
{
	INIT_WORK(&priv->link_task, acme_link_task);
}`,
    },
    {
      name: 'rtnl_lock under a flag saying whether the caller holds it',
      code: `static int acme_rebuild(struct acme_pf *pf, bool lock_acquired)
{
	if (!lock_acquired)
		rtnl_lock();
	acme_setup_switch(pf);
	if (!lock_acquired)
		rtnl_unlock();
	return 0;
}

static int acme_resume(struct device *d)
{
	struct acme_pf *pf = dev_get_drvdata(d);

	rtnl_lock();
	acme_rebuild(pf, true);
	rtnl_unlock();
	return 0;
}

static SIMPLE_DEV_PM_OPS(acme_pm_ops, NULL, acme_resume);`,
    },
    {
      name: 'ethtool op of an ops-locked driver runs under the instance lock only (mainline)',
      code: `static int acme_set_pauseparam(struct net_device *dev, struct ethtool_pauseparam *pause)
{
	struct acme_priv *priv = netdev_priv(dev);
	int err;

	rtnl_lock();
	err = phylink_ethtool_set_pauseparam(priv->phylink, pause);
	rtnl_unlock();
	return err;
}

static const struct ethtool_ops acme_ethtool_ops = {
	.set_pauseparam = acme_set_pauseparam,
};

static void acme_netdev_setup(struct net_device *dev)
{
	dev->ethtool_ops = &acme_ethtool_ops;
	dev->request_ops_lock = true;
}`,
    },
    {
      name: 'ndo_do_ioctl on mainline: internal callers, some without rtnl',
      code: `static int acme_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	struct acme_priv *priv = netdev_priv(dev);
	int err;

	rtnl_lock();
	err = acme_addr_ioctl(priv, ifr, cmd);
	rtnl_unlock();
	return err;
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_do_ioctl = acme_ioctl,
};`,
    },
  ],
  invalid: [
    {
      name: 'rtnl_lock in ndo_open',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	int err;

	rtnl_lock();
	err = acme_hw_start(priv);
	rtnl_unlock();
	return err;
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_open = acme_open,
};`,
      errors: [{ line: 6, messageId: 'deadlock', severity: 'error', message: 'acme_open is ndo_open' }],
    },
    {
      name: 'rtnl_lock in an ethtool op through a helper',
      code: `static int acme_apply_ring_size(struct acme_priv *priv, u32 rx, u32 tx)
{
	int err;

	rtnl_lock();
	err = acme_realloc_rings(priv, rx, tx);
	rtnl_unlock();
	return err;
}

static int acme_set_ringparam(struct net_device *dev, struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	return acme_apply_ring_size(netdev_priv(dev), ring->rx_pending, ring->tx_pending);
}

static const struct ethtool_ops acme_ethtool_ops = {
	.set_ringparam = acme_set_ringparam,
};`,
      errors: [{ line: 5, messageId: 'deadlock', message: 'acme_set_ringparam → acme_apply_ring_size → rtnl_lock' }],
    },
    {
      name: 'ndo_stop cancels a reset work that takes rtnl_lock',
      code: `static void acme_reset_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, reset_task);

	rtnl_lock();
	acme_down(priv);
	acme_up(priv);
	rtnl_unlock();
}

static int acme_close(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	cancel_work_sync(&priv->reset_task);
	acme_down(priv);
	return 0;
}

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct acme_priv *priv = acme_alloc(pdev);

	INIT_WORK(&priv->reset_task, acme_reset_task);
	return 0;
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_stop = acme_close,
};`,
      errors: [{ line: 15, messageId: 'waitsForRtnl', severity: 'error', message: 'acme_reset_task(), which takes rtnl_lock() (rtnl_lock() at line 5)' }],
    },
    {
      name: 'catch-all ndo (ndo_vlan_rx_add_vid) takes rtnl: warning',
      code: `static int acme_vlan_rx_add_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct acme_priv *priv = netdev_priv(dev);

	rtnl_lock();
	set_bit(vid, priv->active_vlans);
	rtnl_unlock();
	return acme_sync_vlan_filter(priv);
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_vlan_rx_add_vid = acme_vlan_rx_add_vid,
};`,
      errors: [{ line: 5, messageId: 'deadlock', severity: 'warning' }],
    },
    {
      name: 'rtnl_lock twice in one function',
      code: `static void acme_update_port(struct acme_priv *priv)
{
	rtnl_lock();
	acme_refresh(priv);
	rtnl_lock();
	acme_commit(priv);
	rtnl_unlock();
}`,
      errors: [{ line: 5, messageId: 'nested', message: 'rtnl_lock() at line 3' }],
    },
    {
      name: 'netdevice notifier callback takes rtnl',
      code: `static int acme_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event != NETDEV_CHANGEUPPER)
		return NOTIFY_DONE;
	rtnl_lock();
	acme_track_upper(dev);
	rtnl_unlock();
	return NOTIFY_OK;
}

static struct notifier_block acme_nb = {
	.notifier_call = acme_netdev_event,
};

static int __init acme_init(void)
{
	return register_netdevice_notifier(&acme_nb);
}`,
      errors: [{ line: 7, messageId: 'deadlock', message: 'a netdevice notifier callback' }],
    },
    {
      name: 'a patch adding rtnl_lock to a function named like ndo_stop (name only: warning)',
      patch: `--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -410,7 +410,9 @@ static int acme_stop(struct net_device *dev)
 	struct acme_priv *priv = netdev_priv(dev);
 
 	napi_disable(&priv->napi);
+	rtnl_lock();
 	acme_free_rings(priv);
+	rtnl_unlock();
 	return 0;
 }
`,
      errors: [{ line: 413, messageId: 'deadlock', severity: 'warning' }],
    },
    {
      name: 'the same ethtool op on 6.12, before ops locking: rtnl is held',
      kernel: '6.12',
      code: `static int acme_set_pauseparam(struct net_device *dev, struct ethtool_pauseparam *pause)
{
	struct acme_priv *priv = netdev_priv(dev);
	int err;

	rtnl_lock();
	err = phylink_ethtool_set_pauseparam(priv->phylink, pause);
	rtnl_unlock();
	return err;
}

static const struct ethtool_ops acme_ethtool_ops = {
	.set_pauseparam = acme_set_pauseparam,
};

static void acme_netdev_setup(struct net_device *dev)
{
	dev->ethtool_ops = &acme_ethtool_ops;
	dev->request_ops_lock = true;
}`,
      errors: [{ line: 6, messageId: 'deadlock', message: 'ethtool_ops .set_pauseparam' }],
    },
    {
      name: 'ndo_do_ioctl on 4.19 served user ioctls under rtnl: warning',
      kernel: '4.19',
      code: `static int acme_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	struct acme_priv *priv = netdev_priv(dev);
	int err;

	rtnl_lock();
	err = acme_addr_ioctl(priv, ifr, cmd);
	rtnl_unlock();
	return err;
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_do_ioctl = acme_ioctl,
};`,
      errors: [{ line: 6, messageId: 'deadlock', severity: 'warning' }],
    },
    {
      name: 'rtnl_lock after ASSERT_RTNL in the same function',
      code: `static void acme_sync_vlans(struct acme_priv *priv)
{
	ASSERT_RTNL();
	acme_flush_vlan_table(priv);
	rtnl_lock();
	vlan_for_each(priv->ndev, acme_add_vid, priv);
	rtnl_unlock();
}`,
      errors: [{ line: 5, messageId: 'deadlock', message: 'ASSERT_RTNL() at line 3 says the caller holds it' }],
    },
  ],
});
