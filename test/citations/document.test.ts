// Citations stage: headings, sections and callback entries of the document, across versions, with old and new names.

import { describe, expect, it } from 'vitest';
import type { SectionKey } from '../../src/engine/finding.js';
import { canonicalEntry, entryAliases, sectionKeyOfTitle } from '../../src/citations/aliases.js';
import { docSays, findEntry, findSection, loadDocument, locate, type NetdevDoc } from '../../src/citations/document.js';
import { MAINLINE } from '../../src/kernel/version.js';
import { fixture, lineOf } from './wrappings.js';

const NEW = fixture('netdev-new.rst');
const MID = fixture('netdev-mid.txt');
const OLD = fixture('netdev-old.txt');

function load(text: string, path = 'Documentation/networking/netdevices.rst'): NetdevDoc {
  return loadDocument(text, { kind: 'tree', path, label: 'fixture tree' });
}

describe('sections of the reST document', () => {
  const doc = load(NEW);

  it('finds every section key of netdevices.rst under its current heading, at its line', () => {
    const expected: [Exclude<SectionKey, 'kernel-locking'>, string][] = [
      ['lifetime', 'struct net_device lifetime rules'],
      ['mtu', 'MTU'],
      ['sync', 'struct net_device synchronization rules'],
      ['napi', 'struct napi_struct synchronization rules'],
      ['instance-lock', 'netdev instance lock'],
    ];
    for (const [key, title] of expected) {
      const s = findSection(doc, key);
      expect(s?.title, key).toBe(title);
      expect(s?.start, key).toBe(lineOf(NEW, title));
    }
  });

  it('ends a section at its last non-blank line before the next heading of its level', () => {
    expect(findSection(doc, 'mtu')?.end).toBe(lineOf(NEW, 'struct net_device synchronization rules') - 2);
    expect(findSection(doc, 'lifetime')?.end).toBe(lineOf(NEW, 'unregistered.'));
    expect(findSection(doc, 'instance-lock')?.end).toBe(lineOf(NEW, 'Some notifiers run under the instance lock.'));
  });

  it('ranks heading styles by first appearance: overlined title, then =, -, ~', () => {
    const level = (t: string): number | undefined => doc.sections.find((s) => s.title === t)?.level;
    expect(level('Fixture: network device rules')).toBe(1);
    expect(level('MTU')).toBe(2);
    expect(level('Simple drivers')).toBe(3);
    expect(level('.ndo_init and .ndo_uninit')).toBe(4);
    const sub = doc.sections.find((s) => s.title === 'struct ethtool_ops');
    expect(doc.sections[sub?.parent ?? -1]?.key).toBe('instance-lock');
  });

  it('gives each heading its Sphinx anchor', () => {
    expect(findSection(doc, 'lifetime')?.anchor).toBe('struct-net-device-lifetime-rules');
    expect(findSection(doc, 'mtu')?.anchor).toBe('mtu');
    expect(doc.sections.find((s) => s.title.startsWith('.ndo_init'))?.anchor).toBe('ndo-init-and-ndo-uninit');
  });

  it('reads the callback entries of the synchronization sections with their line ranges', () => {
    expect(doc.entries.map((e) => e.text)).toEqual([
      'ndo_open',
      'ndo_stop',
      'ndo_do_ioctl',
      'ndo_eth_ioctl',
      'ndo_get_stats / ndo_get_stats64',
      'ndo_start_xmit',
      'ndo_tx_timeout',
      'ndo_set_rx_mode',
      'napi->poll',
    ]);
    const xmit = findEntry(doc, 'ndo_start_xmit');
    expect(xmit?.start).toBe(lineOf(NEW, 'ndo_start_xmit:'));
    expect(xmit?.end).toBe(lineOf(NEW, '\t* NETDEV_TX_BUSY only after stopping the queue.'));
    // The paragraph back at the margin closes the last entry rather than joining it.
    expect(findEntry(doc, 'ndo_set_rx_mode')?.end).toBe(lineOf(NEW, '\tContext: BHs off', lineOf(NEW, 'ndo_set_rx_mode:')));
    expect(findEntry(doc, 'napi->poll')?.end).toBe(lineOf(NEW, '\t\t softirq, IRQs may be off under netconsole.'));
    expect(findEntry(doc, 'ndo_get_stats64')?.names).toEqual(['ndo_get_stats', 'ndo_get_stats64']);
  });

  it('detects the format from the path or the text', () => {
    expect(doc.format).toBe('rst');
    expect(loadDocument(NEW, { kind: 'published', version: MAINLINE }).format).toBe('rst');
    expect(loadDocument(OLD, { kind: 'published', version: MAINLINE }).format).toBe('txt');
  });
});

