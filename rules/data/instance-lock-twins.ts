// Rule data: dev_xxx helpers that take the netdev instance lock themselves, and the netif_xxx twin that
// expects it held. The document names the pattern (`dev_set_mtu` / `netif_set_mtu`); the pairs are those
// of net/core/dev_api.c (and dev_set_promiscuity in net/core/dev.c) on the kernels that document the
// instance lock (6.15 on): each dev_xxx there is netdev_lock_ops(); netif_xxx(); netdev_unlock_ops().
// The NAPI helpers follow the same pattern with the full instance lock (netdev_lock()) and `_locked`
// twins: an ops-locked driver that calls napi_enable() from ndo_open deadlocks the same way.

export interface InstanceLockTwin {
  /** The helper that takes the instance lock (`netdev_lock_ops()`) itself. */
  name: string;
  /** The variant to call when the instance lock is already held. */
  twin: string;
  /** The twin takes the same arguments: the fix is a rename. */
  rename: boolean;
  /** What the twin's call looks like when it is not a rename. */
  note?: string;
  /** The first argument is a NAPI instance of the device (default: the device itself). */
  napiArg?: boolean;
  reason: string;
}

export const INSTANCE_LOCK_TWINS: InstanceLockTwin[] = [
  { name: 'dev_open', twin: 'netif_open', rename: true, reason: 'netdev_lock_ops() around netif_open()' },
  { name: 'dev_close', twin: 'netif_close', rename: true, reason: 'netdev_lock_ops() around netif_close()' },
  { name: 'dev_set_mtu', twin: 'netif_set_mtu', rename: true, reason: 'netdev_lock_ops() around netif_set_mtu()' },
  { name: 'dev_change_flags', twin: 'netif_change_flags', rename: true, reason: 'netdev_lock_ops() around netif_change_flags()' },
  { name: 'dev_set_mac_address', twin: 'netif_set_mac_address', rename: true, reason: 'netdev_lock_ops() around netif_set_mac_address()' },
  {
    name: 'dev_set_mac_address_user',
    twin: 'netif_set_mac_address',
    rename: false,
    note: 'netif_set_mac_address() (under dev_addr_sem if the address comes from user space)',
    reason: 'takes dev_addr_sem, then netdev_lock_ops() around netif_set_mac_address()',
  },
  { name: 'dev_set_promiscuity', twin: 'netif_set_promiscuity', rename: true, reason: 'netdev_lock_ops() around netif_set_promiscuity()' },
  {
    name: 'dev_set_allmulti',
    twin: 'netif_set_allmulti',
    rename: false,
    note: 'netif_set_allmulti(dev, inc, true)',
    reason: 'netdev_lock_ops() around netif_set_allmulti(dev, inc, true)',
  },
  { name: 'dev_disable_lro', twin: 'netif_disable_lro', rename: true, reason: 'netdev_lock_ops() around netif_disable_lro()' },
  { name: 'dev_change_name', twin: 'netif_change_name', rename: true, reason: 'netdev_lock_ops() around netif_change_name()' },
  { name: 'dev_set_alias', twin: 'netif_set_alias', rename: true, reason: 'netdev_lock_ops() around netif_set_alias()' },
  { name: 'dev_set_group', twin: 'netif_set_group', rename: true, reason: 'netdev_lock_ops() around netif_set_group()' },
  { name: 'dev_change_carrier', twin: 'netif_change_carrier', rename: true, reason: 'netdev_lock_ops() around netif_change_carrier()' },
  { name: 'dev_change_tx_queue_len', twin: 'netif_change_tx_queue_len', rename: true, reason: 'netdev_lock_ops() around netif_change_tx_queue_len()' },
  { name: 'dev_change_proto_down', twin: 'netif_change_proto_down', rename: true, reason: 'netdev_lock_ops() around netif_change_proto_down()' },
  { name: 'dev_xdp_propagate', twin: 'netif_xdp_propagate', rename: true, reason: 'netdev_lock_ops() around netif_xdp_propagate()' },
  {
    name: 'dev_change_net_namespace',
    twin: 'netif_change_net_namespace',
    rename: false,
    note: 'netif_change_net_namespace(dev, net, pat, 0, NULL)',
    reason: 'netdev_lock_ops() around netif_change_net_namespace(dev, net, pat, 0, NULL)',
  },
  // NAPI: netdev_lock(dev) around the _locked variant.
  { name: 'napi_enable', twin: 'napi_enable_locked', rename: true, napiArg: true, reason: 'netdev_lock() of napi->dev around napi_enable_locked()' },
  { name: 'napi_disable', twin: 'napi_disable_locked', rename: true, napiArg: true, reason: 'netdev_lock() of napi->dev around napi_disable_locked()' },
  { name: 'netif_napi_del', twin: 'netif_napi_del_locked', rename: true, napiArg: true, reason: 'netdev_lock() of napi->dev around netif_napi_del_locked()' },
  { name: '__netif_napi_del', twin: '__netif_napi_del_locked', rename: true, napiArg: true, reason: 'netdev_lock() of napi->dev around __netif_napi_del_locked()' },
  { name: 'netif_napi_add', twin: 'netif_napi_add_locked', rename: true, reason: 'netdev_lock() around netif_napi_add_locked()' },
  { name: 'netif_napi_add_weight', twin: 'netif_napi_add_weight_locked', rename: true, reason: 'netdev_lock() around netif_napi_add_weight_locked()' },
  { name: 'netif_napi_add_config', twin: 'netif_napi_add_config_locked', rename: true, reason: 'netdev_lock() around netif_napi_add_config_locked()' },
  {
    name: 'netif_napi_add_tx',
    twin: 'netif_napi_add_locked',
    rename: false,
    note: 'netif_napi_add_locked() (with NAPI_STATE_NO_BUSY_POLL set, as netif_napi_add_tx() does)',
    reason: 'netif_napi_add_tx_weight() → netif_napi_add_weight(), which takes netdev_lock()',
  },
];
