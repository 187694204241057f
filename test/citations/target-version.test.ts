// Citations stage: the target kernel (flag > subject tag > tree Makefile > mainline) and the document a kernel checkout ships, with permalinks.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cite } from '../../src/citations/cite.js';
import { findSection } from '../../src/citations/document.js';
import { permalinkFor, readGitCheckout, remoteFromConfig } from '../../src/citations/git-tree.js';
import { readMakefileVersion, readTreeDocument, readTreeVersion, resolveTarget } from '../../src/citations/target-version.js';
import type { SubjectTags } from '../../src/ingest/patch.js';
import { formatKernelVersion, MAINLINE, type KernelVersion } from '../../src/kernel/version.js';
import { fixture, lineOf } from './wrappings.js';

const fmt = (v: KernelVersion | undefined): string | undefined => (v ? formatKernelVersion(v) : undefined);

function tags(over: Partial<SubjectTags>): SubjectTags {
  return { title: 'net: do something', revision: 1, rfc: false, raw: [], isReply: false, ...over };
}

describe('readMakefileVersion', () => {
  it('reads VERSION and PATCHLEVEL', () => {
    const text = '# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 176\nEXTRAVERSION =\nNAME = Curry Ramen\n';
    expect(readMakefileVersion(text)).toEqual({ kind: 'release', major: 6, minor: 1 });
    expect(fmt(readMakefileVersion('VERSION = 3\nPATCHLEVEL = 0\nSUBLEVEL = 101\n'))).toBe('3.0');
  });

  it('uses SUBLEVEL for 2.6.x, where it is the release', () => {
    expect(fmt(readMakefileVersion('VERSION = 2\nPATCHLEVEL = 6\nSUBLEVEL = 32\nEXTRAVERSION = .27\n'))).toBe('2.6.32');
    expect(readMakefileVersion('VERSION = 2\nPATCHLEVEL = 6\n')).toBeUndefined();
  });

  it('gives nothing for a Makefile that is not the kernel\'s', () => {
    expect(readMakefileVersion('all:\n\tcc -o x x.c\n')).toBeUndefined();
    expect(readMakefileVersion('VERSION = 6\n')).toBeUndefined();
    // Only whole assignments count, not a variable that merely ends in VERSION.
    expect(readMakefileVersion('KERNELVERSION = 6\nPATCHLEVEL = 1\n')).toBeUndefined();
  });
});

describe('resolveTarget', () => {
  const tree: KernelVersion = { kind: 'release', major: 6, minor: 6 };

  it('prefers the --kernel-version flag to everything', () => {
    expect(resolveTarget({ flag: '5.15', tags: tags({ tree: 'net-next' }), treeVersion: tree })).toEqual({
      version: { kind: 'release', major: 5, minor: 15 },
      source: 'flag',
    });
    expect(resolveTarget({ flag: 'mainline', treeVersion: tree })).toEqual({ version: MAINLINE, source: 'flag' });
  });

  it('rejects a flag that is not a version instead of guessing', () => {
    expect(() => resolveTarget({ flag: 'bookworm' })).toThrow(/not a kernel version/);
  });

  it('takes a stable subject tag as that release, over the tree', () => {
    const t = resolveTarget({ tags: tags({ tree: 'stable', stableVersion: '5.10' }), treeVersion: tree });
    expect(t.source).toBe('subject');
    expect(fmt(t.version)).toBe('5.10');
  });

  it('takes net, net-next and any other tree tag as mainline', () => {
    for (const t of ['net', 'net-next', 'wireless-next', 'bpf-next', 'iwl-net']) {
      expect(resolveTarget({ tags: tags({ tree: t }), treeVersion: tree }), t).toEqual({ version: MAINLINE, source: 'subject' });
    }
  });

  it('falls back to the tree Makefile, then to mainline', () => {
    expect(resolveTarget({ tags: tags({}), treeVersion: tree })).toEqual({ version: tree, source: 'tree' });
    // "stable" without its release says nothing about the version.
    expect(resolveTarget({ tags: tags({ tree: 'stable' }), treeVersion: tree }).source).toBe('tree');
    expect(resolveTarget({})).toEqual({ version: MAINLINE, source: 'default' });
  });
});

