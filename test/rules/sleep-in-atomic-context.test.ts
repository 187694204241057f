import rule from '../../rules/sleep-in-atomic-context.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'threaded IRQ function may sleep (only the hard handler may not)',
      code: `static irqreturn_t acme_irq(int irq, void *data)
{
	struct acme_priv *priv = data;

	acme_mask_irqs(priv);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t acme_irq_thread(int irq, void *data)
{
	struct acme_priv *priv = data;

	mutex_lock(&priv->phy_lock);
	phy_mac_interrupt(priv->phydev);
	mutex_unlock(&priv->phy_lock);
	return IRQ_HANDLED;
}

static int acme_probe(struct platform_device *pdev)
{
	struct acme_priv *priv = platform_get_drvdata(pdev);

	return devm_request_threaded_irq(&pdev->dev, priv->irq, acme_irq, acme_irq_thread,
					 IRQF_ONESHOT, "acme", priv);
}`,
    },
    {
      name: 'GFP_ATOMIC allocation under a spinlock and in a timer',
      code: `static void acme_stats_timer(struct timer_list *t)
{
	struct acme_priv *priv = from_timer(priv, t, stats_timer);
	struct acme_sample *s = kzalloc(sizeof(*s), GFP_ATOMIC);
	unsigned long flags;

	if (!s)
		return;
	spin_lock_irqsave(&priv->stats_lock, flags);
	list_add_tail(&s->node, &priv->samples);
	spin_unlock_irqrestore(&priv->stats_lock, flags);
	mod_timer(&priv->stats_timer, jiffies + HZ);
}

static int acme_init_timers(struct acme_priv *priv)
{
	timer_setup(&priv->stats_timer, acme_stats_timer, 0);
	return 0;
}`,
    },
    {
      name: 'sleeping call after the unlock',
      code: `static int acme_set_coalesce(struct acme_priv *priv, u32 usecs)
{
	spin_lock_bh(&priv->cfg_lock);
	priv->coal_usecs = usecs;
	spin_unlock_bh(&priv->cfg_lock);
	msleep(10);
	return acme_write_coal(priv);
}`,
    },
    {
      name: 'lock dropped around the sleep',
      code: `static void acme_wait_fw(struct acme_priv *priv)
{
	spin_lock(&priv->fw_lock);
	while (!priv->fw_ready) {
		spin_unlock(&priv->fw_lock);
		usleep_range(50, 100);
		spin_lock(&priv->fw_lock);
	}
	spin_unlock(&priv->fw_lock);
}`,
    },
    {
      name: 'lock taken on one path only (must, not may)',
      code: `static void acme_reconfig(struct acme_priv *priv, bool quick)
{
	if (quick)
		spin_lock(&priv->lock);
	acme_apply(priv);
	if (quick)
		spin_unlock(&priv->lock);
	else
		msleep(5);
}`,
    },
    {
      name: "helper that drops the caller's lock before sleeping",
      code: `static void acme_wait_idle(struct acme_priv *priv)
{
	spin_unlock_irq(&priv->lock);
	msleep(1);
	spin_lock_irq(&priv->lock);
}

static void acme_reset(struct acme_priv *priv)
{
	spin_lock_irq(&priv->lock);
	acme_wait_idle(priv);
	spin_unlock_irq(&priv->lock);
}`,
    },
    {
      name: 'a call in xmit under a spinlock is left to sleep-in-atomic-ndo',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	spin_lock(&priv->tx_lock);
	mutex_lock(&priv->cfg_mutex);
	acme_queue(priv, skb);
	mutex_unlock(&priv->cfg_mutex);
	spin_unlock(&priv->tx_lock);
	return NETDEV_TX_OK;
}
static const struct net_device_ops acme_ops = { .ndo_start_xmit = acme_start_xmit };`,
    },
    {
      name: 'sleeping call guarded by a context test in the timer',
      code: `static void acme_watchdog(struct timer_list *t)
{
	struct acme_priv *priv = from_timer(priv, t, wd_timer);

	if (!in_interrupt())
		msleep(1);
	acme_kick(priv);
}

