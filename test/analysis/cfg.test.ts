// Analysis-layer tests: the statement-level CFG — branches, loops, switch fall-through, goto ladders,
// #ifdef blocks in bodies, early returns and unreachable code — and path exploration over it.

import { describe, expect, it } from 'vitest';
import { buildCfg, predecessors, type Cfg, type CfgNode } from '../../src/analysis/cfg.js';
import type { FunctionFacts } from '../../src/analysis/facts.js';
import { explorePaths, MAX_PATH_STEPS } from '../../src/analysis/paths.js';
import { nodeText } from '../../src/analysis/syntax.js';
import { callNamed, factsOf, fnNamed, fragmentFacts } from './helpers.js';

interface Graph {
  fn: FunctionFacts;
  cfg: Cfg;
  /** CFG node holding the `nth` call of `name`. */
  at(name: string, nth?: number): number;
  /** Short names of a node's successors: the callee of a simple statement, `cond <expr>`, `return x`, `label x`, `exit`. */
  succ(id: number): string[];
  reachable(): Set<number>;
  /** True when the node holding the call `name` can be reached from the entry. */
  reaches(name: string, nth?: number): boolean;
}

function graph(code: string, name: string): Graph {
  const fn = fnNamed(factsOf(code), name);
  const cfg = buildCfg(fn);
  const src = fn.text.src;
  const label = (n: CfgNode): string => {
    if (n.kind === 'exit' || n.kind === 'entry') return n.kind;
    if (n.kind === 'label') return `label ${n.label}`;
    if (n.kind === 'return' || n.kind === 'goto') return nodeText(src, n.ast!).replace(/;$/, '');
    if (n.kind === 'cond') return n.ast ? `cond ${nodeText(src, n.ast)}` : 'cond';
    const text = n.ast ? nodeText(src, n.ast) : '';
    return /^(\w+)\(/.exec(text.replace(/^\w+ = /, ''))?.[1] ?? text;
  };
  const g: Graph = {
    fn,
    cfg,
    at(callName, nth = 0) {
      const id = cfg.nodeOfCall.get(callNamed(fn, callName, nth).node.startIndex);
      expect(id, `CFG node of ${callName}`).toBeDefined();
      return id!;
    },
    succ: (id) => cfg.nodes[id].succ.map((e) => label(cfg.nodes[e.to]) + (e.branch ? ` [${e.branch}]` : '')),
    reachable() {
      const seen = new Set<number>([cfg.entry]);
      const stack = [cfg.entry];
      while (stack.length > 0) {
        for (const e of cfg.nodes[stack.pop()!].succ) {
          if (seen.has(e.to)) continue;
          seen.add(e.to);
          stack.push(e.to);
        }
      }
      return seen;
    },
    reaches: (callName, nth = 0) => g.reachable().has(g.at(callName, nth)),
  };
  return g;
}

describe('cfg: branches and early returns', () => {
  const g = graph(
    `static int acme_open(struct net_device *dev)
{
	struct acme_priv *priv = netdev_priv(dev);
	int err;

	if (!priv->hw)
		return -ENODEV;
	if (priv->fw_loaded) {
		acme_warm_start(priv);
	} else if (priv->fw_name) {
		err = acme_load_fw(priv);
		if (err)
			return err;
	} else {
		acme_cold_start(priv);
	}
	acme_enable(priv);
	return 0;
	acme_never(priv);
}
`,
    'acme_open',
  );

  it('gives an if both branches, labelled, joining after it', () => {
    const warm = g.at('acme_warm_start');
    expect(g.succ(warm)).toEqual(['acme_enable']);
    expect(g.succ(g.at('acme_cold_start'))).toEqual(['acme_enable']);
    const cond = g.cfg.nodes.find((n) => n.kind === 'cond' && n.ast && nodeText(g.fn.text.src, n.ast) === 'priv->fw_loaded')!;
    expect(g.succ(cond.id)).toEqual(['acme_warm_start [true]', 'cond priv->fw_name [false]']);
    expect(cond.line).toBe(8);
  });

  it('sends an early return to the exit node', () => {
    const returns = g.cfg.nodes.filter((n) => n.kind === 'return').sort((a, b) => a.line - b.line);
    expect(returns.map((n) => [nodeText(g.fn.text.src, n.ast!), n.line, g.succ(n.id)])).toEqual([
      ['return -ENODEV;', 7, ['exit']],
      ['return err;', 13, ['exit']],
      ['return 0;', 18, ['exit']],
    ]);
  });

  it('leaves a call after an unconditional return unreachable, and everything else reachable', () => {
    expect(g.reaches('acme_never')).toBe(false);
    for (const name of ['netdev_priv', 'acme_warm_start', 'acme_load_fw', 'acme_cold_start', 'acme_enable']) expect(g.reaches(name), name).toBe(true);
    expect(g.reachable().has(g.cfg.exit)).toBe(true);
  });

  it('lists predecessors consistently with successors', () => {
    const preds = predecessors(g.cfg);
    expect(preds[g.at('acme_never')]).toEqual([]);
    expect(preds[g.at('acme_enable')].map((p) => g.cfg.nodes[p].line).sort((a, b) => a - b)).toEqual([9, 12, 15]);
    expect(predecessors(g.cfg)).toBe(preds);
  });
});

describe('cfg: loops', () => {
  const g = graph(
    `static int acme_clean_tx(struct acme_priv *priv, int budget)
{
	int i, done = 0;

	for (i = 0; i < budget; i++) {
		if (acme_desc_busy(priv, i))
			continue;
		if (acme_ring_empty(priv))
			break;
		acme_free_desc(priv, i);
		done++;
	}
	while (acme_pending(priv)) {
		acme_drain_one(priv);
	}
	do {
		acme_kick(priv);
		if (acme_kick_failed(priv))
			break;
		acme_count_kick(priv);
	} while (0);
	do {
		acme_poll_hw(priv);
	} while (acme_hw_busy(priv));
	for (;;) {
		if (acme_idle(priv))
			break;
	}
	return done;
}
`,
    'acme_clean_tx',
  );

  it('sends continue to the for update and break past the loop', () => {
    const cont = g.cfg.nodes[g.at('acme_desc_busy')];
    expect(g.succ(cont.id)).toEqual(['i++ [true]', 'cond acme_ring_empty(priv) [false]']);
    expect(g.succ(g.at('acme_ring_empty'))).toEqual(['cond acme_pending(priv) [true]', 'acme_free_desc [false]']);
  });

  it('closes the for loop through its update back to the condition, which exits when false', () => {
    const update = g.cfg.nodes.find((n) => n.ast && nodeText(g.fn.text.src, n.ast) === 'i++')!;
    expect(g.succ(update.id)).toEqual(['cond i < budget']);
    const cond = g.cfg.nodes.find((n) => n.kind === 'cond' && n.ast && nodeText(g.fn.text.src, n.ast) === 'i < budget')!;
    expect(g.succ(cond.id)).toEqual(['cond acme_desc_busy(priv, i) [true]', 'cond acme_pending(priv) [false]']);
  });

  it('loops a while back to its condition', () => {
    expect(g.succ(g.at('acme_drain_one'))).toEqual(['cond acme_pending(priv)']);
    expect(g.succ(g.at('acme_pending'))).toEqual(['acme_drain_one [true]', 'acme_kick [false]']);
  });

  it('does not loop a do { } while (0), and a break inside it leaves it', () => {
    expect(g.succ(g.at('acme_kick_failed'))).toEqual(['acme_poll_hw [true]', 'acme_count_kick [false]']);
    const once = g.cfg.nodes[g.at('acme_count_kick')].succ[0].to;
    expect(g.cfg.nodes[once].kind).toBe('cond');
    expect(g.succ(once)).toEqual(['acme_poll_hw [false]']);
  });

  it('loops a do { } while (cond) back to its body', () => {
    expect(g.succ(g.at('acme_hw_busy'))).toEqual(['acme_poll_hw [true]', 'cond [false]']);
    expect(g.succ(g.at('acme_poll_hw'))).toEqual(['cond acme_hw_busy(priv)']);
  });

  it('sends break in an inner loop to the outer loop, and continue inside a switch to the loop', () => {
    const h = graph(
      `static void acme_scan(struct acme_priv *priv)
{
	int q, d;

	for (q = 0; q < priv->nq; q++) {
		for (d = 0; d < ACME_RING; d++) {
			if (acme_desc_done(priv, q, d))
				break;
		}
		switch (acme_queue_state(priv, q)) {
		case ACME_Q_IDLE:
			continue;
		default:
			acme_queue_kick(priv, q);
		}
		acme_queue_stat(priv, q);
	}
}
`,
      'acme_scan',
    );
    expect(h.succ(h.at('acme_desc_done'))).toEqual(['cond acme_queue_state(priv, q) [true]', 'd++ [false]']);
    const sw = h.at('acme_queue_state');
    expect(h.succ(sw)).toEqual(['q++', 'acme_queue_kick']);
    expect(h.succ(h.at('acme_queue_kick'))).toEqual(['acme_queue_stat']);
    expect(h.succ(h.at('acme_queue_stat'))).toEqual(['q++']);
  });

  it('gives for (;;) no false edge: only break leaves it', () => {
    const forever = g.cfg.nodes.find((n) => n.kind === 'cond' && !n.ast && n.line === 25)!;
    expect(forever.succ.map((e) => e.branch)).toEqual(['true']);
    expect(g.succ(g.at('acme_idle'))).toEqual(['return done [true]', 'cond [false]']);
  });
});

describe('cfg: switch', () => {
  const g = graph(
    `static void acme_link_change(struct acme_priv *priv, int speed)
{
	switch (speed) {
	case SPEED_10:
		acme_set_10(priv);
		fallthrough;
	case SPEED_100:
		acme_set_100(priv);
		break;
	case SPEED_1000 ... SPEED_2500:
		acme_set_1000(priv);
		return;
	default:
		acme_set_unknown(priv);
	}
	acme_link_done(priv);
	switch (priv->duplex) {
	case DUPLEX_FULL:
		acme_set_full(priv);
		break;
	}
	acme_duplex_done(priv);
}
`,
    'acme_link_change',
  );

  it('enters every case from the switch, with no bypass edge when there is a default', () => {
    const sw = g.cfg.nodes.find((n) => n.kind === 'cond' && n.line === 3)!;
    expect(g.succ(sw.id)).toEqual(['acme_set_10', 'acme_set_100', 'acme_set_1000', 'acme_set_unknown']);
  });

  it('falls through from one case into the next (fallthrough; is an empty statement)', () => {
    expect(g.succ(g.at('acme_set_10'))).toEqual([';']);
    const semi = g.cfg.nodes[g.at('acme_set_10')].succ[0].to;
    expect(g.succ(semi)).toEqual(['acme_set_100']);
  });

  it('sends break past the switch and lets the default fall out of it', () => {
    expect(g.succ(g.at('acme_set_100'))).toEqual(['acme_link_done']);
    expect(g.succ(g.at('acme_set_unknown'))).toEqual(['acme_link_done']);
    expect(g.succ(g.at('acme_set_1000'))).toEqual(['return']);
  });

  it('adds a bypass edge to a switch without default', () => {
    const sw = g.cfg.nodes.find((n) => n.kind === 'cond' && n.line === 17)!;
    expect(g.succ(sw.id)).toEqual(['acme_set_full', 'acme_duplex_done']);
    expect(g.succ(g.at('acme_set_full'))).toEqual(['acme_duplex_done']);
  });
});

describe('cfg: goto ladders', () => {
  const g = graph(
    `static int acme_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	int err;

	ndev = alloc_etherdev(sizeof(struct acme_priv));
	if (!ndev)
		return -ENOMEM;
	err = acme_map(ndev);
	if (err)
		goto err_free;
	err = acme_irq(ndev);
	if (err)
		goto err_unmap;
	err = register_netdev(ndev);
	if (err)
		goto err_irq;
	return 0;
	acme_dead_after_return(ndev);

err_irq:
	acme_free_irq(ndev);
err_unmap:
	acme_unmap(ndev);
err_free:
	free_netdev(ndev);
	return err;
}
`,
    'acme_probe',
  );

  it('makes one label node per label, falling through to the next label', () => {
    const labels = g.cfg.nodes.filter((n) => n.kind === 'label').map((n) => [n.label, n.line, g.succ(n.id)]);
    expect(labels).toEqual([
      ['err_irq', 21, ['acme_free_irq']],
      ['err_unmap', 23, ['acme_unmap']],
      ['err_free', 25, ['free_netdev']],
    ]);
    expect(g.succ(g.at('acme_free_irq'))).toEqual(['label err_unmap']);
    expect(g.succ(g.at('acme_unmap'))).toEqual(['label err_free']);
    expect(g.succ(g.at('free_netdev'))).toEqual(['return err']);
  });

  it('jumps from each goto to its label', () => {
    const gotos = g.cfg.nodes.filter((n) => n.kind === 'goto').map((n) => [n.line, g.succ(n.id)]);
    expect(gotos.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [11, ['label err_free']],
      [14, ['label err_unmap']],
      [17, ['label err_irq']],
    ]);
  });

  it('reaches the labels only through gotos: a call after return 0 stays unreachable', () => {
    expect(g.reaches('acme_dead_after_return')).toBe(false);
    expect(g.reaches('acme_free_irq')).toBe(true);
    const preds = predecessors(g.cfg);
    const errIrq = g.cfg.nodes.find((n) => n.label === 'err_irq')!;
    expect(preds[errIrq.id].map((p) => g.cfg.nodes[p].kind).sort()).toEqual(['goto', 'stmt']);
  });

  it('sends a goto to an unknown label to the exit', () => {
    const h = graph('static void f(void)\n{\n\tgoto nowhere;\n}\n', 'f');
    const jump = h.cfg.nodes.find((n) => n.kind === 'goto')!;
    expect(jump.succ).toEqual([{ to: h.cfg.exit }]);
  });
});

