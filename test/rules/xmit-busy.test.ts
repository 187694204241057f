import rule from '../../rules/xmit-busy.js';
import { ruleTester } from '../lib/rule-tester.js';

const OPS = `
static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_start_xmit		= acme_start_xmit,
};`;

ruleTester(rule, {
  valid: [
    {
      name: 'BUSY after netif_stop_queue on the same path',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	if (acme_tx_free(priv) < MAX_SKB_FRAGS + 1) {
		netif_stop_queue(dev);
		netdev_err(dev, "tx ring full while queue awake\\n");
		return NETDEV_TX_BUSY;
	}
	acme_queue_skb(priv, skb);
	return NETDEV_TX_OK;
}
${OPS}`,
    },
    {
      name: 'stop through a same-file maybe_stop helper that may restart the queue',
      code: `static int acme_maybe_stop_tx(struct acme_ring *ring, int needed)
{
	netif_stop_subqueue(ring->ndev, ring->index);
	smp_mb();
	if (likely(acme_desc_unused(ring) < needed))
		return -EBUSY;
	netif_start_subqueue(ring->ndev, ring->index);
	return 0;
}

static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_ring *ring = acme_tx_ring(dev, skb);

	if (acme_maybe_stop_tx(ring, skb_shinfo(skb)->nr_frags + 4))
		return NETDEV_TX_BUSY;
	acme_tx_map(ring, skb);
	return NETDEV_TX_OK;
}
${OPS}`,
    },
    {
      name: 'BUSY only when the queue is already seen stopped',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, skb_get_queue_mapping(skb));

	if (netif_tx_queue_stopped(txq))
		return NETDEV_TX_BUSY;
	acme_queue_skb(priv, skb);
	if (acme_tx_free(priv) < 2)
		netif_tx_stop_queue(txq);
	return NETDEV_TX_OK;
}
${OPS}`,
    },
    {
      name: 'the skb is dropped and NETDEV_TX_OK returned',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	dma_addr_t mapping;

	mapping = dma_map_single(priv->dmadev, skb->data, skb->len, DMA_TO_DEVICE);
	if (dma_mapping_error(priv->dmadev, mapping)) {
		dev_kfree_skb_any(skb);
		dev->stats.tx_dropped++;
		return NETDEV_TX_OK;
	}
	acme_post(priv, skb, mapping);
	return NETDEV_TX_OK;
}
${OPS}`,
    },
    {
      name: 'mapping undone before returning BUSY after a stop',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	dma_addr_t mapping = dma_map_single(priv->dmadev, skb->data, skb->len, DMA_TO_DEVICE);

	if (!acme_tx_free(priv)) {
		dma_unmap_single(priv->dmadev, mapping, skb->len, DMA_TO_DEVICE);
		netif_stop_queue(dev);
		return NETDEV_TX_BUSY;
	}
	acme_post(priv, skb, mapping);
	return NETDEV_TX_OK;
}
${OPS}`,
    },
    {
      name: 'stopped, then woken when room appeared, then BUSY so the core retries',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	if (acme_post(priv, skb) == 0)
		return NETDEV_TX_OK;
	netif_stop_queue(dev);
	smp_mb();
	if (acme_tx_free(priv))
		netif_wake_queue(dev);
	return NETDEV_TX_BUSY;
}
${OPS}`,
    },
    {
      name: 'BUSY asks netpoll to queue the frame for later',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (unlikely(is_netpoll_tx_blocked(dev)))
		return NETDEV_TX_BUSY;
	return acme_xmit_slave(netdev_priv(dev), skb);
}
${OPS}`,
    },
    {
      name: 'skb stored in its own control block, not a ring; status variable tested before the free',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	struct acme_cb *cb = (struct acme_cb *)skb->cb;
	netdev_tx_t ret = NETDEV_TX_BUSY;

	cb->skb = skb;
	cb->priv = priv;
	netif_stop_queue(dev);
	if (acme_enqueue(priv, cb))
		goto out;
	netif_wake_queue(dev);
	ret = NETDEV_TX_OK;
out:
	if (ret == NETDEV_TX_OK)
		dev_consume_skb_any(skb);
	return ret;
}
${OPS}`,
    },
    {
      name: 'a failed mapping maps nothing',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	dma_addr_t map = dma_map_single(priv->dmadev, skb->data, skb->len, DMA_TO_DEVICE);

	if (dma_mapping_error(priv->dmadev, map)) {
		netif_stop_queue(dev);
		return NETDEV_TX_BUSY;
	}
	acme_post(priv, skb, map);
	return NETDEV_TX_OK;
}
static void acme_clean(struct acme_priv *priv, dma_addr_t map)
{
	dma_unmap_single(priv->dmadev, map, ACME_MAX_LEN, DMA_TO_DEVICE);
}
${OPS}`,
    },
    {
      name: 'a function that is not a start_xmit',
      code: `static int acme_ring_reserve(struct acme_ring *ring, int n)
{
	if (acme_desc_unused(ring) < n)
		return NETDEV_TX_BUSY;
	return 0;
}`,
    },
    {
      name: 'hunk that does not show the whole xmit body',
      patch: `diff --git a/drivers/net/ethernet/acme/acme_main.c b/drivers/net/ethernet/acme/acme_main.c
--- a/drivers/net/ethernet/acme/acme_main.c
+++ b/drivers/net/ethernet/acme/acme_main.c
@@ -300,6 +300,8 @@ static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
 	struct acme_priv *priv = netdev_priv(dev);
 	int ret;
 
+	if (acme_tx_free(priv) < 2)
+		return NETDEV_TX_BUSY;
 	ret = acme_map_skb(priv, skb);
 	if (ret) {
 		dev_kfree_skb_any(skb);
`,
    },
  ],
  invalid: [
    {
      name: 'BUSY when the ring is full, queue never stopped',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	if (acme_tx_free(priv) < skb_shinfo(skb)->nr_frags + 1)
		return NETDEV_TX_BUSY;
	acme_queue_skb(priv, skb);
	return NETDEV_TX_OK;
}
${OPS}`,
      errors: [{ line: 6, messageId: 'notStopped', severity: 'warning' }],
    },
    {
      name: 'BUSY after the skb was freed: error',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	if (skb_padto(skb, ETH_ZLEN))
		return NETDEV_TX_OK;
	if (acme_hw_busy(priv)) {
		dev_kfree_skb_any(skb);
		return NETDEV_TX_BUSY;
	}
	acme_queue_skb(priv, skb);
	return NETDEV_TX_OK;
}
${OPS}`,
      errors: [{ line: 9, messageId: 'consumed', severity: 'error', message: 'dev_kfree_skb_any(skb) at line 8' }],
    },
    {
      name: 'skb stored in the ring before BUSY, even after a stop',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	struct acme_tx_buf *buf = &priv->tx_buf[priv->tx_head];

	buf->skb = skb;
	buf->dma = dma_map_single(priv->dmadev, skb->data, skb->len, DMA_TO_DEVICE);
	if (dma_mapping_error(priv->dmadev, buf->dma)) {
		netif_stop_queue(dev);
		return NETDEV_TX_BUSY;
	}
	acme_kick_tx(priv);
	return NETDEV_TX_OK;
}
${OPS}`,
      errors: [{ line: 10, messageId: 'consumed', severity: 'error', message: 'storing the skb in buf->skb' }],
    },
    {
      name: 'BUSY through a status variable and an unlock label',
      code: `static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	netdev_tx_t ret = NETDEV_TX_OK;

	spin_lock(&priv->tx_lock);
	if (!acme_tx_free(priv)) {
		ret = NETDEV_TX_BUSY;
		goto out;
	}
	acme_queue_skb(priv, skb);