describe('permalinks', () => {
  const sha = 'a'.repeat(40);
  const path = 'Documentation/networking/netdevices.rst';

  it('builds GitHub blob ranges from https, ssh and scp-style remotes', () => {
    for (const url of ['https://github.com/torvalds/linux.git', 'git@github.com:torvalds/linux.git', 'ssh://git@github.com/torvalds/linux', 'https://github.com/torvalds/linux/']) {
      expect(permalinkFor(url, sha, path)?.(10, 20), url).toBe(`https://github.com/torvalds/linux/blob/${sha}/${path}#L10-L20`);
    }
    expect(permalinkFor('https://github.com/torvalds/linux', sha, path)?.(7, 7)).toBe(`https://github.com/torvalds/linux/blob/${sha}/${path}#L7`);
  });

  it('builds cgit links on git.kernel.org', () => {
    const want = `https://git.kernel.org/pub/scm/linux/kernel/git/netdev/net-next.git/tree/${path}?id=${sha}#n12`;
    for (const url of [
      'https://git.kernel.org/pub/scm/linux/kernel/git/netdev/net-next.git',
      'git://git.kernel.org/pub/scm/linux/kernel/git/netdev/net-next.git',
      'git@gitolite.kernel.org:pub/scm/linux/kernel/git/netdev/net-next',
    ]) {
      expect(permalinkFor(url, sha, path)?.(12, 30), url).toBe(want);
    }
  });

  it('builds nothing for hosts it does not know', () => {
    expect(permalinkFor('https://gitlab.example.org/kernel/linux.git', sha, path)).toBeUndefined();
  });

  it('reads the origin remote (else the first) from a git config', () => {
    const config = '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/a/b\n[remote "origin"]\n\turl = git@github.com:c/d.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';
    expect(remoteFromConfig(config)).toBe('git@github.com:c/d.git');
    expect(remoteFromConfig('[remote "mine"]\n\turl = https://github.com/e/f\n')).toBe('https://github.com/e/f');
    expect(remoteFromConfig('[core]\n')).toBeUndefined();
  });
});

describe('kernel checkouts on disk', () => {
  let root: string;
  const sha = '0123456789abcdef0123456789abcdef01234567';
  const docPath = 'Documentation/networking/netdevices.rst';
  const NEW = fixture('netdev-new.rst');

  async function put(dir: string, rel: string, text: string): Promise<void> {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }

  async function tree(name: string, files: Record<string, string>): Promise<string> {
    const dir = join(root, name);
    for (const [rel, text] of Object.entries(files)) await put(dir, rel, text);
    return dir;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'netdev-review-citations-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads the version and the document of a tree without git, linking the published page', async () => {
    const dir = await tree('plain', { Makefile: 'VERSION = 6\nPATCHLEVEL = 6\nSUBLEVEL = 0\n', [docPath]: NEW });
    expect(fmt(await readTreeVersion(dir))).toBe('6.6');
    const doc = await readTreeDocument(dir);
    expect(doc?.origin).toMatchObject({ kind: 'tree', path: docPath, label: 'v6.6 tree plain' });
    expect(doc?.origin.kind === 'tree' && doc.origin.permalink).toBeFalsy();
    const c = cite({ section: 'mtu' }, { version: { kind: 'release', major: 6, minor: 6 }, ...(doc ? { document: doc } : {}) });
    expect(c.url).toBe('https://www.kernel.org/doc/html/v6.6/networking/netdevices.html#mtu');
    expect(c.lines?.start).toBe(lineOf(NEW, 'MTU'));
  });

  it('reads netdevices.txt from an old tree', async () => {
    const dir = await tree('old', { Makefile: 'VERSION = 2\nPATCHLEVEL = 6\nSUBLEVEL = 20\n', 'Documentation/networking/netdevices.txt': fixture('netdev-old.txt') });
    const doc = await readTreeDocument(dir);
    expect(doc?.format).toBe('txt');
    expect(doc && findSection(doc, 'lifetime')?.title).toBe('struct net_device allocation rules');
  });

  it('gives nothing for a directory without the document', async () => {
    const dir = await tree('empty', { Makefile: 'VERSION = 6\nPATCHLEVEL = 1\n' });
    expect(await readTreeDocument(dir)).toBeUndefined();
    expect(await readTreeVersion(join(root, 'missing'))).toBeUndefined();
  });

  it('permalinks into a GitHub checkout at the commit its branch points to', async () => {
    const dir = await tree('gh', {
      [docPath]: NEW,
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/refs/heads/main': `${sha}\n`,
      '.git/config': '[remote "origin"]\n\turl = https://github.com/example/linux.git\n',
    });
    const doc = await readTreeDocument(dir);
    expect(doc?.origin.kind === 'tree' && doc.origin.label).toBe('tree at 0123456789ab');
    const start = lineOf(NEW, 'ndo_open:');
    const c = cite({ section: 'sync', entry: 'ndo_open' }, { version: MAINLINE, ...(doc ? { document: doc } : {}) });
    expect(c.url).toBe(`https://github.com/example/linux/blob/${sha}/${docPath}#L${start}-L${start + 2}`);
  });

  it('finds a packed ref and a git.kernel.org remote', async () => {
    const dir = await tree('korg', {
      [docPath]: NEW,
      '.git/HEAD': 'ref: refs/heads/master\n',
      '.git/packed-refs': `# pack-refs with: peeled fully-peeled sorted\n${'f'.repeat(40)} refs/heads/other\n${sha} refs/heads/master\n`,
      '.git/config': '[remote "origin"]\n\turl = https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git\n',
    });
    const doc = await readTreeDocument(dir);
    const c = cite({ section: 'napi' }, { version: MAINLINE, ...(doc ? { document: doc } : {}) });
    expect(c.url).toBe(
      `https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/${docPath}?id=${sha}#n${lineOf(NEW, 'struct napi_struct synchronization rules')}`,
    );
  });

  it('follows a worktree\'s .git file to its HEAD and the shared refs and config', async () => {
    const main = await tree('main-repo', {
      '.git/refs/heads/topic': `${sha}\n`,
      '.git/config': '[remote "origin"]\n\turl = git@github.com:example/linux.git\n',
      '.git/worktrees/wt/HEAD': 'ref: refs/heads/topic\n',
      '.git/worktrees/wt/commondir': '../..\n',
    });
    const wt = await tree('wt', { '.git': `gitdir: ${join(main, '.git/worktrees/wt')}\n`, [docPath]: NEW });
    const doc = await readTreeDocument(wt);
    expect(doc?.origin.kind === 'tree' && doc.origin.permalink?.(1, 2)).toBe(`https://github.com/example/linux/blob/${sha}/${docPath}#L1-L2`);
  });

  it('names a detached checkout with an unknown host by its commit, without a permalink', async () => {
    const dir = await tree('detached', {
      [docPath]: NEW,
      '.git/HEAD': `${sha}\n`,
      '.git/config': '[remote "origin"]\n\turl = https://gitlab.example.org/kernel/linux.git\n',
    });
    const doc = await readTreeDocument(dir);
    expect(doc?.origin).toMatchObject({ label: 'tree at 0123456789ab' });
    expect(doc?.origin.kind === 'tree' && doc.origin.permalink).toBeFalsy();
  });
});

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

