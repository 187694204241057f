// Analysis-layer tests: stitched sources (hunk post-images only) — units that start inside a function or an ops
// initializer, brace balancing, unclosed and truncated hunk headers, and renamed functions through analyzeDiff.

import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../../src/analysis/extract.js';
import { Program } from '../../src/analysis/program.js';
import { analyzeDiff } from '../../src/review/analyze.js';
import { fnNamed, fragmentFacts, stitchedSource } from './helpers.js';

const XMIT_HEADER = 'static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)';

describe('stitched: a unit that starts inside a function', () => {
  const text = [
    '\tstruct acme_priv *priv = netdev_priv(dev);', // 120
    '', // 121
    '\tspin_lock(&priv->tx_lock);', // 122
    '\tacme_queue(priv, skb);', // 123
    '\tspin_unlock(&priv->tx_lock);', // 124
    '\treturn NETDEV_TX_OK;', // 125
    '}', // 126
    '', // 127
    'static int acme_open(struct net_device *dev)', // 128
    '{', // 129
    '\treturn acme_up(netdev_priv(dev));', // 130
    '}', // 131
    '',
  ].join('\n');
  const facts = fragmentFacts(120, text, XMIT_HEADER);

  it('names the fragment from the hunk header and reads its signature from it', () => {
    const frag = fnNamed(facts, 'acme_start_xmit');
    expect(frag).toMatchObject({ fragment: true, whole: false, isStatic: true, returnType: 'netdev_tx_t', line: 120, paramsComplete: true });
    expect(frag.returnTypeNode).toBeUndefined();
    expect(frag.params).toEqual([
      { name: 'skb', type: 'struct sk_buff *' },
      { name: 'dev', type: 'struct net_device *' },
    ]);
  });

  it('keeps post-image line numbers of the fragment body', () => {
    const frag = fnNamed(facts, 'acme_start_xmit');
    expect(frag.calls.map((c) => `${c.name}@${c.line}`)).toEqual(['netdev_priv@120', 'spin_lock@122', 'acme_queue@123', 'spin_unlock@124']);
    expect(frag.returns.map((r) => `${r.exprText}@${r.line}`)).toEqual(['NETDEV_TX_OK@125']);
  });

  it('reads the whole function that follows the fragment at its real lines', () => {
    const open = fnNamed(facts, 'acme_open');
    expect(open).toMatchObject({ fragment: false, whole: true, line: 128, endLine: 131 });
    expect(open.calls.map((c) => `${c.name}@${c.line}`)).toEqual(['acme_up@130', 'netdev_priv@130']);
  });

  it('ends a fragment at the line of its closing brace', () => {
    expect(fnNamed(facts, 'acme_start_xmit').endLine).toBe(126);
    expect(fnNamed(fragmentFacts(40, '\treturn &priv->stats;\n}\n', 'static struct net_device_stats *acme_get_stats(struct net_device *dev)'), 'acme_get_stats').endLine).toBe(41);
  });

  it('gives the fragment its signature role (it counts as bound)', () => {
    const program = new Program([facts]);
    expect(program.roles(fnNamed(facts, 'acme_start_xmit')).map((r) => `${r.role}/${r.evidence}`)).toEqual(['ndo_start_xmit/signature']);
  });

  it('gives a pointer-returning fragment its return type from the header', () => {
    const f = fragmentFacts(40, '\treturn &priv->stats;\n}\n', 'static struct net_device_stats *acme_get_stats(struct net_device *dev)');
    expect(fnNamed(f, 'acme_get_stats')).toMatchObject({ returnType: 'struct net_device_stats *', line: 40 });
  });
});

