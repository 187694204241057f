// Analysis-layer tests: lock state before each call (rtnl regions, ASSERT_RTNL, trylock branches, spinlock
// flavours, RCU, nesting, loops) and the difference between must-held and may-held.

import { describe, expect, it } from 'vitest';
import { isAtomicToken, lockEffect, lockFacts, lockStateAt } from '../../src/analysis/locks.js';
import type { FunctionFacts } from '../../src/analysis/facts.js';
import { callNamed, factsOf, fixture, fnNamed, fragmentFacts } from './helpers.js';

/** `must` and `may` tokens before the `nth` call of `name` in `fn`, sorted. */
function stateBefore(fn: FunctionFacts, name: string, nth = 0): { must: string[]; may: string[] } {
  const s = lockStateAt(fn, callNamed(fn, name, nth));
  return { must: [...s.must].sort(), may: [...s.may].sort() };
}
const held = (...tokens: string[]) => ({ must: [...tokens].sort(), may: [...tokens].sort() });
const none = { must: [], may: [] };

function fn(code: string): FunctionFacts {
  const facts = factsOf(code);
  expect(facts.functions).toHaveLength(1);
  return facts.functions[0];
}

describe('locks: rtnl', () => {
  it('holds rtnl between rtnl_lock() and rtnl_unlock(), not before or after', () => {
    const f = fn(`static void acme_reset_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, reset_task);

	acme_stop_watchdog(priv);
	rtnl_lock();
	acme_close(priv->netdev);
	acme_open(priv->netdev);
	rtnl_unlock();
	acme_start_watchdog(priv);
}
`);
    expect(stateBefore(f, 'acme_stop_watchdog')).toEqual(none);
    expect(stateBefore(f, 'rtnl_lock')).toEqual(none);
    expect(stateBefore(f, 'acme_close')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'acme_open')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'rtnl_unlock')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'acme_start_watchdog')).toEqual(none);
  });

  it('handles an early `rtnl_unlock(); return;` branch: the rest of the region stays held', () => {
    const f = fn(`static void acme_reset_task(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, reset_task);

	rtnl_lock();
	if (!netif_running(priv->netdev)) {
		rtnl_unlock();
		return;
	}
	dev_close(priv->netdev);
	dev_open(priv->netdev, NULL);
	rtnl_unlock();
	acme_log_reset(priv);
}
`);
    expect(stateBefore(f, 'netif_running')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'rtnl_unlock', 0)).toEqual(held('rtnl'));
    expect(stateBefore(f, 'dev_close')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'dev_open')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'acme_log_reset')).toEqual(none);
  });

  it('holds rtnl for the rest of the function after ASSERT_RTNL()', () => {
    const f = fn(`static int acme_apply_mtu(struct net_device *dev, int mtu)
{
	acme_validate(dev, mtu);
	ASSERT_RTNL();
	dev_set_mtu(dev, mtu);
	if (mtu > ETH_DATA_LEN)
		netdev_update_features(dev);
	return 0;
}
`);
    expect(stateBefore(f, 'acme_validate')).toEqual(none);
    expect(stateBefore(f, 'dev_set_mtu')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'netdev_update_features')).toEqual(held('rtnl'));
  });

  it('takes rtnl only on the branch where rtnl_trylock() succeeded (`if (!rtnl_trylock()) return;`)', () => {
    const f = fn(`static void acme_watchdog(struct work_struct *work)
{
	struct acme_priv *priv = container_of(work, struct acme_priv, watchdog.work);

	if (!rtnl_trylock()) {
		schedule_delayed_work(&priv->watchdog, HZ);
		return;
	}
	netif_carrier_on(priv->netdev);
	rtnl_unlock();
	acme_done(priv);
}
`);
    expect(stateBefore(f, 'rtnl_trylock')).toEqual(none);
    expect(stateBefore(f, 'schedule_delayed_work')).toEqual(none);
    expect(stateBefore(f, 'netif_carrier_on')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'acme_done')).toEqual(none);
  });

  it('takes rtnl on the true branch of `if (rtnl_trylock())` and after `while (!rtnl_trylock())`', () => {
    const f = fn(`static void acme_sync(struct acme_priv *priv)
{
	if (rtnl_trylock()) {
		acme_in_try(priv);
		rtnl_unlock();
	}
	acme_after_try(priv);
	while (!rtnl_trylock()) {
		acme_wait_a_bit(priv);
	}
	acme_after_loop(priv);
	rtnl_unlock();
}
`);
    expect(stateBefore(f, 'acme_in_try')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'acme_after_try')).toEqual(none);
    expect(stateBefore(f, 'acme_wait_a_bit')).toEqual(none);
    expect(stateBefore(f, 'acme_after_loop')).toEqual(held('rtnl'));
  });

  it('keeps rtnl through a goto to a shared unlock label', () => {
    const f = fn(`static int acme_reconfigure(struct acme_priv *priv)
{
	int err;

	rtnl_lock();
	err = acme_step_one(priv);
	if (err)
		goto out;
	err = acme_step_two(priv);
out:
	rtnl_unlock();
	acme_report(priv, err);
	return err;
}
`);
    expect(stateBefore(f, 'acme_step_two')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'rtnl_unlock')).toEqual(held('rtnl'));
    expect(stateBefore(f, 'acme_report')).toEqual(none);
  });
});

