// Citations stage: links for releases, mainline, the .txt era, tree documents with and without permalinks, and sections newer than the target.

import { describe, expect, it } from 'vitest';
import { cite } from '../../src/citations/cite.js';
import { loadDocument } from '../../src/citations/document.js';
import { makeSphinxId } from '../../src/citations/sphinx-id.js';
import { MAINLINE, parseKernelVersion, type KernelVersion } from '../../src/kernel/version.js';
import { asFlattened, fixture, lineOf } from './wrappings.js';

const NEW = fixture('netdev-new.rst');
const OLD = fixture('netdev-old.txt');
const MID = fixture('netdev-mid.txt');
const HTML = 'https://www.kernel.org/doc/html';
const TREE = 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/Documentation/networking';

function kv(text: string): KernelVersion {
  const v = parseKernelVersion(text);
  if (!v) throw new Error(text);
  return v;
}

describe('Sphinx anchors', () => {
  it('turn underscores, spaces and punctuation into single hyphens, as docutils does', () => {
    expect(makeSphinxId('struct net_device lifetime rules')).toBe('struct-net-device-lifetime-rules');
    expect(makeSphinxId('struct net_device synchronization rules')).toBe('struct-net-device-synchronization-rules');
    expect(makeSphinxId('struct napi_struct synchronization rules')).toBe('struct-napi-struct-synchronization-rules');
    expect(makeSphinxId('MTU')).toBe('mtu');
    expect(makeSphinxId('.ndo_init and .ndo_uninit')).toBe('ndo-init-and-ndo-uninit');
    expect(makeSphinxId('NETDEV_INTERNAL symbol namespace')).toBe('netdev-internal-symbol-namespace');
    expect(makeSphinxId('Network Devices, the Kernel, and You!')).toBe('network-devices-the-kernel-and-you');
    expect(makeSphinxId('2.6 era  notes')).toBe('era-notes');
    expect(makeSphinxId('Straße für Größen')).toBe('strasze-fur-groszen');
  });
});

