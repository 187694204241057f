// Citations stage: which kernel a change targets (flag, subject tag, tree Makefile) and the document that kernel's tree ships.

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SubjectTags } from '../ingest/patch.js';
import { MAINLINE, parseKernelVersion, type KernelVersion } from '../kernel/version.js';
import { loadDocument, type NetdevDoc } from './document.js';
import { readGitCheckout, permalinkFor } from './git-tree.js';
import { versionLabel } from './links.js';

/** The kernel version in a top-level Makefile (`VERSION = 6`, `PATCHLEVEL = 1`; 2.6.x also reads `SUBLEVEL`). */
export function readMakefileVersion(text: string): KernelVersion | undefined {
  const field = (name: string): number | undefined => {
    const m = new RegExp(`^${name}\\s*:?=\\s*(\\d+)\\s*(?:#.*)?$`, 'm').exec(text);
    return m?.[1] === undefined ? undefined : Number(m[1]);
  };
  const version = field('VERSION');
  const patchlevel = field('PATCHLEVEL');
  if (version === undefined || patchlevel === undefined) return undefined;
  if (version === 2 && patchlevel === 6) {
    const sublevel = field('SUBLEVEL');
    return sublevel === undefined ? undefined : parseKernelVersion(`2.6.${sublevel}`);
  }
  return { kind: 'release', major: version, minor: patchlevel };
}

/** The version of the kernel checkout at `treeDir`, from its top-level Makefile. */
export async function readTreeVersion(treeDir: string): Promise<KernelVersion | undefined> {
  const text = await readFile(join(treeDir, 'Makefile'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : readMakefileVersion(text);
}

export interface TargetInputs {
  /** `--kernel-version` as typed. */
  flag?: string;
  /** Tags of the patch subject. */
  tags?: SubjectTags;
  /** From the target tree's Makefile. */
  treeVersion?: KernelVersion;
}

export interface Target {
  version: KernelVersion;
  source: 'flag' | 'subject' | 'tree' | 'default';
}

/**
 * The kernel to apply and cite rules for: the flag, else the subject tag (a stable `X.Y` is that
 * release; `net`, `net-next` and every other tree tag are mainline), else the tree's Makefile,
 * else mainline. A flag that is not a version is an error, not a silent default.
 */
export function resolveTarget(inputs: TargetInputs): Target {
  if (inputs.flag !== undefined) {
    const version = parseKernelVersion(inputs.flag);
    if (!version) throw new Error(`--kernel-version: "${inputs.flag}" is not a kernel version (try 6.1, 5.10, 2.6.32 or mainline)`);
    return { version, source: 'flag' };
  }
  const tags = inputs.tags;
  if (tags?.stableVersion) {
    const version = parseKernelVersion(tags.stableVersion);
    if (version) return { version, source: 'subject' };
  }
  // A bare "stable" without its release says nothing about the version; fall through.
  if (tags?.tree && tags.tree !== 'stable') return { version: MAINLINE, source: 'subject' };
  if (inputs.treeVersion) return { version: inputs.treeVersion, source: 'tree' };
  return { version: MAINLINE, source: 'default' };
}

const DOC_PATHS = ['Documentation/networking/netdevices.rst', 'Documentation/networking/netdevices.txt'];

/**
 * The network-device document of the kernel checkout at `treeDir` (`.rst`, or `.txt` on old
 * trees), with a permalink builder when the checkout is a git repository hosted on GitHub or
 * git.kernel.org.
 */
export async function readTreeDocument(treeDir: string): Promise<NetdevDoc | undefined> {
  for (const path of DOC_PATHS) {
    const text = await readFile(join(treeDir, path), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const git = await readGitCheckout(treeDir);
    const version = await readTreeVersion(treeDir);
    const permalink = git?.remoteUrl ? permalinkFor(git.remoteUrl, git.sha, path) : undefined;
    const label = git
      ? `tree at ${git.sha.slice(0, 12)}`
      : `${version ? `${versionLabel(version)} ` : ''}tree ${basename(treeDir)}`;
    return loadDocument(text, { kind: 'tree', path, label, ...(permalink ? { permalink } : {}) });
  }
  return undefined;
}