out:
	spin_unlock(&priv->tx_lock);
	return ret;
}
${OPS}`,
      errors: [{ line: 8, messageId: 'notStopped' }],
    },
    {
      name: 'netdev_tx_t helper the xmit returns through',
      code: `static netdev_tx_t acme_xmit_ring(struct sk_buff *skb, struct acme_ring *ring)
{
	if (acme_desc_unused(ring) < 2)
		return NETDEV_TX_BUSY;
	acme_tx_map(ring, skb);
	return NETDEV_TX_OK;
}

static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	return acme_xmit_ring(skb, &priv->tx_ring[skb->queue_mapping]);
}
${OPS}`,
      errors: [{ line: 4, messageId: 'notStopped' }],
    },
    {
      name: 'defensive check with an error message: info',
      code: `static netdev_tx_t acme_can_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct acme_can_priv *priv = netdev_priv(ndev);

	if (priv->tx_skb) {
		netdev_err(ndev, "xmit called while tx busy\n");
		return NETDEV_TX_BUSY;
	}
	netif_stop_queue(ndev);
	priv->tx_skb = skb;
	queue_work(priv->wq, &priv->tx_work);
	return NETDEV_TX_OK;
}
static const struct net_device_ops acme_can_ops = { .ndo_start_xmit = acme_can_start_xmit };`,
      errors: [{ line: 8, messageId: 'defensive', severity: 'info' }],
    },
    {
      name: 'xmit known only by its name: one step lower',
      code: `static int acme_xmit_frame(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	if (!priv->tx_ready)
		return NETDEV_TX_BUSY;
	acme_queue_skb(priv, skb);
	return NETDEV_TX_OK;
}`,
      errors: [{ line: 6, messageId: 'notStopped', severity: 'info' }],
    },
  ],
});
