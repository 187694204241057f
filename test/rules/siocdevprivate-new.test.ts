import rule from '../../rules/siocdevprivate-new.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'an existing handler in a table the change touches elsewhere',
      patch: `diff --git a/drivers/net/wan/acme_hdlc.c b/drivers/net/wan/acme_hdlc.c
--- a/drivers/net/wan/acme_hdlc.c
+++ b/drivers/net/wan/acme_hdlc.c
@@ -640,7 +640,8 @@ static const struct net_device_ops acme_hdlc_ops = {
 	.ndo_open		= acme_hdlc_open,
 	.ndo_stop		= acme_hdlc_close,
 	.ndo_start_xmit		= hdlc_start_xmit,
 	.ndo_siocwandev		= acme_hdlc_ioctl,
 	.ndo_siocdevprivate	= acme_hdlc_priv_ioctl,
+	.ndo_get_stats64	= acme_hdlc_get_stats64,
 };
`,
    },
    {
      name: 'trees before the ioctl split (5.14)',
      kernel: '5.14',
      code: `static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_stop		= acme_close,
	.ndo_siocdevprivate	= acme_siocdevprivate,
};`,
    },
    {
      name: 'ndo_eth_ioctl for MII ioctls, and a NULL private handler',
      code: `static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_stop		= acme_close,
	.ndo_eth_ioctl		= phy_do_ioctl_running,
	.ndo_siocdevprivate	= NULL,
};`,
    },
  ],
  invalid: [
    {
      name: 'a new driver adds a private ioctl handler',
      code: `static int acme_siocdevprivate(struct net_device *ndev, struct ifreq *rq, void __user *data, int cmd)
{
	struct acme_priv *priv = netdev_priv(ndev);

	if (cmd != SIOCDEVPRIVATE)
		return -EOPNOTSUPP;
	return acme_fw_request(priv, data);
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_stop		= acme_close,
	.ndo_start_xmit		= acme_start_xmit,
	.ndo_siocdevprivate	= acme_siocdevprivate,
};`,
      errors: [{ line: 14, messageId: 'added', severity: 'info', message: 'ethtool, devlink or netlink' }],
    },
    {
      name: 'a patch adds the entry to an existing table',
      kernel: '6.1',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -900,6 +900,7 @@ static const struct net_device_ops acme_netdev_ops = {
 	.ndo_open		= acme_open,
 	.ndo_stop		= acme_close,
 	.ndo_eth_ioctl		= acme_ioctl,
+	.ndo_siocdevprivate	= acme_private_ioctl,
 	.ndo_set_mac_address	= eth_mac_addr,
 };
`,
      errors: [{ line: 903, messageId: 'added', message: 'acme_private_ioctl' }],
    },
    {
      name: 'set in code for one variant of the device',
      code: `static void acme_setup_ops(struct acme_priv *priv, bool legacy_tools)
{
	priv->ops = acme_netdev_ops_base;
	if (legacy_tools)
		priv->ops.ndo_siocdevprivate = acme_legacy_ioctl;
	priv->ndev->netdev_ops = &priv->ops;
}`,
      errors: [{ line: 5, messageId: 'added', message: 'acme_legacy_ioctl' }],
    },
  ],
});