describe('published documents, no text at hand', () => {
  it('links a release page with the section anchor, naming the entry as that release does', () => {
    expect(cite({ section: 'sync', entry: 'ndo_start_xmit' }, { version: kv('6.1') })).toEqual({
      section: 'struct net_device synchronization rules',
      entry: 'ndo_start_xmit',
      url: `${HTML}/v6.1/networking/netdevices.html#struct-net-device-synchronization-rules`,
      docLabel: 'v6.1',
    });
  });

  it('links "latest" for mainline', () => {
    const c = cite({ section: 'lifetime' }, { version: MAINLINE });
    expect(c.url).toBe(`${HTML}/latest/networking/netdevices.html#struct-net-device-lifetime-rules`);
    expect(c.section).toBe('struct net_device lifetime rules');
    expect(c.docLabel).toBe('mainline');
    expect(cite({ section: 'mtu' }, { version: MAINLINE }).url).toBe(`${HTML}/latest/networking/netdevices.html#mtu`);
    expect(cite({ section: 'napi', entry: 'napi->poll' }, { version: MAINLINE }).url).toBe(
      `${HTML}/latest/networking/netdevices.html#struct-napi-struct-synchronization-rules`,
    );
  });

  it('links the .txt file in the tree at the tag before 5.8, where no HTML page exists', () => {
    const c = cite({ section: 'sync', entry: 'ndo_start_xmit' }, { version: kv('5.7') });
    expect(c.url).toBe(`${TREE}/netdevices.txt?h=v5.7`);
    expect(c.docLabel).toBe('v5.7');
    expect(cite({ section: 'sync' }, { version: kv('5.8') }).url).toBe(`${HTML}/v5.8/networking/netdevices.html#struct-net-device-synchronization-rules`);
  });

  it('cites the lifetime section under its old name on old targets', () => {
    const c = cite({ section: 'lifetime' }, { version: kv('4.19') });
    expect(c.section).toBe('struct net_device allocation rules');
    expect(c.url).toBe(`${TREE}/netdevices.txt?h=v4.19`);
    const r = cite({ section: 'lifetime' }, { version: kv('5.10') });
    expect(r.section).toBe('struct net_device allocation rules');
    expect(r.url).toBe(`${HTML}/v5.10/networking/netdevices.html#struct-net-device-allocation-rules`);
    expect(cite({ section: 'lifetime' }, { version: kv('5.12') }).section).toBe('struct net_device lifetime rules');
  });

  it('cites the oldest release with a lifetime topic when the target predates it', () => {
    const c = cite({ section: 'lifetime', entry: 'register_netdevice' }, { version: kv('5.4') });
    expect(c).toEqual({
      section: 'struct net_device lifetime rules',
      entry: 'Device management under RTNL',
      url: `${HTML}/v5.12/networking/netdevices.html#device-management-under-rtnl`,
      docLabel: 'v5.12 (section not in v5.4)',
    });
    expect(cite({ section: 'lifetime', entry: 'register_netdevice' }, { version: kv('5.10') }).docLabel).toBe(
      'v5.12 (section not in v5.10; later 5.10.y stable releases carry it)',
    );
    expect(cite({ section: 'lifetime', entry: 'ndo_init' }, { version: kv('6.1') }).url).toBe(
      `${HTML}/v6.1/networking/netdevices.html#ndo-init-and-ndo-uninit`,
    );
  });

  it('cites the instance-lock section from 6.15, under the heading each release used', () => {
    const early = cite({ section: 'instance-lock' }, { version: kv('6.1') });
    expect(early.section).toBe('RTNL and netdev instance lock');
    expect(early.url).toBe(`${HTML}/v6.15/networking/netdevices.html#rtnl-and-netdev-instance-lock`);
    expect(early.docLabel).toBe('v6.15 (section not in v6.1)');
    expect(cite({ section: 'instance-lock' }, { version: kv('6.15') }).docLabel).toBe('v6.15');
    const later = cite({ section: 'instance-lock', entry: 'ethtool_ops' }, { version: kv('6.16') });
    expect(later.section).toBe('netdev instance lock');
    expect(later.entry).toBe('struct ethtool_ops');
    expect(later.url).toBe(`${HTML}/v6.16/networking/netdevices.html#struct-ethtool-ops`);
    // 6.15 had no per-struct subsections yet: the section itself is cited.
    const mid = cite({ section: 'instance-lock', entry: 'ethtool_ops' }, { version: kv('6.15') });
    expect(mid.entry).toBeUndefined();
    expect(mid.url).toBe(`${HTML}/v6.15/networking/netdevices.html#rtnl-and-netdev-instance-lock`);
  });

  it('cites MTU from 2.6.23 and NAPI from 2.6.24, in the .txt at those tags', () => {
    const mtu = cite({ section: 'mtu' }, { version: kv('2.6.20') });
    expect(mtu.url).toBe(`${TREE}/netdevices.txt?h=v2.6.23`);
    expect(mtu.docLabel).toBe('v2.6.23 (section not in v2.6.20)');
    expect(cite({ section: 'napi' }, { version: kv('2.6.20') }).docLabel).toBe('v2.6.24 (section not in v2.6.20)');
  });

  it('cites NAPI poll before 2.6.24 as the dev->poll entry of the synchronization rules', () => {
    const c = cite({ section: 'napi', entry: 'napi->poll' }, { version: kv('2.6.20') });
    expect(c.section).toBe('struct net_device synchronization rules');
    expect(c.entry).toBe('dev->poll');
    expect(c.url).toBe(`${TREE}/netdevices.txt?h=v2.6.20`);
    expect(cite({ section: 'napi', entry: 'napi->poll' }, { version: kv('2.6.24') }).entry).toBe('napi->poll');
  });

  it('names entries as each era of the document did', () => {
    const name = (entry: string, v: string): string | undefined => cite({ section: 'sync', entry }, { version: kv(v) }).entry;
    expect(name('ndo_start_xmit', '3.0')).toBe('dev->hard_start_xmit');
    expect(name('ndo_start_xmit', '3.10')).toBe('ndo_start_xmit');
    expect(name('ndo_set_rx_mode', '3.1')).toBe('dev->set_multicast_list');
    expect(name('ndo_set_rx_mode', '3.3')).toBe('dev->set_rx_mode');
    expect(name('ndo_set_rx_mode', '4.4')).toBe('ndo_set_rx_mode');
    expect(name('ndo_siocdevprivate', '5.10')).toBe('ndo_do_ioctl');
    expect(name('ndo_siocdevprivate', '6.1')).toBe('ndo_siocdevprivate');
    expect(name('ndo_get_stats64', '6.1')).toBe('ndo_get_stats');
    // An entry whose first release is not pinned down is only named for mainline.
    expect(name('ndo_set_rx_mode_async', '6.1')).toBeUndefined();
    expect(name('ndo_set_rx_mode_async', 'mainline')).toBe('ndo_set_rx_mode_async');
  });

  it('points kernels older than git at the oldest tag', () => {
    const c = cite({ section: 'sync' }, { version: kv('2.6.11') });
    expect(c.url).toBe(`${TREE}/netdevices.txt?h=v2.6.12`);
    expect(c.docLabel).toBe('v2.6.12 (oldest tagged tree; v2.6.11 predates git)');
  });

  it('links the locking guide, a separate document, always on the published site', () => {
    expect(cite({ section: 'kernel-locking' }, { version: kv('6.1') })).toEqual({
      section: 'Unreliable Guide To Locking',
      url: `${HTML}/v6.1/kernel-hacking/locking.html`,
      docLabel: 'v6.1',
    });
    const c = cite({ section: 'kernel-locking', entry: 'Hard IRQ Context' }, { version: MAINLINE });
    expect(c.url).toBe(`${HTML}/latest/kernel-hacking/locking.html#hard-irq-context`);
    expect(c.entry).toBe('Hard IRQ Context');
    const old = cite({ section: 'kernel-locking' }, { version: kv('3.10') });
    expect(old.url).toBe(`${HTML}/v4.13/kernel-hacking/locking.html`);
    expect(old.docLabel).toBe('v4.13 (not published for v3.10)');
    // Even with a tree document at hand: that document is not the locking guide.
    const doc = loadDocument(NEW, { kind: 'tree', path: 'Documentation/networking/netdevices.rst', label: 'tree' });
    expect(cite({ section: 'kernel-locking' }, { version: kv('6.1'), document: doc }).url).toBe(`${HTML}/v6.1/kernel-hacking/locking.html`);
  });
});

