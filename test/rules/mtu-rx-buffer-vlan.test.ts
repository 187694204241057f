import rule from '../../rules/mtu-rx-buffer-vlan.js';
import { ruleTester } from '../lib/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'rx buffer size with VLAN_HLEN in the expression',
      code: `static void acme_set_rx_size(struct acme_priv *priv, struct net_device *dev)
{
	priv->rx_buf_size = dev->mtu + ETH_HLEN + VLAN_HLEN + ETH_FCS_LEN;
}`,
    },
    {
      name: 'VLAN allowance added to the same variable later',
      code: `static struct sk_buff *acme_alloc_rx(struct acme_priv *priv)
{
	unsigned int len = priv->ndev->mtu + ETH_HLEN;

	if (priv->ndev->features & NETIF_F_HW_VLAN_CTAG_RX)
		len += 0;
	len += VLAN_HLEN;
	return netdev_alloc_skb_ip_align(priv->ndev, len);
}`,
    },
    {
      name: 'tx-side size',
      code: `static int acme_setup_tx(struct acme_priv *priv)
{
	priv->tx_buf_size = priv->ndev->mtu + ETH_HLEN;
	return acme_alloc_tx_bounce(priv, priv->tx_buf_size);
}`,
    },
    {
      name: 'VLAN_ETH_FRAME_LEN is the longer frame',
      code: `static int acme_refill(struct acme_priv *priv)
{
	struct sk_buff *skb = netdev_alloc_skb(priv->ndev, VLAN_ETH_FRAME_LEN + NET_IP_ALIGN);

	if (!skb)
		return -ENOMEM;
	acme_post_rx(priv, skb);
	return 0;
}`,
    },
    {
      name: 'an MTU range check, not a buffer size',
      code: `static int acme_change_mtu(struct net_device *dev, int new_mtu)
{
	if (new_mtu + ETH_HLEN > ACME_MAX_FRAME)
		return -EINVAL;
	dev->mtu = new_mtu;
	return 0;
}`,
    },
    {
      name: 'a self-test frame allocated with the rx allocator',
      code: `static int acme_selftest_loopback(struct acme_priv *priv)
{
	unsigned int pkt_size = min(priv->ndev->mtu, ETH_DATA_LEN) + ETH_HLEN;
	struct sk_buff *skb = netdev_alloc_skb(priv->ndev, pkt_size);

	if (!skb)
		return -ENOMEM;
	return acme_send_test_frame(priv, skb);
}`,
    },
    {
      name: 'slack of several bytes already added',
      code: `static void acme_size_rx(struct acme_priv *priv)
{
	priv->rx_buf_size = SKB_DATA_ALIGN(priv->ndev->mtu + ETH_HLEN + NET_IP_ALIGN + 8);
}`,
    },
  ],
  invalid: [
    {
      name: 'rx buffer field sized from the MTU plus the Ethernet header, with a fix',
      code: `static int acme_change_mtu(struct net_device *dev, int new_mtu)
{
	struct acme_priv *priv = netdev_priv(dev);

	dev->mtu = new_mtu;
	priv->rx_buf_sz = dev->mtu + ETH_HLEN;
	return acme_reinit_rx(priv);
}`,
      errors: [{ line: 6, messageId: 'noVlan', severity: 'info', fix: '\tpriv->rx_buf_sz = dev->mtu + VLAN_ETH_HLEN;' }],
    },
    {
      name: 'ETH_FRAME_LEN passed to the rx allocator',
      code: `static int acme_rx_refill(struct acme_priv *priv, int i)
{
	struct sk_buff *skb = netdev_alloc_skb_ip_align(priv->ndev, ETH_FRAME_LEN);

	if (!skb)
		return -ENOMEM;
	priv->rx_skb[i] = skb;
	return 0;
}`,
      errors: [{ line: 3, messageId: 'noVlan', fix: '\tstruct sk_buff *skb = netdev_alloc_skb_ip_align(priv->ndev, VLAN_ETH_FRAME_LEN);' }],
    },
    {
      name: 'the literal 1514 mapped for receive',
      code: `static int acme_map_rx(struct acme_priv *priv, struct sk_buff *skb, int i)
{
	priv->rx_dma[i] = dma_map_single(priv->dev, skb->data, 1514, DMA_FROM_DEVICE);
	return dma_mapping_error(priv->dev, priv->rx_dma[i]);
}`,
      errors: [{ line: 3, messageId: 'noVlan', message: '1514 bytes' }],
    },
    {
      name: 'a local length later passed to napi_alloc_skb',
      code: `static struct sk_buff *acme_rx_skb(struct acme_priv *priv)
{
	unsigned int len = priv->ndev->mtu + ETH_HLEN + ETH_FCS_LEN;

	return napi_alloc_skb(&priv->napi, len);
}`,
      errors: [{ line: 3, messageId: 'noVlan', message: 'the MTU + ETH_HLEN' }],
    },
  ],
});
