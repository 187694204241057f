// Citations stage: what each kernel release's network-device document contained, for citing a version whose text is not at hand.

import { compareKernelVersions, parseKernelVersion, type KernelVersion } from '../kernel/version.js';
import { canonicalEntry, fallbackEntries, type NetdevSectionKey } from './aliases.js';

function v(text: string): KernelVersion {
  const parsed = parseKernelVersion(text);
  if (!parsed) throw new Error(`bad version literal ${text}`);
  return parsed;
}

/** True when `a` is `b` or newer. */
export function atLeast(a: KernelVersion, b: KernelVersion): boolean {
  return compareKernelVersions(a, b) >= 0;
}

/**
 * First release whose document is Documentation/networking/netdevices.rst (earlier: netdevices.txt,
 * which kernel.org never rendered). Commit 482a4360c56a "docs: networking: convert
 * netdevices.txt to ReST" was patch 09/37 of "net: manually convert files to ReST format -
 * part 2" (posted 2020-04-30 on next-20200430, after v5.7-rc3) and went in through net-next for
 * the 5.8 merge window; v5.8-rc7's Documentation/networking/index.rst lists `netdevices`.
 */
export const RST_SINCE: KernelVersion = v('5.8');

/**
 * The oldest tag of torvalds/linux.git: its history starts at v2.6.12-rc2, whose import already
 * holds netdevices.txt. Older kernels cannot be linked at a tag.
 */
export const OLDEST_TAG: KernelVersion = v('2.6.12');

/** Headings a section has had, oldest first, with the first release carrying each. */
export const SECTION_HISTORY: Readonly<Record<NetdevSectionKey, readonly { title: string; since: KernelVersion }[]>> = {
  lifetime: [
    { title: 'struct net_device allocation rules', since: OLDEST_TAG },
    // 2b446e650b41 "docs: net: explain struct net_device lifetime", committed to net-next on
    // 2021-01-08 (after v5.11-rc1, 2020-12-27), so v5.12. Backported to 5.10-stable in July 2022
    // ("[PATCH 5.10 009/105]"), after the v5.10 docs kernel.org publishes were built.
    { title: 'struct net_device lifetime rules', since: v('5.12') },
  ],
  // "[NET]: netdevice mtu assumptions documentation", 2007-07-10, merge window of 2.6.23.
  mtu: [{ title: 'MTU', since: v('2.6.23') }],
  sync: [{ title: 'struct net_device synchronization rules', since: OLDEST_TAG }],
  // "[NET]: Make NAPI polling independent of struct net_device objects", 2007-10-10, merge
  // window of 2.6.24; before it NAPI's poll was the `dev->poll` entry of the synchronization rules.
  napi: [{ title: 'struct napi_struct synchronization rules', since: v('2.6.24') }],
  'instance-lock': [
    // "docs: net: document new locking reality" (net-next, 2025-03-06) → v6.15.
    { title: 'RTNL and netdev instance lock', since: v('6.15') },
    // "docs: netdev: break down the instance locking info per ops struct" renamed it and added
    // one subsection per ops struct; posted to net-next 2025-04-07, after v6.15-rc1 → v6.16.
    { title: 'netdev instance lock', since: v('6.16') },
  ],
};

/** First release with each sub-heading; absent means "not pinned down": cited only on mainline. */
export const SUBSECTION_SINCE: ReadonlyMap<string, KernelVersion> = new Map([
  ['Simple drivers', v('5.12')],
  ['Device management under RTNL', v('5.12')],
  ['.ndo_init and .ndo_uninit', v('5.12')],
  ['Notifiers and netdev instance lock', v('6.15')],
  ['struct net_device_ops', v('6.16')],
  ['struct ethtool_ops', v('6.16')],
  ['struct net_shaper_ops', v('6.16')],
  ['struct netdev_queue_mgmt_ops', v('6.16')],
]);

/** The heading `key` has in release `version`, or undefined when that release predates the section. */
export function sectionTitleAt(key: NetdevSectionKey, version: KernelVersion): string | undefined {
  return [...SECTION_HISTORY[key]].reverse().find((h) => atLeast(version, h.since))?.title;
}

/** The first release carrying section `key` at all. */
export function sectionSince(key: NetdevSectionKey): KernelVersion {
  return SECTION_HISTORY[key][0]?.since ?? OLDEST_TAG;
}

/**
 * Renames of callback entries. The `dev->x` → `ndo_x` renaming of the document was Ben
 * Hutchings' "doc, net: Update netdev operation names" (2012-04-06); it is taken to be in v3.5
 * (dated during 3.4-rc, most likely queued for net-next: not pinned to a tag).
 * `dev->set_multicast_list` became `dev->set_rx_mode` with "net: remove ndo_set_multicast_list
 * callback" (2011-08-17, v3.2).
 */
const ENTRY_ERAS: Readonly<Record<string, readonly { until?: KernelVersion; name: string; section?: NetdevSectionKey }[]>> = {
  ndo_open: [{ until: v('3.5'), name: 'dev->open' }, { name: 'ndo_open' }],
  ndo_stop: [{ until: v('3.5'), name: 'dev->stop' }, { name: 'ndo_stop' }],
  ndo_do_ioctl: [{ until: v('3.5'), name: 'dev->do_ioctl' }, { name: 'ndo_do_ioctl' }],
  ndo_get_stats: [{ until: v('3.5'), name: 'dev->get_stats' }, { name: 'ndo_get_stats' }],
  ndo_start_xmit: [{ until: v('3.5'), name: 'dev->hard_start_xmit' }, { name: 'ndo_start_xmit' }],
  ndo_tx_timeout: [{ until: v('3.5'), name: 'dev->tx_timeout' }, { name: 'ndo_tx_timeout' }],
  ndo_set_rx_mode: [
    { until: v('3.2'), name: 'dev->set_multicast_list' },
    { until: v('3.5'), name: 'dev->set_rx_mode' },
    { name: 'ndo_set_rx_mode' },
  ],
  'napi->poll': [{ until: v('2.6.24'), name: 'dev->poll', section: 'sync' }, { name: 'napi->poll' }],
};

/**
 * Entries that appeared later. The ioctl split entries are listed in v6.1's document; the release
 * that added them is 5.14 or 5.15 (the ioctl split itself), and 5.15 is assumed so an older target
 * falls back to ndo_do_ioctl rather than naming an entry its document may lack.
 */
const ENTRY_SINCE: ReadonlyMap<string, KernelVersion> = new Map([
  ['ndo_eth_ioctl', v('5.15')],
  ['ndo_siocdevprivate', v('5.15')],
  ['ndo_siocbond', v('5.15')],
  ['ndo_siocwandev', v('5.15')],
]);

/**
 * How release `version` names entry `entry` (and in which section, when that moved), when no
 * text of that release is at hand. Undefined when the release's name for it is not known.
 */
export function entryAt(entry: string, version: KernelVersion): { name: string; section?: NetdevSectionKey } | undefined {
  const c = canonicalEntry(entry);
  if (version.kind === 'mainline') return { name: c };
  const eras = ENTRY_ERAS[c];
  if (eras) {
    const era = eras.find((e) => !e.until || compareKernelVersions(version, e.until) < 0);
    return era ? { name: era.name, ...(era.section ? { section: era.section } : {}) } : undefined;
  }
  const since = ENTRY_SINCE.get(c);
  if (since && atLeast(version, since)) return { name: c };
  for (const f of fallbackEntries(c)) {
    const hit = entryAt(f, version);
    if (hit) return hit;
  }
  return undefined;
}
