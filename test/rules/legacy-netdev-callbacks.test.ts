import rule from '../../rules/legacy-netdev-callbacks.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'trees before 2.6.29, where the fields were the API',
      kernel: '2.6.28',
      code: `static int __devinit acme_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct acme_private));

	if (!dev)
		return -ENOMEM;
	dev->open = acme_open;
	dev->stop = acme_close;
	dev->hard_start_xmit = acme_start_xmit;
	return register_netdev(dev);
}`,
    },
    {
      name: 'the same names in other structs (file_operations, a port struct)',
      kernel: '2.6.30',
      code: `static const struct file_operations acme_fops = {
	.owner	= THIS_MODULE,
	.open	= acme_cdev_open,
	.poll	= acme_cdev_poll,
};

static void acme_port_init(struct acme_port *port, struct file_operations *fops)
{
	port->open = acme_port_open;
	port->stop = acme_port_stop;
	fops->poll = acme_cdev_poll;
}`,
    },
    {
      name: 'an object named dev whose type is not visible',
      patch: `diff --git a/drivers/net/ethernet/acme/acme.c b/drivers/net/ethernet/acme/acme.c
--- a/drivers/net/ethernet/acme/acme.c
+++ b/drivers/net/ethernet/acme/acme.c
@@ -210,6 +210,7 @@ static int acme_attach(struct acme_card *card)
 	dev = card->priv_dev;
 	dev->irq = card->irq;
+	dev->open = acme_card_open;
 	dev->base_addr = card->iobase;
 
 	return 0;
`,
    },
    {
      name: 'a driver with a net_device_ops table, reading a field of the same name elsewhere',
      code: `static const struct net_device_ops acme_netdev_ops = {
	.ndo_open	= acme_open,
	.ndo_stop	= acme_stop,
	.ndo_start_xmit	= acme_start_xmit,
};

static void acme_setup(struct net_device *dev, struct acme_hw *hw)
{
	dev->netdev_ops = &acme_netdev_ops;
	if (hw->stop)
		hw->stop(hw);
}`,
    },
  ],
  invalid: [
    {
      name: 'probe fills in the old callback fields (2.6.30)',
      kernel: '2.6.30',
      code: `static int __devinit acme_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct acme_private));

	if (!dev)
		return -ENOMEM;
	dev->open = acme_open;
	dev->stop = acme_close;
	dev->hard_start_xmit = acme_start_xmit;
	dev->watchdog_timeo = 5 * HZ;
	return register_netdev(dev);
}`,
      errors: [
        { line: 7, messageId: 'ndo', severity: 'warning', message: '.ndo_open' },
        { line: 8, messageId: 'ndo', message: '.ndo_stop' },
        { line: 9, messageId: 'ndo', message: 'put acme_start_xmit in the driver\'s struct net_device_ops as .ndo_start_xmit' },
      ],
    },
    {
      name: 'set_multicast_list on 3.0 names ndo_set_multicast_list',
      kernel: '3.0',
      code: `static void acme_setup(struct net_device *ndev)
{
	ether_setup(ndev);
	ndev->set_multicast_list = acme_set_mc_list;
}`,
      errors: [{ line: 4, messageId: 'ndo', message: '.ndo_set_multicast_list' }],
    },
    {
      name: 'set_multicast_list on a current tree names ndo_set_rx_mode',
      code: `static void acme_setup(struct net_device *ndev)
{
	ether_setup(ndev);
	ndev->set_multicast_list = acme_set_mc_list;
}`,
      errors: [{ line: 4, messageId: 'ndo', message: '.ndo_set_rx_mode' }],
    },
    {
      name: 'dev->poll points at NAPI',
      kernel: '2.6.32',
      code: `static int acme_init_dev(struct net_device *dev)
{
	dev->poll = acme_poll;
	dev->weight = 64;
	return 0;
}`,
      errors: [{ line: 3, messageId: 'other', message: 'netif_napi_add()' }],
    },
    {
      name: 'a statically declared device',
      kernel: '2.6.32',
      code: `static struct net_device acme_isa_dev = {
	.name	= "acme0",
	.init	= acme_isa_probe,
};

static int __init acme_isa_init(void)
{
	acme_isa_dev.tx_timeout = acme_isa_timeout;
	return register_netdev(&acme_isa_dev);
}`,
      errors: [
        { line: 3, messageId: 'ndo', message: '.ndo_init' },
        { line: 8, messageId: 'ndo', message: 'acme_isa_dev.tx_timeout' },
      ],
    },
    {
      name: 'a patch assigns get_stats to a device the hunk shows allocated',
      kernel: '2.6.31',
      patch: `diff --git a/drivers/net/acme.c b/drivers/net/acme.c
--- a/drivers/net/acme.c
+++ b/drivers/net/acme.c
@@ -300,6 +300,7 @@ static int acme_probe1(struct acme_card *card)
 	ndev = alloc_etherdev(sizeof(struct acme_local));
 	if (!ndev)
 		return -ENOMEM;
+	ndev->get_stats = acme_get_stats;
 	card->ndev = ndev;
 
 	return 0;
`,
      errors: [{ line: 303, messageId: 'ndo', message: '.ndo_get_stats' }],
    },
  ],
});
