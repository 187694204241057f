import rule from '../../rules/napi-disable-on-stop.js';
import { ruleTester } from '../lib/rule-tester.js';

const OPS = `
static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_stop		= acme_stop,
	.ndo_start_xmit		= acme_start_xmit,
};`;

ruleTester(rule, {
  valid: [
    {
      name: 'open enables, stop disables',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	napi_enable(&priv->napi);
	acme_hw_start(priv);
	netif_start_queue(dev);
	return 0;
}

static int acme_stop(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	netif_stop_queue(dev);
	napi_disable(&priv->napi);
	acme_hw_stop(priv);
	return 0;
}
${OPS}`,
    },
    {
      name: 'disabled in a shared helper both stop and the error path use',
      code: `static void acme_quiesce(struct acme_priv *priv)
{
	int i;

	for (i = 0; i < priv->num_rx; i++)
		napi_disable(&priv->rx[i].napi);
}

static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	int i;

	for (i = 0; i < priv->num_rx; i++)
		napi_enable(&priv->rx[i].napi);
	if (acme_hw_start(priv)) {
		acme_quiesce(priv);
		return -EIO;
	}
	return 0;
}

static int acme_stop(struct net_device *dev)
{
	acme_quiesce(netdev_priv(dev));
	return 0;
}
${OPS}`,
    },
    {
      name: 'instance-locked driver disables with napi_disable_locked',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	napi_enable_locked(&priv->napi);
	return 0;
}

static int acme_stop(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	napi_disable_locked(&priv->napi);
	return 0;
}
${OPS}`,
    },
    {
      name: 'stop calls a teardown helper defined in another file',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	napi_enable(&priv->napi);
	return 0;
}

static int acme_stop(struct net_device *dev)
{
	acme_core_down(netdev_priv(dev));
	return 0;
}
${OPS}`,
    },
    {
      name: 'netif_napi_del is not asked for: free_netdev() deletes NAPI instances',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	napi_enable(&priv->napi);
	return 0;
}

static int acme_stop(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	napi_disable(&priv->napi);
	return 0;
}

static void acme_remove(struct platform_device *pdev)
{
	struct net_device *dev = platform_get_drvdata(pdev);

	unregister_netdev(dev);
	free_netdev(dev);
}
${OPS}`,
    },
    {
      name: 'only the stop body is in the hunk',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -500,9 +500,8 @@ static int acme_open(struct net_device *dev)
 static int acme_stop(struct net_device *dev)
 {
 	struct acme_priv *priv = netdev_priv(dev);
 
 	netif_stop_queue(dev);
-	napi_disable(&priv->napi);
 	acme_hw_stop(priv);
 	return 0;
 }
`,
    },
    {
      name: 'a change elsewhere in the file',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -480,23 +480,24 @@ static int acme_hw_stop(struct acme_priv *priv)
 static int acme_open(struct net_device *dev)
 {
 	struct acme_priv *priv = netdev_priv(dev);
 
 	napi_enable(&priv->napi);
 	return 0;
 }
 
 static int acme_stop(struct net_device *dev)
 {
 	return 0;
 }
 
 static int acme_set_mac(struct net_device *dev, void *addr)
 {
+	eth_hw_addr_set(dev, addr);
 	return 0;
 }
 
 static const struct net_device_ops acme_netdev_ops = {
 	.ndo_open		= acme_open,
 	.ndo_stop		= acme_stop,
 	.ndo_set_mac_address	= acme_set_mac,
 };
`,
    },
  ],
  invalid: [
    {
      name: 'stop forgets napi_disable',
      code: `static void acme_hw_stop(struct acme_priv *priv)
{
	writel(0, priv->base + ACME_CTRL);
}

static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	napi_enable(&priv->napi);
	netif_start_queue(dev);
	return 0;
}

static int acme_stop(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	netif_stop_queue(dev);
	acme_hw_stop(priv);
	return 0;
}
${OPS}`,
      errors: [{ line: 15, messageId: 'missing', severity: 'warning', message: 'napi_disable(&priv->napi)' }],
    },
    {
      name: 'enabled through an open helper; stop disables only the rx instance',
      code: `static void acme_up(struct acme_priv *priv)
{
	napi_enable(&priv->rx_napi);
	napi_enable(&priv->tx_napi);
	acme_hw_start(priv);
}

static void acme_hw_stop(struct acme_priv *priv)
{
	writel(0, priv->base + ACME_CTRL);
}

static int acme_open(struct net_device *dev)
{
	acme_up(netdev_priv(dev));
	return 0;
}

static int acme_stop(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	napi_disable(&priv->rx_napi);
	acme_hw_stop(priv);
	return 0;
}
${OPS}`,
      errors: [{ line: 19, messageId: 'missing', message: '&priv->tx_napi at line 4 (in acme_up)' }],
    },
    {
      name: 'patch adds napi_enable to open; stop not in the change: anchored at the enable',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -480,17 +480,18 @@ static int acme_hw_stop(struct acme_priv *priv)
 static int acme_open(struct net_device *dev)
 {
 	struct acme_priv *priv = netdev_priv(dev);
 
+	napi_enable(&priv->napi);
 	netif_start_queue(dev);
 	return 0;
 }
 
 static int acme_stop(struct net_device *dev)
 {
 	netif_stop_queue(dev);
 	return 0;
 }
 
 static const struct net_device_ops acme_netdev_ops = {
 	.ndo_open		= acme_open,
 	.ndo_stop		= acme_stop,
`,
      errors: [{ line: 484, messageId: 'missing' }],
    },
    {
      name: 'names only (no ops table in view): one step lower',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -480,13 +480,12 @@ static int acme_hw_stop(struct acme_priv *priv)
 static int acme_open(struct net_device *dev)
 {
 	struct acme_priv *priv = netdev_priv(dev);
 
 	napi_enable(&priv->napi);
 	return 0;
 }
 
 static int acme_close(struct net_device *dev)
 {
-	napi_disable(&((struct acme_priv *)netdev_priv(dev))->napi);
 	return 0;
 }
`,
      errors: [{ line: 488, messageId: 'missing', severity: 'info' }],
    },
  ],
});
