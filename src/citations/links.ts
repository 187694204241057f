// Citations stage: URLs of the network-device document (and the locking guide) for a kernel version.

import { formatKernelVersion, type KernelVersion } from '../kernel/version.js';

const DOCS = 'https://www.kernel.org/doc/html';
const TORVALDS = 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git';

/** The tag of a release (`v6.1`, `v2.6.23`). */
export function versionTag(v: KernelVersion): string {
  return v.kind === 'mainline' ? 'master' : `v${formatKernelVersion(v)}`;
}

/** "v6.1", or "mainline". */
export function versionLabel(v: KernelVersion): string {
  return v.kind === 'mainline' ? 'mainline' : `v${formatKernelVersion(v)}`;
}

/** The published HTML page of netdevices.rst for a release (`latest` for mainline), with an anchor. */
export function publishedDocUrl(v: KernelVersion, anchor?: string): string {
  const ver = v.kind === 'mainline' ? 'latest' : versionTag(v);
  return `${DOCS}/${ver}/networking/netdevices.html${anchor ? `#${anchor}` : ''}`;
}

/** The document file in Linus' tree at a release tag (cgit), optionally at a line. */
export function treeFileUrl(v: KernelVersion, path: string, line?: number): string {
  return `${TORVALDS}/tree/${path}?h=${versionTag(v)}${line ? `#n${line}` : ''}`;
}

/** The published "Unreliable Guide To Locking" (Documentation/kernel-hacking/locking.rst) for a release. */
export function kernelLockingUrl(v: KernelVersion, anchor?: string): string {
  const ver = v.kind === 'mainline' ? 'latest' : versionTag(v);
  return `${DOCS}/${ver}/kernel-hacking/locking.html${anchor ? `#${anchor}` : ''}`;
}
