// Citations stage: the names sections and callback entries have carried across versions of netdevices.rst / netdevices.txt.

import type { SectionKey } from '../engine/finding.js';
import { normalizeTitle } from './unwrap.js';

/** The section keys that live in netdevices.rst (kernel-locking is another document). */
export type NetdevSectionKey = Exclude<SectionKey, 'kernel-locking'>;

export const NETDEV_SECTION_KEYS: readonly NetdevSectionKey[] = ['lifetime', 'mtu', 'sync', 'napi', 'instance-lock'];

/** Every heading a section has had, newest first. */
export const SECTION_TITLES: Readonly<Record<NetdevSectionKey, readonly string[]>> = {
  lifetime: ['struct net_device lifetime rules', 'struct net_device allocation rules'],
  mtu: ['MTU'],
  sync: ['struct net_device synchronization rules'],
  napi: ['struct napi_struct synchronization rules'],
  'instance-lock': ['netdev instance lock', 'RTNL and netdev instance lock'],
};

/**
 * Sub-headings of those sections, and the topics (DocRef entries) each covers. A topic marked
 * `newOnly` is what the renamed section added: the old "allocation rules" do not cover it.
 */
export const SUBSECTION_TOPICS: readonly { section: NetdevSectionKey; title: string; topics: readonly string[]; newOnly?: boolean }[] = [
  { section: 'lifetime', title: 'Simple drivers', topics: ['register_netdev', 'unregister_netdev'], newOnly: true },
  {
    section: 'lifetime',
    title: 'Device management under RTNL',
    topics: ['register_netdevice', 'unregister_netdevice', 'needs_free_netdev', 'priv_destructor', 'rtnl_link_ops'],
    newOnly: true,
  },
  { section: 'lifetime', title: '.ndo_init and .ndo_uninit', topics: ['ndo_init', 'ndo_uninit'], newOnly: true },
  { section: 'instance-lock', title: 'struct net_device_ops', topics: ['net_device_ops'] },
  { section: 'instance-lock', title: 'struct ethtool_ops', topics: ['ethtool_ops'] },
  { section: 'instance-lock', title: 'struct netdev_stat_ops', topics: ['netdev_stat_ops'] },
  { section: 'instance-lock', title: 'struct net_shaper_ops', topics: ['net_shaper_ops'] },
  { section: 'instance-lock', title: 'struct netdev_queue_mgmt_ops', topics: ['netdev_queue_mgmt_ops'] },
  { section: 'instance-lock', title: 'Notifiers and netdev instance lock', topics: ['notifiers', 'netdev_notifiers'] },
];

/** Titles of other top-level headings, so a flattened text (no underlines left) can still be cut into sections. */
const OTHER_TOP_TITLES = ['Introduction', 'NETDEV_INTERNAL symbol namespace', 'struct netdev_queue_mgmt_ops synchronization rules'];

/** The document title, level 1 in reST. */
const DOCUMENT_TITLE = 'Network Devices, the Kernel, and You!';

/** Normalized title → heading level, for texts whose underlines were stripped. */
export const KNOWN_TITLE_LEVELS: ReadonlyMap<string, number> = new Map<string, number>([
  [normalizeTitle(DOCUMENT_TITLE), 1],
  ...Object.values(SECTION_TITLES)
    .flat()
    .map((t): [string, number] => [normalizeTitle(t), 2]),
  ...OTHER_TOP_TITLES.map((t): [string, number] => [normalizeTitle(t), 2]),
  ...SUBSECTION_TOPICS.map((s): [string, number] => [normalizeTitle(s.title), 3]),
]);

export const KNOWN_TITLES: ReadonlySet<string> = new Set(KNOWN_TITLE_LEVELS.keys());

/** The section key a heading stands for, in any version. */
export function sectionKeyOfTitle(title: string): NetdevSectionKey | undefined {
  const t = normalizeTitle(title);
  return NETDEV_SECTION_KEYS.find((k) => SECTION_TITLES[k].some((h) => normalizeTitle(h) === t));
}

/** Canonical entry → the names the same callback had in older documents. */
const ENTRY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  ndo_open: ['dev->open'],
  ndo_stop: ['dev->stop'],
  ndo_do_ioctl: ['dev->do_ioctl'],
  ndo_get_stats: ['dev->get_stats'],
  ndo_start_xmit: ['dev->hard_start_xmit', 'hard_start_xmit'],
  ndo_tx_timeout: ['dev->tx_timeout'],
  ndo_set_rx_mode: ['dev->set_rx_mode', 'dev->set_multicast_list', 'set_multicast_list', 'ndo_set_multicast_list'],
  'napi->poll': ['dev->poll'],
  ndo_change_mtu: ['dev->change_mtu'],
  ndo_set_mac_address: ['dev->set_mac_address'],
};

/**
 * Canonical entry → entries to cite when the document does not list it: the callback it
 * replaced or the one whose rules it shares (ndo_get_stats64 is listed with ndo_get_stats).
 */
const ENTRY_FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  ndo_get_stats64: ['ndo_get_stats'],
  ndo_eth_ioctl: ['ndo_do_ioctl'],
  ndo_siocdevprivate: ['ndo_do_ioctl'],
  ndo_siocbond: ['ndo_do_ioctl'],
  ndo_siocwandev: ['ndo_do_ioctl'],
};

/** The canonical (new) name of an entry, given any name it has had (`dev->hard_start_xmit` → `ndo_start_xmit`). */
export function canonicalEntry(name: string): string {
  const n = name.trim().replace(/^\./, '').replace(/:$/, '');
  for (const [canonical, old] of Object.entries(ENTRY_ALIASES)) {
    if (canonical === n || old.includes(n)) return canonical;
  }
  return n;
}

/** Names that denote the same callback as `entry`, canonical first. */
export function entryAliases(entry: string): string[] {
  const c = canonicalEntry(entry);
  return [c, ...(ENTRY_ALIASES[c] ?? [])];
}

/** Canonical entries to fall back on, in order, when `entry` is not listed under any of its names. */
export function fallbackEntries(entry: string): string[] {
  return [...(ENTRY_FALLBACKS[canonicalEntry(entry)] ?? [])];
}

/** Every name of every fallback entry, in order. */
export function entryFallbacks(entry: string): string[] {
  return fallbackEntries(entry).flatMap((f) => entryAliases(f));
}

/** Legacy entry names that carry neither `ndo_` nor `->`, so an entry-line scanner must know them by name. */
export const BARE_ENTRY_NAMES: ReadonlySet<string> = new Set(['set_multicast_list', 'hard_start_xmit']);

/** The subsection of `section` covering `topic`, if the topic is one a subsection is about. */
export function subsectionForTopic(section: NetdevSectionKey, topic: string): { title: string; newOnly: boolean } | undefined {
  const t = topic.trim().replace(/^\./, '').replace(/^struct\s+/, '');
  const hit = SUBSECTION_TOPICS.find((s) => s.section === section && s.topics.includes(t));
  return hit ? { title: hit.title, newOnly: hit.newOnly === true } : undefined;
}
