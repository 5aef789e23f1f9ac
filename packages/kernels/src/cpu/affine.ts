// The fused affine + activation kernel `act.(a .* x .+ b)` (Julia's `muladd`, NNlib's `bias_act!`): one
// pass over memory instead of three ops, three allocations and three passes. relu and the identity are one
// branch-free loop; other activations run block-wise in place on the just-written block (still hot in L1),
// so memory is still crossed once.
import type { TypedArray } from "../dtype.js";
import type { UnaryOp } from "../opNames.js";
import { broadcastStrides, type Shape, sizeOf } from "../shape.js";
import { coalesce, forEachLine } from "./lines.js";
import { unaryInto } from "./unary.js";
import { affineSimd } from "./wasm/affineSimd.js";
import { biasRunsSimd } from "./wasm/biasSimd.js";

/** An activation fused after the affine map: a unary op, or none. */
export type FusedAct = UnaryOp | "identity";

/** Elements per block for the activations applied in place after the affine pass (16 KiB of f32). */
const BLOCK = 4096;
const NEG_INF = Number.NEGATIVE_INFINITY;

/** One line of `o[io+i] = f(a*x + b)`, each operand from its offset with stride 0 (broadcast) or 1. */
type Line = (
  a: TypedArray,
  ia: number,
  sa: number,
  x: TypedArray,
  ix: number,
  sx: number,
  b: TypedArray,
  ib: number,
  sb: number,
  o: TypedArray,
  io: number,
  n: number,
) => void;

// `o[io+i] = a*x + b`.
const affineLine: Line = (a, ia, sa, x, ix, sx, b, ib, sb, o, io, n) => {
  if (sa === 0 && sb === 0 && sx === 1) {
    const av = a[ia]!;
    const bv = b[ib]!;
    for (let i = 0; i < n; i++) o[io + i] = av * x[ix + i]! + bv;
    return;
  }
  for (let i = 0; i < n; i++, ia += sa, ix += sx, ib += sb) o[io + i] = a[ia]! * x[ix]! + b[ib]!;
};

// `o[io+i] = max(a*x + b, 0)`, branch-free: `0.5 * (v + |v|)`, but for v = -Infinity (-Inf + Inf is NaN;
// NNlib's relu gives 0 there: a branch never taken on finite data). With scalar a and b, the 0.5 is folded
// into them (scaling by a power of two commutes with rounding, so the result is bit-identical).
const reluLine: Line = (a, ia, sa, x, ix, sx, b, ib, sb, o, io, n) => {
  if (sa === 0 && sb === 0 && sx === 1) {
    const av = 0.5 * a[ia]!;
    const bv = 0.5 * b[ib]!;
    for (let i = 0; i < n; i++) {
      const v = av * x[ix + i]! + bv;
      o[io + i] = v === NEG_INF ? 0 : v + Math.abs(v);
    }
    return;
  }
  for (let i = 0; i < n; i++, ia += sa, ix += sx, ib += sb) {
    const v = a[ia]! * x[ix]! + b[ib]!;
    o[io + i] = v === NEG_INF ? 0 : 0.5 * (v + Math.abs(v));
  }
};

// The common case, `act.(a .* x .+ b)` with scalar a and b over a whole contiguous x, as loops without
// offsets: `x[i]`/`o[i]` with `i < o.length` let V8 drop the bounds checks that `x[ix + i]` keeps, and the
// 4-way unroll overlaps the float conversions (1M f32 here: 1.2-1.4 ms against the line kernel's 1.5-1.7).
function scalarAffine(a: number, x: TypedArray, b: number, o: TypedArray): void {
  const n = o.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    o[i] = a * x[i]! + b;
    o[i + 1] = a * x[i + 1]! + b;
    o[i + 2] = a * x[i + 2]! + b;
    o[i + 3] = a * x[i + 3]! + b;
  }
  for (; i < n; i++) o[i] = a * x[i]! + b;
}

