#!/usr/bin/env node
// Rule data tooling: list the exported kernel functions that may sleep, from a kernel source tree, as
// candidates for rules/data/sleeping-calls.ts (reviewed by hand before anything is added there).
//
//   node rules/data/extract-sleeping-calls.mjs /opt/linux/linux-source-6.1 [subdir ...] [--json]
//
// A function is a candidate when it is exported (EXPORT_SYMBOL*) and its body
//   - calls might_sleep() / __might_sleep() unconditionally (might_sleep_if() is left out: it depends on a mask),
//   - takes a mutex or an rw-semaphore, or waits (msleep, wait_event*, wait_for_completion*, schedule, ...), or
//   - calls a static helper of the same file that does one of those (one level),
// or its name says so (`*_cansleep`). Plain C is read with regular expressions: kernel style (the opening brace
// of a function on its own line, the closing one too) makes that reliable enough for a candidate list.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Where the helpers network drivers call live, when no subdirectories are given. */
const DEFAULT_DIRS = [
  'kernel/irq', 'kernel/sched/completion.c', 'kernel/time/timer.c', 'kernel/workqueue.c', 'kernel/kthread.c', 'kernel/locking',
  'kernel/rcu/tree.c', 'mm/util.c', 'mm/vmalloc.c', 'net/core', 'net/ethtool', 'net/devlink', 'net/sched/sch_generic.c',
  'drivers/base', 'drivers/net/phy', 'drivers/net/mdio', 'drivers/net/pcs', 'drivers/i2c/i2c-core-base.c', 'drivers/i2c/i2c-core-smbus.c',
  'drivers/spi/spi.c', 'drivers/usb/core', 'drivers/clk/clk.c', 'drivers/regulator/core.c', 'drivers/reset/core.c', 'drivers/gpio/gpiolib.c',
  'drivers/mmc/core/sdio_io.c', 'drivers/mmc/core/core.c', 'drivers/firmware', 'drivers/ptp/ptp_clock.c', 'net/wireless/core.c', 'lib/firmware_loader',
];

/** Calls that sleep by themselves: the seed of the search (and reasons shown for each). */
const SEEDS = [
  [/^(?:__)?might_sleep$/, 'calls might_sleep()'],
  [/^mutex_lock(?:_nested|_interruptible|_killable|_io)?$/, 'takes a mutex'],
  [/^(?:down|down_read|down_write|down_interruptible|down_killable|down_timeout)$/, 'takes a semaphore'],
  [/^(?:msleep|msleep_interruptible|ssleep|usleep_range|usleep_range_state|fsleep)$/, 'sleeps'],
  [/^(?:schedule|schedule_timeout\w*|io_schedule\w*)$/, 'schedules'],
  [/^(?:wait_event\w*|wait_for_completion\w*|wait_on_bit\w*)$/, 'waits'],
  [/^(?:synchronize_rcu\w*|synchronize_net|synchronize_irq|rcu_barrier)$/, 'waits for a grace period or handlers'],
  [/^(?:flush_work|flush_delayed_work|flush_workqueue|cancel_work_sync|cancel_delayed_work_sync|kthread_stop)$/, 'waits for work'],
  [/^rtnl_lock$/, 'takes rtnl_lock'],
];

function seedReason(name) {
  for (const [re, why] of SEEDS) if (re.test(name)) return `${why} (${name})`;
  return undefined;
}

/** Comments and string literals blanked (same length), so braces and calls inside them do not count. */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** Function definitions: name, static?, body text. The body opens with `{` alone at column 0. */
function functionsOf(text) {
  const out = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '{') continue;
    // The signature: lines above, back to a blank line, `}` or `;`.
    let j = i - 1;
    const sig = [];
    while (j >= 0 && lines[j].trim() !== '' && !/[;}]\s*$/.test(lines[j]) && !/^#/.test(lines[j])) sig.unshift(lines[j--]);
    const head = sig.join(' ');
    const m = /\b([A-Za-z_]\w*)\s*\(/.exec(head);
    if (!m || /^(?:if|for|while|switch|return|sizeof)$/.test(m[1]) || /=/.test(head.slice(0, m.index))) continue;
    let k = i + 1;
    while (k < lines.length && lines[k] !== '}') k++;
    out.push({ name: m[1], isStatic: /\bstatic\b/.test(head.slice(0, m.index)), body: lines.slice(i + 1, k).join('\n') });
    i = k;
  }
  return out;
}

const CALL = /\b([A-Za-z_]\w*)\s*\(/g;
const NOT_CALLS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', 'defined']);

function callsIn(body) {
  const names = new Set();
  for (const m of body.matchAll(CALL)) if (!NOT_CALLS.has(m[1])) names.add(m[1]);
  return names;
}

function* cFiles(root, rel) {
  const path = join(root, rel);
  let st;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (st.isFile()) {
    if (path.endsWith('.c')) yield path;
    return;
  }
  for (const entry of readdirSync(path)) yield* cFiles(root, join(rel, entry));
}

function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const [root, ...dirs] = args.filter((a) => a !== '--json');
  if (!root) {
    console.error('usage: extract-sleeping-calls.mjs KERNEL_TREE [SUBDIR ...] [--json]');
    process.exit(2);
  }
  const found = new Map();
  for (const dir of dirs.length > 0 ? dirs : DEFAULT_DIRS) {
    for (const file of cFiles(root, dir)) {
      const text = stripComments(readFileSync(file, 'utf8'));
      const exported = new Set([...text.matchAll(/\bEXPORT_SYMBOL(?:_GPL|_NS|_NS_GPL)?\s*\(\s*(\w+)/g)].map((m) => m[1]));
      if (exported.size === 0) continue;
      const fns = functionsOf(text);
      const direct = new Map();
      for (const fn of fns) {
        for (const c of callsIn(fn.body)) {
          const why = seedReason(c);
          if (why) {
            direct.set(fn.name, why);
            break;
          }
        }
      }
      for (const fn of fns) {
        if (!exported.has(fn.name) || found.has(fn.name) || seedReason(fn.name)) continue;
        let why = direct.get(fn.name);
        if (!why) {
          for (const c of callsIn(fn.body)) {
            const helper = fns.find((f) => f.name === c && f.isStatic);
            if (helper && direct.has(c)) {
              why = `${direct.get(c)} via ${c}()`;
              break;
            }
          }
        }
        // `gpiod_cansleep()` only asks the question; the accessors named *_cansleep are the ones that may sleep.
        if (!why && /_cansleep$/.test(fn.name) && !/^gpiod?_cansleep$/.test(fn.name)) why = 'named _cansleep';
        if (why) found.set(fn.name, { name: fn.name, reason: why, file: relative(root, file) });
      }
    }
  }
  const list = [...found.values()].sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
  if (json) console.log(JSON.stringify(list, null, 1));
  else for (const e of list) console.log(`${e.name}\t${e.file}\t${e.reason}`);
}

main();
