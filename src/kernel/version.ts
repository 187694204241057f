// Shared vocabulary: kernel versions, as a target tree names them (Makefile, subject tag, --kernel-version).

/** A kernel release line. `mainline` is the current development tree (net, net-next, linux-next, ...). */
export type KernelVersion =
  | { kind: 'release'; major: number; minor: number }
  | { kind: 'mainline' };

export const MAINLINE: KernelVersion = { kind: 'mainline' };

/** Parses "6.1", "v5.10", "5.10.123", "2.6.29", "4.19-rc3" and "mainline"/"latest"/"net-next". */
export function parseKernelVersion(text: string): KernelVersion | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'mainline' || t === 'latest' || t === 'net' || t === 'net-next' || t === 'next') return MAINLINE;
  // 2.6.x: the third number is the meaningful one for API history (2.6.29 introduced net_device_ops).
  // Whole-string forms only: "6.1banana" is not 6.1. Allowed tails: a sublevel, ".y", "-rcN".
  const old = /^v?2\.6\.(\d+)(?:\.\d+)?(?:-rc\d+)?$/.exec(t);
  if (old) return { kind: 'release', major: 2, minor: 600 + Number(old[1]) };
  const m = /^v?(\d+)\.(\d+)(?:\.(?:\d+|y))?(?:-rc\d+)?$/.exec(t);
  if (!m) return undefined;
  return { kind: 'release', major: Number(m[1]), minor: Number(m[2]) };
}

/** Negative when a is older than b; mainline is newer than every release. */
export function compareKernelVersions(a: KernelVersion, b: KernelVersion): number {
  if (a.kind === 'mainline') return b.kind === 'mainline' ? 0 : 1;
  if (b.kind === 'mainline') return -1;
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

/** "6.1", "2.6.29", or "mainline". */
export function formatKernelVersion(v: KernelVersion): string {
  if (v.kind === 'mainline') return 'mainline';
  if (v.major === 2 && v.minor >= 600) return `2.6.${v.minor - 600}`;
  return `${v.major}.${v.minor}`;
}

/** True when `v` lies in [since, until) — either bound may be absent. */
export function inKernelRange(v: KernelVersion, since?: string, until?: string): boolean {
  if (since) {
    const s = parseKernelVersion(since);
    if (s && compareKernelVersions(v, s) < 0) return false;
  }
  if (until) {
    const u = parseKernelVersion(until);
    if (u && compareKernelVersions(v, u) >= 0) return false;
  }
  return true;
}
