// Rule data: which network drivers are software devices (no hardware queues of their own) and which
// are hardware drivers — by path, by rtnl_link_ops kind, and by the bus driver struct a file binds.
// Lockless transmit (LLTX) is meant for the first kind only; lltx-deprecated flags it in the second.

export interface SoftwareDevice {
  /** The driver's name; also its `rtnl_link_ops` `.kind`, when it has one (`ip link add ... type <name>`). */
  name: string;
  /**
   * Where it lives: `dir/` is a prefix, a path without `*` is one file, `*` matches within one path
   * component and `**` across components.
   */
  paths: string[];
  reason: string;
}

/** Software devices: they transmit through another device (or nowhere), so the core's tx lock buys them nothing. */
export const SOFTWARE_DEVICES: SoftwareDevice[] = [
  { name: 'loopback', paths: ['drivers/net/loopback.c'], reason: 'loops packets back into the stack; no queue state' },
  { name: 'dummy', paths: ['drivers/net/dummy.c'], reason: 'drops everything it is given' },
  { name: 'ifb', paths: ['drivers/net/ifb.c'], reason: 'intermediate functional block: a qdisc redirect target' },
  { name: 'veth', paths: ['drivers/net/veth.c'], reason: 'virtual ethernet pair: transmit is a receive on the peer' },
  { name: 'vxlan', paths: ['drivers/net/vxlan/', 'drivers/net/vxlan.c'], reason: 'UDP tunnel; transmits through the underlay route' },
  { name: 'geneve', paths: ['drivers/net/geneve.c'], reason: 'UDP tunnel' },
  { name: 'bareudp', paths: ['drivers/net/bareudp.c'], reason: 'UDP tunnel' },
  { name: 'gtp', paths: ['drivers/net/gtp.c'], reason: 'GPRS tunnelling protocol device' },
  { name: 'amt', paths: ['drivers/net/amt.c'], reason: 'automatic multicast tunnelling' },
  { name: 'wireguard', paths: ['drivers/net/wireguard/'], reason: 'encrypted tunnel; queues its own work per peer' },
  { name: 'bond', paths: ['drivers/net/bonding/'], reason: 'bonding: transmits through its slaves' },
  { name: 'team', paths: ['drivers/net/team/'], reason: 'teaming: transmits through its ports' },
  { name: 'macvlan', paths: ['drivers/net/macvlan.c'], reason: 'stacked on a lower device' },
  { name: 'macvtap', paths: ['drivers/net/macvtap.c'], reason: 'macvlan with a tap queue' },
  { name: 'ipvlan', paths: ['drivers/net/ipvlan/'], reason: 'stacked on a lower device' },
  { name: 'ipvtap', paths: ['drivers/net/ipvlan/ipvtap.c'], reason: 'ipvlan with a tap queue' },
  { name: 'macsec', paths: ['drivers/net/macsec.c'], reason: 'MACsec: encrypts and transmits through the real device' },
  { name: 'vrf', paths: ['drivers/net/vrf.c'], reason: 'L3 master device: no transmit queue of its own' },
  { name: 'tun', paths: ['drivers/net/tun.c', 'drivers/net/tap.c'], reason: 'tun/tap: transmit queues to a user-space file' },
  { name: 'ppp', paths: ['drivers/net/ppp/'], reason: 'PPP units transmit through channels' },
  { name: 'nlmon', paths: ['drivers/net/nlmon.c'], reason: 'netlink monitor tap' },
  { name: 'vsockmon', paths: ['drivers/net/vsockmon.c'], reason: 'vsock monitor tap' },
  { name: 'net_failover', paths: ['drivers/net/net_failover.c', 'drivers/net/failover.c'], reason: 'failover master over a primary and a standby device' },
  { name: 'netdevsim', paths: ['drivers/net/netdevsim/'], reason: 'simulated device for tests' },
  { name: 'vcan', paths: ['drivers/net/can/vcan.c'], reason: 'virtual CAN bus' },
  { name: 'vxcan', paths: ['drivers/net/can/vxcan.c'], reason: 'virtual CAN tunnel pair' },
  { name: 'bpq', paths: ['drivers/net/hamradio/bpqether.c'], reason: 'AX.25 over ethernet: transmits through an ethernet device' },
  { name: 'virt_wifi', paths: ['drivers/net/wireless/virtual/', 'drivers/net/wireless/virt_wifi.c'], reason: 'wireless device simulated over a wired one' },
  { name: 'mac80211_hwsim', paths: ['drivers/net/wireless/mac80211_hwsim.c'], reason: 'simulated radios' },
  { name: 'wwan_hwsim', paths: ['drivers/net/wwan/wwan_hwsim.c'], reason: 'simulated WWAN device' },
  { name: 'rmnet', paths: ['drivers/net/ethernet/qualcomm/rmnet/'], reason: 'multiplexed virtual devices on top of a modem netdev' },
  {
    name: 'representor',
    paths: ['drivers/net/ethernet/**/*_repr.c', 'drivers/net/ethernet/**/*_rep.c', 'drivers/net/ethernet/**/*_repr_*.c'],
    reason: 'switchdev port representors: transmit through the PF, no queues of their own',
  },
];

