import rule from '../../rules/register-without-rtnl.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'register_netdevice inside rtnl_lock in probe',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	int err;

	ndev = alloc_etherdev(sizeof(struct acme_priv));
	if (!ndev)
		return -ENOMEM;
	rtnl_lock();
	err = dev_alloc_name(ndev, "acme%d");
	if (err >= 0)
		err = register_netdevice(ndev);
	rtnl_unlock();
	if (err)
		free_netdev(ndev);
	return err;
}

static struct platform_driver acme_driver = {
	.probe = acme_probe,
};`,
    },
    {
      name: 'rtnl_link_ops newlink registers with register_netdevice',
      code: `static int acme_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct acme_vport *vp = netdev_priv(dev);

	vp->id = nla_get_u32(data[IFLA_ACME_ID]);
	return register_netdevice(dev);
}

static struct rtnl_link_ops acme_link_ops = {
	.kind		= "acme",
	.newlink	= acme_newlink,
};`,
    },
    {
      name: 'helper with ASSERT_RTNL',
      code: `static void acme_destroy_port(struct acme_port *port)
{
	ASSERT_RTNL();
	unregister_netdevice(port->ndev);
}

static void acme_remove(struct pci_dev *pdev)
{
	struct acme_switch *sw = pci_get_drvdata(pdev);

	rtnl_lock();
	acme_destroy_port(sw->port);
	rtnl_unlock();
}

static struct pci_driver acme_pci_driver = {
	.remove = acme_remove,
};`,
    },
    {
      name: 'helper whose callers are not all visible (not static)',
      code: `void acme_port_destroy(struct acme_port *port)
{
	unregister_netdevice(port->ndev);
}

static void acme_remove(struct pci_dev *pdev)
{
	struct acme_switch *sw = pci_get_drvdata(pdev);

	acme_port_destroy(sw->port);
}

static struct pci_driver acme_pci_driver = {
	.remove = acme_remove,
};`,
    },
    {
      name: 'helper of unknown role (no caller in view)',
      code: `static int acme_add_vport(struct acme_priv *priv, struct net_device *ndev)
{
	int err;

	err = register_netdevice(ndev);
	if (err)
		return err;
	list_add(&priv->list, &acme_vports);
	return 0;
}`,
    },
    {
      name: 'work function takes rtnl in its caller chain',
      code: `static void acme_drop_port(struct acme_port *port)
{
	unregister_netdevice_queue(port->ndev, NULL);
}

static void acme_reconfig_work(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, reconfig_work);

	rtnl_lock();
	acme_drop_port(priv->port);
	rtnl_unlock();
}

static int acme_probe(struct platform_device *pdev)
{
	struct acme_priv *priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);

	if (!priv)
		return -ENOMEM;
	INIT_WORK(&priv->reconfig_work, acme_reconfig_work);
	return 0;
}`,
    },
    {
      name: 'rtnl taken on one branch only: may be held, stays silent',
      code: `static void acme_teardown(struct acme_priv *priv, bool locked)
{
	if (!locked)
		rtnl_lock();
	unregister_netdevice(priv->ndev);
	if (!locked)
		rtnl_unlock();
}

static void acme_remove(struct platform_device *pdev)
{
	acme_teardown(platform_get_drvdata(pdev), false);
}

static struct platform_driver acme_driver = {
	.remove = acme_remove,
};`,
    },
    {
      name: 'a hunk inside a work function: rtnl_lock() may be above the hunk',
      patch: `--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -210,6 +210,7 @@ static void acme_service_task(struct work_struct *work)
 	struct acme_priv *priv = container_of(work, struct acme_priv, service_task);
 
 	if (priv->port_gone) {
+		netif_carrier_off(priv->ndev);
 		unregister_netdevice(priv->ndev);
 		priv->port_gone = false;
 	}
`,
    },
    {
      name: 'reached through the driver ndo_open: that call is the finding (rtnl-required-without-rtnl)',
      code: `static int acme_add_mon(struct acme_priv *priv)
{
	return register_netdevice(priv->mon_dev);
}

static int acme_open(struct net_device *dev)
{
	return acme_add_mon(netdev_priv(dev));
}

static int acme_resume(struct device *d)
{
	return acme_open(dev_get_drvdata(d));
}

static SIMPLE_DEV_PM_OPS(acme_pm_ops, NULL, acme_resume);

