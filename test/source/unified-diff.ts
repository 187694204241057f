// Source-stage test helper: writes a git-style unified diff for edits to a file, so tests can patch real files they did not write.

/** Replace `remove` lines starting at 0-based line `at` with `add`. */
export interface Edit {
  at: number;
  remove: number;
  add: string[];
}

/**
 * The diff of `pre` after `edits` (sorted, each more than six lines from the next, so one hunk each),
 * with three lines of context; `shift` moves every header's line numbers to mimic a patch made on an older base.
 */
export function unifiedDiff(path: string, pre: readonly string[], edits: readonly Edit[], shift = 0): { diff: string; post: string[] } {
  const out = [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  const post: string[] = [];
  let copied = 0;
  let delta = 0;
  for (const e of edits) {
    const from = Math.max(0, e.at - 3);
    const to = Math.min(pre.length, e.at + e.remove + 3);
    const before = pre.slice(from, e.at);
    const removed = pre.slice(e.at, e.at + e.remove);
    const after = pre.slice(e.at + e.remove, to);
    const oldCount = before.length + removed.length + after.length;
    const newCount = before.length + e.add.length + after.length;
    out.push(`@@ -${from + 1 + shift},${oldCount} +${from + 1 + delta + shift},${newCount} @@`);
    out.push(...before.map((l) => ` ${l}`), ...removed.map((l) => `-${l}`), ...e.add.map((l) => `+${l}`), ...after.map((l) => ` ${l}`));
    post.push(...pre.slice(copied, e.at), ...e.add);
    copied = e.at + e.remove;
    delta += e.add.length - e.remove;
  }
  post.push(...pre.slice(copied));
  return { diff: `${out.join('\n')}\n`, post };
}
