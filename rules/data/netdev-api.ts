// Rule data: the net_device allocation, free and registration families (wrappers included), each with why.
// What changes with kernel releases lives here, not in rule code.

export interface ApiEntry {
  name: string;
  reason: string;
}

/** Allocate a struct net_device the caller owns and must free_netdev() (managed devm_ variants excluded). */
export const NETDEV_ALLOCATORS: ApiEntry[] = [
  { name: 'alloc_netdev', reason: 'macro over alloc_netdev_mqs() with one queue' },
  { name: 'alloc_netdev_mq', reason: 'alloc_netdev_mqs() with equal tx/rx queue counts' },
  { name: 'alloc_netdev_mqs', reason: 'the core allocator: kvzalloc()s the device and private area' },
  { name: 'alloc_netdev_dummy', reason: 'a dummy device for NAPI-only users; still freed with free_netdev()' },
  { name: 'alloc_etherdev', reason: 'alloc_netdev() with ether_setup()' },
  { name: 'alloc_etherdev_mq', reason: 'alloc_etherdev() with several queues' },
  { name: 'alloc_etherdev_mqs', reason: 'alloc_etherdev() with separate tx/rx queue counts' },
  { name: 'alloc_candev', reason: 'CAN devices: alloc_netdev with CAN setup and echo skbs' },
  { name: 'alloc_candev_mq', reason: 'CAN, several queues' },
  { name: 'alloc_candev_mqs', reason: 'CAN, separate queue counts' },
  { name: 'alloc_sja1000dev', reason: 'SJA1000 CAN wrapper around alloc_candev()' },
  { name: 'alloc_c_can_dev', reason: 'C_CAN/D_CAN wrapper around alloc_candev()' },
  { name: 'alloc_cc770dev', reason: 'CC770 CAN wrapper around alloc_candev()' },
  { name: 'alloc_hdlcdev', reason: 'HDLC (WAN) devices' },
  { name: 'alloc_fddidev', reason: 'FDDI devices' },
  { name: 'alloc_hippi_dev', reason: 'HIPPI devices' },
  { name: 'alloc_ltalkdev', reason: 'LocalTalk devices' },
  { name: 'alloc_fcdev', reason: 'Fibre Channel network devices' },
  { name: 'alloc_arcdev', reason: 'ARCnet devices' },
  { name: 'alloc_ei_netdev', reason: '8390 wrapper' },
  { name: 'alloc_eip_netdev', reason: '8390 (ISA) wrapper' },
  { name: 'alloc_irdadev', reason: 'IrDA devices (old trees)' },
];

/** Managed allocations: devres frees them when probe fails or the device goes away. */
export const MANAGED_NETDEV_ALLOCATORS: ApiEntry[] = [
  { name: 'devm_alloc_etherdev', reason: 'devres-managed alloc_etherdev()' },
  { name: 'devm_alloc_etherdev_mqs', reason: 'devres-managed alloc_etherdev_mqs()' },
];

/** Free a net_device (the only correct way, since its memory may come from vmalloc). */
export const NETDEV_FREES: ApiEntry[] = [
  { name: 'free_netdev', reason: 'the core free: drops NAPI instances and kvfree()s the device' },
  { name: 'free_candev', reason: 'CAN wrapper around free_netdev()' },
  { name: 'free_sja1000dev', reason: 'SJA1000 wrapper around free_candev()' },
  { name: 'free_c_can_dev', reason: 'C_CAN wrapper around free_candev()' },
  { name: 'free_cc770dev', reason: 'CC770 wrapper around free_candev()' },
  { name: 'free_hdlcdev', reason: 'HDLC wrapper around free_netdev()' },
];

/** General-purpose frees that are wrong for a net_device. */
export const WRONG_FREES: ApiEntry[] = [
  { name: 'kfree', reason: 'slab free: wrong when the device came from vmalloc, and skips the core teardown' },
  { name: 'kvfree', reason: 'frees the memory but skips free_netdev() teardown (NAPI, queues, pcpu stats)' },
  { name: 'vfree', reason: 'wrong for kmalloc()ed devices, and skips the core teardown' },
  { name: 'kfree_sensitive', reason: 'slab free, like kfree()' },
  { name: 'kzfree', reason: 'old name of kfree_sensitive()' },
];

/**
 * General-purpose allocators that are wrong for a struct net_device, with the indexes of their size
 * arguments (an allocation of `n` devices counts too).
 */