static const struct net_device_ops acme_netdev_ops = {
	.ndo_open = acme_open,
};`,
    },
  ],
  invalid: [
    {
      name: 'register_netdevice in probe, with the fix',
      code: `static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *ndev;
	int err;

	ndev = alloc_etherdev(sizeof(struct acme_priv));
	if (!ndev)
		return -ENOMEM;
	SET_NETDEV_DEV(ndev, &pdev->dev);
	err = register_netdevice(ndev);
	if (err) {
		free_netdev(ndev);
		return err;
	}
	pci_set_drvdata(pdev, ndev);
	return 0;
}

static struct pci_driver acme_pci_driver = {
	.name	= "acme",
	.probe	= acme_probe,
};`,
      errors: [{ line: 10, messageId: 'unlocked', severity: 'warning', fix: '\terr = register_netdev(ndev);', message: 'acme_probe is a probe function' }],
    },
    {
      name: 'unregister_netdevice in remove, with the fix',
      code: `static void acme_remove(struct platform_device *pdev)
{
	struct net_device *ndev = platform_get_drvdata(pdev);

	unregister_netdevice(ndev);
	free_netdev(ndev);
}

static struct platform_driver acme_driver = {
	.remove_new = acme_remove,
};`,
      errors: [{ line: 5, messageId: 'unlocked', fix: '\tunregister_netdev(ndev);' }],
    },
    {
      name: 'unregister_netdevice_queue(dev, NULL) in module exit becomes unregister_netdev',
      code: `static struct net_device *acme_dummy;

static void __exit acme_exit(void)
{
	unregister_netdevice_queue(acme_dummy, NULL);
	free_netdev(acme_dummy);
}
module_exit(acme_exit);`,
      errors: [{ line: 5, messageId: 'unlocked', fix: '\tunregister_netdev(acme_dummy);', message: 'the module exit function' }],
    },
    {
      name: 'unregister_netdevice_many from a work function through a static helper',
      code: `static void acme_flush_ports(struct acme_priv *priv)
{
	LIST_HEAD(list);
	int i;

	for (i = 0; i < priv->nports; i++)
		unregister_netdevice_queue(priv->ports[i], &list);
	unregister_netdevice_many(&list);
}

static void acme_reset_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, reset_task);

	acme_flush_ports(priv);
	acme_hw_reset(priv);
}

static int acme_probe(struct platform_device *pdev)
{
	struct acme_priv *priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);

	if (!priv)
		return -ENOMEM;
	INIT_WORK(&priv->reset_task, acme_reset_task);
	return 0;
}`,
      errors: [
        { line: 7, messageId: 'unlocked', message: 'acme_reset_task → acme_flush_ports → unregister_netdevice_queue' },
        { line: 8, messageId: 'unlocked', message: 'take rtnl_lock() around it' },
      ],
    },
    {
      name: 'PM resume re-registers; the other caller holds rtnl but one is enough',
      code: `static int acme_attach(struct acme_priv *priv)
{
	return register_netdevice(priv->ndev);
}

static int acme_resume(struct device *d)
{
	struct acme_priv *priv = dev_get_drvdata(d);

	return acme_attach(priv);
}

static int acme_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	return acme_attach(netdev_priv(dev));
}

static SIMPLE_DEV_PM_OPS(acme_pm_ops, NULL, acme_resume);

static struct rtnl_link_ops acme_link_ops = {
	.changelink = acme_changelink,
};`,
      errors: [{ line: 3, messageId: 'unlocked', message: 'acme_resume is a power-management callback' }],
    },
    {
      name: 'patch adds a new helper and its call from remove',
      patch: `--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -300,10 +300,16 @@ static int acme_probe(struct platform_device *pdev)
 	return err;
 }
 
+static void acme_unplug(struct acme_priv *priv)
+{
+	unregister_netdevice(priv->ndev);
+}
+
 static int acme_remove(struct platform_device *pdev)
 {
 	struct acme_priv *priv = platform_get_drvdata(pdev);
 
+	acme_unplug(priv);
 	free_netdev(priv->ndev);
 	return 0;
 }
`,
      errors: [{ line: 305, messageId: 'unlocked', severity: 'info', message: 'acme_remove → acme_unplug → unregister_netdevice' }],
    },
  ],
});
