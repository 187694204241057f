import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/lltx-deprecated.js';
import { ruleApplies } from '../../src/engine/run.js';
import { MAINLINE, parseKernelVersion } from '../../src/kernel/version.js';
import { ruleTester } from '../lib/rule-tester.js';

const PCI = `
static struct pci_driver acme_pci_driver = {
	.name		= "acme",
	.id_table	= acme_pci_tbl,
	.probe		= acme_probe,
	.remove		= acme_remove,
};
module_pci_driver(acme_pci_driver);
`;

ruleTester(rule, {
  valid: [
    {
      name: 'a software device (veth-like pair) turns on lltx',
      path: 'drivers/net/veth.c',
      code: `static void acme_pair_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->lltx = true;
	dev->netdev_ops = &acme_pair_ops;
}`,
    },
    {
      name: 'a tunnel outside the hardware directories sets NETIF_F_LLTX (6.1)',
      kernel: '6.1',
      path: 'drivers/net/vxlan/vxlan_core.c',
      code: `static void acme_tnl_setup(struct net_device *dev)
{
	eth_hw_addr_random(dev);
	ether_setup(dev);
	dev->features |= NETIF_F_LLTX;
	dev->features |= NETIF_F_SG | NETIF_F_HW_CSUM;
}`,
    },
    {
      name: 'a port representor inside an ethernet driver',
      kernel: '6.1',
      path: 'drivers/net/ethernet/acme/acme_repr.c',
      code: `static void acme_repr_init(struct net_device *netdev)
{
	netdev->netdev_ops = &acme_repr_ops;
	netdev->features |= NETIF_F_LLTX;
}`,
    },
    {
      name: 'an rtnl_link_ops kind from the software list, wherever the file is',
      path: 'drivers/net/ethernet/acme/acme_mux.c',
      code: `static void acme_mux_setup(struct net_device *dev)
{
	dev->netdev_ops = &acme_mux_ops;
	dev->lltx = true;
}

static struct rtnl_link_ops acme_mux_link_ops __read_mostly = {
	.kind		= "rmnet",
	.setup		= acme_mux_setup,
	.newlink	= acme_mux_newlink,
};`,
    },
    {
      name: 'a hardware driver clears LLTX',
      kernel: '6.1',
      code: `static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *ndev = alloc_etherdev(sizeof(struct acme_priv));

	if (!ndev)
		return -ENOMEM;
	ndev->features &= ~NETIF_F_LLTX;
	ndev->features = ndev->features & ~(NETIF_F_LLTX | NETIF_F_HIGHDMA);
	return register_netdev(ndev);
}
${PCI}`,
    },
    {
      name: 'a hardware driver tests the flag, and sets lltx to false',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct acme_priv *priv = netdev_priv(ndev);

	if (ndev->lltx)
		spin_lock(&priv->tx_lock);
	return acme_queue(priv, skb);
}

static void acme_setup(struct net_device *ndev)
{
	ndev->lltx = false;
}`,
    },
    {
      name: 'the change touches a features assignment whose LLTX line it did not add',
      kernel: '6.1',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -410,7 +410,8 @@ static int acme_probe(struct platform_device *pdev)
 	ndev->netdev_ops = &acme_netdev_ops;
 	ndev->ethtool_ops = &acme_ethtool_ops;
 	ndev->features = NETIF_F_SG | NETIF_F_LLTX |
-			 NETIF_F_IP_CSUM;
+			 NETIF_F_IP_CSUM |
+			 NETIF_F_RXCSUM;
 	ndev->hw_features = ndev->features;
 	ndev->watchdog_timeo = 5 * HZ;
 
`,
    },
    {
      name: 'trees before 2.6.24, whose document did not deprecate LLTX yet',
      kernel: '2.6.23',
      code: `static int __devinit acme_init_one(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct acme_private));

	if (!dev)
		return -ENOMEM;
	dev->features |= NETIF_F_SG | NETIF_F_LLTX;
	return register_netdev(dev);
}
${PCI}`,
    },
    {
      name: 'a top-level driver of unknown kind (no bus driver struct in view)',
      kernel: '6.1',
      path: 'drivers/net/acme_link.c',
      code: `static void acme_link_setup(struct net_device *dev)
{
	dev->features = NETIF_F_LLTX;
}`,
    },
  ],
  invalid: [
    {
      name: 'an ethernet driver sets NETIF_F_LLTX (6.1: deprecated)',
      kernel: '6.1',
      code: `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;

	ndev = devm_alloc_etherdev(&pdev->dev, sizeof(struct acme_priv));
	if (!ndev)
		return -ENOMEM;
	ndev->netdev_ops = &acme_netdev_ops;
	ndev->features |= NETIF_F_SG | NETIF_F_LLTX;
	return register_netdev(ndev);
}`,
      errors: [{ line: 9, messageId: 'deprecated', severity: 'warning', message: 'under drivers/net/ethernet/' }],
    },
    {
      name: 'a PCI driver outside the hardware directories sets dev->lltx (mainline)',
      path: 'drivers/net/acme_nic.c',
      code: `static int acme_init_one(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct acme_private));

	if (!dev)
		return -ENOMEM;
	SET_NETDEV_DEV(dev, &pdev->dev);
	dev->lltx = true;
	return register_netdev(dev);
}
${PCI}`,
      errors: [{ line: 8, messageId: 'softwareOnly', message: 'it registers a pci_driver' }],
    },
    {
      name: 'NETIF_F_LLTX on a 6.12+ tree: the flag is gone, and lltx is for software devices',
      path: 'drivers/net/wireless/acme/main.c',
      code: `static void acme_netdev_setup(struct net_device *ndev)
{
	ndev->netdev_ops = &acme_netdev_ops;
	ndev->features |= NETIF_F_LLTX;
	ndev->hw_features |= NETIF_F_LLTX;
}`,
      errors: [{ line: 4, messageId: 'flagGone', message: 'no longer exists from 6.12' }],
    },
    {
      name: 'a patch adds LLTX to a multi-line features assignment (5.10)',
      kernel: '5.10',
      patch: `diff --git a/drivers/net/can/acme/acme_can.c b/drivers/net/can/acme/acme_can.c
--- a/drivers/net/can/acme/acme_can.c
+++ b/drivers/net/can/acme/acme_can.c
@@ -802,7 +802,8 @@ static int acme_can_probe(struct platform_device *pdev)
 	ndev->netdev_ops = &acme_can_netdev_ops;
 	ndev->flags |= IFF_ECHO;
 	ndev->features = NETIF_F_HW_CSUM |
-			 NETIF_F_HIGHDMA;
+			 NETIF_F_HIGHDMA |
+			 NETIF_F_LLTX;
 
 	platform_set_drvdata(pdev, ndev);
 	SET_NETDEV_DEV(ndev, &pdev->dev);
`,
      errors: [{ line: 806, messageId: 'deprecated' }],
    },
    {
      name: 'ndo_fix_features forces the flag on (6.1)',
      kernel: '6.1',
      code: `static netdev_features_t acme_fix_features(struct net_device *ndev, netdev_features_t features)
{
	features |= NETIF_F_LLTX;
	return features;
}`,
      errors: [{ line: 3, messageId: 'deprecated' }],
    },
  ],
});