describe('locks: spinlocks, BHs, IRQs, RCU', () => {
  const f = fn(`static void acme_update_stats(struct acme_priv *priv)
{
	unsigned long flags;

	spin_lock_irqsave(&priv->lock, flags);
	acme_in_irqsave(priv);
	spin_unlock_irqrestore(&priv->lock, flags);
	spin_lock_bh(&priv->stats_lock);
	acme_in_bh(priv);
	spin_unlock_bh(&priv->stats_lock);
	rcu_read_lock();
	acme_in_rcu(priv);
	spin_lock(&priv->lock);
	acme_nested(priv);
	spin_unlock(&priv->lock);
	acme_rcu_again(priv);
	rcu_read_unlock();
	acme_unlocked(priv);
}
`);

  it('names spinlocks by their normalized argument and adds irqoff / bhoff for the flavour', () => {
    expect(stateBefore(f, 'acme_in_irqsave')).toEqual(held('lock:priv->lock', 'irqoff:priv->lock'));
    expect(stateBefore(f, 'acme_in_bh')).toEqual(held('lock:priv->stats_lock', 'bhoff:priv->stats_lock'));
  });

  it('nests a spinlock inside an RCU read section and releases each at its unlock', () => {
    expect(stateBefore(f, 'acme_in_rcu')).toEqual(held('rcu'));
    expect(stateBefore(f, 'acme_nested')).toEqual(held('lock:priv->lock', 'rcu'));
    expect(stateBefore(f, 'acme_rcu_again')).toEqual(held('rcu'));
    expect(stateBefore(f, 'acme_unlocked')).toEqual(none);
  });

  it('lists every lock call with its effect (in no promised order)', () => {
    const calls = [...lockFacts(f).lockCalls]
      .sort((x, y) => x.call.line - y.call.line)
      .map(({ call, effect }) => `${call.name}:+${effect.acquire.join('+')}-${effect.release.join('-')}`);
    expect(calls).toEqual([
      'spin_lock_irqsave:+lock:priv->lock+irqoff:priv->lock-',
      'spin_unlock_irqrestore:+-lock:priv->lock-irqoff:priv->lock',
      'spin_lock_bh:+lock:priv->stats_lock+bhoff:priv->stats_lock-',
      'spin_unlock_bh:+-lock:priv->stats_lock-bhoff:priv->stats_lock',
      'rcu_read_lock:+rcu-',
      'spin_lock:+lock:priv->lock-',
      'spin_unlock:+-lock:priv->lock',
      'rcu_read_unlock:+-rcu',
    ]);
  });

  it('nests two spinlocks', () => {
    const g = fn(`static void acme_move(struct acme_priv *a, struct acme_priv *b)
{
	spin_lock(&a->lock);
	spin_lock_nested(&b->lock, SINGLE_DEPTH_NESTING);
	acme_both(a, b);
	spin_unlock(&b->lock);
	acme_only_a(a);
	spin_unlock(&a->lock);
}
`);
    expect(stateBefore(g, 'acme_both')).toEqual(held('lock:a->lock', 'lock:b->lock'));
    expect(stateBefore(g, 'acme_only_a')).toEqual(held('lock:a->lock'));
  });

  it('keeps IRQs off after an inner irqrestore while an outer irqsave lock is still held', () => {
    const g = fn(`static void acme_irq_ack(struct acme_priv *priv)
{
	unsigned long flags, flags2;

	spin_lock_irqsave(&priv->lock, flags);
	spin_lock_irqsave(&priv->ack_lock, flags2);
	acme_ack(priv);
	spin_unlock_irqrestore(&priv->ack_lock, flags2);
	acme_still_irqs_off(priv);
	spin_unlock_irqrestore(&priv->lock, flags);
}
`);
    expect(stateBefore(g, 'acme_still_irqs_off')).toEqual(held('irqoff:priv->lock', 'lock:priv->lock'));
  });

  it('matches spin_lock(&(priv->lock)) with spin_unlock(&priv->lock)', () => {
    const g = fn(`static void acme_poke(struct acme_priv *priv)
{
	spin_lock(&(priv->lock));
	acme_poke_hw(priv);
	spin_unlock(&priv->lock);
	acme_after(priv);
}
`);
    expect(stateBefore(g, 'acme_after')).toEqual(none);
  });
});

