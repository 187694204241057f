import rule from '../../rules/xmit-return-type.js';
import { ruleTester } from '../lib/rule-tester.js';

const OPS = `
static const struct net_device_ops acme_ops = {
	.ndo_start_xmit = acme_xmit,
};`;

ruleTester(rule, {
  valid: [
    {
      name: 'a DSA tagger xmit is not an ndo_start_xmit',
      code: `static struct sk_buff *acme_tag_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (skb_cow_head(skb, 4))
		return NULL;
	return skb;
}

static const struct dsa_device_ops acme_netdev_ops = {
	.name = "acme",
	.xmit = acme_tag_xmit,
};`,
    },
    {
      name: 'an int helper named like an xmit, when the ops table binds the real one',
      code: `static int acme_queue_xmit(struct sk_buff *skb, struct net_device *dev)
{
	return dev_queue_xmit(skb) ? -ENOBUFS : 0;
}

static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (acme_queue_xmit(skb, dev))
		dev->stats.tx_dropped++;
	return NETDEV_TX_OK;
}
static const struct net_device_ops acme_ops = { .ndo_start_xmit = acme_start_xmit };`,
    },
    {
      name: 'netdev_tx_t with NETDEV_TX_OK and BUSY',
      code: `static netdev_tx_t acme_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	if (acme_tx_full(priv)) {
		netif_stop_queue(dev);
		return NETDEV_TX_BUSY;
	}
	acme_queue(priv, skb);
	return NETDEV_TX_OK;
}${OPS}`,
    },
    {
      name: 'returns the result of a netdev_tx_t helper',
      code: `static netdev_tx_t acme_xmit_frame(struct acme_ring *ring, struct sk_buff *skb);

static netdev_tx_t acme_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	return acme_xmit_frame(priv->tx_ring, skb);
}${OPS}`,
    },
    {
      name: 'an int helper that returns errnos is not the xmit',
      code: `static int acme_map_skb(struct acme_priv *priv, struct sk_buff *skb)
{
	if (skb_linearize(skb))
		return -ENOMEM;
	return 0;
}

static netdev_tx_t acme_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (acme_map_skb(netdev_priv(dev), skb)) {
		dev_kfree_skb_any(skb);
		dev->stats.tx_dropped++;
	}
	return NETDEV_TX_OK;
}${OPS}`,
    },
    {
      name: 'pre-2.6.32 trees had no netdev_tx_t',
      kernel: '2.6.28',
      code: `static int acme_xmit(struct sk_buff *skb, struct net_device *dev)
{
	return -ENOMEM;
}${OPS}`,
    },
  ],
  invalid: [
    {
      name: 'declared int, with a fix',
      code: `static int acme_xmit(struct sk_buff *skb, struct net_device *dev)
{
	acme_queue(netdev_priv(dev), skb);
	return NETDEV_TX_OK;
}${OPS}`,
      errors: [{ line: 1, messageId: 'declaredType', fix: 'static netdev_tx_t acme_xmit(struct sk_buff *skb, struct net_device *dev)' }],
    },
    {
      name: 'returns -ENOMEM and NET_XMIT_DROP',
      code: `static netdev_tx_t acme_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	if (skb_padto(skb, ETH_ZLEN))
		return NET_XMIT_DROP;
	if (!acme_get_desc(priv))
		return -ENOMEM;
	acme_queue(priv, skb);
	return NETDEV_TX_OK;
}${OPS}`,
      errors: [
        { line: 6, messageId: 'netXmit' },
        { line: 8, messageId: 'errno' },
      ],
    },
    {
      name: 'returns an int variable set to an errno',
      code: `static netdev_tx_t acme_xmit(struct sk_buff *skb, struct net_device *dev)
{
	int ret = NETDEV_TX_OK;

	if (acme_ring_full(netdev_priv(dev)))
		ret = -EBUSY;
	else
		acme_queue(netdev_priv(dev), skb);
	return ret;
}${OPS}`,
      errors: [{ line: 9, messageId: 'errnoVar', message: 'set at line 6' }],
    },
    {
      name: 'NET_XMIT_SUCCESS gets a mechanical fix',
      code: `static netdev_tx_t acme_xmit(struct sk_buff *skb, struct net_device *dev)
{
	acme_queue(netdev_priv(dev), skb);
	return NET_XMIT_SUCCESS;
}${OPS}`,
      errors: [{ line: 4, messageId: 'netXmit', fix: '\treturn NETDEV_TX_OK;' }],
    },
  ],
});
