#!/usr/bin/env node
// Rule data tooling: lists the kernel functions a driver may call that require rtnl, from a real kernel tree.
//
//   node rules/data/extract-rtnl-required.mjs /opt/linux/linux-source-6.1 > /tmp/rtnl-required.txt
//
// A candidate is a function a driver can reach — exported (EXPORT_SYMBOL*) from core code, or a
// `static inline` in a public header — and it is classified by how its body asserts rtnl:
//   always      ASSERT_RTNL() is a top-level statement of the body, preceded only by declarations
//               and early returns on argument checks (the body "starts with" it)
//   registered  ASSERT_RTNL() sits under a test of dev->reg_state (needs rtnl only once registered)
//   via:<fn>    the body calls unconditionally (at top level, or in a top-level `if` condition) a
//               function of the same file that needs rtnl by these rules, followed to a fixpoint
//               (dev_open() → __dev_open(), dev_set_mtu() → dev_set_mtu_ext() → notifiers)
// The output is for review by hand: rules/data/rtnl-required.ts keeps the reviewed list.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Where drivers' rtnl-requiring helpers live: the core, phylink, and the public headers. */
const SCAN = ['net', 'drivers/net/phy', 'include/linux', 'include/net'];

const tree = process.argv[2];
if (!tree) {
  console.error('usage: extract-rtnl-required.mjs <kernel tree>');
  process.exit(2);
}

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) yield* walk(p);
    else if (/\.[ch]$/.test(e)) yield p;
  }
}

/** Comments and string literals blanked (newlines kept), so braces and words in them do not count. */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) =>
    m.startsWith('"') || m.startsWith("'") ? '""' : m.replace(/[^\n]/g, ' '),
  );
}

/** Function definitions: name, header text, body (between the braces), and whether it is a static inline. */
function* definitions(src) {
  const head = /^([A-Za-z_][\w \t*]*?)\b([A-Za-z_]\w*)\s*\(([^;{}()]*(?:\([^()]*\)[^;{}()]*)*)\)\s*\{/gm;
  for (let m = head.exec(src); m; m = head.exec(src)) {
    const open = m.index + m[0].length - 1;
    let depth = 0;
    let i = open;
    for (; i < src.length; i++) {
      if (src[i] === '{') depth++;
      else if (src[i] === '}' && --depth === 0) break;
    }
    const prefix = m[1];
    if (/^\s*(?:if|for|while|switch|return|else|do)\b/.test(prefix) || /\b(?:struct|enum|union)\s*$/.test(prefix)) continue;
    yield { name: m[2], prefix, body: src.slice(open + 1, i), line: src.slice(0, m.index).split('\n').length };
    head.lastIndex = i;
  }
}

/** Top-level statements of a body, in order (nested blocks stay inside their statement). */
function statements(body) {
  const out = [];
  let depth = 0;
  let paren = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '(') paren++;
    else if (c === ')') paren--;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0 && paren === 0) {
        // A block statement (`if (...) { ... }`) ends here unless an `else` follows.
        if (!/^\s*else\b/.test(body.slice(i + 1))) {
          out.push(body.slice(start, i + 1).trim());
          start = i + 1;
        }
      }
    } else if (c === ';' && depth === 0 && paren === 0) {
      out.push(body.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  return out.filter((s) => s && !/^#/.test(s)).map((s) => s.replace(/^(?:#[^\n]*\n\s*)+/, ''));
}

const DECL = /^(?:(?:const|static|unsigned|signed|struct|enum|union|volatile)\s+)*[A-Za-z_]\w*(?:\s+|\s*\*+\s*)\**[A-Za-z_]\w*\s*(?:\[[^\]]*\])?\s*(?:=[\s\S]*)?(?:,\s*\**\s*[A-Za-z_]\w*\s*(?:\[[^\]]*\])?\s*(?:=[^,;]*)?)*;$/;
/** `if (!dev) return -EINVAL;`, `if (x == y) return;`: an argument check before the assertion. */
const EARLY_RETURN = /^if\s*\([\s\S]*\)\s*(?:\{\s*)?return\b[^;]*;\s*\}?$/;
const ASSERT = /^ASSERT_RTNL\s*\(\s*\)\s*;$/;