describe('locks: loops, branches, must vs may', () => {
  it('holds a lock taken and released inside a loop only inside it', () => {
    const f = fn(`static void acme_refill(struct acme_priv *priv, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		spin_lock(&priv->lock);
		acme_refill_one(priv, i);
		spin_unlock(&priv->lock);
		acme_between(priv);
	}
	acme_after_loop(priv);
}
`);
    expect(stateBefore(f, 'spin_lock')).toEqual(none);
    expect(stateBefore(f, 'acme_refill_one')).toEqual(held('lock:priv->lock'));
    expect(stateBefore(f, 'acme_between')).toEqual(none);
    expect(stateBefore(f, 'acme_after_loop')).toEqual(none);
  });

  it('keeps a lock dropped and retaken around a wait loop held after the loop', () => {
    const f = fn(`static void acme_wait_idle(struct acme_priv *priv)
{
	spin_lock(&priv->lock);
	while (acme_busy(priv)) {
		spin_unlock(&priv->lock);
		cpu_relax();
		spin_lock(&priv->lock);
	}
	acme_locked_after(priv);
	spin_unlock(&priv->lock);
}
`);
    expect(stateBefore(f, 'acme_busy')).toEqual(held('lock:priv->lock'));
    expect(stateBefore(f, 'cpu_relax')).toEqual(none);
    expect(stateBefore(f, 'acme_locked_after')).toEqual(held('lock:priv->lock'));
  });

  it('says `may` (not `must`) for a lock taken on one branch only', () => {
    const f = fn(`static void acme_cfg(struct acme_priv *priv, bool locked)
{
	if (!locked)
		mutex_lock(&priv->cfg_lock);
	acme_write_cfg(priv);
	if (!locked)
		mutex_unlock(&priv->cfg_lock);
}
`);
    expect(stateBefore(f, 'acme_write_cfg')).toEqual({ must: [], may: ['mutex:priv->cfg_lock'] });
  });

  it('says `may` for rtnl when one path to the call unlocked early', () => {
    const f = fn(`static void acme_maybe(struct acme_priv *priv)
{
	rtnl_lock();
	if (acme_quick(priv))
		rtnl_unlock();
	acme_tail(priv);
	if (rtnl_is_locked())
		rtnl_unlock();
}
`);
    expect(stateBefore(f, 'acme_tail')).toEqual({ must: [], may: ['rtnl'] });
  });

  it('gives a mutex_trylock only its success branch', () => {
    const f = fn(`static void acme_try(struct acme_priv *priv)
{
	if (!mutex_trylock(&priv->cfg_lock))
		return;
	acme_cfg_locked(priv);
	mutex_unlock(&priv->cfg_lock);
}
`);
    expect(stateBefore(f, 'acme_cfg_locked')).toEqual(held('mutex:priv->cfg_lock'));
  });

  it('computes the state of every call of the fixture driver without throwing', () => {
    for (const g of factsOf(fixture('acme_eth.c')).functions) {
      const lf = lockFacts(g);
      expect(lf.atCall.size).toBeGreaterThanOrEqual(g.calls.length);
      expect(lockFacts(g)).toBe(lf);
    }
  });

  it('works on fragments, at their post-image lines', () => {
    const f = fragmentFacts(700, '\tspin_lock_bh(&priv->lock);\n\tacme_frag_call(priv);\n\tspin_unlock_bh(&priv->lock);\n\treturn 0;\n}\n', 'static int acme_open(struct net_device *dev)');
    const frag = fnNamed(f, 'acme_open');
    expect(callNamed(frag, 'acme_frag_call').line).toBe(701);
    expect(stateBefore(frag, 'acme_frag_call')).toEqual(held('bhoff:priv->lock', 'lock:priv->lock'));
  });
});

