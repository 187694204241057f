// Report stage tests: the human-readable text report.

import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import { errorFinding, reviewedPatch, sampleRun, RULES } from './fixtures.js';

const ANSI = /\x1b\[[0-9;]*m/g;

describe('renderText', () => {
  it('renders input errors, skipped patches, findings with line, chain, citation and fix, and a summary', () => {
    expect(renderText(sampleRun(), { color: false })).toBe(
      [
        'error: missing.patch: cannot read: ENOENT: no such file or directory',
        '',
        'foo-v2.mbox#0: skipped: cover letter',
        '',
        'foo-v2.mbox#1: [PATCH net v2 1/2] net: foo: free the netdev after unregister',
        '  target: 6.1 (from --kernel-version)',
        '  note: no --tree given: reviewed the hunks only',
        '',
        'drivers/net/ethernet/foo/foo_main.c:213: warning: foo_start_xmit() runs with BHs disabled but may sleep in mutex_lock() [xmit-may-sleep]',
        '    foo_refill(priv);',
        '  via foo_start_xmit → foo_refill → mutex_lock',
        '  see: struct net_device synchronization rules › ndo_start_xmit — https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/Documentation/networking/netdevices.rst?h=v6.1#n77',
        '',
        'drivers/net/ethernet/foo/foo_main.c:214: info: dev->stats.tx_dropped updated locklessly; consider DEV_STATS_INC() [netdev-stats-lockless]',
        '    dev->stats.tx_dropped++;',
        '',
        'drivers/net/ethernet/foo/foo_main.c:415: error: net_device freed with kfree(); use free_netdev() [netdev-free-api]',
        '    kfree(ndev);',
        '  see: struct net_device lifetime rules — https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/Documentation/networking/netdevices.rst?h=v6.1#n13',
        '  fix: use free_netdev()',
        '    - kfree(ndev);',
        '    + free_netdev(ndev);',
        '',
        '1 error, 1 warning, 1 info in 1 patch (1 skipped, 1 input error)',
        '',
      ].join('\n'),
    );
  });

  it('colors only when asked, and the colored text is the plain text plus escapes', () => {
    const plain = renderText(sampleRun(), { color: false });
    const colored = renderText(sampleRun(), { color: true });
    expect(plain).not.toMatch(ANSI);
    expect(colored).toContain('\x1b[1;31merror:\x1b[0m');
    expect(colored).toContain('\x1b[1;33mwarning:\x1b[0m');
    expect(colored).toContain('\x1b[1;36minfo:\x1b[0m');
    expect(colored).toContain('\x1b[2m  note: no --tree given: reviewed the hunks only\x1b[0m');
    expect(colored).toContain('\x1b[32m    + free_netdev(ndev);\x1b[0m');
    expect(colored.replace(ANSI, '')).toBe(plain);
  });

  it('says so when a reviewed patch has no findings, and counts plurals right', () => {
    const run = { reviews: [reviewedPatch([])], inputErrors: [], rules: RULES };
    expect(renderText(run, { color: false })).toBe(
      [
        'foo-v2.mbox#1: [PATCH net v2 1/2] net: foo: free the netdev after unregister',
        '  target: 6.1 (from --kernel-version)',
        '  note: no --tree given: reviewed the hunks only',
        '  no findings',
        '',
        '0 errors, 0 warnings, 0 infos in 1 patch',
        '',
      ].join('\n'),
    );
  });

  it('previews a multi-line fix by its line span and keeps the relative indentation of the replacement', () => {
    const f = errorFinding();
    f.scope = 'pre-existing';
    f.fix = {
      line: 415,
      endLine: 416,
      replacement: '\tunregister_netdev(ndev);\n\tif (priv->wq)\n\t\tdestroy_workqueue(priv->wq);\n\tfree_netdev(ndev);',
      description: 'unregister, then free',
    };
    const out = renderText({ reviews: [reviewedPatch([f])], inputErrors: [], rules: RULES }, { color: false });
    expect(out).toContain(
      [
        'drivers/net/ethernet/foo/foo_main.c:415: error: net_device freed with kfree(); use free_netdev() [netdev-free-api] (pre-existing)',
        '    kfree(ndev);',
        '  see: struct net_device lifetime rules — https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git/tree/Documentation/networking/netdevices.rst?h=v6.1#n13',
        '  fix: unregister, then free',
        '    - (lines 415-416)',
        '    + unregister_netdev(ndev);',
        '    + if (priv->wq)',
        '    + \tdestroy_workqueue(priv->wq);',
        '    + free_netdev(ndev);',
      ].join('\n'),
    );
  });

  it('cannot be made to emit raw escapes or extra lines by patch text', () => {
    const f = errorFinding();
    f.message = 'freed\nerror: fake line \x1b[2J';
    f.sourceLine = '\tkfree(ndev); /* \u202e }; */';
    const out = renderText({ reviews: [reviewedPatch([f])], inputErrors: [], rules: RULES }, { color: false });
    expect(out).toContain(':415: error: freed error: fake line ^[[2J [netdev-free-api]');
    expect(out).toContain('    kfree(ndev); /* <U+202E> }; */');
    expect(out).not.toContain('\x1b');
  });
});
