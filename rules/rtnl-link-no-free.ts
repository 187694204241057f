// Rule: free_netdev() of the device the core handed to an rtnl_link_ops callback (newlink, changelink,
// dellink), directly or in a same-file helper it calls: the core owns that device and frees it.

import { defineRule } from '../src/engine/rule.js';
import { NETDEV_FREES, names } from './data/netdev-api.js';
import { anchorOnChange } from './lib/anchor.js';
import { coreDeviceNames, rtnlLinkReaches } from './lib/core-devices.js';
import { refKey } from './lib/netdev-refs.js';
import { wordsRegExp } from './lib/triggers.js';

const FREES = names(NETDEV_FREES);

export default defineRule({
  meta: {
    id: 'rtnl-link-no-free',
    severity: 'error',
    description: 'free_netdev() of the device the core passed to an rtnl_link_ops callback (newlink, changelink, dellink), or in a helper it calls.',
    doc: { section: 'lifetime', entry: 'rtnl_link_ops' },
    triggers: wordsRegExp(FREES),
    needsWholeFunction: false,
    fixable: false,
    messages: {
      coreOwned:
        '{{call}}({{dev}}) frees the device the core passed to .{{callback}} ({{root}}{{via}}); devices created through rtnl_link_ops belong to the core, which frees them itself{{advice}}',
    },
  },
  check(ctx) {
    for (const fn of ctx.functions()) {
      if (!fn.mentionsAny(FREES)) continue;
      const frees = fn.calls.filter((c) => !c.indirect && FREES.has(c.name) && c.argTexts.length > 0);
      if (frees.length === 0) continue;
      const reaches = rtnlLinkReaches(ctx.program, fn);
      if (reaches.length === 0) continue;
      const reported = new Set<number>();
      for (const r of reaches) {
        const held = coreDeviceNames(r);
        if (held.size === 0) continue;
                for (const free of frees) {
          const dev = refKey(free.argTexts[0]);
          if (!held.has(dev) || reported.has(free.line)) continue;
          reported.add(free.line);
          const callback = r.role.replace('rtnl_link.', '');
          const siteLines = r.sites.map((s) => s.line);
          ctx.report({
            file: fn.file,
            line: anchorOnChange(ctx, fn.file, free.line, siteLines),
            messageId: 'coreOwned',
                        data: {
              call: free.name,
              dev,
              callback,
              root: r.chain[0].name,
              via: r.chain.length > 1 ? `, via ${r.chain.map((f) => f.name).join(' → ')}` : '',
              advice:
                callback === 'newlink'
                  ? ', also when .newlink fails: drop this free and just return the error'
                  : callback === 'dellink'
                    ? ' once unregistered: drop this free, unregister_netdevice_queue() is all .dellink does with it'
                    : ': drop this free',
            },
            evidence: [free.line, ...siteLines],
            chain: r.chain.length > 1 ? [...r.chain.map((f) => f.name), free.name] : undefined,
          });
        }
      }
    }
  },
});
