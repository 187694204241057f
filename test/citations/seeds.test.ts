// Citations stage, opt-in: every section and entry each real version of the document (the shared seeds, as wrapped) carries is found, at its lines.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NETDEV_SECTION_KEYS, SECTION_TITLES, type NetdevSectionKey } from '../../src/citations/aliases.js';
import { cite } from '../../src/citations/cite.js';
import { findEntry, findSection, loadDocument, type NetdevDoc } from '../../src/citations/document.js';
import { readTreeDocument } from '../../src/citations/target-version.js';
import { normalizeTitle, type Wrapping } from '../../src/citations/unwrap.js';
import { MAINLINE, parseKernelVersion, type KernelVersion } from '../../src/kernel/version.js';

// ../shared/seeds from the repository root; NETDEV_REVIEW_SEEDS points elsewhere.
const SEEDS = process.env.NETDEV_REVIEW_SEEDS ?? new URL('../../../shared/seeds/', import.meta.url).pathname;

function kv(text: string): KernelVersion {
  return parseKernelVersion(text) ?? MAINLINE;
}

interface Expected {
  file: string;
  /** The release the snapshot stands for (from its content: API names, headings, the blob it shows). */
  version: KernelVersion;
  wrapping: Wrapping;
  exact: boolean;
  /** Section key → [heading as this version writes it, first line, last line] (lines only where the wrapping keeps them). */
  sections: Partial<Record<NetdevSectionKey, [string, number?, number?]>>;
  /** Entry lines as written, in order, with their first line. */
  entries: [string, number][];
}

const SYNC_DEV = ['dev->open', 'dev->stop', 'dev->do_ioctl', 'dev->get_stats', 'dev->hard_start_xmit', 'dev->tx_timeout', 'dev->set_multicast_list', 'dev->poll'];

const EXPECTED: Expected[] = [
  {
    file: '000_bccc3208e5d210da.txt',
    version: kv('2.6.18'), // netif_tx_lock named, no MTU section yet
    wrapping: 'numbered',
    exact: true,
    sections: { lifetime: ['struct net_device allocation rules', 10, 21], sync: ['struct net_device synchronization rules', 24, 76] },
    entries: SYNC_DEV.map((e, i): [string, number] => [e, [26, 30, 36, 40, 44, 64, 69, 73][i] ?? 0]),
  },
  {
    file: '001_ee77e0377251e26c.txt',
    version: kv('2.6.23'), // MTU section, still dev->poll
    wrapping: 'plain',
    exact: true,
    sections: {
      lifetime: ['struct net_device allocation rules', 9, 20],
      mtu: ['MTU', 22, 44],
      sync: ['struct net_device synchronization rules', 47, 101],
    },
    entries: SYNC_DEV.map((e, i): [string, number] => [e, [49, 53, 59, 63, 67, 88, 93, 97][i] ?? 0]),
  },
  {
    file: '003_53bb13e9db58e890.txt',
    version: kv('3.13'), // vmalloc fallback, NETDEV_TX_LOCKED still documented
    wrapping: 'web-pipe',
    exact: true,
    sections: {
      lifetime: ['struct net_device allocation rules', 10, 21],
      mtu: ['MTU', 23, 45],
      sync: ['struct net_device synchronization rules', 48, 96],
      napi: ['struct napi_struct synchronization rules', 98, 107],
    },
    entries: [
      ['ndo_open', 50],
      ['ndo_stop', 54],
      ['ndo_do_ioctl', 59],
      ['ndo_get_stats', 63],
      ['ndo_start_xmit', 67],
      ['ndo_tx_timeout', 89],
      ['ndo_set_rx_mode', 94],
      ['napi->poll', 100],
    ],
  },
  {
    file: '004_e79218adfb6513a7.txt',
    version: kv('5.10'), // the stable backport of the lifetime rules
    wrapping: 'diff',
    exact: true,
    sections: { lifetime: ['struct net_device lifetime rules', 13, 183], mtu: ['MTU', 185] },
    entries: [],
  },
  {
    file: '002_b985eb9ed25cb3b7.txt',
    version: kv('5.12'), // blob 17bdcb746dcf: the post-image of the lifetime commit
    wrapping: 'flattened',
    exact: false,
    sections: {
      lifetime: ['struct net_device lifetime rules'],
      mtu: ['MTU'],
      sync: ['struct net_device synchronization rules'],
      napi: ['struct napi_struct synchronization rules'],
    },
    entries: [],
  },
  {
    file: 'netdevices-upstream-2026.rst',
    version: MAINLINE,
    wrapping: 'plain',
    exact: true,
    sections: {
      lifetime: ['struct net_device lifetime rules', 13, 185],
      mtu: ['MTU', 187, 209],
      sync: ['struct net_device synchronization rules', 212, 317],
      napi: ['struct napi_struct synchronization rules', 319, 331],
      'instance-lock': ['netdev instance lock', 333, 434],
    },
    entries: [
      ['ndo_open', 214],
      ['ndo_stop', 219],
      ['ndo_do_ioctl', 225],
      ['ndo_siocbond', 232],
      ['ndo_siocwandev', 240],
      ['ndo_siocdevprivate', 248],
      ['ndo_eth_ioctl', 256],
      ['ndo_get_stats / ndo_get_stats64', 261],
      ['ndo_start_xmit', 266],
      ['ndo_tx_timeout', 283],
      ['ndo_set_rx_mode', 288],
      ['ndo_set_rx_mode_async', 294],
      ['ndo_change_rx_flags', 301],
      ['ndo_setup_tc', 305],
      ['napi->poll', 321],
    ],
  },
];