export const GENERIC_ALLOCATORS: (ApiEntry & { sizeArgs: number[] })[] = [
  { name: 'kmalloc', sizeArgs: [0], reason: 'slab memory: no alignment, private area or queues, and free_netdev() would kvfree() it' },
  { name: 'kzalloc', sizeArgs: [0], reason: 'zeroed kmalloc(): same objection' },
  { name: 'kmalloc_node', sizeArgs: [0], reason: 'kmalloc() on a NUMA node' },
  { name: 'kzalloc_node', sizeArgs: [0], reason: 'kzalloc() on a NUMA node' },
  { name: 'kcalloc', sizeArgs: [0, 1], reason: 'an array of devices from the slab' },
  { name: 'kmalloc_array', sizeArgs: [0, 1], reason: 'an array of devices from the slab' },
  { name: 'kvmalloc', sizeArgs: [0], reason: 'slab or vmalloc memory, but none of the core setup' },
  { name: 'kvzalloc', sizeArgs: [0], reason: 'what alloc_netdev_mqs() uses inside, without the setup around it' },
  { name: 'kvcalloc', sizeArgs: [0, 1], reason: 'an array of devices, slab or vmalloc' },
  { name: 'kvmalloc_array', sizeArgs: [0, 1], reason: 'an array of devices, slab or vmalloc' },
  { name: 'vmalloc', sizeArgs: [0], reason: 'vmalloc memory without the core setup' },
  { name: 'vzalloc', sizeArgs: [0], reason: 'zeroed vmalloc(): same objection' },
  { name: 'devm_kmalloc', sizeArgs: [1], reason: 'devres frees it when the bus device goes, while sysfs may still hold the net_device' },
  { name: 'devm_kzalloc', sizeArgs: [1], reason: 'devres-managed kzalloc(): same objection' },
  { name: 'devm_kcalloc', sizeArgs: [1, 2], reason: 'devres-managed array: same objection' },
];

/** Registration calls that take rtnl_lock themselves (so they deadlock when it is already held). */
export const RTNL_TAKING_REGISTER: ApiEntry[] = [
  { name: 'register_netdev', reason: 'takes rtnl_lock, then register_netdevice()' },
  { name: 'unregister_netdev', reason: 'takes rtnl_lock, then unregister_netdevice()' },
  { name: 'register_candev', reason: 'CAN: calls register_netdev()' },
  { name: 'unregister_candev', reason: 'CAN: calls unregister_netdev()' },
  { name: 'register_hdlc_device', reason: 'HDLC: calls register_netdev()' },
  { name: 'unregister_hdlc_device', reason: 'HDLC: calls unregister_netdev()' },
  { name: 'register_sja1000dev', reason: 'SJA1000: calls register_candev()' },
  { name: 'unregister_sja1000dev', reason: 'SJA1000: calls unregister_candev()' },
  { name: 'register_c_can_dev', reason: 'C_CAN: calls register_candev()' },
  { name: 'unregister_c_can_dev', reason: 'C_CAN: calls unregister_candev()' },
  { name: 'register_cc770dev', reason: 'CC770: calls register_candev()' },
  { name: 'unregister_cc770dev', reason: 'CC770: calls unregister_candev()' },
];

/** The rtnl-held twin of each rtnl-taking call, where one exists (the mechanical fix). */
export const RTNL_HELD_TWIN: Record<string, string> = {
  register_netdev: 'register_netdevice',
  unregister_netdev: 'unregister_netdevice',
};

/** Registration calls that expect the caller to hold rtnl. */
export const RTNL_HELD_REGISTER: ApiEntry[] = [
  { name: 'register_netdevice', reason: 'expects rtnl held (ASSERT_RTNL)' },
  { name: 'unregister_netdevice', reason: 'expects rtnl held' },
  { name: 'unregister_netdevice_queue', reason: 'expects rtnl held' },
  { name: 'unregister_netdevice_many', reason: 'expects rtnl held' },
];

/**
 * Subsystem registration wrappers that expect rtnl held, kept apart from RTNL_HELD_REGISTER (whose
 * rtnl checks are another rule's): the lifetime rules treat them like register_netdevice().
 */
export const WRAPPED_RTNL_HELD_REGISTER: ApiEntry[] = [
  { name: 'cfg80211_register_netdevice', reason: 'wireless (5.12 on): register_netdevice() plus the wdev, under the wiphy lock and rtnl' },
  { name: 'cfg80211_unregister_netdevice', reason: 'wireless (5.12 on): unregister_netdevice() plus the wdev' },
];

/** Unregistration, in either locking flavour. */
export const NETDEV_UNREGISTERS: ApiEntry[] = [
  ...RTNL_TAKING_REGISTER.filter((e) => e.name.startsWith('unregister_')),
  ...RTNL_HELD_REGISTER.filter((e) => e.name.startsWith('unregister_')),
];

/** The name set of a list, for quick lookups. */
export function names(list: readonly ApiEntry[]): Set<string> {
  return new Set(list.map((e) => e.name));
}
