// Rule: a struct net_device freed with kfree()/kvfree()/vfree() instead of free_netdev().

import { defineRule } from '../src/engine/rule.js';
import { WRONG_FREES, names } from './data/netdev-api.js';
import { netdevRefs, refKey } from './lib/netdev-refs.js';
import { wordsRegExp } from './lib/triggers.js';

const WRONG = names(WRONG_FREES);

export default defineRule({
  meta: {
    id: 'netdev-free-api',
    severity: 'error',
    description: 'A struct net_device freed with kfree()/kvfree()/vfree() instead of free_netdev().',
    doc: { section: 'lifetime' },
    triggers: wordsRegExp(WRONG),
    needsWholeFunction: false,
    fixable: true,
    messages: {
      wrongFree: '{{dev}} is a struct net_device: free it with free_netdev(), not {{call}}() — its memory may come from vmalloc and the core has teardown to do',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(WRONG)) continue;
      const file = ctx.program.files.find((f) => f.path === fn.file);
      let refs: Set<string> | undefined;
      for (const call of fn.calls) {
        if (call.indirect || !WRONG.has(call.name) || call.argTexts.length !== 1) continue;
        refs ??= netdevRefs(fn, file);
        const arg = refKey(call.argTexts[0]);
        if (!refs.has(arg)) continue;
        const text = ctx.lineText(fn.file, call.line);
        const col = call.node.startPosition.column;
        const fix =
          text !== undefined && text.slice(col, col + call.name.length) === call.name
            ? { line: call.line, endLine: call.line, replacement: text.slice(0, col) + 'free_netdev' + text.slice(col + call.name.length), description: 'use free_netdev()' }
            : undefined;
        ctx.report({ file: fn.file, line: call.line, messageId: 'wrongFree', data: { dev: arg, call: call.name }, fix });
      }
    }
  },
});
