import rule from '../../rules/netdev-alloc-api.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'alloc_etherdev with the private area size',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct acme_priv *priv;

	ndev = alloc_etherdev(sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	priv = netdev_priv(ndev);
	priv->ndev = ndev;
	return register_netdev(ndev);
}`,
    },
    {
      name: 'an array of net_device pointers, not of devices',
      code: `static int acme_alloc_ports(struct acme_adapter *ad, int n)
{
	ad->ports = kcalloc(n, sizeof(struct net_device *), GFP_KERNEL);
	if (!ad->ports)
		return -ENOMEM;
	ad->nports = n;
	return 0;
}`,
    },
    {
      name: 'a private struct that embeds a dummy net_device for NAPI',
      code: `struct acme_hw {
	struct net_device napi_dev;
	struct napi_struct napi;
};

static struct acme_hw *acme_hw_create(struct device *dev)
{
	struct acme_hw *hw = kzalloc(sizeof(*hw), GFP_KERNEL);

	if (!hw)
		return NULL;
	init_dummy_netdev(&hw->napi_dev);
	return hw;
}`,
    },
    {
      name: 'sizeof(*dev) where dev is the bus device wrapper, not a net_device',
      code: `static int acme_usb_probe(struct usb_interface *intf, const struct usb_device_id *id)
{
	struct acme_usb *dev;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->udev = interface_to_usbdev(intf);
	usb_set_intfdata(intf, dev);
	return 0;
}`,
    },
    {
      name: 'devm_alloc_etherdev',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev = devm_alloc_etherdev(&pdev->dev, sizeof(struct acme_priv));

	if (!ndev)
		return -ENOMEM;
	SET_NETDEV_DEV(ndev, &pdev->dev);
	return devm_register_netdev(&pdev->dev, ndev);
}`,
    },
    {
      name: 'kmalloc of a net_device on a tree whose document still says "allocated with kmalloc"',
      kernel: '2.6.20',
      code: `static struct net_device *acme_create(void)
{
	struct net_device *dev = kmalloc(sizeof(struct net_device), GFP_KERNEL);

	if (!dev)
		return NULL;
	memset(dev, 0, sizeof(struct net_device));
	ether_setup(dev);
	return dev;
}`,
    },
    {
      name: 'a hand-allocated dummy NAPI device before alloc_netdev_dummy() existed',
      kernel: '6.1',
      code: `static int acme_napi_init(struct acme_hw *hw)
{
	struct net_device *napi_dev;

	napi_dev = kzalloc(sizeof(*napi_dev), GFP_KERNEL);
	if (!napi_dev)
		return -ENOMEM;
	init_dummy_netdev(napi_dev);
	hw->napi_dev = napi_dev;
	return 0;
}`,
    },
  ],
  invalid: [
    {
      name: 'kzalloc of a net_device and its private area, old style',
      code: `static struct net_device *acme_create(struct acme_board *board)
{
	struct net_device *dev;

	dev = kzalloc(sizeof(struct net_device) + sizeof(struct acme_priv), GFP_KERNEL);
	if (!dev)
		return NULL;
	ether_setup(dev);
	dev->netdev_ops = &acme_netdev_ops;
	return dev;
}`,
      errors: [{ line: 5, messageId: 'slabNetdev', severity: 'error', message: 'kzalloc()' }],
    },
    {
      name: 'sizeof(*ndev) of a typed net_device pointer',
      code: `static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *ndev = kzalloc(sizeof(*ndev), GFP_KERNEL);
	int err;

	if (!ndev)
		return -ENOMEM;
	err = register_netdev(ndev);
	if (err)
		kfree(ndev);
	return err;
}`,
      errors: [{ line: 3, messageId: 'slabNetdev', message: 'ndev is allocated with kzalloc()' }],
    },
    {
      name: 'an array of net_devices from kcalloc',
      code: `static int acme_alloc_ports(struct acme_adapter *ad, int n)
{
	ad->port_devs = kcalloc(n, sizeof(struct net_device), GFP_KERNEL);
	if (!ad->port_devs)
		return -ENOMEM;
	return 0;
}`,
      errors: [{ line: 3, messageId: 'slabNetdev', message: 'ad->port_devs' }],
    },
    {
      name: 'devm_kzalloc of a net_device',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;

	ndev = devm_kzalloc(&pdev->dev, sizeof(*ndev), GFP_KERNEL);
	if (!ndev)
		return -ENOMEM;
	platform_set_drvdata(pdev, ndev);
	return 0;
}`,
      errors: [{ line: 5, messageId: 'slabNetdev', message: 'devm_kzalloc()' }],
    },
    {
      name: 'a hand-allocated dummy NAPI device once alloc_netdev_dummy() exists',
      code: `static int acme_napi_init(struct acme_hw *hw)
{
	struct net_device *napi_dev;

	napi_dev = kzalloc(sizeof(*napi_dev), GFP_KERNEL);
	if (!napi_dev)
		return -ENOMEM;
	init_dummy_netdev(napi_dev);
	hw->napi_dev = napi_dev;
	return 0;
}`,
      errors: [{ line: 5, messageId: 'slabDummy', message: 'alloc_netdev_dummy()' }],
    },
    {
      name: 'a patch that replaces alloc_etherdev with vzalloc',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -40,7 +40,7 @@ static int acme_probe(struct platform_device *pdev)
 	struct net_device *ndev;
 	int err;
 
-	ndev = alloc_etherdev(sizeof(struct acme_priv));
+	ndev = vzalloc(sizeof(*ndev) + sizeof(struct acme_priv));
 	if (!ndev)
 		return -ENOMEM;
 	priv = netdev_priv(ndev);
`,
      errors: [{ line: 43, messageId: 'slabNetdev', message: 'vzalloc()' }],
    },
  ],
});