describe('old plain-text documents', () => {
  const old = load(OLD, 'Documentation/networking/netdevices.txt');
  const mid = load(MID, 'Documentation/networking/netdevices.txt');

  it('finds the lifetime section under its old name "allocation rules"', () => {
    expect(findSection(old, 'lifetime')?.title).toBe('struct net_device allocation rules');
    expect(findSection(old, 'lifetime')?.start).toBe(lineOf(OLD, 'struct net_device allocation rules'));
    expect(findSection(mid, 'lifetime')?.title).toBe('struct net_device allocation rules');
  });

  it('knows what the early document lacks', () => {
    expect(findSection(old, 'mtu')).toBeUndefined();
    expect(findSection(old, 'napi')).toBeUndefined();
    expect(findSection(old, 'instance-lock')).toBeUndefined();
    expect(findSection(mid, 'mtu')?.start).toBe(lineOf(MID, 'MTU'));
    expect(findSection(mid, 'napi')?.start).toBe(lineOf(MID, 'struct napi_struct synchronization rules'));
  });

  it('reads dev-> entries, and not a callback merely mentioned inside an entry body', () => {
    expect(old.entries.map((e) => e.text)).toEqual([
      'dev->open',
      'dev->stop',
      'dev->get_stats',
      'dev->hard_start_xmit',
      'dev->tx_timeout',
      'dev->set_multicast_list',
      'dev->poll',
    ]);
    expect(findEntry(old, 'ndo_open')?.end).toBe(lineOf(OLD, '\tContext: process'));
  });
});

describe('entry aliases, old and new', () => {
  const old = load(OLD, 'Documentation/networking/netdevices.txt');
  const doc = load(NEW);

  it('maps every old callback name to its canonical one', () => {
    expect(canonicalEntry('dev->hard_start_xmit')).toBe('ndo_start_xmit');
    expect(canonicalEntry('set_multicast_list')).toBe('ndo_set_rx_mode');
    expect(canonicalEntry('dev->set_multicast_list')).toBe('ndo_set_rx_mode');
    expect(canonicalEntry('dev->poll')).toBe('napi->poll');
    expect(canonicalEntry('dev->tx_timeout')).toBe('ndo_tx_timeout');
    expect(canonicalEntry('dev->get_stats')).toBe('ndo_get_stats');
    expect(canonicalEntry('dev->open')).toBe('ndo_open');
    expect(canonicalEntry('dev->stop')).toBe('ndo_stop');
    expect(canonicalEntry('dev->do_ioctl')).toBe('ndo_do_ioctl');
    expect(canonicalEntry('.ndo_open')).toBe('ndo_open');
    expect(entryAliases('ndo_start_xmit')).toContain('dev->hard_start_xmit');
  });

  it('finds a new name in an old document and an old name in a new one', () => {
    expect(findEntry(old, 'ndo_start_xmit')?.text).toBe('dev->hard_start_xmit');
    expect(findEntry(old, 'ndo_set_rx_mode')?.text).toBe('dev->set_multicast_list');
    expect(findEntry(old, 'napi->poll')?.text).toBe('dev->poll');
    expect(findEntry(old, 'ndo_tx_timeout')?.text).toBe('dev->tx_timeout');
    expect(findEntry(old, 'ndo_get_stats')?.text).toBe('dev->get_stats');
    expect(findEntry(doc, 'dev->hard_start_xmit')?.text).toBe('ndo_start_xmit');
    expect(findEntry(doc, 'set_multicast_list')?.text).toBe('ndo_set_rx_mode');
  });

  it('falls back to the entry a newer callback shares its rules with', () => {
    expect(findEntry(old, 'ndo_get_stats64')?.text).toBe('dev->get_stats');
    expect(findEntry(doc, 'ndo_siocdevprivate')?.text).toBe('ndo_do_ioctl');
    expect(findEntry(doc, 'ndo_eth_ioctl')?.text).toBe('ndo_eth_ioctl');
    expect(findEntry(old, 'ndo_set_rx_mode_async')).toBeUndefined();
  });

  it('maps every heading a section ever had to its key', () => {
    expect(sectionKeyOfTitle('struct net_device allocation rules')).toBe('lifetime');
    expect(sectionKeyOfTitle('STRUCT  net_device lifetime rules')).toBe('lifetime');
    expect(sectionKeyOfTitle('RTNL and netdev instance lock')).toBe('instance-lock');
    expect(sectionKeyOfTitle('Introduction')).toBeUndefined();
  });
});