function classify(body) {
  const stmts = statements(body);
  for (const s of stmts) {
    if (ASSERT.test(s)) return 'always';
    if (DECL.test(s) && !/^return\b/.test(s)) continue;
    if (EARLY_RETURN.test(s)) continue;
    break;
  }
  for (const s of stmts) {
    if (/^if\s*\(/.test(s) && /\breg_state\b|NETREG_/.test(s.slice(0, s.indexOf('{') >= 0 ? s.indexOf('{') : s.length)) && /\bASSERT_RTNL\s*\(/.test(s)) {
      return 'registered';
    }
  }
  return undefined;
}

const results = [];
/** Per file: every definition (exported or not) by name, for following calls within the file. */
const defsByFile = new Map();
const candidates = [];
for (const root of SCAN) {
  for (const file of walk(join(tree, root))) {
    const raw = readFileSync(file, 'utf8');
    if (!/ASSERT_RTNL|EXPORT_SYMBOL/.test(raw)) continue;
    const src = stripComments(raw);
    const rel = relative(tree, file);
    const exported = new Set([...src.matchAll(/\bEXPORT_SYMBOL(?:_GPL)?(?:_NS(?:_GPL)?)?\s*\(\s*(\w+)/g)].map((m) => m[1]));
    const header = file.endsWith('.h');
    const defs = new Map();
    for (const def of definitions(src)) {
      const isStatic = /\bstatic\b/.test(def.prefix);
      const entry = { name: def.name, file: rel, line: def.line, calls: unconditionalCalls(def.body), kind: classify(def.body) };
      if (!defs.has(def.name)) defs.set(def.name, entry);
      if (header ? isStatic && /\binline\b/.test(def.prefix) : exported.has(def.name)) candidates.push(entry);
    }
    defsByFile.set(rel, defs);
  }
}

/**
 * Calls a body makes whatever its arguments: top-level statements, the conditions of top-level
 * `if`s, and the branches of an `if` that only tests whether the device is up (dev_close()).
 */
function unconditionalCalls(body) {
  const names = [];
  const add = (text) => names.push(...[...text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]));
  for (const s of statements(body)) {
    if (!/^(?:if|for|while|switch|do)\b/.test(s)) {
      add(s);
      continue;
    }
    const m = /^if\s*(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))/.exec(s);
    if (!m) continue;
    add(m[1]);
    if (/\b(?:IFF_UP|netif_running)\b/.test(m[1])) add(s.slice(m[0].length));
  }
  return names.filter((n) => !/^(?:if|for|while|switch|return|sizeof|likely|unlikely|WARN_ON|WARN_ON_ONCE)$/.test(n));
}

const TAKES_RTNL = new Set(['rtnl_lock', 'rtnl_lock_killable', 'rtnl_lock_interruptible', 'rtnl_trylock', 'rtnl_net_lock']);

// Fixpoint within each file: a function whose unconditional calls reach an asserting one needs rtnl too.
for (const defs of defsByFile.values()) {
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of defs.values()) {
      // A function that takes rtnl itself (register_netdev()) is the opposite of what this lists.
      if (d.kind || d.calls.some((n) => TAKES_RTNL.has(n))) continue;
      const via = d.calls.find((n) => n !== d.name && defs.get(n)?.kind && defs.get(n)?.kind !== 'registered');
      if (via) {
        d.kind = `via:${via}`;
        changed = true;
      }
    }
  }
}

for (const c of candidates) if (c.kind) results.push({ name: c.name, file: c.file, line: c.line, kind: c.kind });

results.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
for (const r of results) console.log(`${r.name}\t${r.kind}\t${r.file}:${r.line}`);
console.error(`${results.length} functions (${results.filter((r) => r.kind === 'always').length} always, ${results.filter((r) => r.kind === 'registered').length} registered, ${results.filter((r) => r.kind.startsWith('via:')).length} via a callee)`);
