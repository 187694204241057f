// Rule: register_netdev()/unregister_netdev() (which take rtnl_lock) called where rtnl is already held.

import { defineRule } from '../src/engine/rule.js';
import { lockStateAt } from '../src/analysis/locks.js';
import { anchorOnChange } from './lib/anchor.js';
import { wordsRegExp } from './lib/triggers.js';
import { RTNL_HELD_TWIN, RTNL_TAKING_REGISTER, names } from './data/netdev-api.js';

const TAKES_RTNL = names(RTNL_TAKING_REGISTER);

export default defineRule({
  meta: {
    id: 'register-under-rtnl',
    severity: 'error',
    description: 'register_netdev()/unregister_netdev() (which take rtnl_lock) called where rtnl is already held: a self-deadlock.',
    doc: { section: 'lifetime', entry: 'register_netdevice' },
    triggers: wordsRegExp(TAKES_RTNL),
    needsWholeFunction: false,
    fixable: true,
    messages: {
      deadlock: '{{call}}() takes rtnl_lock itself, but rtnl is already held here ({{why}}): this deadlocks{{advice}}',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(TAKES_RTNL)) continue;
      for (const call of fn.calls) {
        if (call.indirect || !TAKES_RTNL.has(call.name)) continue;
        const twin = RTNL_HELD_TWIN[call.name];
        const advice = twin ? `; use ${twin}()` : '; call the rtnl-held variant instead';
        const fix = (line: number) => {
          if (!twin || line !== call.line) return undefined;
          const text = ctx.lineText(fn.file, line);
          if (!text) return undefined;
          const replaced = text.replace(new RegExp(`\\b${call.name}\\s*\\(`), `${twin}(`);
          return replaced === text ? undefined : { line, endLine: line, replacement: replaced, description: `use ${twin}()` };
        };
        const state = lockStateAt(fn, call);
        if (state.must.has('rtnl')) {
          const lock = fn.calls.filter((c) => c.line <= call.line && (c.name === 'rtnl_lock' || c.name === 'ASSERT_RTNL')).pop();
          const why = lock ? (lock.name === 'ASSERT_RTNL' ? `ASSERT_RTNL() at line ${lock.line}` : `rtnl_lock() at line ${lock.line}`) : 'an rtnl_lock() region';
          const line = anchorOnChange(ctx, fn.file, call.line, lock ? [lock.line] : []);
          ctx.report({ file: fn.file, line, messageId: 'deadlock', data: { call: call.name, why, advice }, evidence: lock ? [lock.line, call.line] : [call.line], fix: fix(line) });
          continue;
        }
        for (const r of ctx.program.reaches(fn)) {
          if (!r.rtnlHeld) continue;
          const root = r.chain[0];
          const held = r.context.rtnl === 'held' || r.context.rtnl === 'weak'
            ? `${root.name} is ${r.role.role.replace('rtnl_link.', 'rtnl_link_ops .')}, which the core calls with rtnl held`
            : `called inside an rtnl_lock() region`;
          const via = r.chain.length > 1 ? `; reached via ${[...r.chain.map((f) => f.name), call.name].join(' → ')}` : '';
          const siteLines = r.sites.map((s) => s.line);
          const line = anchorOnChange(ctx, fn.file, call.line, siteLines);
          ctx.report({
            file: fn.file,
            line,
            messageId: 'deadlock',
            data: { call: call.name, why: held + via, advice },
            severity: r.rtnlWeak || r.role.evidence === 'name' ? 'warning' : 'error',
            evidence: [call.line, ...siteLines],
            chain: r.chain.length > 1 ? [...r.chain.map((f) => f.name), call.name] : undefined,
            fix: fix(line),
          });
          break;
        }
      }
    }
  },
});
