import rule from '../../rules/legacy-dev-priv.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'trees before 2.6.29, where dev->priv was the API',
      kernel: '2.6.28',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_local *lp = dev->priv;

	acme_hw_start(lp);
	netif_start_queue(dev);
	return 0;
}`,
    },
    {
      name: 'priv fields of other structs (an skb queue, a PHY, an untyped pointer)',
      code: `static void acme_link_change(struct phy_device *phydev, struct acme_port *port)
{
	struct acme_ring *ring = port->priv;
	struct acme_phy *aphy = phydev->priv;

	acme_ring_kick(ring, aphy->speed);
}

static void acme_attach(struct acme_card *card)
{
	dev = card->ndev;
	card->state = dev->priv;
}`,
    },
    {
      name: 'netdev_priv() and ml_priv',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	struct acme_port *port = dev->ml_priv;

	priv->port = port;
	return acme_hw_start(priv);
}`,
    },
  ],
  invalid: [
    {
      name: 'dev->priv read from a net_device parameter, with a fix',
      kernel: '2.6.30',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_local *lp = dev->priv;

	acme_hw_start(lp);
	netif_start_queue(dev);
	return 0;
}`,
      errors: [{ line: 3, messageId: 'read', severity: 'error', fix: '\tstruct acme_local *lp = netdev_priv(dev);' }],
    },
    {
      name: 'a cast of the device inside a timer callback',
      code: `static void acme_watchdog(unsigned long data)
{
	struct acme_local *lp = ((struct net_device *)data)->priv;

	mod_timer(&lp->timer, jiffies + HZ);
}`,
      errors: [{ line: 3, messageId: 'read', fix: '\tstruct acme_local *lp = netdev_priv((struct net_device *)data);' }],
    },
    {
      name: 'priv attached to a device from an allocator, then read back (patch)',
      kernel: '3.10',
      patch: `diff --git a/drivers/net/ethernet/acme/acme.c b/drivers/net/ethernet/acme/acme.c
--- a/drivers/net/ethernet/acme/acme.c
+++ b/drivers/net/ethernet/acme/acme.c
@@ -120,9 +120,11 @@ static int acme_probe(struct platform_device *pdev)
 	ndev = alloc_etherdev(0);
 	if (!ndev)
 		return -ENOMEM;
+	ndev->priv = kzalloc(sizeof(struct acme_local), GFP_KERNEL);
+	acme_init_local(ndev->priv, pdev);
 	SET_NETDEV_DEV(ndev, &pdev->dev);
 	platform_set_drvdata(pdev, ndev);
 	ndev->netdev_ops = &acme_netdev_ops;
 
 	return register_netdev(ndev);
`,
      errors: [
        { line: 123, messageId: 'assign', message: 'ndev->ml_priv' },
        { line: 124, messageId: 'read', fix: '\tacme_init_local(netdev_priv(ndev), pdev);' },
      ],
    },
    {
      name: 'a file-scope device',
      code: `static struct net_device *acme_root_dev;

static void __exit acme_cleanup(void)
{
	struct acme_local *lp = acme_root_dev->priv;

	unregister_netdev(acme_root_dev);
	acme_release_io(lp);
	free_netdev(acme_root_dev);
}`,
      errors: [{ line: 5, messageId: 'read', fix: '\tstruct acme_local *lp = netdev_priv(acme_root_dev);' }],
    },
  ],
});