describe('locks: lockEffect and isAtomicToken', () => {
  it.each([
    ['rtnl_lock', [], ['rtnl'], [], false],
    ['ASSERT_RTNL', [], ['rtnl'], [], false],
    ['rtnl_unlock', [], [], ['rtnl'], false],
    ['rtnl_trylock', [], ['rtnl'], [], true],
    ['raw_spin_lock_irqsave', ['&priv->lock', 'flags'], ['lock:priv->lock', 'irqoff:priv->lock'], [], false],
    ['read_lock_bh', ['&priv->rwlock'], ['lock:priv->rwlock', 'bhoff:priv->rwlock'], [], false],
    ['write_unlock_irqrestore', ['&priv->rwlock', 'flags'], [], ['lock:priv->rwlock', 'irqoff:priv->rwlock'], false],
    ['spin_trylock', ['& priv->lock'], ['lock:priv->lock'], [], true],
    ['netif_tx_lock_bh', ['dev'], ['lock:tx:dev', 'bhoff:tx:dev'], [], false],
    ['__netif_tx_unlock', ['txq'], [], ['lock:txq:txq'], false],
    ['netif_addr_lock_bh', ['dev'], ['lock:addr:dev', 'bhoff:addr:dev'], [], false],
    ['mutex_lock_interruptible', ['&priv->lock'], ['mutex:priv->lock'], [], false],
    ['mutex_trylock', ['&priv->lock'], ['mutex:priv->lock'], [], true],
    ['rcu_read_lock_bh', [], ['rcu'], [], false],
    ['local_bh_disable', [], ['bhoff:local'], [], false],
    ['local_irq_restore', ['flags'], [], ['irqoff:local'], false],
    ['preempt_enable', [], [], ['preempt'], false],
  ] as const)('%s(%j)', (name, args, acquire, release, conditional) => {
    expect(lockEffect(name, args)).toEqual({ acquire, release, conditional });
  });

  it('returns undefined for calls that touch no lock', () => {
    for (const name of ['msleep', 'spin_lock_init', 'mutex_init', 'rtnl_is_locked', 'lockdep_assert_held', 'napi_disable']) expect(lockEffect(name, ['x'])).toBeUndefined();
  });

  it('treats spinlocks, RCU, IRQs/BHs off and preemption off as atomic; rtnl and mutexes not', () => {
    expect(['lock:priv->lock', 'rcu', 'irqoff:local', 'bhoff:priv->lock', 'preempt'].every(isAtomicToken)).toBe(true);
    expect(['rtnl', 'mutex:priv->lock'].some(isAtomicToken)).toBe(false);
  });
});