describe.skipIf(!existsSync(join(REPO_ROOT, '.git')))('this project\'s own checkout (opt-in: needs its .git)', () => {
  it('reads the commit of the repository root', async () => {
    expect((await readGitCheckout(REPO_ROOT))?.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('does not lend an enclosing repository\'s commit to a directory inside it', async () => {
    expect(await readGitCheckout(join(REPO_ROOT, 'test/fixtures/citations'))).toBeUndefined();
  });
});

const DEBIAN = '/opt/linux/linux-source-6.1';

describe.skipIf(!existsSync(join(DEBIAN, 'Makefile')))('Debian linux-source-6.1 (opt-in: a real tree without git)', () => {
  it('reads 6.1 from its Makefile and finds every section 6.1 has, at its lines', async () => {
    expect(fmt(await readTreeVersion(DEBIAN))).toBe('6.1');
    const doc = await readTreeDocument(DEBIAN);
    expect(doc).toBeDefined();
    if (!doc) return;
    expect(doc.origin).toMatchObject({ kind: 'tree', label: 'v6.1 tree linux-source-6.1' });
    for (const key of ['lifetime', 'mtu', 'sync', 'napi'] as const) expect(findSection(doc, key), key).toBeDefined();
    expect(findSection(doc, 'instance-lock')).toBeUndefined();
    const names = doc.entries.flatMap((e) => e.names);
    for (const n of ['ndo_open', 'ndo_stop', 'ndo_do_ioctl', 'ndo_siocdevprivate', 'ndo_eth_ioctl', 'ndo_get_stats', 'ndo_start_xmit', 'ndo_tx_timeout', 'ndo_set_rx_mode', 'napi->poll']) {
      expect(names, n).toContain(n);
    }
    const c = cite({ section: 'sync', entry: 'ndo_start_xmit' }, { version: { kind: 'release', major: 6, minor: 1 }, document: doc });
    expect(c.url).toBe('https://www.kernel.org/doc/html/v6.1/networking/netdevices.html#struct-net-device-synchronization-rules');
    expect(c.lines?.start).toBe(doc.lines.find((l) => l.text === 'ndo_start_xmit:')?.line);
    const lock = cite({ section: 'instance-lock' }, { version: { kind: 'release', major: 6, minor: 1 }, document: doc });
    expect(lock.docLabel).toBe('v6.15 (section not in v6.1)');
  });
});
