// Rule: a device with needs_free_netdev set is also freed by the driver after a successful
// register_netdevice() (after unregistering it, or in its priv_destructor): the core frees it as well.

import { defineRule } from '../src/engine/rule.js';
import type { FileFacts, FunctionFacts } from '../src/analysis/facts.js';
import type { SyntaxNode } from '../src/analysis/parser.js';
import type { Program } from '../src/analysis/program.js';
import { explorePaths } from '../src/analysis/paths.js';
import { callArgs, calleeName, nodeText, sameNode, walk } from '../src/analysis/syntax.js';
import { inKernelRange } from '../src/kernel/version.js';
import { NETDEV_ALLOCATORS, NETDEV_FREES, names } from './data/netdev-api.js';
import { anchorOnChange } from './lib/anchor.js';
import { coreDeviceNames, rtnlLinkReaches } from './lib/core-devices.js';
import { deviceAliases, type DeviceAliases } from './lib/device-aliases.js';
import { refKey } from './lib/netdev-refs.js';
import { EMPTY_REGISTER_STATE, REGISTER_CALLS, RegisterTracker, registerStateKey, type RegisterState } from './lib/register-paths.js';

const FREES = names(NETDEV_FREES);
const ALLOCATORS = names(NETDEV_ALLOCATORS);
/**
 * From "net: make free_netdev() more lenient with unregistering devices" (v5.12), free_netdev() of a device
 * still unregistering (rtnl not yet released) only sets needs_free_netdev and leaves the free to the core:
 * the document calls it safe "right after unregister_netdevice()". Before, the driver's free came first.
 */
const LENIENT_FREE_SINCE = '5.12';

interface NeedsState extends RegisterState {
  /** Devices whose needs_free_netdev is true on this path: device → line that set it (or the allocation). */
  needs: ReadonlyMap<string, number>;
}

