// Test helper: how a function's time grows with its input, as a ratio measured in one run — never a
// wall-clock limit (these machines are shared and noisy). Linear work grows about as much as its input;
// quadratic work grows with the square, which a generous margin still tells apart.

/** Best of `tries` wall times of `reps` calls of `fn()`, in milliseconds. */
function best(fn: () => void, reps: number, tries: number): number {
  let min = Infinity;
  for (let i = 0; i < tries; i++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) fn();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

/** Small runs are repeated until a batch takes at least this long, so a collection or a timer tick is noise, not signal. */
const MIN_BATCH_MS = 5;

/**
 * Time of `run(large)` over time of `run(small)` (best of three batches each, after a warm-up; both sizes
 * repeated the same number of times), and the bound a linear function stays under: the size ratio times
 * `margin` (default 3). For sizes 8× apart a linear function measures about 8 against a bound of 24; a
 * quadratic one about 64.
 */
export function scaling(run: (n: number) => void, small: number, large: number, margin = 3): { ratio: number; linearBound: number } {
  run(small);
  run(large);
  let reps = 1;
  while (best(() => run(small), reps, 1) < MIN_BATCH_MS && reps < 1 << 16) reps *= 2;
  const t1 = best(() => run(small), reps, 3);
  const t2 = best(() => run(large), reps, 3);
  return { ratio: t2 / t1, linearBound: (large / small) * margin };
}
