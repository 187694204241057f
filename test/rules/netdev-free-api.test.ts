import rule from '../../rules/netdev-free-api.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'free_netdev of the device, kfree of a private buffer',
      code: `static void acme_cleanup(struct net_device *ndev)
{
	struct acme_priv *priv = netdev_priv(ndev);

	kfree(priv->rx_buf);
	free_netdev(ndev);
}`,
    },
    {
      name: 'kfree of a struct that only holds a net_device pointer',
      code: `static void acme_port_free(struct acme_port *port)
{
	unregister_netdev(port->ndev);
	free_netdev(port->ndev);
	kfree(port);
}`,
    },
    {
      name: 'vfree of a ring allocated with vzalloc',
      code: `static void acme_free_ring(struct acme_ring *ring)
{
	struct acme_desc *desc = ring->desc;

	vfree(desc);
	ring->desc = NULL;
}`,
    },
  ],
  invalid: [
    {
      name: 'kfree of a net_device parameter, with a fix',
      code: `static void acme_destroy(struct net_device *dev)
{
	unregister_netdev(dev);
	kfree(dev);
}`,
      errors: [{ line: 4, messageId: 'wrongFree', fix: '\tfree_netdev(dev);' }],
    },
    {
      name: 'kfree of an alloc_etherdev result on the error path',
      code: `static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct acme_priv *priv;
	void *ndev = alloc_etherdev(sizeof(*priv));
	int err;

	if (!ndev)
		return -ENOMEM;
	err = acme_hw_init(pdev);
	if (err) {
		kfree(ndev);
		return err;
	}
	return 0;
}`,
      errors: [{ line: 11, messageId: 'wrongFree', fix: '\t\tfree_netdev(ndev);' }],
    },
    {
      name: 'kvfree of a typed local',
      code: `static void acme_port_release(struct acme_port *port)
{
	struct net_device *netdev = port->netdev;

	port->netdev = NULL;
	kvfree(netdev);
}`,
      errors: [{ line: 6, messageId: 'wrongFree', fix: '\tfree_netdev(netdev);' }],
    },
  ],
});
