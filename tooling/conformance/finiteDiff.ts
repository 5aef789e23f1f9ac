// Central finite differences in f64: the reference every backend's gradients are checked against.

/**
 * The gradient of `loss` at `xs` by central differences (`(f(x+h) - f(x-h)) / 2h` per element).
 *
 * @example
 * numericGradient(([x]) => x[0]! ** 2, [Float64Array.of(3)]); // [[6]]
 */
export function numericGradient(
  loss: (xs: readonly Float64Array[]) => number,
  xs: readonly Float64Array[],
  h = 1e-6,
): Float64Array[] {
  return xs.map((x, k) => {
    const g = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const saved = x[i]!;
      const step = h * Math.max(1, Math.abs(saved));
      const plus = xs.map((v, j) =>
        j === k ? Float64Array.from(v, (e, q) => (q === i ? saved + step : e)) : v,
      );
      const minus = xs.map((v, j) =>
        j === k ? Float64Array.from(v, (e, q) => (q === i ? saved - step : e)) : v,
      );
      g[i] = (loss(plus) - loss(minus)) / (2 * step);
    }
    return g;
  });
}

/** Largest violation of `|a - b| <= atol + rtol * |b|` (0 when all close), with the index where it occurs. */
export function worstMismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
): { excess: number; index: number } {
  let excess = 0;
  let index = -1;
  if (actual.length !== expected.length) return { excess: Number.POSITIVE_INFINITY, index: -1 };
  for (let i = 0; i < actual.length; i++) {
    const a = Number(actual[i]);
    const e = Number(expected[i]);
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    if (a === e) continue; // equal infinities
    const over = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(over <= 0) && (over > excess || Number.isNaN(over))) {
      excess = Number.isNaN(over) ? Number.POSITIVE_INFINITY : over;
      index = i;
    }
  }
  return { excess, index };
}