function load(e: Expected): NetdevDoc {
  return loadDocument(readFileSync(join(SEEDS, e.file), 'utf8'), { kind: 'published', version: e.version });
}

/** One row a seed: wrapping, then each section with its lines, then the entries. */
function tableRow(e: Expected, doc: NetdevDoc): string {
  const cell = (key: NetdevSectionKey): string => {
    const s = findSection(doc, key);
    if (!s) return '—';
    const lines = doc.exactLineNumbers ? ` ${s.start}-${s.end}` : '';
    return `${s.title === SECTION_TITLES[key][0] ? '' : `"${s.title}"`}${lines}${s.inferred ? ' (from body)' : ''}`.trim() || 'yes';
  };
  const entries = doc.entries.map((x) => (doc.exactLineNumbers ? `${x.text} ${x.start}-${x.end}` : x.text)).join(', ') || '—';
  const keyedAncestor = (i: number | undefined): boolean => {
    for (let p = i; p !== undefined; p = doc.sections[p]?.parent) if (doc.sections[p]?.key) return true;
    return false;
  };
  const subs = doc.sections.filter((s) => !s.key && keyedAncestor(s.parent));
  const subText = subs.map((s) => (doc.exactLineNumbers ? `${s.title} ${s.start}-${s.end}` : s.title)).join(', ') || '—';
  return `| ${e.file} | ${doc.wrapping}${doc.partial ? ' (partial)' : ''}${doc.exactLineNumbers ? '' : ', lines approximate'} | ${NETDEV_SECTION_KEYS.map(cell).join(' | ')} | ${subText} | ${entries} |`;
}

