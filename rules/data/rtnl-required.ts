// Rule data: kernel helpers a driver may call that require rtnl_lock held (they assert it, or call what does).
//
// Derived from a real tree: `node rules/data/extract-rtnl-required.mjs /opt/linux/linux-source-6.1`
// lists the exported (or public static inline) functions whose body starts with ASSERT_RTNL(), asserts it
// once the device is registered, or unconditionally calls a same-file function that does (and does not
// take rtnl itself, as register_netdev() and netdev_notify_peers() do). Its 118 hits
// were reviewed by hand: kept are the ones drivers call (`source: 'extract-6.1'`); dropped are core
// internals (qdisc, fib, igmp, garp/mrp, bridge and switchdev port internals, netpoll, ethtool netlink),
// wireless helpers whose lock became the wiphy mutex after 6.1 (cfg80211_*, regulatory_set_wiphy_regd_sync),
// free_netdev() (asserts rtnl only while unregistering) and the register/unregister family, which is
// `register-without-rtnl`'s (RULES.md "One defect, one finding"). `source: 'hand'` entries are what
// the script cannot see: macros, and calls through an ops table.

export interface RtnlRequired {
  name: string;
  /** Why it needs rtnl, one line. */
  reason: string;
  /** Needs rtnl only once the device is registered: probe-time calls before register_netdev() are fine. */
  onceRegistered?: boolean;
  /** `extract-6.1`: found by extract-rtnl-required.mjs on Debian's linux-source-6.1; `hand`: added on review. */
  source: 'extract-6.1' | 'hand';
}