static void acme_setup(struct acme_priv *priv)
{
	timer_setup(&priv->wd_timer, acme_watchdog, 0);
}`,
    },
    {
      name: 'not a network driver: lock regions are not checked',
      path: 'drivers/gpu/drm/acme/acme_drv.c',
      code: `static void acme_flush(struct acme_gpu *gpu)
{
	spin_lock(&gpu->lock);
	msleep(1);
	spin_unlock(&gpu->lock);
}`,
    },
    {
      name: 'pre-existing sleeping call in a timer the change does not touch',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -40,9 +40,10 @@ static void acme_poll_link(struct timer_list *t)
 {
 	struct acme_priv *priv = from_timer(priv, t, link_timer);
 
 	msleep(1);
+	priv->link_checks++;
 	acme_check_link(priv);
 }
 
 static void acme_init(struct acme_priv *priv)
 {
 	timer_setup(&priv->link_timer, acme_poll_link, 0);
`,
    },
  ],
  invalid: [
    {
      name: 'mutex in a timer callback',
      code: `static void acme_link_timer(struct timer_list *t)
{
	struct acme_priv *priv = from_timer(priv, t, link_timer);

	mutex_lock(&priv->mdio_lock);
	acme_read_link(priv);
	mutex_unlock(&priv->mdio_lock);
	mod_timer(&priv->link_timer, jiffies + HZ);
}

static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	timer_setup(&priv->link_timer, acme_link_timer, 0);
	mod_timer(&priv->link_timer, jiffies + HZ);
	return 0;
}`,
      errors: [{ line: 5, messageId: 'role', severity: 'warning', message: 'a timer callback' }],
    },
    {
      name: 'phy_read reached from a hard IRQ handler through a helper, chain reported',
      code: `static void acme_handle_link(struct acme_priv *priv)
{
	int bmsr = phy_read(priv->phydev, MII_BMSR);

	priv->link = !!(bmsr & BMSR_LSTATUS);
}

static irqreturn_t acme_interrupt(int irq, void *dev_id)
{
	struct acme_priv *priv = dev_id;
	u32 status = readl(priv->base + ACME_ISR);

	if (status & ACME_ISR_LINK)
		acme_handle_link(priv);
	return IRQ_HANDLED;
}

static int acme_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct acme_priv *priv = pci_get_drvdata(pdev);

	return request_irq(pdev->irq, acme_interrupt, IRQF_SHARED, "acme", priv);
}`,
      errors: [{ line: 3, messageId: 'role', message: 'acme_interrupt → acme_handle_link → phy_read' }],
    },
    {
      name: 'GFP_KERNEL resubmit in a URB completion, with a fix',
      path: 'drivers/net/usb/acme_usb.c',
      code: `static void acme_intr_complete(struct urb *urb)
{
	struct acme_usb *dev = urb->context;

	if (urb->status)
		return;
	acme_parse_status(dev, urb->transfer_buffer);
	usb_submit_urb(urb, GFP_KERNEL);
}

static int acme_start_intr(struct acme_usb *dev)
{
	usb_fill_int_urb(dev->intr_urb, dev->udev, dev->intr_pipe, dev->intr_buf, 8,
			 acme_intr_complete, dev, dev->intr_interval);
	return usb_submit_urb(dev->intr_urb, GFP_KERNEL);
}`,
      errors: [{ line: 8, messageId: 'role', fix: '\tusb_submit_urb(urb, GFP_ATOMIC);' }],
    },
    {
      name: 'msleep between spin_lock_irqsave and its unlock',
      code: `static int acme_reset_mac(struct acme_priv *priv)
{
	unsigned long flags;

	spin_lock_irqsave(&priv->hw_lock, flags);
	writel(ACME_CTRL_RESET, priv->base + ACME_CTRL);
	msleep(2);
	writel(0, priv->base + ACME_CTRL);
	spin_unlock_irqrestore(&priv->hw_lock, flags);
	return 0;
}`,
      errors: [{ line: 7, messageId: 'region', message: 'spin_lock_irqsave(&priv->hw_lock, flags) at line 5' }],
    },
    {
      name: 'GFP_KERNEL inside rcu_read_lock',
      code: `static int acme_snapshot_peers(struct acme_priv *priv)
{
	struct acme_peer *p;
	int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(p, &priv->peers, node) {
		struct acme_peer_snap *s = kmalloc(sizeof(*s), GFP_KERNEL);

		if (!s)
			break;
		acme_fill_snap(s, p);
		n++;
	}
	rcu_read_unlock();
	return n;
}`,
      errors: [{ line: 8, messageId: 'region', message: 'rcu_read_lock()', fix: '\t\tstruct acme_peer_snap *s = kmalloc(sizeof(*s), GFP_ATOMIC);' }],
    },
    {
      name: "helper called inside the caller's spin_lock_bh region",
      code: `static void acme_load_table(struct acme_priv *priv)
{
	wait_for_completion(&priv->table_done);
}

static void acme_update(struct acme_priv *priv)
{
	spin_lock_bh(&priv->table_lock);
	acme_load_table(priv);
	spin_unlock_bh(&priv->table_lock);
}`,
      errors: [{ line: 3, messageId: 'region', message: 'acme_update → acme_load_table → wait_for_completion' }],
    },
    {
      name: 'tasklet that waits, anchored on the changed line that brings it into reach',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -19,15 +19,16 @@ struct acme_priv {
 static void acme_drain(struct acme_priv *priv)
 {
 	flush_workqueue(priv->wq);
 }
 
 static void acme_tx_tasklet(struct tasklet_struct *t)
 {
 	struct acme_priv *priv = from_tasklet(priv, t, tx_tasklet);
 
+	acme_drain(priv);
 	acme_reclaim(priv);
 }
 
 static void acme_init(struct acme_priv *priv)
 {
 	tasklet_setup(&priv->tx_tasklet, acme_tx_tasklet);
`,
      errors: [{ line: 28, messageId: 'role', message: 'a tasklet' }],
    },
  ],
});