describe('stitched: brace balancing', () => {
  it('balances a hunk that starts two blocks deep', () => {
    const text = [
      '\t\t\tnetif_stop_queue(dev);', // 200
      '\t\t\treturn NETDEV_TX_BUSY;', // 201
      '\t\t}', // 202
      '\t}', // 203
      '\tmsleep(1);', // 204
      '\treturn NETDEV_TX_OK;', // 205
      '}', // 206
      '',
      'static void acme_tx_timeout(struct net_device *dev, unsigned int txqueue)', // 208
      '{', // 209
      '\tschedule_work(&acme(dev)->reset_task);', // 210
      '}', // 211
      '',
    ].join('\n');
    const f = fragmentFacts(200, text, XMIT_HEADER);
    expect(f.functions.map((fn) => [fn.name, fn.line, fn.whole])).toEqual([
      ['acme_start_xmit', 200, false],
      ['acme_tx_timeout', 208, true],
    ]);
    expect(fnNamed(f, 'acme_tx_timeout').endLine).toBe(211);
    const frag = fnNamed(f, 'acme_start_xmit');
    expect(frag.calls.map((c) => `${c.name}@${c.line}`)).toEqual(['netif_stop_queue@200', 'msleep@204']);
    expect(frag.returns.map((r) => `${r.exprText}@${r.line}`)).toEqual(['NETDEV_TX_BUSY@201', 'NETDEV_TX_OK@205']);
  });

  it('is not misled by braces in strings, character literals and comments', () => {
    const text = ['\tnetdev_info(dev, "}} odd {");', "\tif (c == '}')", '\t\treturn 1;', '\t/* } */', '\treturn 0;', '}', ''].join('\n');
    const f = fragmentFacts(10, text, 'static int acme_open(struct net_device *dev)');
    const frag = fnNamed(f, 'acme_open');
    expect(frag.line).toBe(10);
    expect(frag.calls.map((c) => `${c.name}@${c.line}`)).toEqual(['netdev_info@10']);
    expect(frag.returns.map((r) => `${r.exprText}@${r.line}`)).toEqual(['1@12', '0@14']);
  });

  it('reads a unit wholly inside a function (no closing brace) as a fragment when its first line is indented', () => {
    const f = fragmentFacts(400, '\tmsleep(10);\n\tnetif_carrier_on(dev);\n', 'static void acme_tx_timeout(struct net_device *dev, unsigned int txqueue)');
    const frag = fnNamed(f, 'acme_tx_timeout');
    expect(frag).toMatchObject({ fragment: true, whole: false, line: 400 });
    expect(frag.calls.map((c) => `${c.name}@${c.line}`)).toEqual(['msleep@400', 'netif_carrier_on@401']);
  });

  it('skips leading blank lines when deciding that a unit is inside a function', () => {
    const f = fragmentFacts(50, '\n\n\tmsleep(1);\n', 'static int acme_probe(struct platform_device *pdev)');
    expect(fnNamed(f, 'acme_probe').calls.map((c) => `${c.name}@${c.line}`)).toEqual(['msleep@52']);
  });

  it('reads a unit that starts at file scope normally, ignoring the header', () => {
    const f = fragmentFacts(10, 'static int acme_open(struct net_device *dev)\n{\n\treturn 0;\n}\n', 'static int acme_other(void)');
    expect(f.functions.map((fn) => [fn.name, fn.line, fn.whole, fn.fragment])).toEqual([['acme_open', 10, true, false]]);
  });

  it('reads a unit wholly inside a function that starts with an error label', () => {
    const text = 'err_unmap:\n\tdma_unmap_single(&pdev->dev, addr, len, DMA_TO_DEVICE);\n\tfree_netdev(ndev);\n\treturn err;\n';
    const f = fragmentFacts(50, text, 'static int acme_probe(struct platform_device *pdev)');
    expect(fnNamed(f, 'acme_probe').calls.map((c) => `${c.name}@${c.line}`)).toEqual(['dma_unmap_single@51', 'free_netdev@52']);
  });

  it('reads a unit wholly inside a function that starts with #ifdef', () => {
    const text = '#ifdef CONFIG_ACME_PTP\n\tacme_ptp_stop(priv);\n#endif\n\tnapi_disable(&priv->napi);\n';
    const f = fragmentFacts(70, text, 'static int acme_close(struct net_device *dev)');
    expect(fnNamed(f, 'acme_close').calls.map((c) => `${c.name}@${c.line}`)).toEqual(['acme_ptp_stop@71', 'napi_disable@73']);
  });
});

describe('stitched: a unit that starts inside a comment at file scope', () => {
  // Found by these tests and fixed in 2e4dabb (blankCommentTail): the unit used to be taken for the inside of
  // the function git names in the hunk header (` *` looked indented), losing the new function.
  it('reads a function that follows the tail of a kernel-doc comment as its own function', () => {
    const text = [
      ' * Return: 0 on success, negative errno otherwise.', // 100
      ' */', // 101
      'static int acme_reset_hw(struct acme_priv *priv)', // 102
      '{', // 103
      '\tmsleep(10);', // 104
      '\treturn 0;', // 105
      '}', // 106
      '',
    ].join('\n');
    const f = fragmentFacts(100, text, 'static int acme_open(struct net_device *dev)');
    expect(f.functions.map((fn) => [fn.name, fn.line, fn.whole, fn.fragment])).toEqual([['acme_reset_hw', 102, true, false]]);
  });

  // Same, through the pipeline: before 2e4dabb, msleep() of the new helper landed in a fragment called
  // acme_start_xmit (the previous function, named by git), and sleep-in-atomic-ndo reported an error on correct code.
  it('does not attribute the calls of functions after a doc comment to the hunk header’s function (analyzeDiff)', async () => {
    const PATH = 'drivers/net/ethernet/acme/acme_main.c';
    const change = await analyzeDiff(`diff --git a/${PATH} b/${PATH}
--- a/${PATH}
+++ b/${PATH}
@@ -120,6 +120,17 @@ static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
  * Return: 0 on success, negative errno otherwise.
  */
 static int acme_configure(struct acme_priv *priv)
 {
+	return acme_reset_hw(priv);
+}
+
+/**
+ * acme_reset_hw - reset the MAC
+ * @priv: driver private data
+ */
+static int acme_reset_hw(struct acme_priv *priv)
+{
+	msleep(10);
 	return 0;
 }
`);
    const fns = [...change.program.functions()];
    expect(fns.map((fn) => fn.name)).toEqual(['acme_configure', 'acme_reset_hw']);
    expect(fns.filter((fn) => fn.calls.some((c) => c.name === 'msleep')).map((fn) => fn.name)).toEqual(['acme_reset_hw']);
  });
});

