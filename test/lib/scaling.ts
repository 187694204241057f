// Test helper: how a function's time grows with its input, as a ratio measured in one run — never a
// wall-clock limit (these machines are shared and noisy). Linear work grows about as much as its input;
// quadratic work grows with the square, which a generous margin still tells apart.

/** Best of `tries` wall times of `fn()`, in milliseconds. */
function best(fn: () => void, tries: number): number {
  let min = Infinity;
  for (let i = 0; i < tries; i++) {
    const start = performance.now();
    fn();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

/**
 * Time of `run(large)` over time of `run(small)` (best of three each, after one warm-up), and the bound a
 * linear function stays under: the size ratio times `margin` (default 3). For sizes 8× apart a linear
 * function measures about 8 against a bound of 24; a quadratic one about 64.
 */
export function scaling(run: (n: number) => void, small: number, large: number, margin = 3): { ratio: number; linearBound: number } {
  run(small);
  // A floor of 0.05 ms keeps a too-fast small run from turning timer noise into a huge ratio.
  const t1 = Math.max(best(() => run(small), 3), 0.05);
  const t2 = best(() => run(large), 3);
  return { ratio: t2 / t1, linearBound: (large / small) * margin };
}
