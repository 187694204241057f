// Citations stage: the commit and remote of a local kernel checkout (read-only), and permalinks to a file's lines at that commit.

import { execFile } from 'node:child_process';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GitCheckout {
  /** The commit checked out (40 hex digits). */
  sha: string;
  /** URL of the `origin` remote (else the first remote), as configured. */
  remoteUrl?: string;
}

/** HEAD commit and remote URL of the checkout at `dir`, or undefined when it is not a git checkout. */
export async function readGitCheckout(dir: string): Promise<GitCheckout | undefined> {
  const fromFiles = await readGitFiles(dir).catch(() => undefined);
  if (fromFiles) return fromFiles;
  return readGitCommand(dir);
}

/** Reads `.git` directly: HEAD, the ref it names (loose or packed), and `config`; handles worktrees. */
async function readGitFiles(dir: string): Promise<GitCheckout | undefined> {
  const dotGit = join(dir, '.git');
  const info = await stat(dotGit);
  let gitDir = dotGit;
  if (info.isFile()) {
    const m = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'));
    if (!m?.[1]) return undefined;
    gitDir = resolve(dir, m[1].trim());
  }
  // A worktree keeps HEAD to itself and shares refs and config with the main repository.
  const common = await readFile(join(gitDir, 'commondir'), 'utf8')
    .then((t) => resolve(gitDir, t.trim()))
    .catch(() => gitDir);
  const head = (await readFile(join(gitDir, 'HEAD'), 'utf8')).trim();
  let sha: string | undefined;
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref) sha = head;
  else sha = (await readLooseRef(gitDir, ref)) ?? (await readLooseRef(common, ref)) ?? (await readPackedRef(common, ref));
  if (!sha || !/^[0-9a-f]{40}$/.test(sha)) return undefined;
  const config = await readFile(join(common, 'config'), 'utf8').catch(() => '');
  const remoteUrl = remoteFromConfig(config);
  return { sha, ...(remoteUrl ? { remoteUrl } : {}) };
}

async function readLooseRef(gitDir: string, ref: string): Promise<string | undefined> {
  return readFile(join(gitDir, ref), 'utf8')
    .then((t) => t.trim())
    .catch(() => undefined);
}

async function readPackedRef(gitDir: string, ref: string): Promise<string | undefined> {
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    const [sha, name] = line.trim().split(/\s+/);
    if (name === ref && sha) return sha;
  }
  return undefined;
}

/** The `url` of remote "origin" in a git config file, else of the first remote. */
export function remoteFromConfig(config: string): string | undefined {
  const remotes: { name: string; url?: string }[] = [];
  let current: { name: string; url?: string } | undefined;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    const section = /^\[\s*remote\s+"([^"]+)"\s*\]$/.exec(line);
    if (section?.[1]) {
      current = { name: section[1] };
      remotes.push(current);
      continue;
    }
    if (line.startsWith('[')) {
      current = undefined;
      continue;
    }
    const url = /^url\s*=\s*(.+)$/.exec(line)?.[1];
    if (current && url && !current.url) current.url = url.trim();
  }
  return (remotes.find((r) => r.name === 'origin') ?? remotes[0])?.url;
}

/** Fallback through the git binary: read-only queries, never anything taken from a patch. */
async function readGitCommand(dir: string): Promise<GitCheckout | undefined> {
  const git = async (...args: string[]): Promise<string | undefined> =>
    run('git', ['-C', dir, ...args], { timeout: 10_000 })
      .then((r) => r.stdout.trim())
      .catch(() => undefined);
  // git walks up to an enclosing repository; a kernel tree vendored inside another project
  // (OpenWrt, Buildroot) must not borrow that project's commit and paths.
  const top = await git('rev-parse', '--show-toplevel');
  if (!top || (await realpath(top).catch(() => top)) !== (await realpath(dir).catch(() => resolve(dir)))) return undefined;
  const sha = await git('rev-parse', '--verify', 'HEAD');
  if (!sha || !/^[0-9a-f]{40}$/.test(sha)) return undefined;
  const remoteUrl = (await git('config', '--get', 'remote.origin.url')) || undefined;
  return { sha, ...(remoteUrl ? { remoteUrl } : {}) };
}

/**
 * A builder of links to lines of `path` at commit `sha` on the host of `remoteUrl`: GitHub blob
 * ranges, or cgit on git.kernel.org (which can only jump to the first line). Undefined for
 * hosts it does not know.
 */
export function permalinkFor(remoteUrl: string, sha: string, path: string): ((start: number, end: number) => string) | undefined {
  const gh = /^(?:https?:\/\/|ssh:\/\/git@|git@|git:\/\/)github\.com[/:]([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(remoteUrl.trim());
  if (gh?.[1] && gh[2]) {
    const base = `https://github.com/${gh[1]}/${gh[2]}/blob/${sha}/${path}`;
    return (start, end) => (end > start ? `${base}#L${start}-L${end}` : `${base}#L${start}`);
  }
  const korg = /^(?:https?:\/\/|git:\/\/|ssh:\/\/git@)?(?:git@)?(?:git|gitolite)\.kernel\.org[/:](?:pub\/scm\/)?(.+?\.git|[^\s]+?)\/?$/.exec(remoteUrl.trim());
  if (korg?.[1]) {
    const repo = korg[1].endsWith('.git') ? korg[1] : `${korg[1]}.git`;
    return (start) => `https://git.kernel.org/pub/scm/${repo}/tree/${path}?id=${sha}#n${start}`;
  }
  return undefined;
}
