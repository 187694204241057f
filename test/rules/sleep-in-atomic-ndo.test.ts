import rule from '../../rules/sleep-in-atomic-ndo.js';
import { ruleTester } from '../lib/rule-tester.js';

const OPS = `
static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_stop		= acme_stop,
	.ndo_start_xmit		= acme_start_xmit,
	.ndo_set_rx_mode	= acme_set_rx_mode,
	.ndo_tx_timeout		= acme_tx_timeout,
};
`;

ruleTester(rule, {
  valid: [
    {
      name: 'the sleeping branch of a helper is cut by a constant argument',
      code: `static inline void acme_full_lock(struct acme *tp, int irq_sync)
{
	spin_lock_bh(&tp->lock);
	if (irq_sync)
		synchronize_irq(tp->irq);
}

static void acme_async_rx_mode(struct acme *tp, bool may_sleep)
{
	if (!may_sleep)
		return;
	usb_control_msg(tp->udev, 0, 1, 0, 0, 0, NULL, 0, 100);
}

static void acme_set_rx_mode(struct net_device *dev)
{
	struct acme *tp = netdev_priv(dev);

	acme_full_lock(tp, 0);
	acme_async_rx_mode(tp, false);
	spin_unlock_bh(&tp->lock);
}
static const struct net_device_ops acme_ops = { .ndo_set_rx_mode = acme_set_rx_mode };`,
    },
    {
      name: 'driver flag marks the atomic caller (in_timeout)',
      code: `static void acme_msleep(struct acme_priv *db, unsigned int ms)
{
	if (db->in_suspend || db->in_timeout)
		mdelay(ms);
	else
		msleep(ms);
}

static void acme_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct acme_priv *db = netdev_priv(dev);

	db->in_timeout = 1;
	acme_msleep(db, 1);
	db->in_timeout = 0;
}
static const struct net_device_ops acme_ops = { .ndo_tx_timeout = acme_timeout };`,
    },
    {
      name: 'a helper named like set_rx_mode when the ops table binds another function',
      code: `static void _acme_set_rx_mode(struct net_device *netdev)
{
	struct acme *tp = netdev_priv(netdev);
	void *buf = kmalloc(64, GFP_KERNEL);

	acme_write_filter(tp, buf);
	kfree(buf);
}

static void acme_set_rx_mode(struct net_device *netdev)
{
	struct acme *tp = netdev_priv(netdev);

	schedule_delayed_work(&tp->rx_mode_work, 0);
}
static const struct net_device_ops acme_ops = { .ndo_set_rx_mode = acme_set_rx_mode };`,
    },
    {
      name: 'hunk inside a function the patch renamed (git names the old one)',
      patch: `diff --git a/drivers/net/acme.c b/drivers/net/acme.c
--- a/drivers/net/acme.c
+++ b/drivers/net/acme.c
@@ -100,9 +100,9 @@ static int acme_close(struct net_device *dev)
 	return 0;
 }
 
-static void acme_set_rx_mode(struct net_device *dev)
+static void acme_rx_mode_work(struct work_struct *work)
 {
-	struct acme_info *vi = netdev_priv(dev);
+	struct acme_info *vi = container_of(work, struct acme_info, rx_mode_work);
 	struct scatterlist sg[2];
 	int uc_count;
 	int mc_count;
@@ -120,6 +120,8 @@ static void acme_set_rx_mode(struct net_device *dev)
 	if (!acme_has_feature(vi, ACME_F_CTRL_RX))
 		return;
 
+	rtnl_lock();
+
 	vi->promisc = 1;
 	vi->allmulti = 1;
 
`,
    },
    {
      name: 'GFP_ATOMIC allocation in xmit',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	struct acme_desc *d = kzalloc(sizeof(*d), GFP_ATOMIC);

	if (!d) {
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	spin_lock(&priv->tx_lock);
	acme_queue(priv, d, skb);
	spin_unlock(&priv->tx_lock);
	return NETDEV_TX_OK;
}
${OPS}`,
    },
    {
      name: 'mutex and msleep in ndo_open (rtnl-held process context)',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	mutex_lock(&priv->cfg_lock);
	acme_hw_reset(priv);
	msleep(20);
	mutex_unlock(&priv->cfg_lock);
	netif_start_queue(dev);
	return 0;
}
${OPS}`,
    },
    {
      name: 'set_rx_mode defers the sleeping part to a work item',
      code: `static void acme_rx_mode_work(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, rx_mode_work);

	mutex_lock(&priv->cfg_lock);
	acme_write_filters(priv);
	mutex_unlock(&priv->cfg_lock);
}

static void acme_set_rx_mode(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	schedule_work(&priv->rx_mode_work);
}

static int acme_probe(struct platform_device *pdev)
{
	struct acme_priv *priv = acme_alloc(pdev);

	INIT_WORK(&priv->rx_mode_work, acme_rx_mode_work);
	return 0;
}
${OPS}`,
    },
    {
      name: 'allocation with a caller-supplied gfp mask',
      code: `static int acme_refill(struct acme_ring *ring, gfp_t gfp)
{
	ring->buf = kmalloc(ring->size, gfp);
	return ring->buf ? 0 : -ENOMEM;
}

static int acme_poll(struct napi_struct *napi, int budget)
{
	struct acme_ring *ring = container_of(napi, struct acme_ring, napi);
	int done = acme_clean_rx(ring, budget);

	acme_refill(ring, GFP_ATOMIC);
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}`,
    },
    {
      name: 'sleeping call guarded by a context test',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (!in_atomic())
		msleep(1);
	return NETDEV_TX_OK;
}`,
    },
  ],
  invalid: [
    {
      name: 'a helper reached from two atomic callbacks is reported once, naming both',
      code: `static int acme_pm_get(struct acme_priv *priv)
{
	return pm_runtime_resume_and_get(priv->dev);
}

static struct net_device_stats *acme_get_stats(struct net_device *ndev)
{
	struct acme_priv *priv = netdev_priv(ndev);

	if (acme_pm_get(priv) < 0)
		return &ndev->stats;
	acme_read_counters(priv);
	return &ndev->stats;
}

static void acme_set_rx_mode(struct net_device *ndev)
{
	acme_pm_get(netdev_priv(ndev));
	acme_write_filters(netdev_priv(ndev));
}
static const struct net_device_ops acme_ops = {
	.ndo_get_stats = acme_get_stats,
	.ndo_set_rx_mode = acme_set_rx_mode,
};`,
      errors: [{ line: 3, messageId: 'sleeps', severity: 'error', message: 'and also from acme_set_rx_mode' }],
    },
    {
      name: 'mutex_lock in ndo_start_xmit bound by the ops table',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	mutex_lock(&priv->tx_mutex);
	acme_queue(priv, skb);
	mutex_unlock(&priv->tx_mutex);
	return NETDEV_TX_OK;
}
${OPS}`,
      errors: [{ line: 5, messageId: 'sleeps', severity: 'error', message: 'mutex_lock() may sleep' }],
    },
    {
      name: 'GFP_KERNEL in a NAPI poll registered with netif_napi_add, with a fix',
      code: `static int acme_rx_poll(struct napi_struct *napi, int budget)
{
	struct acme_priv *priv = container_of(napi, struct acme_priv, napi);
	void *buf = kmalloc(priv->rx_buf_len, GFP_KERNEL);

	return acme_clean_rx(priv, buf, budget);
}

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct acme_priv *priv = acme_alloc(pdev);

	netif_napi_add(priv->ndev, &priv->napi, acme_rx_poll);
	return 0;
}`,
      errors: [{ line: 4, messageId: 'sleeps', severity: 'error', fix: '\tvoid *buf = kmalloc(priv->rx_buf_len, GFP_ATOMIC);' }],
    },
    {
      name: 'reached through two same-file helpers from tx_timeout, chain reported',
      code: `static void acme_hw_wait_idle(struct acme_priv *priv)
{
	usleep_range(100, 200);
}

static void acme_reset_tx(struct acme_priv *priv)
{
	acme_hw_wait_idle(priv);
}

static void acme_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct acme_priv *priv = netdev_priv(dev);

	acme_reset_tx(priv);
}
${OPS}`,
      errors: [{ line: 3, messageId: 'sleeps', message: 'acme_tx_timeout → acme_reset_tx → acme_hw_wait_idle → usleep_range' }],
    },
    {
      name: 'role known only from the name: one step lower',
      code: `static void foo_set_multicast_list(struct net_device *dev)
{
	struct foo_priv *priv = netdev_priv(dev);

	mutex_lock(&priv->mc_lock);
	foo_program_mc(priv);
	mutex_unlock(&priv->mc_lock);
}`,
      errors: [{ line: 5, messageId: 'sleeps', severity: 'warning' }],
    },
    {
      name: 'patch adds a sleeping call to an xmit fragment (role from the hunk header)',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -210,6 +210,7 @@ static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
 	struct acme_priv *priv = netdev_priv(dev);
 	int ret;
 
+	wait_for_completion(&priv->tx_done);
 	ret = acme_map_skb(priv, skb);
 	if (ret) {
 		dev_kfree_skb_any(skb);
`,
      errors: [{ line: 213, messageId: 'sleeps', severity: 'error' }],
    },
  ],
});