export interface PathEntry {
  /** A directory prefix ending in `/`. */
  path: string;
  reason: string;
}

/** Directories whose drivers drive hardware (a software device among them is listed above and wins). */
export const HARDWARE_DRIVER_DIRS: PathEntry[] = [
  { path: 'drivers/net/ethernet/', reason: 'ethernet controllers' },
  { path: 'drivers/net/wireless/', reason: 'wireless adapters' },
  { path: 'drivers/net/can/', reason: 'CAN controllers' },
  { path: 'drivers/net/usb/', reason: 'USB network adapters' },
  { path: 'drivers/net/wan/', reason: 'WAN cards (HDLC, frame relay, ...)' },
  { path: 'drivers/net/fddi/', reason: 'FDDI adapters' },
  { path: 'drivers/net/arcnet/', reason: 'ARCnet adapters' },
  { path: 'drivers/net/hippi/', reason: 'HIPPI adapters' },
  { path: 'drivers/net/appletalk/', reason: 'LocalTalk adapters' },
  { path: 'drivers/net/hamradio/', reason: 'amateur radio modems (bpqether excepted)' },
  { path: 'drivers/net/ieee802154/', reason: '802.15.4 radios' },
  { path: 'drivers/net/ipa/', reason: 'Qualcomm IP accelerator' },
  { path: 'drivers/net/wwan/', reason: 'WWAN modems' },
  { path: 'drivers/net/fjes/', reason: 'Fujitsu extended socket network device' },
  { path: 'drivers/net/thunderbolt/', reason: 'networking over a Thunderbolt link' },
  { path: 'drivers/net/mctp/', reason: 'MCTP transports over I2C, I3C and serial' },
  { path: 'drivers/net/plip/', reason: 'IP over a parallel port' },
  { path: 'drivers/infiniband/hw/', reason: 'InfiniBand adapters' },
  { path: 'drivers/s390/net/', reason: 's390 channel-attached network adapters' },
  { path: 'drivers/staging/', reason: 'staging drivers: hardware drivers on their way in' },
];

export interface StructEntry {
  /** Struct tag of the driver a file registers, e.g. `pci_driver`. */
  name: string;
  reason: string;
}

/** Bus driver structs: a file that fills one in probes real (or paravirtual) hardware. */
export const BUS_DRIVER_STRUCTS: StructEntry[] = [
  { name: 'pci_driver', reason: 'PCI devices' },
  { name: 'platform_driver', reason: 'SoC and firmware-described devices' },
  { name: 'usb_driver', reason: 'USB devices' },
  { name: 'spi_driver', reason: 'SPI devices' },
  { name: 'i2c_driver', reason: 'I2C devices' },
  { name: 'sdio_driver', reason: 'SDIO cards' },
  { name: 'serdev_device_driver', reason: 'devices behind a UART' },
  { name: 'mdio_driver', reason: 'MDIO-attached devices' },
  { name: 'amba_driver', reason: 'AMBA bus devices' },
  { name: 'pcmcia_driver', reason: 'PC cards' },
  { name: 'bcma_driver', reason: 'Broadcom AMBA cores' },
  { name: 'ssb_driver', reason: 'Sonics Silicon Backplane cores' },
  { name: 'fsl_mc_driver', reason: 'NXP Management Complex objects (DPAA2)' },
  { name: 'mhi_driver', reason: 'Qualcomm modem host interface channels' },
  { name: 'virtio_driver', reason: 'virtio devices: paravirtual hardware with real queues' },
  { name: 'xenbus_driver', reason: 'Xen paravirtual devices' },
  { name: 'hv_driver', reason: 'Hyper-V VMBus devices' },
  { name: 'ccw_driver', reason: 's390 channel devices' },
  { name: 'ccwgroup_driver', reason: 's390 grouped channel devices' },
  { name: 'vio_driver', reason: 'POWER virtual I/O devices' },
  { name: 'rio_driver', reason: 'RapidIO devices' },
  { name: 'eisa_driver', reason: 'EISA cards' },
  { name: 'zorro_driver', reason: 'Amiga Zorro cards' },
  { name: 'mcb_driver', reason: 'MEN chameleon bus devices' },
  { name: 'tb_service_driver', reason: 'Thunderbolt services' },
  { name: 'auxiliary_driver', reason: 'auxiliary devices split from a PCI function' },
];
