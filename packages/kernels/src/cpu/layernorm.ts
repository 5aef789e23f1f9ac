// Layer normalisation over consecutive lines of `len` elements (a column-major tensor's leading dims) and its
// VJP, one pass group per line while the line is in cache. The statistics are accumulated in f64 with two
// passes (mean, then squared deviations: no cancellation), and each output rounds once to the array's type.
// The backward pass recomputes them from x instead of keeping them from the forward pass: a line is a few
// hundred elements, so that costs less than a second tensor kept alive on the tape.
import type { TypedArray } from "../dtype.js";

/** The mean and 1 / sqrt(var + eps) of `x[base .. base + len)`. */
function moments(x: TypedArray, base: number, len: number, eps: number): [number, number] {
  let s = 0;
  for (let i = base; i < base + len; i++) s += x[i]!;
  const mean = s / len;
  let v = 0;
  for (let i = base; i < base + len; i++) {
    const d = x[i]! - mean;
    v += d * d;
  }
  return [mean, 1 / Math.sqrt(v / len + eps)];
}

/** `out = (x .- mean) ./ sqrt.(var .+ eps)` over each line of `len` elements. */
export function layernormInto(x: TypedArray, len: number, eps: number, out: TypedArray): void {
  for (let base = 0; base < x.length; base += len) {
    const [mean, rstd] = moments(x, base, len, eps);
    for (let i = base; i < base + len; i++) out[i] = (x[i]! - mean) * rstd;
  }
}

/**
 * The VJP of `layernormInto`: with `y = (x - mean) * rstd`, `dx = rstd * (dy - mean(dy) - y * mean(dy .* y))`
 * over each line (the derivative through the mean and the variance included).
 */
export function layernormGradInto(
  x: TypedArray,
  dy: TypedArray,
  len: number,
  eps: number,
  out: TypedArray,
): void {
  for (let base = 0; base < x.length; base += len) {
    const [mean, rstd] = moments(x, base, len, eps);
    let sdy = 0;
    let sdyy = 0;
    for (let i = base; i < base + len; i++) {
      const g = dy[i]!;
      sdy += g;
      sdyy += g * (x[i]! - mean) * rstd;
    }
    const a = sdy / len;
    const b = sdyy / len;
    for (let i = base; i < base + len; i++) out[i] = rstd * (dy[i]! - a - (x[i]! - mean) * rstd * b);
  }
}
