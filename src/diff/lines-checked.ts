// Diff-model stage: how many diff lines a review examined, counted the way checkpatch counts them.

/**
 * checkpatch's `$cnt_lines`: every line inside a hunk body (added, removed and context) up to the hunk's last
 * post-image line, found by counting down the `+c,d` length of the `@@` header exactly as process() does.
 */
export function linesChecked(diff: string): number {
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let count = 0;
  let realcnt = 0;
  for (const line of lines) {
    const hunk = /^@@ -\d+(?:,\d+)? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      realcnt = (hunk[1] !== undefined ? Number(hunk[1]) : 1) + 1;
      continue;
    }
    if (/^(?: |\+|$)/.test(line)) {
      if (realcnt !== 0) realcnt--;
    } else if (realcnt === 1) {
      realcnt--;
    }
    if (realcnt !== 0) count++;
  }
  return count;
}