// relu of the above, branch-free but for -Infinity (see reluLine); the 0.5 of `0.5 * (v + |v|)` is folded into a and b (see reluLine).
function scalarRelu(a: number, x: TypedArray, b: number, o: TypedArray): void {
  const n = o.length;
  const ha = 0.5 * a;
  const hb = 0.5 * b;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const v0 = ha * x[i]! + hb;
    const v1 = ha * x[i + 1]! + hb;
    const v2 = ha * x[i + 2]! + hb;
    const v3 = ha * x[i + 3]! + hb;
    o[i] = v0 === NEG_INF ? 0 : v0 + Math.abs(v0);
    o[i + 1] = v1 === NEG_INF ? 0 : v1 + Math.abs(v1);
    o[i + 2] = v2 === NEG_INF ? 0 : v2 + Math.abs(v2);
    o[i + 3] = v3 === NEG_INF ? 0 : v3 + Math.abs(v3);
  }
  for (; i < n; i++) {
    const v = ha * x[i]! + hb;
    o[i] = v === NEG_INF ? 0 : v + Math.abs(v);
  }
}

// Any other activation: the affine pass and then the activation in place, one block at a time.
function blockedLine(act: UnaryOp, param: number): Line {
  return (a, ia, sa, x, ix, sx, b, ib, sb, o, io, n) => {
    for (let s = 0; s < n; s += BLOCK) {
      const len = Math.min(BLOCK, n - s);
      affineLine(a, ia + s * sa, sa, x, ix + s * sx, sx, b, ib + s * sb, sb, o, io + s, len);
      const block = o.subarray(io + s, io + s + len);
      unaryInto(act, block, block, param);
    }
  };
}

/**
 * Writes `act.(a .* x .+ b)` (Julia broadcasting of the three operands to `outShape`) into `out`, in one
 * pass. `param` is leakyrelu's slope / elu's α.
 */
export function affineActInto(
  act: FusedAct,
  param: number,
  a: TypedArray,
  aShape: Shape,
  x: TypedArray,
  xShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): void {
  const n = sizeOf(outShape);
  if ((act === "identity" || act === "relu") && a.length === 1 && b.length === 1 && x.length === n) {
    if (affineSimd(act, a[0]!, x, b[0]!, out)) return;
    (act === "relu" ? scalarRelu : scalarAffine)(a[0]!, x, b[0]!, out);
    return;
  }
  const line: Line = act === "identity" ? affineLine : act === "relu" ? reluLine : blockedLine(act, param);
  const whole = (t: TypedArray) => t.length === n || t.length === 1;
  if (whole(a) && whole(x) && whole(b)) {
    // Every operand is the output's layout or a scalar: one line over everything.
    line(a, 0, +(a.length === n), x, 0, +(x.length === n), b, 0, +(b.length === n), out, 0, n);
    return;
  }
  const sa = broadcastStrides(aShape, outShape);
  const sx = broadcastStrides(xShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  if (channelBias(act, a, x, n, b, sb, outShape, out)) return;
  const [a0, x0, b0] = [sa[0] ?? 0, sx[0] ?? 0, sb[0] ?? 0];
  forEachLine(outShape, [sa, sx, sb], (off, io, len) =>
    line(a, off[0]!, a0, x, off[1]!, x0, b, off[2]!, b0, out, io, len),
  );
}

/**
 * `act.(x .+ b)` (a = 1, act relu or the identity) where x is contiguous and b varies along one dim only: a
 * convolution layer's per-channel bias over [W, H, C, N]. Merged, that is runs of W*H elements sharing one
 * bias value, which the SIMD kernel takes a block of runs at a time. False (nothing written) otherwise.
 */
function channelBias(
  act: FusedAct,
  a: TypedArray,
  x: TypedArray,
  n: number,
  b: TypedArray,
  sb: readonly number[],
  outShape: Shape,
  out: TypedArray,
): boolean {
  if ((act !== "relu" && act !== "identity") || a.length !== 1 || a[0] !== 1 || x.length !== n) return false;
  const merged = coalesce(outShape, [sb]);
  const [len, C, M] = [merged.shape[0] ?? 1, merged.shape[1] ?? 1, merged.shape[2] ?? 1];
  const s = merged.strides[0]!;
  // [len, C] or [len, C, M] with b constant along len (stride 0), stepping along C, constant along M.
  if (merged.shape.length < 2 || merged.shape.length > 3 || s[0] !== 0 || (s[2] ?? 0) !== 0) return false;
  return biasRunsSimd(act, x, b, s[1]!, len, C, M, out);
}
