// Analysis-layer tests: facts of whole files — functions, calls, returns, gotos/labels, assignments, declarations,
// struct initializers and top-level calls — on a realistic (made-up) PCI Ethernet driver.

import { describe, expect, it } from 'vitest';
import { parseC } from '../../src/analysis/parser.js';
import { sanitizeKernelC } from '../../src/analysis/sanitize.js';
import { normalizeType } from '../../src/analysis/extract.js';
import { callNamed, factsOf, fixture, fnNamed, lineOf } from './helpers.js';

const ETH = fixture('acme_eth.c');
const facts = factsOf(ETH);
const at = (marker: string) => lineOf(ETH, marker);

describe('extract: the acme_eth.c fixture', () => {
  it('parses cleanly after sanitizing and reports no error regions or notes', () => {
    expect(parseC(sanitizeKernelC(ETH))?.rootNode.hasError).toBe(false);
    expect(facts.errorNodes).toBe(0);
    expect(facts.notes).toEqual([]);
    expect(facts.completeness).toBe('full');
  });

  it('finds every function definition once, with its first and last line', () => {
    const names = facts.functions.map((f) => f.name);
    expect(names).toHaveLength(new Set(names).size);
    expect(names).toEqual(
      expect.arrayContaining(['acme_rd32', 'acme_hw_reset', 'acme_xmit_frame', 'acme_poll', 'acme_netpoll', 'acme_probe', 'acme_init_module', 'acme_exit_module']),
    );
    expect(facts.functions).toHaveLength(ETH.split('\n').filter((l) => l === '{').length);
    const xmit = fnNamed(facts, 'acme_xmit_frame');
    expect([xmit.line, xmit.endLine]).toEqual([at('static netdev_tx_t acme_xmit_frame('), at('static netdev_tx_t acme_xmit_frame(') + 15]);
    // Every function of a full file is whole and none is a fragment.
    expect(facts.functions.every((f) => f.whole && !f.fragment && f.paramsComplete)).toBe(true);
  });

  it('reads return types (typedefs, pointers on their own line), static, and normalized parameter types', () => {
    const xmit = fnNamed(facts, 'acme_xmit_frame');
    expect(xmit).toMatchObject({ isStatic: true, returnType: 'netdev_tx_t' });
    expect(xmit.params).toEqual([
      { name: 'skb', type: 'struct sk_buff *' },
      { name: 'netdev', type: 'struct net_device *' },
    ]);
    const alloc = fnNamed(facts, 'acme_alloc_rx_skb');
    expect(alloc.returnType).toBe('struct sk_buff *');
    expect(alloc.line).toBe(at('acme_alloc_rx_skb(struct acme_priv') - 1);
    expect(alloc.returnTypeLine).toBe(alloc.line);
    expect(alloc.params).toEqual([
      { name: 'priv', type: 'struct acme_priv *' },
      { name: 'len', type: 'unsigned int' },
    ]);
    // `const struct pci_device_id *ent`: const dropped.
    expect(fnNamed(facts, 'acme_probe').params[1]).toEqual({ name: 'ent', type: 'struct pci_device_id *' });
    // `(void)` is no parameter; `__init` is blanked, not part of the type.
    expect(fnNamed(facts, 'acme_init_module')).toMatchObject({ params: [], returnType: 'int', isStatic: true });
    // `void __iomem *` / `__must_hold(...)`: annotations vanish from the facts.
    expect(fnNamed(facts, 'acme_hw_reset').params).toEqual([{ name: 'priv', type: 'struct acme_priv *' }]);
    expect(fnNamed(facts, 'acme_tx_timeout').params[1]).toEqual({ name: 'txqueue', type: 'unsigned int' });
    expect(fnNamed(facts, 'acme_intr').params).toEqual([
      { name: 'irq', type: 'int' },
      { name: 'data', type: 'void *' },
    ]);
  });

  it('reads calls in document order with names, lines and argument texts', () => {
    const open = fnNamed(facts, 'acme_open');
    expect(open.calls.map((c) => c.name)).toEqual(['netdev_priv', 'request_threaded_irq', 'acme_up', 'netif_start_queue', 'free_irq']);
    const req = callNamed(open, 'request_threaded_irq');
    expect(req.line).toBe(at('err = request_threaded_irq('));
    expect(req.argTexts).toEqual(['priv->pdev->irq', 'acme_intr', 'acme_link_thread', 'IRQF_SHARED', 'netdev->name', 'priv']);
    expect(req.indirect).toBe(false);
    // Calls inside `list_for_each`-style loops and `min_t()` are still calls.
    expect(fnNamed(facts, 'acme_set_rx_mode').calls.map((c) => c.name)).toEqual(['netdev_priv', 'acme_wr32']);
    expect(fnNamed(facts, 'acme_tx_ring_full').calls.map((c) => c.name)).toEqual(['min_t']);
  });

  it('marks calls through a field as indirect', () => {
    const f = factsOf('static void acme_kick(struct acme_priv *priv)\n{\n\tpriv->ops->kick(priv);\n\t(acme_direct)(priv);\n}\n');
    const fn = fnNamed(f, 'acme_kick');
    expect(fn.calls.map((c) => [c.name, c.indirect])).toEqual([
      ['kick', true],
      ['acme_direct', false],
    ]);
  });

  it('reads returns with their expression text and line', () => {
    const xmit = fnNamed(facts, 'acme_xmit_frame');
    expect(xmit.returns.map((r) => [r.exprText, r.line])).toEqual([
      ['NETDEV_TX_BUSY', at('return NETDEV_TX_BUSY;')],
      ['NETDEV_TX_OK', at('return NETDEV_TX_OK;')],
    ]);
    expect(fnNamed(facts, 'acme_io_resume').returns).toEqual([]);
    const bare = fnNamed(factsOf('static void f(int x)\n{\n\tif (x)\n\t\treturn;\n\tg();\n}\n'), 'f');
    expect(bare.returns.map((r) => [r.exprText, r.line, r.expr])).toEqual([['', 4, undefined]]);
  });

  it('reads gotos and labels of an error ladder', () => {
    const probe = fnNamed(facts, 'acme_probe');
    expect(probe.gotos.map((g) => [g.label, g.line])).toEqual([
      ['err_alloc', at('goto err_alloc;')],
      ['err_ioremap', at('goto err_ioremap;')],
      ['err_register', at('goto err_register;')],
    ]);
    expect([...probe.labels]).toEqual([
      ['err_register', at('err_register:')],
      ['err_ioremap', at('err_ioremap:')],
      ['err_alloc', at('err_alloc:')],
    ]);
  });

  it('reads assignments (plain and compound) with both sides', () => {
    const probe = fnNamed(facts, 'acme_probe');
    const ops = probe.assigns.find((a) => a.leftText === 'netdev->netdev_ops');
    expect(ops).toMatchObject({ rightText: '&acme_netdev_ops', operator: '=', line: at('netdev->netdev_ops = &acme_netdev_ops;') });
    expect(probe.assigns.filter((a) => a.leftText === 'err').map((a) => a.rightText)).toEqual([
      'pci_enable_device_mem(pdev)',
      '-ENOMEM',
      '-EIO',
      'register_netdev(netdev)',
    ]);
    const f = factsOf('static void f(struct acme_priv *p)\n{\n\tp->rx_bytes += 4;\n\tp->flags |= BIT(3);\n}\n');
    expect(fnNamed(f, 'f').assigns.map((a) => [a.leftText, a.operator, a.rightText])).toEqual([
      ['p->rx_bytes', '+=', '4'],
      ['p->flags', '|=', 'BIT(3)'],
    ]);
  });

  it('reads local declarations with normalized types and initializers', () => {
    const f = factsOf(`static int acme_rx(struct acme_priv *priv)
{
	struct sk_buff *skb = NULL, **slot;
	const struct acme_desc *desc = priv->ring + priv->next;
	unsigned int len, i = 0;
	u8 buf[ETH_ALEN];
	void (*cb)(struct sk_buff *) = priv->cb;

	return 0;
}
`);
    const decls = fnNamed(f, 'acme_rx').decls.map((d) => [d.name, d.type, d.line, d.initText]);
    expect(decls).toEqual([
      ['skb', 'struct sk_buff *', 3, 'NULL'],
      ['slot', 'struct sk_buff **', 3, undefined],
      ['desc', 'struct acme_desc *', 4, 'priv->ring + priv->next'],
      ['len', 'unsigned int', 5, undefined],
      ['i', 'unsigned int', 5, '0'],
      ['buf', 'u8', 6, undefined],
    ]);
  });

  it('reads file-scope declarations as globals', () => {
    const f = factsOf('static struct net_device *acme_dev;\nstatic int acme_debug = -1;\nstatic const char acme_name[] = "acme";\n');
    expect(f.globals.map((g) => [g.name, g.type])).toEqual([
      ['acme_dev', 'struct net_device *'],
      ['acme_debug', 'int'],
      ['acme_name', 'char'],
    ]);
  });

  it('normalizes types', () => {
    expect(normalizeType('const struct net_device  *')).toBe('struct net_device *');
    expect(normalizeType('char * *')).toBe('char **');
    expect(normalizeType('  unsigned   long ')).toBe('unsigned long');
    expect(normalizeType('static inline u32')).toBe('u32');
  });
});

