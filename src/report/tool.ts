// Report stage: the tool's identity (name, version, home page) as reporters print it, read once from package.json.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOL_NAME = 'netdev-review';

export interface ToolInfo {
  name: string;
  version: string;
  /** `homepage` of package.json, else its repository URL; absent when the package names neither. */
  informationUri?: string;
}

let cached: ToolInfo | undefined;

/** The tool's name, version and home page, from the nearest package.json named netdev-review above this module. */
export function toolInfo(): ToolInfo {
  cached ??= toolInfoFrom(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

/** The tool's identity from the nearest package.json named netdev-review at or above `start`. */
export function toolInfoFrom(start: string): ToolInfo {
  // Walk up instead of a fixed relative path: this module runs from src/report/ under vitest and from
  // dist/src/report/ once compiled, and an installed package has its own directory layout again.
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest?.name === TOOL_NAME) {
      const info: ToolInfo = { name: TOOL_NAME, version: manifest.version ?? '0.0.0' };
      const uri = manifest.homepage ?? repositoryUrl(manifest.repository);
      if (uri !== undefined) info.informationUri = uri;
      return info;
    }
    if (dirname(dir) === dir) throw new Error(`${TOOL_NAME}: no package.json named ${TOOL_NAME} above ${start}`);
  }
}

interface Manifest {
  name?: string;
  version?: string;
  homepage?: string;
  repository?: unknown;
}

function readManifest(path: string): Manifest | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const manifest: Manifest = { repository: record['repository'] };
  if (typeof record['name'] === 'string') manifest.name = record['name'];
  if (typeof record['version'] === 'string') manifest.version = record['version'];
  if (typeof record['homepage'] === 'string') manifest.homepage = record['homepage'];
  return manifest;
}

/** npm allows `"repository": "url"` or `{ "url": "git+https://…/x.git" }`; a browsable https URL is wanted. */
function repositoryUrl(repository: unknown): string | undefined {
  let url: unknown = repository;
  if (typeof repository === 'object' && repository !== null) url = (repository as Record<string, unknown>)['url'];
  if (typeof url !== 'string') return undefined;
  const https = url.replace(/^git\+/, '').replace(/\.git$/, '');
  return /^https?:\/\//.test(https) ? https : undefined;
}