describe('cfg: #ifdef blocks inside a body', () => {
  const g = graph(
    `static void acme_rx_hash(struct acme_priv *priv, struct sk_buff *skb)
{
	acme_rx_csum(priv, skb);
#ifdef CONFIG_ACME_RSS
	acme_rx_rss(priv, skb);
#else
	acme_rx_no_rss(priv, skb);
#endif
#if IS_ENABLED(CONFIG_ACME_PTP)
	acme_rx_ts(priv, skb);
#endif
	acme_rx_done(priv, skb);
}
`,
    'acme_rx_hash',
  );

  it('makes both branches of #ifdef/#else paths, and #if without #else optional', () => {
    const ifdef = g.cfg.nodes[g.at('acme_rx_csum')].succ[0].to;
    expect(g.succ(ifdef)).toEqual(['acme_rx_rss', 'acme_rx_no_rss']);
    const afterRss = g.cfg.nodes[g.at('acme_rx_rss')].succ[0].to;
    expect(afterRss).toBe(g.cfg.nodes[g.at('acme_rx_no_rss')].succ[0].to);
    expect(g.cfg.nodes[afterRss].kind).toBe('cond');
    expect(g.reaches('acme_rx_ts')).toBe(true);
    expect(g.reaches('acme_rx_done')).toBe(true);
    // Both the path through acme_rx_ts and the one around it end at acme_rx_done.
    const paths = new Set<string>();
    const walk = (id: number, seen: string[]) => {
      const n = g.cfg.nodes[id];
      if (id === g.cfg.exit) return void paths.add(seen.join(' '));
      const calls = n.ast ? g.fn.calls.filter((c) => n.ast!.startIndex <= c.node.startIndex && c.node.endIndex <= n.ast!.endIndex && c.name.startsWith('acme_')) : [];
      for (const e of n.succ) walk(e.to, [...seen, ...calls.map((c) => c.name)]);
    };
    walk(g.cfg.entry, []);
    expect([...paths].sort()).toEqual([
      'acme_rx_csum acme_rx_no_rss acme_rx_done',
      'acme_rx_csum acme_rx_no_rss acme_rx_ts acme_rx_done',
      'acme_rx_csum acme_rx_rss acme_rx_done',
      'acme_rx_csum acme_rx_rss acme_rx_ts acme_rx_done',
    ]);
  });
});

