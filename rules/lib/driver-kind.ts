// Rule helpers: is a file a software network device or a hardware driver (rules/data/software-devices.ts)?

import type { FileFacts } from '../../src/analysis/facts.js';
import { BUS_DRIVER_STRUCTS, HARDWARE_DRIVER_DIRS, SOFTWARE_DEVICES, type SoftwareDevice } from '../data/software-devices.js';

export interface DriverKind {
  kind: 'software' | 'hardware' | 'unknown';
  /** Why, in words for a message: "it registers a pci_driver", "it is under drivers/net/ethernet/". */
  why: string;
}

const BUS_STRUCTS = new Set(BUS_DRIVER_STRUCTS.map((s) => s.name));

/** `dir/` → prefix, `*` → one path component, `**` → any number of them. */
function pathPattern(p: string): RegExp {
  if (!p.includes('*')) return new RegExp(`^${escape(p)}${p.endsWith('/') ? '' : '$'}`);
  const body = p
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) => (part === '**/' ? '(?:[^/]+/)*' : part === '**' ? '.*' : part === '*' ? '[^/]*' : escape(part)))
    .join('');
  return new RegExp(`^${body}$`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const SOFTWARE: { entry: SoftwareDevice; patterns: RegExp[] }[] = SOFTWARE_DEVICES.map((entry) => ({ entry, patterns: entry.paths.map(pathPattern) }));
const SOFTWARE_KINDS = new Map(SOFTWARE_DEVICES.map((e) => [e.name, e]));

/** The software device a file belongs to, by its path or by the `.kind` of an rtnl_link_ops it defines. */
export function softwareDeviceOf(file: FileFacts): SoftwareDevice | undefined {
  const byPath = SOFTWARE.find((s) => s.patterns.some((re) => re.test(file.path)));
  if (byPath) return byPath.entry;
  for (const init of file.initializers) {
    if (init.structType !== 'rtnl_link_ops') continue;
    const kind = init.fields.find((f) => f.path === 'kind')?.value.trim();
    const name = kind && /^"([^"]+)"$/.exec(kind)?.[1];
    if (name && SOFTWARE_KINDS.has(name)) return SOFTWARE_KINDS.get(name);
  }
  return undefined;
}

/** Software device (data list) first, then a bus driver struct the file fills in, then its directory. */
export function driverKind(file: FileFacts): DriverKind {
  const sw = softwareDeviceOf(file);
  if (sw) return { kind: 'software', why: `${sw.name}: ${sw.reason}` };
  const bus = file.initializers.find((i) => BUS_STRUCTS.has(i.structType));
  if (bus) return { kind: 'hardware', why: `it registers a ${bus.structType}` };
  const dir = HARDWARE_DRIVER_DIRS.find((d) => file.path.startsWith(d.path));
  if (dir) return { kind: 'hardware', why: `it is under ${dir.path}` };
  return { kind: 'unknown', why: '' };
}
