// Analysis-layer tests: the kernel-C sanitizer keeps positions exact and turns kernel idioms into C the grammar accepts.

import { describe, expect, it } from 'vitest';
import { sanitizeKernelC } from '../../src/analysis/sanitize.js';
import { parseC } from '../../src/analysis/parser.js';
import { factsOf, fnNamed } from './helpers.js';

/** Small deterministic PRNG (mulberry32), so a failing property case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tokens that exercise every rewrite of the sanitizer, and the characters around them. */
const TOKENS = [
  '__iomem', '__user', '__rcu', '__must_hold(', '__acquires(', '__aligned(8)', '__printf(2, 3)', 'fallthrough', '__init',
  'list_for_each_entry', 'for_each_set_bit', 'netdev_for_each_mc_addr', '} else ', 'while',
  'container_of(', 'struct', 'union', 'enum', ' foo', ' bar', 'sizeof', 'sizeof(', 'min_t(', 'int', 'unsigned', 'long',
  'char', 'bool', 'short', 'case', ' ... ', '...', ':', '1000baseT_Full', '10', 'base',
  'static ', 'const ', 'SIMPLE_DEV_PM_OPS', 'SET_SYSTEM_SLEEP_PM_OPS(', 'static const struct net_device_ops acme_ops = {',
  '#ifdef CONFIG_NET_POLL_CONTROLLER', '#if X', '#else', '#endif', '#', '};', '}', '{', '(', ')', ',', ';', '=',
  ' ', ' ', '\t', '\n', '\n', '\n', '\r\n', "'", '"', '/*', '*/', '//', '\\', 'é', '\u{1F600}', '\u0000',
];

function randomText(next: () => number): string {
  const n = Math.floor(next() * 120);
  let s = '';
  for (let i = 0; i < n; i++) {
    if (next() < 0.1) s += String.fromCharCode(Math.floor(next() * 0x3000));
    else s += TOKENS[Math.floor(next() * TOKENS.length)];
  }
  return s;
}

const newlineOffsets = (s: string): number[] => Array.from(s.matchAll(/\n/g), (m) => m.index ?? -1);

/** Parses sanitized text and reports whether the tree has any ERROR or MISSING node. */
function hasErrorAfterSanitizing(text: string): boolean {
  const tree = parseC(sanitizeKernelC(text));
  expect(tree, 'parse hit the time bound').toBeDefined();
  return tree!.rootNode.hasError;
}

describe('sanitizeKernelC: positions', () => {
  it('keeps length and newline offsets for 3000 random token soups', () => {
    const next = rng(0x5eed);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(next);
      const out = sanitizeKernelC(text);
      expect(out.length, `case ${i}: ${JSON.stringify(text)}`).toBe(text.length);
      expect(newlineOffsets(out), `case ${i}: ${JSON.stringify(text)}`).toEqual(newlineOffsets(text));
    }
  });

  it('only blanks: every changed character becomes a space, an underscore, `+` or part of `while`', () => {
    const next = rng(42);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(next);
      const out = sanitizeKernelC(text);
      const bad: number[] = [];
      for (let k = 0; k < text.length; k++) if (out[k] !== text[k] && !' _+while'.includes(out[k])) bad.push(k);
      if (bad.length > 0) expect.fail(`case ${i} offsets ${bad.join(',')}: ${JSON.stringify(text)} -> ${JSON.stringify(out)}`);
    }
  });

  it('keeps length for arbitrary UTF-16 (lone surrogates, CR, NUL)', () => {
    const next = rng(7);
    for (let i = 0; i < 500; i++) {
      const len = Math.floor(next() * 200);
      const text = Array.from({ length: len }, () => String.fromCharCode(Math.floor(next() * 0x10000))).join('');
      const out = sanitizeKernelC(text);
      expect(out.length).toBe(text.length);
      expect(newlineOffsets(out)).toEqual(newlineOffsets(text));
    }
  });

  it('leaves plain C untouched', () => {
    const text = 'static int acme_open(struct net_device *dev)\n{\n\tstruct acme_priv *priv = netdev_priv(dev);\n\n\treturn acme_up(priv);\n}\n';
    expect(sanitizeKernelC(text)).toBe(text);
  });
});