describe('cfg: fragments', () => {
  it('builds a best-effort graph for a fragment, at post-image lines', () => {
    const f = fragmentFacts(500, '\tif (!skb)\n\t\treturn NETDEV_TX_OK;\n\tacme_queue(priv, skb);\n\treturn NETDEV_TX_OK;\n}\n', 'static netdev_tx_t acme_start_xmit(struct sk_buff *skb, struct net_device *dev)');
    const fn = fnNamed(f, 'acme_start_xmit');
    const cfg = buildCfg(fn);
    expect(cfg.nodes.filter((n) => n.kind === 'return').map((n) => n.line).sort()).toEqual([501, 503]);
    expect(cfg.nodes[cfg.nodeOfCall.get(callNamed(fn, 'acme_queue').node.startIndex)!].line).toBe(502);
  });
});

describe('paths: explorePaths over the CFG', () => {
  it('visits each (node, state) once and refines states along condition edges', () => {
    const fn = fnNamed(
      factsOf(`static int acme_probe(struct pci_dev *pdev)
{
	struct net_device *ndev = alloc_etherdev(64);

	if (!ndev)
		return -ENOMEM;
	if (acme_setup(ndev))
		goto err_free;
	return register_netdev(ndev);

err_free:
	free_netdev(ndev);
	return -EIO;
}
`),
      'acme_probe',
    );
    // State: did this path free the device? Collect it at every return.
    const atReturn: string[] = [];
    const complete = explorePaths<boolean>(fn, {
      initial: false,
      key: (s) => String(s),
      transfer: (node, freed) => freed || (!!node.ast && /free_netdev\(/.test(nodeText(fn.text.src, node.ast))),
      visit: (node, freed) => {
        if (node.kind === 'return') atReturn.push(`${node.line}:${freed}`);
      },
    });
    expect(complete).toBe(true);
    expect(atReturn.sort()).toEqual(['13:true', '6:false', '9:false']);
  });

  it('gives up (returns false) when the states explode past MAX_PATH_STEPS', () => {
    const ifs = Array.from({ length: 24 }, (_, i) => `\tif (acme_bit(p, ${i}))\n\t\tacme_set(p, ${i});`).join('\n');
    const fn = fnNamed(factsOf(`static void acme_bits(struct acme_priv *p)\n{\n${ifs}\n}\n`), 'acme_bits');
    // A state that remembers the whole path never merges: 2^24 paths.
    const complete = explorePaths<string>(fn, {
      initial: '',
      key: (s) => s,
      transfer: (node, s) => s,
      refine: (_node, branch, s) => s + (branch === 'true' ? '1' : '0'),
    });
    expect(complete).toBe(false);
    expect(MAX_PATH_STEPS).toBe(20_000);
  });
});
