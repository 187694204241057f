import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/set-rx-mode-deprecated.js';
import { ruleApplies } from '../../src/engine/run.js';
import { MAINLINE, parseKernelVersion } from '../../src/kernel/version.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'an existing table the change does not touch',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -1201,9 +1201,10 @@ static const struct net_device_ops acme_netdev_ops = {
 	.ndo_open		= acme_open,
 	.ndo_stop		= acme_close,
 	.ndo_start_xmit		= acme_start_xmit,
 	.ndo_set_rx_mode	= acme_set_rx_mode,
 	.ndo_set_mac_address	= acme_set_mac,
+	.ndo_get_stats64	= acme_get_stats64,
 	.ndo_tx_timeout		= acme_tx_timeout,
 	.ndo_eth_ioctl		= phy_do_ioctl_running,
 };
`,
    },
    {
      name: 'a released kernel (6.1) whose document does not deprecate it',
      kernel: '6.1',
      code: `static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_stop		= acme_close,
	.ndo_start_xmit		= acme_start_xmit,
	.ndo_set_rx_mode	= acme_set_rx_mode,
};`,
    },
    {
      name: 'a table that also provides ndo_set_rx_mode_async',
      code: `static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_stop		= acme_close,
	.ndo_start_xmit		= acme_start_xmit,
	.ndo_set_rx_mode	= acme_set_rx_mode,
	.ndo_set_rx_mode_async	= acme_set_rx_mode_async,
};`,
    },
    {
      name: 'the entry set to NULL, and ndo_set_rx_mode_async alone',
      code: `static const struct net_device_ops acme_vf_netdev_ops = {
	.ndo_open		= acme_vf_open,
	.ndo_set_rx_mode	= NULL,
};

static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_set_rx_mode_async	= acme_set_rx_mode_async,
};`,
    },
  ],
  invalid: [
    {
      name: 'a new driver binds ndo_set_rx_mode',
      code: `static void acme_set_rx_mode(struct net_device *ndev)
{
	struct acme_priv *priv = netdev_priv(ndev);

	acme_write_filter(priv, ndev->flags & IFF_PROMISC);
}

static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_stop		= acme_close,
	.ndo_start_xmit		= acme_start_xmit,
	.ndo_set_rx_mode	= acme_set_rx_mode,
};`,
      errors: [{ line: 12, messageId: 'deprecated', severity: 'info', message: 'ndo_set_rx_mode_async' }],
    },
    {
      name: 'a patch adds the entry to an existing table (hunk inside the table)',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -1201,6 +1201,7 @@ static const struct net_device_ops acme_netdev_ops = {
 	.ndo_open		= acme_open,
 	.ndo_stop		= acme_close,
 	.ndo_start_xmit		= acme_start_xmit,
+	.ndo_set_rx_mode	= acme_set_rx_mode,
 	.ndo_set_mac_address	= acme_set_mac,
 	.ndo_tx_timeout		= acme_tx_timeout,
 };
`,
      errors: [{ line: 1204, messageId: 'deprecated', message: '= acme_set_rx_mode' }],
    },
    {
      name: 'a changed entry (the handler renamed) counts',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -1201,7 +1201,7 @@ static const struct net_device_ops acme_netdev_ops = {
 	.ndo_open		= acme_open,
 	.ndo_stop		= acme_close,
 	.ndo_start_xmit		= acme_start_xmit,
-	.ndo_set_rx_mode	= acme_set_multicast_list,
+	.ndo_set_rx_mode	= acme_set_rx_mode,
 	.ndo_set_mac_address	= acme_set_mac,
 	.ndo_tx_timeout		= acme_tx_timeout,
 };
`,
      errors: [{ line: 1204, messageId: 'deprecated' }],
    },
    {
      name: 'an ops table filled in at run time',
      code: `static void acme_init_ops(struct acme_priv *priv)
{
	priv->ops = acme_base_ops;
	priv->ops.ndo_set_rx_mode = acme_vf_set_rx_mode;
	priv->ndev->netdev_ops = &priv->ops;
}`,
      errors: [{ line: 4, messageId: 'deprecated', message: 'acme_vf_set_rx_mode' }],
    },
  ],
});

// ../shared/seeds from the repository root; NETDEV_REVIEW_SEEDS points elsewhere.
const SEEDS = process.env.NETDEV_REVIEW_SEEDS ?? new URL('../../../shared/seeds/', import.meta.url).pathname;

describe('set-rx-mode-deprecated: gated on the document', () => {
  const cases: [string, boolean][] = [
    ['003_53bb13e9db58e890.txt', false],
    ['002_b985eb9ed25cb3b7.txt', false],
    ['netdevices-upstream-2026.rst', true],
  ];
  for (const [file, applies] of cases) {
    it.skipIf(!existsSync(SEEDS + file))(`${file}: ${applies ? 'applies' : 'silent'}`, () => {
      // The tree's document wins over the version, whatever the Makefile says.
      expect(ruleApplies(rule, parseKernelVersion('6.1') ?? MAINLINE, readFileSync(SEEDS + file, 'utf8'))).toBe(applies);
    });
  }
  it('without a document: mainline only', () => {
    expect(ruleApplies(rule, MAINLINE)).toBe(true);
    expect(ruleApplies(rule, parseKernelVersion('6.18') ?? MAINLINE)).toBe(false);
  });
});
