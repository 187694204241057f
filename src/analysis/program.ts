// Analysis stage: the facts of all C files of one change together — roles, and how contexts reach helpers
// through same-file calls (depth 3), with the lock state carried along.

import type { CallFact, FileFacts, FunctionFacts } from './facts.js';
import { fileBindings, opaqueBindings, roleContext, rolesOf, type Binding, type Role, type RoleContext } from './roles.js';
import { lockStateAt } from './locks.js';

/** How far a role's context is followed into same-file helpers. */
export const REACH_DEPTH = 3;

/** A context in which a function runs: a role of some function, reached through a chain of calls. */
export interface Reach {
  role: Role;
  context: RoleContext;
  /** The role function first, `fn` last. Length 1 when `fn` has the role itself. */
  chain: FunctionFacts[];
  /** `sites[i]` is the call in `chain[i]` that enters `chain[i + 1]`. */
  sites: CallFact[];
  /** rtnl is held on entry to `fn`: the role holds it, or a call site on the chain is inside an rtnl region. */
  rtnlHeld: boolean;
  /** Evidence for `rtnlHeld` is only the document's catch-all sentence about other ndos. */
  rtnlWeak: boolean;
}

export class Program {
  readonly bindings: Binding[];
  /** Functions bound in structs that carry no known role. */
  readonly opaque: Set<string>;
  private readonly rolesCache = new Map<FunctionFacts, Role[]>();
  private readonly reachCache = new Map<FunctionFacts, Reach[]>();
  private readonly byFileAndName = new Map<string, Map<string, FunctionFacts>>();
  private readonly callers = new Map<FunctionFacts, { caller: FunctionFacts; site: CallFact }[]>();
  private readonly byFile = new Map<string, FunctionFacts[]>();

  /**
   * `context` adds bindings made by files that are not analysed here (an audit keeps the ops tables of
   * a driver's other files without keeping their trees).
   */
  constructor(
    readonly files: FileFacts[],
    context?: { bindings: readonly Binding[]; opaque: ReadonlySet<string> },
  ) {
    this.bindings = [...files.flatMap(fileBindings), ...(context?.bindings ?? [])];
    this.opaque = new Set([...files.flatMap((f) => [...opaqueBindings(f)]), ...(context?.opaque ?? [])]);
    for (const f of files) {
      const map = new Map<string, FunctionFacts>();
      for (const fn of f.functions) if (fn.name && !map.has(fn.name)) map.set(fn.name, fn);
      this.byFileAndName.set(f.path, map);
    }
    for (const f of files) this.byFile.set(f.path, f.functions);
  }

  /** Every function of every file. */
  *functions(): Iterable<FunctionFacts> {
    for (const f of this.files) yield* f.functions;
  }

  /** A function defined in `file` by that name. */
  lookup(file: string, name: string): FunctionFacts | undefined {
    return this.byFileAndName.get(file)?.get(name);
  }

  /** The function's own roles. */
  roles(fn: FunctionFacts): Role[] {
    let r = this.rolesCache.get(fn);
    if (!r) {
      r = fn.name ? rolesOf(fn, this.bindings, this.opaque) : [];
      this.rolesCache.set(fn, r);
    }
    return r;
  }

  /** Same-file callers of `fn`, each with the call site. */
  callersOf(fn: FunctionFacts): { caller: FunctionFacts; site: CallFact }[] {
    let list = this.callers.get(fn);
    if (list) return list;
    list = [];
    // Only functions whose text names `fn` are read; the rest keep their bodies unparsed.
    for (const g of this.byFile.get(fn.file) ?? []) {
      if (g === fn || !fn.name || !g.mentions(fn.name)) continue;
      for (const c of g.calls) if (!c.indirect && c.name === fn.name) list.push({ caller: g, site: c });
    }
    this.callers.set(fn, list);
    return list;
  }

  /** Same-file function a call enters, if any. */
  calleeOf(fn: FunctionFacts, call: CallFact): FunctionFacts | undefined {
    if (call.indirect) return undefined;
    const callee = this.lookup(fn.file, call.name);
    return callee === fn ? undefined : callee;
  }

  /**
   * Every context `fn` runs in: its own roles, and the roles of same-file callers up to
   * REACH_DEPTH calls away (no function twice in a chain).
   */
  reaches(fn: FunctionFacts): Reach[] {
    const hit = this.reachCache.get(fn);
    if (hit) return hit;
    const out: Reach[] = [];
    const visit = (target: FunctionFacts, chainBack: FunctionFacts[], sitesBack: CallFact[]) => {
      const chain = [target, ...chainBack];
      for (const role of this.roles(target)) {
        const context = roleContext(role.role);
        out.push({ role, context, chain, sites: sitesBack, ...this.rtnlAlong(context, chain, sitesBack) });
      }
      if (chain.length > REACH_DEPTH) return;
      for (const { caller, site } of this.callersOf(target)) {
        if (chain.includes(caller)) continue;
        visit(caller, chain, [site, ...sitesBack]);
      }
    };
    visit(fn, [], []);
    this.reachCache.set(fn, out);
    return out;
  }

  private rtnlAlong(context: RoleContext, chain: FunctionFacts[], sites: CallFact[]): { rtnlHeld: boolean; rtnlWeak: boolean } {
    if (context.rtnl === 'held') return { rtnlHeld: true, rtnlWeak: false };
    for (let i = 0; i < sites.length; i++) {
      if (lockStateAt(chain[i], sites[i]).must.has('rtnl')) return { rtnlHeld: true, rtnlWeak: false };
    }
    if (context.rtnl === 'weak') return { rtnlHeld: true, rtnlWeak: true };
    return { rtnlHeld: false, rtnlWeak: false };
  }
}