describe('the target tree\'s own document', () => {
  const path = 'Documentation/networking/netdevices.rst';

  it('links exactly the entry\'s lines through the permalink builder', () => {
    const doc = loadDocument(NEW, {
      kind: 'tree',
      path,
      label: 'tree at 0123456789ab',
      permalink: (a, b) => `https://example.test/blob/0123456789ab/${path}#L${a}-L${b}`,
    });
    const start = lineOf(NEW, 'ndo_tx_timeout:');
    const c = cite({ section: 'sync', entry: 'ndo_tx_timeout' }, { version: kv('6.1'), document: doc });
    expect(c).toEqual({
      section: 'struct net_device synchronization rules',
      entry: 'ndo_tx_timeout',
      url: `https://example.test/blob/0123456789ab/${path}#L${start}-L${start + 2}`,
      docLabel: 'tree at 0123456789ab',
      lines: { start, end: start + 2 },
    });
    const sec = cite({ section: 'mtu' }, { version: kv('6.1'), document: doc });
    expect(sec.lines).toEqual({ start: lineOf(NEW, 'MTU'), end: lineOf(NEW, 'MTU') + 3 });
    expect(sec.entry).toBeUndefined();
  });

  it('falls back to the published page, with the anchor of the heading as the tree writes it, when there is no permalink', () => {
    const doc = loadDocument(NEW, { kind: 'tree', path, label: 'v6.1 tree linux-source-6.1' });
    const c = cite({ section: 'lifetime', entry: 'unregister_netdev' }, { version: kv('6.1'), document: doc });
    expect(c.url).toBe(`${HTML}/v6.1/networking/netdevices.html#simple-drivers`);
    expect(c.entry).toBe('Simple drivers');
    expect(c.lines?.start).toBe(lineOf(NEW, 'Simple drivers'));
    expect(c.docLabel).toBe('v6.1 tree linux-source-6.1');
  });

  it('links an old .txt tree at its tag and line, citing entries and headings by their old names', () => {
    const doc = loadDocument(OLD, { kind: 'tree', path: 'Documentation/networking/netdevices.txt', label: 'v2.6.20 tree' });
    const c = cite({ section: 'sync', entry: 'ndo_start_xmit' }, { version: kv('2.6.20'), document: doc });
    const start = lineOf(OLD, 'dev->hard_start_xmit:');
    expect(c.entry).toBe('dev->hard_start_xmit');
    expect(c.url).toBe(`${TREE}/netdevices.txt?h=v2.6.20#n${start}`);
    expect(c.lines?.start).toBe(start);
    const life = cite({ section: 'lifetime' }, { version: kv('2.6.20'), document: doc });
    expect(life.section).toBe('struct net_device allocation rules');
    const napi = cite({ section: 'napi', entry: 'napi->poll' }, { version: kv('2.6.20'), document: doc });
    expect(napi.entry).toBe('dev->poll');
    expect(napi.lines?.start).toBe(lineOf(OLD, 'dev->poll:'));
  });

  it('goes to the oldest release with the section when the tree\'s document predates it', () => {
    const doc = loadDocument(OLD, { kind: 'tree', path: 'Documentation/networking/netdevices.txt', label: 'old tree' });
    const c = cite({ section: 'lifetime', entry: 'needs_free_netdev' }, { version: kv('4.4'), document: doc });
    expect(c.url).toBe(`${HTML}/v5.12/networking/netdevices.html#device-management-under-rtnl`);
    expect(c.docLabel).toBe('v5.12 (section not in v4.4)');
    expect(c.lines).toBeUndefined();
  });

  it('says so when a tree recent enough for the section still lacks it', () => {
    const doc = loadDocument(OLD, { kind: 'tree', path: 'Documentation/networking/netdevices.txt', label: 'vendor tree' });
    const c = cite({ section: 'mtu' }, { version: kv('6.1'), document: doc });
    expect(c.url).toBe(`${HTML}/v6.1/networking/netdevices.html#mtu`);
    expect(c.docLabel).toBe("v6.1 (section not in the tree's document)");
  });

  it('uses the version of a published document it was given, and its lines', () => {
    const doc = loadDocument(MID, { kind: 'published', version: kv('3.13') });
    const c = cite({ section: 'sync', entry: 'ndo_set_rx_mode' }, { version: MAINLINE, document: doc });
    expect(c.url).toBe(`${TREE}/netdevices.txt?h=v3.13#n${lineOf(MID, 'ndo_set_rx_mode:')}`);
    expect(c.docLabel).toBe('v3.13');
  });

  it('leaves line numbers out when the text lost its lines', () => {
    const doc = loadDocument(asFlattened(NEW), { kind: 'published', version: kv('6.1') });
    const c = cite({ section: 'napi' }, { version: kv('6.1'), document: doc });
    expect(c.lines).toBeUndefined();
    expect(c.url).toBe(`${HTML}/v6.1/networking/netdevices.html#struct-napi-struct-synchronization-rules`);
  });
});
