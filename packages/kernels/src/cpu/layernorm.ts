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

/**
 * `out = (x .- mean) ./ sqrt.(var .+ eps) .* scale .+ bias` over each line of `len` elements, `scale` and
 * `bias` (null: none) of `len` elements each: the normalisation and Flux's `Scale` in one pass per line.
 */
export function layernormAffineInto(
  x: TypedArray,
  scale: TypedArray,
  bias: TypedArray | null,
  len: number,
  eps: number,
  out: TypedArray,
): void {
  for (let base = 0; base < x.length; base += len) {
    const [mean, rstd] = moments(x, base, len, eps);
    if (bias === null) for (let i = 0; i < len; i++) out[base + i] = (x[base + i]! - mean) * rstd * scale[i]!;
    else for (let i = 0; i < len; i++) out[base + i] = (x[base + i]! - mean) * rstd * scale[i]! + bias[i]!;
  }
}

/**
 * The VJP of `layernormAffineInto`: with `g = dy .* scale`, `dx` is `layernormGradInto`'s of `g`;
 * `dscale = sum(dy .* x̂)` and `dbias = sum(dy)` over the lines (accumulated in f64, rounded once). Outputs
 * that are null are skipped.
 */
export function layernormAffineGradInto(
  x: TypedArray,
  scale: TypedArray,
  dy: TypedArray,
  len: number,
  eps: number,
  out: { dx: TypedArray | null; dscale: TypedArray | null; dbias: TypedArray | null },
): void {
  const ds = new Float64Array(out.dscale === null ? 0 : len);
  const db = new Float64Array(out.dbias === null ? 0 : len);
  const { dx } = out;
  for (let base = 0; base < x.length; base += len) {
    const [mean, rstd] = moments(x, base, len, eps);
    let sg = 0;
    let sgy = 0;
    for (let i = 0; i < len; i++) {
      const d = dy[base + i]!;
      const xh = (x[base + i]! - mean) * rstd;
      const g = d * scale[i]!;
      sg += g;
      sgy += g * xh;
      if (ds.length > 0) ds[i]! += d * xh;
      if (db.length > 0) db[i]! += d;
    }
    if (dx === null) continue;
    const a = sg / len;
    const b = sgy / len;
    for (let i = 0; i < len; i++)
      dx[base + i] = rstd * (dy[base + i]! * scale[i]! - a - (x[base + i]! - mean) * rstd * b);
  }
  out.dscale?.set(ds);
  out.dbias?.set(db);
}