describe('stitched: unclosed hunk headers', () => {
  it('keeps the leading parameters of a header that continues on the next line', () => {
    const f = fragmentFacts(300, '\t\t\t    int weight)\n{\n\tmsleep(1);\n\treturn 0;\n}\n', 'static int acme_poll_helper(struct acme_priv *priv, struct napi_struct *napi,');
    const frag = fnNamed(f, 'acme_poll_helper');
    expect(frag).toMatchObject({ returnType: 'int', isStatic: true, fragment: true, line: 300, paramsComplete: false });
    expect(frag.params).toEqual([
      { name: 'priv', type: 'struct acme_priv *' },
      { name: 'napi', type: 'struct napi_struct *' },
    ]);
    expect(frag.calls.map((c) => `${c.name}@${c.line}`)).toEqual(['msleep@302']);
  });

  // git cuts the hunk-header function context at 80 bytes (xdiff/xemit.c: `char funcbuf[80]`) and shows only
  // the first line of a wrapped signature. Found by these tests (the fragment got no role at all) and fixed in
  // 2e4dabb (FunctionFacts.paramsComplete).
  it('gives a start_xmit fragment with a wrapped (unclosed) header the ndo_start_xmit role', () => {
    const f = fragmentFacts(6510, '\tstruct acme_priv *priv = netdev_priv(netdev);\n\n\tmsleep(1);\n\treturn NETDEV_TX_OK;\n}\n', 'static netdev_tx_t acme_xmit_frame(struct sk_buff *skb,');
    const program = new Program([f]);
    expect(program.roles(fnNamed(f, 'acme_xmit_frame')).map((r) => r.role)).toEqual(['ndo_start_xmit']);
  });
});

describe('stitched: a unit that starts inside an initializer', () => {
  const OPS_HEADER = 'static const struct net_device_ops acme_netdev_ops = {';

  it('reads the entries under the struct and variable names of the header, at their lines', () => {
    const text = '\t.ndo_stop\t\t= acme_stop,\n\t.ndo_start_xmit\t\t= acme_start_xmit,\n};\n\nstatic int acme_open(struct net_device *dev)\n{\n\treturn 0;\n}\n';
    const f = fragmentFacts(50, text, OPS_HEADER);
    expect(f.initializers.map((i) => [i.structType, i.name, i.line])).toEqual([['net_device_ops', 'acme_netdev_ops', 50]]);
    expect(f.initializers[0].fields.map((x) => `${x.path}=${x.ident}@${x.line}`)).toEqual(['ndo_stop=acme_stop@50', 'ndo_start_xmit=acme_start_xmit@51']);
    expect(f.functions.map((fn) => [fn.name, fn.line, fn.whole])).toEqual([['acme_open', 54, true]]);
  });

  it('reads a unit wholly inside an initializer (no closing brace)', () => {
    const f = fragmentFacts(60, '\t.ndo_open\t\t= acme_open,\n\t.ndo_stop\t\t= acme_stop,\n', OPS_HEADER);
    expect(f.initializers[0].fields.map((x) => `${x.path}=${x.ident}@${x.line}`)).toEqual(['ndo_open=acme_open@60', 'ndo_stop=acme_stop@61']);
  });

  it('binds roles from an initializer fragment (a stitched ops table still proves the role)', () => {
    const ops = fragmentFacts(50, '\t.ndo_start_xmit\t\t= acme_start_xmit,\n};\n', OPS_HEADER);
    const xmit = fragmentFacts(120, '\tmsleep(1);\n\treturn NETDEV_TX_OK;\n}\n', 'static int acme_start_xmit(struct sk_buff *skb, struct net_device *dev)');
    const program = new Program([{ ...ops, functions: xmit.functions }]);
    expect(program.roles(fnNamed(program, 'acme_start_xmit')).map((r) => `${r.role}/${r.evidence}@${r.line}`)).toEqual(['ndo_start_xmit/ops@50']);
  });

  it('reads nested driver initializers from a fragment (.driver = { .pm = &x } → driver.pm)', () => {
    const f = fragmentFacts(80, '\t.remove = acme_remove,\n\t.driver = {\n\t\t.pm = &acme_pm_ops,\n\t},\n};\n', 'static struct pci_driver acme_driver = {');
    expect(f.initializers[0].fields.map((x) => `${x.path}=${x.ident}@${x.line}`)).toEqual(['remove=acme_remove@80', 'driver.pm=acme_pm_ops@82']);
  });

  it('keeps an #ifdef CONFIG_NET_POLL_CONTROLLER entry of an ops-table fragment', () => {
    const text = '\t.ndo_open = acme_open,\n#ifdef CONFIG_NET_POLL_CONTROLLER\n\t.ndo_poll_controller = acme_netpoll,\n#endif\n\t.ndo_stop = acme_stop,\n};\n';
    const f = fragmentFacts(70, text, OPS_HEADER);
    expect(f.initializers[0].fields.map((x) => `${x.path}=${x.ident}@${x.line}`)).toEqual([
      'ndo_open=acme_open@70',
      'ndo_poll_controller=acme_netpoll@72',
      'ndo_stop=acme_stop@74',
    ]);
  });
});