describe('sanitizeKernelC: kernel idioms parse without ERROR nodes', () => {
  const cases: Record<string, string> = {
    '__iomem pointers and fields': `struct acme_regs {
	u32 __iomem *ctrl;
};

static u32 acme_rd(struct acme_priv *priv, u32 reg)
{
	void __iomem *base = priv->hw_addr;

	return readl(base + reg);
}
`,
    '__must_hold(x) between signature and body': `static void acme_reset_locked(struct acme_priv *priv)
	__must_hold(&priv->lock)
{
	acme_wr32(priv, ACME_CTRL, ACME_CTRL_RST);
}
`,
    '__acquires / __releases with nested parentheses': `static void acme_lock(struct acme_priv *priv) __acquires(&(priv)->lock)
{
	spin_lock(&priv->lock);
}
`,
    'list_for_each_entry(...) { as a loop head': `static void acme_flush_filters(struct acme_priv *priv)
{
	struct acme_filter *f, *tmp;

	list_for_each_entry(f, &priv->filters, list) {
		acme_hw_del_filter(priv, f);
	}
	list_for_each_entry_safe(f, tmp, &priv->filters, list)
		kfree(f);
}
`,
    '} else for_each_...(...) {': `static void acme_irq_affinity(struct acme_priv *priv, bool all)
{
	int cpu;

	if (all) {
		acme_set_all(priv);
	} else for_each_online_cpu(cpu) {
		acme_set_one(priv, cpu);
	}
}
`,
    'container_of(p, struct foo, m)': `static void acme_reset_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, reset_task);
	struct acme_ring *ring = list_entry(priv->rings.next, struct acme_ring, list);

	acme_reset(priv, ring);
}
`,
    'min_t / max_t with primitive types': `static int acme_budget(int a, int b)
{
	unsigned long long big = max_t(unsigned long long, a, b);

	return min_t(int, a, b) + clamp_t(unsigned int, a, 0, 64) + (int)big;
}
`,
    'static SIMPLE_DEV_PM_OPS(...) at file scope': `static int acme_suspend(struct device *dev)
{
	return 0;
}

static SIMPLE_DEV_PM_OPS(acme_pm_ops, acme_suspend, acme_resume);
static DEFINE_SPINLOCK(acme_list_lock);
`,
    '#ifdef inside an ops initializer': `static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
	.ndo_stop		= acme_stop,
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_poll_controller	= acme_netpoll,
#endif
	.ndo_start_xmit		= acme_start_xmit,
};
`,
    '#if / #else inside a driver initializer with a nested .driver': `static struct platform_driver acme_driver = {
	.probe = acme_probe,
	.driver = {
		.name = "acme",
#if IS_ENABLED(CONFIG_PM)
		.pm = &acme_pm_ops,
#else
		.pm = NULL,
#endif
	},
};
`,
    'case 1 ... 5: GNU ranges': `static int acme_speed_class(int s)
{
	switch (s) {
	case 1 ... 5:
		return 1;
	case 'a' ... 'z':
		return 2;
	default:
		return 0;
	}
}
`,
    'fallthrough; and __maybe_unused / __init': `static int __maybe_unused acme_mode(int m)
{
	switch (m) {
	case 0:
		m++;
		fallthrough;
	case 1:
		return m;
	}
	return 0;
}

static int __init acme_init(void)
{
	return 0;
}
`,
    'link-mode tokens as macro arguments': `static void acme_get_link_ksettings(struct acme_priv *priv, struct ethtool_link_ksettings *ks)
{
	ethtool_link_ksettings_add_link_mode(ks, supported, 1000baseT_Full);
	ethtool_link_ksettings_add_link_mode(ks, supported, 10000baseKR_Full);
}
`,
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, () => {
      expect(sanitizeKernelC(text).length).toBe(text.length);
      expect(hasErrorAfterSanitizing(text)).toBe(false);
    });
  }

  it('keeps sizeof(struct foo), which the rules read the type from', () => {
    const text = 'static void *acme_alloc(void)\n{\n\treturn kzalloc(sizeof(struct net_device), GFP_KERNEL);\n}\n';
    expect(sanitizeKernelC(text)).toContain('sizeof(struct net_device)');
    expect(sanitizeKernelC('\tp = container_of(x, struct foo, m);')).toBe('\tp = container_of(x,        foo, m);');
  });

  it('leaves #ifdef at file scope alone (only initializers lose their conditionals)', () => {
    const text = '#ifdef CONFIG_PM\nstatic int acme_suspend(struct device *d)\n{\n\treturn 0;\n}\n#endif\n';
    expect(sanitizeKernelC(text)).toBe(text);
  });

  it('keeps both branches of an #ifdef inside an ops initializer as fields', () => {
    const facts = factsOf(`static const struct net_device_ops acme_netdev_ops = {
	.ndo_open		= acme_open,
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_poll_controller	= acme_netpoll,
#endif
	.ndo_stop		= acme_stop,
};
`);
    expect(facts.initializers[0].fields.map((f) => `${f.path}=${f.ident}@${f.line}`)).toEqual([
      'ndo_open=acme_open@2',
      'ndo_poll_controller=acme_netpoll@4',
      'ndo_stop=acme_stop@6',
    ]);
  });

  it('keeps a for_each-named function call statement (idr_for_each(...);) as a call', () => {
    const facts = factsOf(`static void acme_free_ack_frames(struct acme_priv *priv)
{
	idr_for_each(&priv->ack_idr, acme_free_ack_frame, NULL);
	idr_destroy(&priv->ack_idr);
}
`);
    expect(fnNamed(facts, 'acme_free_ack_frames').calls.map((c) => c.name)).toEqual(['idr_for_each', 'idr_destroy']);
  });
});