describe.skipIf(!existsSync(join(SEEDS, 'README.md')))('the shared seeds (opt-in: ../shared/seeds)', () => {

  for (const e of EXPECTED) {
    it(`${e.file}: unwraps as ${e.wrapping} and finds its sections and entries`, () => {
      const doc = load(e);
      expect(doc.wrapping).toBe(e.wrapping);
      expect(doc.exactLineNumbers).toBe(e.exact);
      for (const key of NETDEV_SECTION_KEYS) {
        const want = e.sections[key];
        const s = findSection(doc, key);
        if (!want) {
          expect(s, `${key} should be absent`).toBeUndefined();
          continue;
        }
        expect(s?.title, key).toBe(want[0]);
        if (want[1] !== undefined) expect(s?.start, `${key} start`).toBe(want[1]);
        if (want[2] !== undefined) expect(s?.end, `${key} end`).toBe(want[2]);
      }
      expect(doc.entries.map((x): [string, number] => [x.text, x.start])).toEqual(e.entries);
    });
  }

  it('finds every heading of a known section that the raw text carries on a line of its own', () => {
    for (const e of EXPECTED) {
      const raw = readFileSync(join(SEEDS, e.file), 'utf8').replace(/\u00a0/g, ' ');
      const doc = load(e);
      for (const key of NETDEV_SECTION_KEYS) {
        const inText = SECTION_TITLES[key].some((t) => raw.split('\n').some((l) => normalizeTitle(l.replace(/^(?:\d+ |\| |[+ ])/, '')) === normalizeTitle(t)));
        if (inText) expect(findSection(doc, key), `${e.file}: ${key}`).toBeDefined();
      }
    }
  });

  it('rebuilds the mail\'s post-image to the same lines as the 6.1 tree (opt-in: Debian linux-source-6.1)', async () => {
    const tree = await readTreeDocument('/opt/linux/linux-source-6.1');
    if (!tree) return;
    const mail = load(EXPECTED.find((x) => x.wrapping === 'diff') as Expected);
    for (const title of ['struct net_device lifetime rules', 'Simple drivers', 'Device management under RTNL', '.ndo_init and .ndo_uninit', 'MTU']) {
      expect(mail.sections.find((s) => s.title === title)?.start, title).toBe(tree.sections.find((s) => s.title === title)?.start);
    }
  });

  it('cites each seed in the names of its own version', () => {
    const doc = (file: string): NetdevDoc => load(EXPECTED.find((x) => x.file === file) as Expected);
    const oldest = doc('000_bccc3208e5d210da.txt');
    const xmit = cite({ section: 'sync', entry: 'ndo_start_xmit' }, { version: kv('2.6.18'), document: oldest });
    expect(xmit.entry).toBe('dev->hard_start_xmit');
    expect(xmit.url).toBe('https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/Documentation/networking/netdevices.txt?h=v2.6.18#n44');
    expect(cite({ section: 'napi', entry: 'napi->poll' }, { version: kv('2.6.18'), document: oldest }).entry).toBe('dev->poll');
    expect(cite({ section: 'mtu' }, { version: kv('2.6.18'), document: oldest }).docLabel).toBe('v2.6.23 (section not in v2.6.18)');
    const newest = doc('netdevices-upstream-2026.rst');
    expect(cite({ section: 'sync', entry: 'ndo_get_stats64' }, { version: MAINLINE, document: newest }).entry).toBe('ndo_get_stats / ndo_get_stats64');
    expect(cite({ section: 'instance-lock', entry: 'netdev_queue_mgmt_ops' }, { version: MAINLINE, document: newest }).lines).toEqual({ start: 399, end: 406 });
    expect(findEntry(doc('003_53bb13e9db58e890.txt'), 'dev->set_multicast_list')?.text).toBe('ndo_set_rx_mode');
    const stable = cite({ section: 'lifetime', entry: 'register_netdevice' }, { version: kv('5.10'), document: doc('004_e79218adfb6513a7.txt') });
    expect(stable.entry).toBe('Device management under RTNL');
    expect(stable.lines).toEqual({ start: 86, end: 183 });
  });

  it('reports the table of what each seed has', () => {
    const rows = EXPECTED.map((e) => tableRow(e, load(e)));
    expect(rows.every((r) => r.split('|').length === NETDEV_SECTION_KEYS.length + 6)).toBe(true);
    const header = `| seed | wrapping | ${NETDEV_SECTION_KEYS.join(' | ')} | subsections | entries |`;
    const rule = `|${'---|'.repeat(NETDEV_SECTION_KEYS.length + 4)}`;
    console.log(['', header, rule, ...rows].join('\n'));
  });
});
