import rule from '../../rules/netdev-leak-on-error.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'a non-NULL pointer test is not an error code, and the owner is returned',
      code: `static struct acme_dev *acme_create_net(struct usb_interface *intf)
{
	struct net_device *net;
	struct acme_net *an;
	struct acme_dev *ad;

	ad = acme_create_dev(intf);
	if (!ad)
		return NULL;
	net = alloc_netdev(sizeof(struct acme_net), "acme%d", NET_NAME_UNKNOWN, acme_net_init);
	if (!net)
		goto err_dev;
	an = netdev_priv(net);
	an->net = net;
	ad->net = an;
	if (register_netdev(net))
		goto err_net;
	return ad;
err_net:
	free_netdev(net);
err_dev:
	kfree(ad);
	return NULL;
}`,
    },
    {
      name: 'allocated straight into a struct field',
      code: `static struct acme *acme_core_create(struct device *dev)
{
	struct acme *ar = kzalloc(sizeof(*ar), GFP_KERNEL);

	if (!ar)
		return NULL;
	ar->napi_dev = alloc_netdev_dummy(0);
	if (!ar->napi_dev)
		goto err_free;
	return ar;
err_free:
	kfree(ar);
	return NULL;
}`,
    },
    {
      name: 'freed through the back pointer in its private area',
      code: `static int acme_ldisc_open(struct tty_struct *tty)
{
	struct net_device *dev;
	struct acme_can *elm;
	int err;

	dev = alloc_candev(sizeof(struct acme_can), 0);
	if (!dev)
		return -ENFILE;
	elm = netdev_priv(dev);
	elm->dev = dev;
	tty->disc_data = elm;
	err = register_candev(elm->dev);
	if (err)
		goto out_err;
	return 0;
out_err:
	free_candev(elm->dev);
	return err;
}`,
    },
    {
      name: 'goto ladder frees on every error',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct acme_priv *priv;
	int err;

	ndev = alloc_etherdev(sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	priv = netdev_priv(ndev);
	err = acme_hw_init(priv);
	if (err)
		goto err_free;
	err = register_netdev(ndev);
	if (err)
		goto err_hw;
	platform_set_drvdata(pdev, ndev);
	return 0;

err_hw:
	acme_hw_exit(priv);
err_free:
	free_netdev(ndev);
	return err;
}`,
    },
    {
      name: 'device-managed allocation',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev = devm_alloc_etherdev(&pdev->dev, sizeof(struct acme_priv));
	int err;

	if (!ndev)
		return -ENOMEM;
	err = acme_hw_init(netdev_priv(ndev));
	if (err)
		return err;
	return devm_register_netdev(&pdev->dev, ndev);
}`,
    },
    {
      name: 'ownership handed to a struct, then error',
      code: `static int acme_add_port(struct acme_switch *sw, int i)
{
	struct net_device *ndev = alloc_etherdev(sizeof(struct acme_port));
	int err;

	if (!ndev)
		return -ENOMEM;
	sw->ports[i] = ndev;
	err = acme_port_init(sw, i);
	if (err)
		return err;
	return 0;
}`,
    },
    {
      name: 'errors before the allocation, and a returned device',
      code: `static struct net_device *acme_create(struct acme_adapter *ad)
{
	struct net_device *ndev;

	if (!ad->enabled)
		return ERR_PTR(-ENODEV);
	ndev = alloc_netdev(0, "acme%d", NET_NAME_UNKNOWN, ether_setup);
	if (!ndev)
		return ERR_PTR(-ENOMEM);
	acme_setup(ndev);
	return ndev;
}`,
    },
    {
      name: 'a same-file helper frees the device',
      code: `static void acme_destroy(struct net_device *ndev)
{
	acme_unmap(netdev_priv(ndev));
	free_netdev(ndev);
}

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *ndev = alloc_etherdev(64);
	int err;

	if (!ndev)
		return -ENOMEM;
	err = register_netdev(ndev);
	if (err) {
		acme_destroy(ndev);
		return err;
	}
	return 0;
}`,
    },
  ],
  invalid: [
    {
      name: 'early return skips the ladder',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct acme_priv *priv;
	int err;

	ndev = alloc_etherdev(sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	priv = netdev_priv(ndev);
	err = acme_hw_init(priv);
	if (err)
		return err;
	err = register_netdev(ndev);
	if (err)
		goto err_free;
	return 0;

err_free:
	free_netdev(ndev);
	return err;
}`,
      errors: [{ line: 13, messageId: 'leak', message: 'allocated by alloc_etherdev() at line 7' }],
    },
    {
      name: 'goto jumps below the free',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev = alloc_etherdev(sizeof(struct acme_priv));
	int err;

	if (!ndev)
		return -ENOMEM;
	err = acme_clk_enable(pdev);
	if (err)
		goto out;
	err = register_netdev(ndev);
	if (err)
		goto err_free;
	return 0;
err_free:
	free_netdev(ndev);
out:
	return err;
}`,
      errors: [{ line: 18, messageId: 'leak' }],
    },
    {
      name: 'preset errno then goto past the free',
      code: `static int acme_init(struct acme_adapter *ad)
{
	struct net_device *ndev;
	int err = -ENOMEM;

	ndev = alloc_candev(sizeof(struct acme_can), 1);
	if (!ndev)
		goto out;
	ad->rx_buf = kzalloc(4096, GFP_KERNEL);
	if (!ad->rx_buf)
		goto out;
	err = register_candev(ndev);
	if (err)
		goto out_free;
	ad->ndev = ndev;
	return 0;
out_free:
	free_candev(ndev);
out:
	return err;
}`,
      errors: [{ line: 20, messageId: 'leak' }],
    },
    {
      name: 'returns NULL from a constructor without freeing',
      code: `static struct net_device *acme_create(struct acme_adapter *ad)
{
	struct net_device *ndev = alloc_netdev(0, "acme%d", NET_NAME_UNKNOWN, ether_setup);

	if (!ndev)
		return NULL;
	if (acme_setup(ndev) < 0)
		return NULL;
	return ndev;
}`,
      errors: [{ line: 8, messageId: 'leak' }],
    },
  ],
});