export const RTNL_REQUIRED: RtnlRequired[] = [
  // Device state changes: they run the ndos and the netdevice notifiers, which expect rtnl.
  { name: 'dev_open', reason: '__dev_open() asserts rtnl before calling ndo_open and the notifiers', source: 'extract-6.1' },
  { name: 'dev_close', reason: 'dev_close_many() asserts rtnl before calling ndo_stop and the notifiers', source: 'extract-6.1' },
  { name: 'dev_close_many', reason: 'asserts rtnl, then closes each device', source: 'extract-6.1' },
  { name: 'dev_change_flags', reason: '__dev_change_flags() asserts rtnl', source: 'extract-6.1' },
  { name: 'dev_set_mtu', reason: 'dev_set_mtu_ext() sends NETDEV_PRECHANGEMTU/CHANGEMTU notifiers, which assert rtnl', source: 'extract-6.1' },
  { name: 'dev_set_mac_address', reason: 'sends NETDEV_PRE_CHANGEADDR/CHANGEADDR notifiers, which assert rtnl', source: 'extract-6.1' },
  { name: 'dev_set_mac_address_user', reason: 'dev_set_mac_address() under dev_addr_sem; still needs rtnl', source: 'extract-6.1' },
  { name: 'dev_pre_changeaddr_notify', reason: 'calls the netdevice notifiers, which assert rtnl', source: 'extract-6.1' },
  { name: 'dev_set_promiscuity', reason: '__dev_set_promiscuity() asserts rtnl', source: 'extract-6.1' },
  { name: 'dev_set_allmulti', reason: '__dev_set_allmulti() asserts rtnl', source: 'extract-6.1' },
  { name: 'dev_disable_lro', reason: 'netdev_update_features() asserts rtnl', source: 'extract-6.1' },
  { name: 'dev_addr_add', reason: 'asserts rtnl: the device address list is rtnl-protected', source: 'extract-6.1' },
  { name: 'dev_addr_del', reason: 'asserts rtnl: the device address list is rtnl-protected', source: 'extract-6.1' },
  { name: 'dev_getbyhwaddr', reason: 'walks the device list under rtnl (asserts it)', source: 'extract-6.1' },
  { name: 'netdev_update_features', reason: '__netdev_update_features() asserts rtnl', source: 'extract-6.1' },
  { name: 'netdev_change_features', reason: '__netdev_update_features() asserts rtnl', source: 'extract-6.1' },
  { name: 'netdev_features_change', reason: 'sends NETDEV_FEAT_CHANGE, and the notifiers assert rtnl', source: 'extract-6.1' },
  { name: 'netdev_state_change', reason: 'sends NETDEV_CHANGE, and the notifiers assert rtnl', source: 'extract-6.1' },
  { name: '__netdev_notify_peers', reason: 'asserts rtnl (netdev_notify_peers() is the variant that takes it)', source: 'extract-6.1' },
  { name: 'call_netdevice_notifiers', reason: 'the netdevice notifier chain asserts rtnl', source: 'extract-6.1' },
  { name: 'netdev_lower_state_changed', reason: 'sends NETDEV_CHANGELOWERSTATE, and the notifiers assert rtnl', source: 'extract-6.1' },
  // Queue counts: the sysfs queue objects change with them once the device is registered.
  { name: 'netif_set_real_num_tx_queues', reason: 'asserts rtnl once the device is registered', onceRegistered: true, source: 'extract-6.1' },
  { name: 'netif_set_real_num_rx_queues', reason: 'asserts rtnl once the device is registered', onceRegistered: true, source: 'extract-6.1' },
  { name: 'netif_set_real_num_queues', reason: 'sets both counts with the two helpers above (once registered, under rtnl)', onceRegistered: true, source: 'hand' },
  { name: 'netif_queue_set_napi', reason: 'queue-to-NAPI links are rtnl-protected once registered (6.8 on; the instance lock for ops-locked drivers)', onceRegistered: true, source: 'hand' },
  // Upper/lower devices and rx handlers (bonding, team, macvlan-like drivers, switch drivers).
  { name: 'netdev_rx_handler_register', reason: 'netdev_is_rx_handler_busy() asserts rtnl', source: 'extract-6.1' },
  { name: 'netdev_rx_handler_unregister', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'netdev_has_any_upper_dev', reason: 'walks the adjacency lists, which rtnl protects (asserts it)', source: 'extract-6.1' },
  { name: 'netdev_master_upper_dev_get', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'netdev_upper_dev_link', reason: '__netdev_upper_dev_link() asserts rtnl', source: 'extract-6.1' },
  { name: 'netdev_master_upper_dev_link', reason: '__netdev_upper_dev_link() asserts rtnl', source: 'extract-6.1' },
  { name: 'netdev_upper_dev_unlink', reason: '__netdev_upper_dev_unlink() asserts rtnl', source: 'extract-6.1' },
  { name: '__ethtool_get_link_ksettings', reason: 'asserts rtnl before calling the ethtool op', source: 'extract-6.1' },
  // VLAN filter state and UDP tunnel ports replayed to the device.
  { name: 'vlan_for_each', reason: 'walks the VLAN devices of a device (asserts rtnl)', source: 'extract-6.1' },
  { name: 'vlan_vid_add', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'vlan_vid_del', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'vlan_uses_dev', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'vlan_get_rx_ctag_filter_info', reason: 'asserts rtnl, then replays the VLAN filters through the notifiers', source: 'extract-6.1' },
  { name: 'vlan_drop_rx_ctag_filter_info', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'vlan_get_rx_stag_filter_info', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'vlan_drop_rx_stag_filter_info', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'udp_tunnel_get_rx_info', reason: 'asserts rtnl, then replays the UDP tunnel ports through the notifiers', source: 'extract-6.1' },
  { name: 'udp_tunnel_drop_rx_info', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'udp_tunnel_nic_reset_ntf', reason: 'documented "must be called with rtnl lock held"; the ops callback asserts it', source: 'hand' },
  // phylink: every state-changing entry point asserts rtnl.
  { name: 'phylink_start', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'phylink_stop', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'phylink_suspend', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'phylink_resume', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'phylink_disconnect_phy', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'phylink_speed_down', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'phylink_speed_up', reason: 'asserts rtnl', source: 'extract-6.1' },
  { name: 'phylink_mii_ioctl', reason: 'asserts rtnl', source: 'extract-6.1' },
  // Switch drivers.
  { name: 'dsa_tag_8021q_register', reason: 'sets up VLANs on the user ports through rtnl-asserting calls', source: 'extract-6.1' },
  { name: 'dsa_tag_8021q_unregister', reason: 'tears the VLANs down through rtnl-asserting calls', source: 'extract-6.1' },
  { name: 'switchdev_bridge_port_offload', reason: 'calls the blocking switchdev notifiers, which assert rtnl', source: 'extract-6.1' },
  { name: 'switchdev_bridge_port_unoffload', reason: 'calls the blocking switchdev notifiers, which assert rtnl', source: 'extract-6.1' },
  // Not a function: a lockdep-checked dereference of an rtnl-protected pointer.
  { name: 'rtnl_dereference', reason: 'rcu_dereference_protected() with lockdep_rtnl_is_held(): lockdep splats without rtnl', source: 'hand' },
];