describe('extract: initializers and top-level calls', () => {
  const init = (name: string) => {
    const found = facts.initializers.filter((i) => i.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('reads net_device_ops entries, including the one inside #ifdef CONFIG_NET_POLL_CONTROLLER', () => {
    const ops = init('acme_netdev_ops');
    expect(ops.structType).toBe('net_device_ops');
    expect(ops.line).toBe(at('static const struct net_device_ops acme_netdev_ops'));
    expect(ops.fields.map((f) => [f.path, f.ident])).toEqual([
      ['ndo_open', 'acme_open'],
      ['ndo_stop', 'acme_close'],
      ['ndo_start_xmit', 'acme_xmit_frame'],
      ['ndo_set_rx_mode', 'acme_set_rx_mode'],
      ['ndo_get_stats64', 'acme_get_stats64'],
      ['ndo_tx_timeout', 'acme_tx_timeout'],
      ['ndo_change_mtu', 'acme_change_mtu'],
      ['ndo_set_features', 'acme_set_features'],
      ['ndo_validate_addr', 'eth_validate_addr'],
      ['ndo_poll_controller', 'acme_netpoll'],
    ]);
    expect(ops.fields.find((f) => f.path === 'ndo_poll_controller')?.line).toBe(at('.ndo_poll_controller'));
  });

  it('flattens nested designators: .driver = { .pm = &x } is driver.pm, with & stripped from ident', () => {
    const drv = init('acme_driver');
    expect(drv.structType).toBe('pci_driver');
    expect(drv.fields.map((f) => [f.path, f.value, f.ident ?? null])).toEqual([
      ['name', '"acme_eth"', null],
      ['id_table', 'acme_pci_tbl', 'acme_pci_tbl'],
      ['probe', 'acme_probe', 'acme_probe'],
      ['remove', 'acme_remove', 'acme_remove'],
      ['driver.pm', '&acme_pm_ops', 'acme_pm_ops'],
      ['err_handler', '&acme_err_handler', 'acme_err_handler'],
    ]);
    const dotted = factsOf('static struct virtio_driver acme_vdrv = {\n\t.driver.name = KBUILD_MODNAME,\n\t.probe = acme_vprobe,\n};\n');
    expect(dotted.initializers[0].fields.map((f) => f.path)).toEqual(['driver.name', 'probe']);
  });

  it('keeps macro-built entries of an initializer as macro calls', () => {
    const pm = init('acme_pm_ops');
    expect(pm.fields.map((f) => f.path)).toEqual(['runtime_suspend', 'runtime_resume']);
    expect(pm.macroCalls.map((c) => [c.name, c.argTexts, c.line])).toEqual([
      ['SET_SYSTEM_SLEEP_PM_OPS', ['acme_suspend', 'acme_resume'], at('SET_SYSTEM_SLEEP_PM_OPS(')],
    ]);
  });

  it('keeps both of two adjacent PM macros (no comma between them, as in igb)', () => {
    const f = factsOf(`static const struct dev_pm_ops acme_pm_ops = {
	SET_SYSTEM_SLEEP_PM_OPS(acme_suspend, acme_resume)
	SET_RUNTIME_PM_OPS(acme_runtime_suspend, acme_runtime_resume,
			   acme_runtime_idle)
};
`);
    expect(f.initializers[0].macroCalls.map((c) => [c.name, c.argTexts.length, c.line])).toEqual([
      ['SET_SYSTEM_SLEEP_PM_OPS', 2, 2],
      ['SET_RUNTIME_PM_OPS', 3, 3],
    ]);
  });

  it('reads a PM macro followed by a designated field (no comma between them)', () => {
    const f = factsOf(`static const struct dev_pm_ops acme_pm_ops = {
	SET_SYSTEM_SLEEP_PM_OPS(acme_suspend, acme_resume)
	.runtime_suspend	= acme_runtime_suspend,
	.runtime_resume		= acme_runtime_resume,
};
`);
    const pm = f.initializers[0];
    expect(pm.macroCalls.map((c) => c.name)).toEqual(['SET_SYSTEM_SLEEP_PM_OPS']);
    expect(pm.fields.map((f) => f.path)).toEqual(['runtime_suspend', 'runtime_resume']);
  });

  it('reads ops tables declared without static/const, and arrays of initializers are not ops', () => {
    const f = factsOf('struct net_device_ops acme_ops = {\n\t.ndo_open = acme_open,\n};\n');
    expect(f.initializers.map((i) => [i.structType, i.name, i.fields.length])).toEqual([['net_device_ops', 'acme_ops', 1]]);
    const tbl = facts.initializers.find((i) => i.name === 'acme_pci_tbl');
    expect(tbl?.fields).toEqual([]);
  });

  it('reads top-level statement-like macro calls: module_init/exit, MODULE_*', () => {
    expect(facts.topLevelCalls.map((c) => [c.name, c.argTexts.join(','), c.line])).toEqual([
      ['MODULE_DEVICE_TABLE', 'pci,acme_pci_tbl', at('MODULE_DEVICE_TABLE(')],
      ['module_init', 'acme_init_module', at('module_init(')],
      ['module_exit', 'acme_exit_module', at('module_exit(')],
      ['MODULE_LICENSE', '"GPL"', at('MODULE_LICENSE(')],
    ]);
  });

  it('reads top-level calls and functions inside #ifdef MODULE / #else', () => {
    const f = factsOf(`#ifdef MODULE
static int acme_init(void)
{
	return 0;
}
module_init(acme_init);
#else
static int __init acme_setup(char *str)
{
	return 1;
}
__setup("acme=", acme_setup);
#endif
`);
    expect(f.functions.map((fn) => fn.name)).toEqual(['acme_init', 'acme_setup']);
    expect(f.topLevelCalls.map((c) => c.name)).toEqual(['module_init', '__setup']);
  });

  it('reads a SIMPLE_DEV_PM_OPS declaration as a top-level call', () => {
    const f = factsOf('static SIMPLE_DEV_PM_OPS(acme_pm_ops, acme_suspend, acme_resume);\n');
    expect(f.topLevelCalls.map((c) => [c.name, c.argTexts])).toEqual([['SIMPLE_DEV_PM_OPS', ['acme_pm_ops', 'acme_suspend', 'acme_resume']]]);
  });
});

describe('extract: identifiers of a function', () => {
  it('answers mentions / mentionsAny / identifiers from the function text only', () => {
    const reset = fnNamed(facts, 'acme_reset_task');
    expect(reset.mentions('rtnl_lock')).toBe(true);
    expect(reset.mentions('register_netdev')).toBe(false);
    expect(reset.mentionsAny(['nothing', 'acme_close'])).toBe(true);
    expect(reset.identifiers().has('reset_task')).toBe(true);
  });
});
