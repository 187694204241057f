import rule from '../../rules/destructor-removed.js';
import { ruleTester } from '../lib/rule-tester.js';

const DESTRUCTOR_PATCH = `diff --git a/drivers/net/acme_tun.c b/drivers/net/acme_tun.c
--- a/drivers/net/acme_tun.c
+++ b/drivers/net/acme_tun.c
@@ -140,8 +140,9 @@ static void acme_tun_setup(struct net_device *dev)
 {
 	ether_setup(dev);
 	dev->netdev_ops = &acme_tun_netdev_ops;
+	dev->destructor = free_netdev;
 	dev->features |= NETIF_F_LLTX;
 	dev->tx_queue_len = 0;
 }
 
`;

ruleTester(rule, {
  valid: [
    {
      name: 'a patch using dev->destructor, reviewed against 4.4 where it was the API',
      kernel: '4.4',
      patch: DESTRUCTOR_PATCH,
    },
    {
      name: 'skb->destructor is a different field',
      code: `static void acme_skb_set_owner(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb->sk = sk;
	skb->destructor = acme_sock_wfree;
	refcount_add(skb->truesize, &sk->sk_wmem_alloc);
}`,
    },
    {
      name: 'a driver struct with its own destructor field',
      code: `static void acme_obj_init(struct acme_obj *obj, void (*fn)(struct acme_obj *))
{
	kref_init(&obj->ref);
	obj->destructor = fn;
}`,
    },
    {
      name: 'the replacement API: needs_free_netdev and priv_destructor',
      code: `static void acme_tun_destruct(struct net_device *dev)
{
	free_percpu(dev->tstats);
}

static void acme_tun_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->needs_free_netdev = true;
	dev->priv_destructor = acme_tun_destruct;
}`,
    },
  ],
  invalid: [
    {
      name: 'the same patch reviewed against 6.1',
      kernel: '6.1',
      patch: DESTRUCTOR_PATCH,
      errors: [{ line: 143, messageId: 'freeOnly', severity: 'error', fix: '\tdev->needs_free_netdev = true;' }],
    },
    {
      name: 'destructor = free_netdev on mainline',
      code: `static void acme_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->destructor = free_netdev;
}`,
      errors: [{ line: 4, messageId: 'freeOnly', fix: '\tdev->needs_free_netdev = true;' }],
    },
    {
      name: 'a destructor that only frees private state becomes priv_destructor',
      code: `static void acme_dev_free(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);

	free_percpu(priv->stats);
}

static void acme_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->destructor = acme_dev_free; /* per-cpu stats */
}`,
      errors: [{ line: 11, messageId: 'privateTeardown', fix: '\tdev->priv_destructor = acme_dev_free; /* per-cpu stats */' }],
    },
    {
      name: 'a destructor that also frees the device: no mechanical fix',
      code: `static void acme_dev_free(struct net_device *dev)
{
	free_percpu(dev->tstats);
	free_netdev(dev);
}

static void acme_setup(struct net_device *ndev)
{
	ndev->destructor = acme_dev_free;
}`,
      errors: [{ line: 9, messageId: 'freesToo', message: 'drop the free_netdev() from acme_dev_free()' }],
    },
    {
      name: 'reading the field',
      code: `static void acme_release(struct acme_port *port)
{
	struct net_device *ndev = port->ndev;

	if (ndev->destructor)
		ndev->destructor(ndev);
}`,
      errors: [
        { line: 5, messageId: 'other' },
        { line: 6, messageId: 'other' },
      ],
    },
  ],
});