// ../shared/seeds from the repository root; NETDEV_REVIEW_SEEDS points elsewhere.
const SEEDS = process.env.NETDEV_REVIEW_SEEDS ?? new URL('../../../shared/seeds/', import.meta.url).pathname;

describe('lltx-deprecated: gated on what each version of the document says', () => {
  const cases: [string, boolean][] = [
    ['000_bccc3208e5d210da.txt', false], // 2.6.18: LLTX documented, not deprecated
    ['001_ee77e0377251e26c.txt', false], // 2.6.23: same
    ['003_53bb13e9db58e890.txt', true], // 3.x: a note calls it deprecated
    ['002_b985eb9ed25cb3b7.txt', true], // 5.x/6.x: a warning calls it deprecated
    ['netdevices-upstream-2026.rst', true], // dev->lltx: for software drivers only
  ];
  for (const [file, applies] of cases) {
    it.skipIf(!existsSync(SEEDS + file))(`${file}: ${applies ? 'applies' : 'silent'}`, () => {
      expect(ruleApplies(rule, MAINLINE, readFileSync(SEEDS + file, 'utf8'))).toBe(applies);
    });
  }
  it('without a document, the version decides', () => {
    expect(ruleApplies(rule, parseKernelVersion('2.6.23') ?? MAINLINE)).toBe(false);
    expect(ruleApplies(rule, parseKernelVersion('2.6.24') ?? MAINLINE)).toBe(true);
  });
});