describe('locate', () => {
  const doc = load(NEW);
  const old = load(OLD, 'Documentation/networking/netdevices.txt');

  it('resolves an entry to its lines inside its section', () => {
    const loc = locate(doc, { section: 'sync', entry: 'ndo_tx_timeout' });
    expect(loc?.section.key).toBe('sync');
    expect(loc?.start).toBe(lineOf(NEW, 'ndo_tx_timeout:'));
  });

  it('cites NAPI poll where an old document lists it: the dev->poll entry of the synchronization rules', () => {
    const loc = locate(old, { section: 'napi', entry: 'napi->poll' });
    expect(loc?.section.key).toBe('sync');
    expect(loc?.entry?.text).toBe('dev->poll');
  });

  it('resolves a lifetime topic to its subsection, and to nothing in a document that predates it', () => {
    const loc = locate(doc, { section: 'lifetime', entry: 'register_netdevice' });
    expect(loc?.subsection?.title).toBe('Device management under RTNL');
    expect(loc?.start).toBe(lineOf(NEW, 'Device management under RTNL'));
    expect(locate(doc, { section: 'lifetime', entry: 'ndo_uninit' })?.subsection?.title).toBe('.ndo_init and .ndo_uninit');
    expect(locate(old, { section: 'lifetime', entry: 'register_netdevice' })).toBeUndefined();
    expect(locate(old, { section: 'lifetime' })?.section.title).toBe('struct net_device allocation rules');
  });

  it('resolves an ops struct to its subsection of the instance-lock section', () => {
    expect(locate(doc, { section: 'instance-lock', entry: 'ethtool_ops' })?.subsection?.title).toBe('struct ethtool_ops');
    expect(locate(doc, { section: 'instance-lock', entry: 'struct net_device_ops' })?.subsection?.title).toBe('struct net_device_ops');
  });

  it('falls back to the section for an entry it does not list', () => {
    const loc = locate(doc, { section: 'sync', entry: 'ndo_set_rx_mode_async' });
    expect(loc?.entry).toBeUndefined();
    expect(loc?.start).toBe(findSection(doc, 'sync')?.start);
  });

  it('has nothing for kernel-locking, which is another document', () => {
    expect(locate(doc, { section: 'kernel-locking' })).toBeUndefined();
  });
});

describe('docSays', () => {
  it('matches a phrase across line breaks and case', () => {
    const doc = load(NEW);
    expect(docSays(doc, 'callbacks missing from this list run under ``rtnl_lock``')).toBe(true);
    expect(docSays(doc, 'counts payload only; link layer headers')).toBe(true);
    expect(docSays(doc, 'ndo_set_rx_mode_async')).toBe(false);
  });
});