export default defineRule({
  meta: {
    id: 'needs-free-netdev-double-free',
    severity: 'error',
    description: 'A device with needs_free_netdev set is also freed with free_netdev() after a successful register_netdevice() (after unregistering it, or in its priv_destructor).',
    doc: { section: 'lifetime', entry: 'needs_free_netdev' },
    // needs_free_netdev and priv_destructor replaced dev->destructor in v4.12.
    since: '4.12',
    triggers: /\bneeds_free_netdev\b/,
    // The path part needs whole bodies (checked per function); the destructor part does not.
    needsWholeFunction: false,
    fixable: false,
    messages: {
      inDestructor:
        '{{fn}}() is the priv_destructor of a device with needs_free_netdev set (line {{needsLine}}), and it calls {{call}}(): the core already frees the device after running the destructor, so this frees it twice; drop the free from the destructor',
      destructorIsFree:
        'priv_destructor = {{call}} on a device with needs_free_netdev set (line {{needsLine}}) frees it twice; needs_free_netdev alone makes the core free it',
      afterRegister:
        '{{dev}} has needs_free_netdev set (line {{needsLine}}), so once {{register}}() at line {{regLine}} has succeeded the core frees it after unregistration; this {{call}}() frees it a second time — free it only where registration failed',
      afterUnregister:
        "{{dev}} has needs_free_netdev set (line {{needsLine}}), so the core frees it when the unregistration at line {{unregLine}} completes{{when}}; this {{call}}() frees it a second time — drop it",
    },
  },
  check(ctx) {
    const perFile = new Map<string, FileNeeds>();
    const lenient = inKernelRange(ctx.target, LENIENT_FREE_SINCE);
    /** Destructor frees already reported (one destructor may be installed by several setups). */
    const destructorFrees = new Set<string>();
    for (const fn of ctx.functions()) {
      const file = ctx.program.files.find((f) => f.path === fn.file);
      if (!file) continue;
      let needs = perFile.get(file.path);
      if (!needs) perFile.set(file.path, (needs = new FileNeeds(file)));
      if (!needs.any) continue;
      // The destructor route: `dev->priv_destructor = F` with F freeing the device.
      if (fn.mentions('priv_destructor')) checkDestructors(fn, needs);
      if (fn.whole && fn.mentionsAny(FREES)) checkPaths(fn, needs);
    }

    function checkDestructors(fn: FunctionFacts, needs: FileNeeds): void {
      const aliases = deviceAliases(fn);
      const needsAt = new Map<string, number>();
      for (const a of fn.assigns) {
        const m = /^(.+)->needs_free_netdev$/.exec(refKey(a.leftText));
        if (m && a.operator === '=' && a.rightText.trim() === 'true') needsAt.set(aliases.canon(m[1]), a.line);
      }
      // Allocated here with a setup callback that sets it.
      const allocated = [
        ...fn.assigns.filter((a) => a.operator === '=').map((a) => ({ name: refKey(a.leftText), init: a.right })),
        ...fn.decls.flatMap((d) => (d.init ? [{ name: d.name, init: d.init }] : [])),
      ];
      for (const { name, init } of allocated) {
        if (init.type !== 'call_expression') continue;
        const callee = calleeName(fn.text.src, init);
        if (!callee || callee.indirect || !ALLOCATORS.has(callee.name)) continue;
        const line = callArgs(init).map((x) => needs.setupSets(nodeText(fn.text.src, x).trim())).find((l) => l !== undefined);
        const dev = aliases.canon(name);
        if (line !== undefined && !needsAt.has(dev)) needsAt.set(dev, line);
      }
      for (const a of fn.assigns) {
        const m = /^(.+)->priv_destructor$/.exec(refKey(a.leftText));
        if (!m || a.operator !== '=' || a.right.type !== 'identifier') continue;
        const needsLine = needsAt.get(aliases.canon(m[1])) ?? needs.everyDevice;
        if (needsLine === undefined) continue;
        const target = a.rightText.trim();
        if (FREES.has(target)) {
          ctx.report({
            file: fn.file,
            line: a.line,
            messageId: 'destructorIsFree',
            data: { call: target, needsLine },
            evidence: [needsLine],
          });
          continue;
        }
        const destructor = ctx.program.lookup(fn.file, target);
        const free = destructor ? freeOfParam(ctx.program, destructor, 0, 0) : undefined;
        if (!destructor || !free || destructorFrees.has(`${destructor.file}:${free.line}`)) continue;
        // Reported once, by the first installation the change is responsible for.
        if (ctx.audit || [free.line, needsLine, a.line].some((l) => ctx.isChanged(fn.file, l))) destructorFrees.add(`${destructor.file}:${free.line}`);
        const line = anchorOnChange(ctx, destructor.file, free.line, [needsLine, a.line]);
        ctx.report({
          file: fn.file,
          line,
          messageId: 'inDestructor',
          data: { fn: destructor.name, call: free.name, needsLine },
          evidence: [free.line, needsLine, a.line],
        });
      }
    }

    function checkPaths(fn: FunctionFacts, needs: FileNeeds): void {
      const frees = fn.calls.filter((c) => !c.indirect && FREES.has(c.name));
      if (frees.length === 0) return;
      // Core-provided devices of rtnl_link_ops callbacks are rtnl-link-no-free's.
      const coreDevs = new Set(rtnlLinkReaches(ctx.program, fn).flatMap((r) => [...coreDeviceNames(r)]));
      const aliases = deviceAliases(fn);
      const tracker = new RegisterTracker(fn, aliases);
      const src = fn.text.src;
      const registerName = new Map(fn.calls.filter((c) => REGISTER_CALLS.has(c.name)).map((c) => [c.line, c.name]));
      const reported = new Set<number>();
      explorePaths<NeedsState>(fn, {
        initial: { ...EMPTY_REGISTER_STATE, needs: new Map() },
        key: (s) => `${registerStateKey(s)}|${[...s.needs.keys()].sort().join(',')}`,
        visit(node, s) {
          if (!node.ast || (s.needs.size === 0 && needs.everyDevice === undefined)) return;
          walk(node.ast, (n) => {
            if (n.type !== 'call_expression') return;
            const callee = calleeName(src, n);
            if (!callee || callee.indirect || !FREES.has(callee.name)) return;
            const arg = callArgs(n)[0];
            if (!arg) return;
            const key = refKey(nodeText(src, arg));
            const dev = aliases.canon(key);
            if (coreDevs.has(key) || coreDevs.has(dev)) return;
            const needsLine = s.needs.get(dev) ?? needs.everyDevice;
            const regLine = s.live.get(dev);
            // Right after unregister_netdevice(), with rtnl still held, a lenient free_netdev() only defers.
            const unregLine = lenient && !s.settled.has(dev) ? undefined : s.unregistered.get(dev);
            const line = n.startPosition.row + fn.text.lineOffset;
            if (needsLine === undefined || (regLine === undefined && unregLine === undefined) || reported.has(line)) return;
            reported.add(line);
            if (regLine !== undefined) {
              ctx.report({
                file: fn.file,
                line,
                messageId: 'afterRegister',
                data: { dev: key, needsLine, register: registerName.get(regLine) ?? 'register_netdevice', regLine, call: callee.name },
                evidence: [needsLine, regLine],
              });
            } else if (unregLine !== undefined) {
              ctx.report({
                file: fn.file,
                line,
                messageId: 'afterUnregister',
                data: { dev: key, needsLine, unregLine, call: callee.name, when: lenient ? ' (rtnl has been released since, so it may be gone already)' : '' },
                evidence: [needsLine, unregLine],
              });
            }
          });
        },
        transfer(node, s) {
          const r = tracker.step(node, s);
          const next = node.ast ? needsEffects(fn, node.ast, s.needs, aliases, needs) : s.needs;
          return next === s.needs && r === s ? s : { ...r, needs: next };
        },
        refine(node, branch, s) {
          const r = tracker.refine(node, branch, s);
          return r === s ? s : { ...r, needs: s.needs };
        },
      });
    }
  },
});