describe('stitched: several units of one file', () => {
  it('reads every unit at its own lines', () => {
    const source = stitchedSource([
      [10, '\tnetif_carrier_off(dev);\n\treturn 0;\n}\n'],
      [90, 'static void acme_set_rx_mode(struct net_device *dev)\n{\n\tacme_write_filters(netdev_priv(dev));\n}\n'],
    ]);
    const f = extractFileFacts(source, (line) => (line === 10 ? 'static int acme_open(struct net_device *dev)' : undefined));
    expect(f.functions.map((fn) => [fn.name, fn.line, fn.fragment])).toEqual([
      ['acme_open', 10, true],
      ['acme_set_rx_mode', 90, false],
    ]);
    expect(fnNamed(f, 'acme_set_rx_mode').endLine).toBe(93);
  });
});

describe('stitched: a hunk inside a function the change renamed (analyzeDiff)', () => {
  const PATH = 'drivers/net/ethernet/acme/acme_main.c';
  const diff = `diff --git a/${PATH} b/${PATH}
--- a/${PATH}
+++ b/${PATH}
@@ -60,7 +60,7 @@ static void acme_tx_clean(struct acme_priv *priv)
 	}
 }
 
-static netdev_tx_t acme_xmit(struct sk_buff *skb, struct net_device *dev)
+static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)
 {
 	struct acme_priv *priv = netdev_priv(dev);
 	unsigned int len = skb->len;
@@ -90,6 +90,7 @@ static netdev_tx_t acme_xmit(struct sk_buff *skb, struct net_device *dev)
 		dev->stats.tx_dropped++;
 		return NETDEV_TX_OK;
 	}
+	msleep(1);
 	acme_kick(priv);
 	return NETDEV_TX_OK;
 }
`;

  it('names the later fragment by the new signature, not by the pre-image header', async () => {
    const change = await analyzeDiff(diff);
    const fns = [...change.program.functions()].map((fn) => [fn.name, fn.line, fn.fragment, fn.whole]);
    expect(fns).toEqual([
      ['acme_tx_clean', 60, true, false],
      ['acme_start_xmit', 63, false, false],
      ['acme_start_xmit', 90, true, false],
    ]);
    const frag = [...change.program.functions()].find((fn) => fn.fragment && fn.name === 'acme_start_xmit')!;
    expect(frag.calls.map((c) => `${c.name}@${c.line}`)).toEqual(['msleep@93', 'acme_kick@94']);
    expect(change.program.roles(frag).map((r) => `${r.role}/${r.evidence}`)).toEqual(['ndo_start_xmit/signature']);
  });

  it('keeps the old name when the hunk header names a function the change did not rename', async () => {
    const change = await analyzeDiff(diff.replace('+static netdev_tx_t acme_start_xmit(', '+static netdev_tx_t acme_xmit('));
    expect([...change.program.functions()].filter((fn) => fn.fragment).map((fn) => fn.name)).toEqual(['acme_tx_clean', 'acme_xmit']);
  });
});
