import rule from '../../rules/xmit-tx-locked-removed.js';
import { ruleTester } from '../lib/rule-tester.js';

const LLTX_XMIT = `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	unsigned long flags;

	if (!spin_trylock_irqsave(&priv->tx_lock, flags))
		return NETDEV_TX_LOCKED;
	acme_queue_skb(priv, skb);
	spin_unlock_irqrestore(&priv->tx_lock, flags);
	return NETDEV_TX_OK;
}`;

ruleTester(rule, {
  valid: [
    {
      name: 'the LLTX trylock pattern on a tree where it was the API (4.4)',
      kernel: '4.4',
      code: LLTX_XMIT,
    },
    {
      name: 'the lock taken unconditionally',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	unsigned long flags;

	spin_lock_irqsave(&priv->tx_lock, flags);
	acme_queue_skb(priv, skb);
	spin_unlock_irqrestore(&priv->tx_lock, flags);
	return NETDEV_TX_OK;
}`,
    },
    {
      name: 'only a comment names it',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	/* Used to return NETDEV_TX_LOCKED here; the lock is now always taken. */
	spin_lock(&acme_tx_lock);
	acme_queue_skb(netdev_priv(dev), skb);
	spin_unlock(&acme_tx_lock);
	return NETDEV_TX_OK;
}`,
    },
    {
      name: 'the patch removes it',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -410,8 +410,7 @@ static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
 	struct acme_priv *priv = netdev_priv(dev);
 	unsigned long flags;
 
-	if (!spin_trylock_irqsave(&priv->tx_lock, flags))
-		return NETDEV_TX_LOCKED;
+	spin_lock_irqsave(&priv->tx_lock, flags);
 	acme_queue_skb(priv, skb);
 	spin_unlock_irqrestore(&priv->tx_lock, flags);
 	return NETDEV_TX_OK;
`,
    },
  ],
  invalid: [
    {
      name: 'trylock failure returns NETDEV_TX_LOCKED (mainline)',
      code: LLTX_XMIT,
      errors: [{ line: 7, messageId: 'removed', severity: 'error' }],
    },
    {
      name: 'a status variable set to NETDEV_TX_LOCKED (4.9)',
      kernel: '4.9',
      code: `static int acme_tx(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	int ret = NETDEV_TX_OK;

	if (!spin_trylock(&priv->lock)) {
		ret = NETDEV_TX_LOCKED;
		goto out;
	}
	acme_queue_skb(priv, skb);
	spin_unlock(&priv->lock);
out:
	return ret;
}`,
      errors: [{ line: 7, messageId: 'removed' }],
    },
    {
      name: 'a caller that checks for it (6.1)',
      kernel: '6.1',
      code: `static void acme_requeue(struct acme_priv *priv, struct sk_buff *skb)
{
	int rc = priv->ops->xmit(skb, priv->ndev);

	if (rc == NETDEV_TX_LOCKED || rc == NETDEV_TX_BUSY)
		skb_queue_head(&priv->backlog, skb);
}`,
      errors: [{ line: 5, messageId: 'removed' }],
    },
    {
      name: 'the patch adds it to an xmit hunk',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -410,7 +410,8 @@ static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
 	struct acme_priv *priv = netdev_priv(dev);
 	unsigned long flags;
 
-	spin_lock_irqsave(&priv->tx_lock, flags);
+	if (!spin_trylock_irqsave(&priv->tx_lock, flags))
+		return NETDEV_TX_LOCKED;
 	acme_queue_skb(priv, skb);
 	spin_unlock_irqrestore(&priv->tx_lock, flags);
 	return NETDEV_TX_OK;
`,
      errors: [{ line: 414, messageId: 'removed' }],
    },
  ],
});
