import rule from '../../rules/irq-enable-in-xmit-or-poll.js';
import { ruleTester } from '../lib/rule-tester.js';

const OPS = `
static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_start_xmit		= acme_start_xmit,
};`;

ruleTester(rule, {
  valid: [
    {
      name: 'irqsave/irqrestore in xmit',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	unsigned long flags;

	spin_lock_irqsave(&priv->tx_lock, flags);
	acme_queue_skb(priv, skb);
	spin_unlock_irqrestore(&priv->tx_lock, flags);
	return NETDEV_TX_OK;
}
${OPS}`,
    },
    {
      name: '_bh lock in a NAPI poll',
      code: `static int acme_poll(struct napi_struct *napi, int budget)
{
	struct acme_priv *priv = container_of(napi, struct acme_priv, napi);
	int done;

	spin_lock_bh(&priv->stats_lock);
	done = acme_rx(priv, budget);
	spin_unlock_bh(&priv->stats_lock);
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static int acme_probe(struct platform_device *pdev)
{
	struct acme_priv *priv = platform_get_drvdata(pdev);

	netif_napi_add(priv->ndev, &priv->napi, acme_poll);
	return 0;
}`,
    },
    {
      name: 'spin_lock_irq in ndo_open (process context, interrupts on)',
      code: `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	spin_lock_irq(&priv->lock);
	acme_hw_enable(priv);
	spin_unlock_irq(&priv->lock);
	netif_start_queue(dev);
	return 0;
}
${OPS}`,
    },
    {
      name: 'local_irq_disable without an enable turns nothing on',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (unlikely(acme_fatal(dev))) {
		local_irq_disable();
		acme_panic_dump(dev);
		BUG();
	}
	acme_queue_skb(netdev_priv(dev), skb);
	return NETDEV_TX_OK;
}
${OPS}`,
    },
    {
      name: 'old document: interrupts were enabled when calling hard_start_xmit (2.6.20)',
      kernel: '2.6.20',
      code: `static int acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	spin_lock_irq(&priv->lock);
	acme_queue_skb(priv, skb);
	spin_unlock_irq(&priv->lock);
	return 0;
}`,
    },
    {
      name: 'helper also called from process context, but not from xmit or poll',
      code: `static void acme_reset_rings(struct acme_priv *priv)
{
	spin_lock_irq(&priv->lock);
	acme_hw_reset_rings(priv);
	spin_unlock_irq(&priv->lock);
}

static int acme_open(struct net_device *dev)
{
	acme_reset_rings(netdev_priv(dev));
	return 0;
}
${OPS}`,
    },
  ],
  invalid: [
    {
      name: 'spin_lock_irq/spin_unlock_irq in xmit, with the whole rewrite as fix',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	spin_lock_irq(&priv->tx_lock);
	acme_queue_skb(priv, skb);
	spin_unlock_irq(&priv->tx_lock);
	return NETDEV_TX_OK;
}
${OPS}`,
      errors: [
        {
          line: 5,
          messageId: 'lock',
          severity: 'error',
          fix: '\tstruct acme_priv *priv = netdev_priv(dev);\n\tunsigned long flags;\n\n\tspin_lock_irqsave(&priv->tx_lock, flags);\n\tacme_queue_skb(priv, skb);\n\tspin_unlock_irqrestore(&priv->tx_lock, flags);',
        },
      ],
    },
    {
      name: 'reached from a NAPI poll through a helper, chain reported',
      code: `static void acme_refill(struct acme_priv *priv)
{
	spin_lock_irq(&priv->rx_lock);
	acme_alloc_rx_buffers(priv);
	spin_unlock_irq(&priv->rx_lock);
}

static int acme_poll(struct napi_struct *napi, int budget)
{
	struct acme_priv *priv = container_of(napi, struct acme_priv, napi);
	int done = acme_rx(priv, budget);

	acme_refill(priv);
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static int acme_probe(struct platform_device *pdev)
{
	struct acme_priv *priv = platform_get_drvdata(pdev);

	netif_napi_add(priv->ndev, &priv->napi, acme_poll);
	return 0;
}`,
      errors: [{ line: 3, messageId: 'lock', message: 'acme_poll → acme_refill → spin_lock_irq' }],
    },
    {
      name: 'local_irq_disable/enable pair in xmit, flags already used: no fix',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	u32 flags = acme_tx_flags(skb);

	local_irq_disable();
	acme_write_desc(priv, skb, flags);
	local_irq_enable();
	return NETDEV_TX_OK;
}
${OPS}`,
      errors: [{ line: 6, messageId: 'local' }],
    },
    {
      name: 'a lone spin_unlock_irq (lock taken by a helper)',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = acme_lock_tx(dev);

	acme_queue_skb(priv, skb);
	spin_unlock_irq(&priv->tx_lock);
	return NETDEV_TX_OK;
}
${OPS}`,
      errors: [{ line: 6, messageId: 'unlock', message: 'spin_lock_irqsave' }],
    },
    {
      name: 'xmit known only by its name: one step lower',
      code: `static int acme_xmit_frame(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	spin_lock_irq(&priv->tx_lock);
	acme_queue_skb(priv, skb);
	spin_unlock_irq(&priv->tx_lock);
	return NETDEV_TX_OK;
}`,
      errors: [{ line: 5, messageId: 'lock', severity: 'warning' }],
    },
  ],
});
