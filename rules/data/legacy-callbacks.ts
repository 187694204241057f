// Rule data: the callback fields struct net_device carried before struct net_device_ops (2.6.29), each
// with what replaced it. (src/analysis/roles.ts keeps its own LEGACY_FIELDS map for binding roles.)

export interface LegacyCallback {
  /** The old `struct net_device` field, e.g. `hard_start_xmit`. */
  field: string;
  /** The net_device_ops member that replaced it, or undefined when something else did (NAPI for `poll`). */
  ndo?: string;
  /** Older trees used another ndo name for a while (`ndo_set_multicast_list` until 3.2). */
  ndoBefore?: { until: string; ndo: string };
  /** How to do it instead when it is not an ndo. */
  instead?: string;
  /** The document entry that describes the callback's context now. */
  docEntry?: string;
  reason: string;
}

export const LEGACY_CALLBACKS: LegacyCallback[] = [
  { field: 'open', ndo: 'ndo_open', docEntry: 'ndo_open', reason: 'bring the device up' },
  { field: 'stop', ndo: 'ndo_stop', docEntry: 'ndo_stop', reason: 'take the device down' },
  { field: 'hard_start_xmit', ndo: 'ndo_start_xmit', docEntry: 'ndo_start_xmit', reason: 'transmit one skb' },
  { field: 'tx_timeout', ndo: 'ndo_tx_timeout', docEntry: 'ndo_tx_timeout', reason: 'the tx watchdog fired' },
  {
    field: 'set_multicast_list',
    ndo: 'ndo_set_rx_mode',
    ndoBefore: { until: '3.2', ndo: 'ndo_set_multicast_list' },
    docEntry: 'ndo_set_rx_mode',
    reason: 'program the multicast filter (folded into set_rx_mode in 3.2)',
  },
  { field: 'set_rx_mode', ndo: 'ndo_set_rx_mode', docEntry: 'ndo_set_rx_mode', reason: 'program the unicast and multicast filters (a net_device field in 2.6.27-2.6.28)' },
  { field: 'get_stats', ndo: 'ndo_get_stats', docEntry: 'ndo_get_stats', reason: 'report the device statistics' },
  { field: 'do_ioctl', ndo: 'ndo_do_ioctl', docEntry: 'ndo_do_ioctl', reason: 'device-private ioctls' },
  { field: 'change_mtu', ndo: 'ndo_change_mtu', reason: 'validate and set a new MTU' },
  { field: 'set_mac_address', ndo: 'ndo_set_mac_address', reason: 'set the station address' },
  {
    field: 'poll',
    instead: 'give the driver a struct napi_struct and register the poll function with netif_napi_add() (NAPI, since 2.6.24)',
    docEntry: 'napi->poll',
    reason: 'NAPI receive polling, moved from net_device to napi_struct',
  },
  { field: 'init', ndo: 'ndo_init', reason: 'late initialisation during register_netdevice()' },
  { field: 'uninit', ndo: 'ndo_uninit', reason: 'undo of init during unregistration' },
  { field: 'validate_addr', ndo: 'ndo_validate_addr', reason: 'check the station address before opening' },
  { field: 'set_config', ndo: 'ndo_set_config', reason: 'ifmap changes (SIOCSIFMAP)' },
  { field: 'select_queue', ndo: 'ndo_select_queue', reason: 'choose the tx queue of an skb' },
  { field: 'change_rx_flags', ndo: 'ndo_change_rx_flags', reason: 'promiscuous/allmulti changes' },
  { field: 'neigh_setup', ndo: 'ndo_neigh_setup', reason: 'neighbour parameter setup' },
  { field: 'vlan_rx_add_vid', ndo: 'ndo_vlan_rx_add_vid', reason: 'add a VLAN id to the hardware filter' },
  { field: 'vlan_rx_kill_vid', ndo: 'ndo_vlan_rx_kill_vid', reason: 'remove a VLAN id from the hardware filter' },
  { field: 'poll_controller', ndo: 'ndo_poll_controller', reason: 'netpoll (netconsole) polling without interrupts' },
];
