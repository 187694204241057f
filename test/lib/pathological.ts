// Test helper: a pathological but well-formed patch — one transmit function of `n` locked branches,
// slow to analyse by design — as a diff, and as a patch mail.

/** The unified diff adding drivers/net/big.c with such a function. */
export function hugeXmitDiff(n: number): string {
  const body = ['#include <linux/netdevice.h>', 'static netdev_tx_t big_xmit(struct sk_buff *skb, struct net_device *dev)', '{', '\tint x = skb->len;'];
  for (let i = 0; i < n; i++) body.push(`\tif (x == ${i}) { spin_lock(&lock${i % 7}); x += ${i}; spin_unlock(&lock${i % 7}); }`);
  body.push('\treturn NETDEV_TX_OK;', '}', 'static const struct net_device_ops big_ops = { .ndo_start_xmit = big_xmit };');
  return ['diff --git a/drivers/net/big.c b/drivers/net/big.c', 'new file mode 100644', '--- /dev/null', '+++ b/drivers/net/big.c',
    `@@ -0,0 +1,${body.length} @@`, ...body.map((l) => `+${l}`)].join('\n');
}

/** The same as a patch mail with its own Message-ID. */
export function hugeXmitMail(n: number): Buffer {
  return Buffer.from(`From: a <a@example.org>\nMessage-ID: <huge-${n}@x>\nSubject: [PATCH net-next] net: big\n\n---\n${hugeXmitDiff(n)}\n`);
}