/** A call in `fn` (or a same-file helper, one level down) that frees its `index`-th parameter. */
function freeOfParam(program: Program, fn: FunctionFacts, index: number, depth: number): { line: number; name: string } | undefined {
  const param = fn.params[index]?.name;
  if (!param || fn.params[index].type !== 'struct net_device *') return undefined;
  const aliases = deviceAliases(fn);
  const dev = aliases.canon(param);
  for (const c of fn.calls) {
    if (c.indirect) continue;
    const i = c.argTexts.findIndex((t) => aliases.canon(refKey(t)) === dev);
    if (i < 0) continue;
    if (FREES.has(c.name) && i === 0) return { line: c.line, name: c.name };
    if (depth === 0) {
      const helper = program.lookup(fn.file, c.name);
      if (helper && helper !== fn && freeOfParam(program, helper, i, depth + 1)) return { line: c.line, name: c.name };
    }
  }
  return undefined;
}

/** needs_free_netdev assignments and allocations with a setup that sets it, in one statement. */
function needsEffects(fn: FunctionFacts, ast: SyntaxNode, needs: ReadonlyMap<string, number>, aliases: DeviceAliases, file: FileNeeds): ReadonlyMap<string, number> {
  const src = fn.text.src;
  let out: Map<string, number> | undefined;
  const lineOf = (n: SyntaxNode) => n.startPosition.row + fn.text.lineOffset;
  walk(ast, (n) => {
    let left: SyntaxNode | null = null;
    let right: SyntaxNode | null = null;
    if (n.type === 'assignment_expression') {
      const op = n.childForFieldName('operator');
      if (!op || nodeText(src, op) !== '=') return;
      left = n.childForFieldName('left');
      right = n.childForFieldName('right');
    } else if (n.type === 'init_declarator') {
      left = n.childForFieldName('declarator');
      while (left && left.type !== 'identifier') left = left.childForFieldName('declarator');
      right = n.childForFieldName('value');
    } else return;
    if (!left || !right) return;
    const lk = refKey(nodeText(src, left));
    const m = /^(.+)->needs_free_netdev$/.exec(lk);
    if (m) {
      const dev = aliases.canon(m[1]);
      out ??= new Map(needs);
      if (/^(?:true|1)$/.test(nodeText(src, right).trim())) out.set(dev, lineOf(n));
      else out.delete(dev);
      return;
    }
    // `dev = alloc_netdev(sizeof(*priv), "foo%d", NET_NAME_UNKNOWN, foo_setup)` with foo_setup setting it.
    if (right.type === 'call_expression') {
      const callee = calleeName(src, right);
      if (!callee || callee.indirect || !ALLOCATORS.has(callee.name)) return;
      const setupLine = callArgs(right).map((a) => file.setupSets(nodeText(src, a).trim())).find((l) => l !== undefined);
      const dev = aliases.canon(lk);
      if (setupLine !== undefined) (out ??= new Map(needs)).set(dev, setupLine);
      else if ((out ?? needs).has(dev)) (out ??= new Map(needs)).delete(dev);
    }
  });
  return out ?? needs;
}

/** What a file says about needs_free_netdev: which setup callbacks set it, and whether every device of the file gets it. */
class FileNeeds {
  /** The file sets needs_free_netdev anywhere. */
  readonly any: boolean;
  /** Line of the (unconditional) assignment, for setups that set it on their device parameter. */
  private readonly setups = new Map<string, number>();
  /** Set when every allocation of the file uses a setup that sets needs_free_netdev: the line of one such assignment. */
  readonly everyDevice?: number;

  constructor(file: FileFacts) {
    this.any = file.functions.some((f) => f.mentions('needs_free_netdev'));
    if (!this.any) return;
    for (const f of file.functions) {
      if (!f.mentions('needs_free_netdev') || f.params.length !== 1 || f.params[0].type !== 'struct net_device *') continue;
      const p = f.params[0].name;
      const a = f.assigns.find((x) => refKey(x.leftText) === `${p}->needs_free_netdev` && x.operator === '=' && x.rightText.trim() === 'true');
      if (a && unconditional(f, a.node)) this.setups.set(f.name, a.line);
    }
    // Devices the file allocates all get it, and none is ever handed to the core with it cleared.
    const allocs = file.functions.flatMap((f) => (f.mentionsAny(ALLOCATORS) ? f.calls.filter((c) => ALLOCATORS.has(c.name)) : []));
    const cleared = file.functions.some((f) => f.mentions('needs_free_netdev') && f.assigns.some((x) => /->needs_free_netdev$/.test(refKey(x.leftText)) && x.rightText.trim() !== 'true'));
    const lines = allocs.map((c) => c.argTexts.map((t) => this.setupSets(t.trim())).find((l) => l !== undefined));
    if (allocs.length > 0 && !cleared && lines.every((l) => l !== undefined)) this.everyDevice = lines[0];
  }

  /** The line where setup callback `name` sets needs_free_netdev, when it does so unconditionally. */
  setupSets(name: string): number | undefined {
    return this.setups.get(name);
  }
}

/** The node is not inside any branch or loop of its function. */
function unconditional(fn: FunctionFacts, node: SyntaxNode): boolean {
  for (let n = node.parent; n && !sameNode(n, fn.body); n = n.parent) {
    if (/^(?:if_statement|for_statement|while_statement|do_statement|switch_statement|conditional_expression|case_statement)$/.test(n.type)) return false;
  }
  return true;
}
