// The fused optimiser step over f32 with 128-bit SIMD (src/cpu/optimiserStep.ts drives it). The host writes
// every op's scalars into the args area once per step; then, block by block, it copies the parameter x, the gradient and each state tensor into this module's slots, calls the ops
// of the step in order (each updates the running value d in slot D and its own state slots), then `finish`
// (x -= d), and copies x and the state back: memory is crossed once per step, the arithmetic stays in L1.
// Every formula is the op-for-op f32 translation of @flux/optim's rule (one rounding per operation, no
// fused multiply-add), so the result is bit-identical to the unfused chain of element-wise ops.
// Lengths are rounded up to whole vectors by the host: lanes past the block's end compute garbage that is
// never copied out.

/** Byte offset of slot 0 (page 1; page 0 is left to the compiler's statics). */
export const SCRATCH: usize = 65536;
/** f32 elements per slot: 16 KiB, so x, d and two state slots together stay within L1 + L2's fast part. */
export const BLOCK: i32 = 4096;
/** Slots for state tensors after x (slot 0) and d (slot 1). */
export const MAX_STATE: i32 = 8;

const SLOT: usize = (<usize>BLOCK) << 2;
const X: usize = SCRATCH;
const D: usize = SCRATCH + SLOT;

/**
 * Byte offset of the scalars' area, after the last state slot: the host writes each op's scalars there once
 * per step (f32, in the order of the op table; the area runs to the end of memory) and passes the op their
 * offset `k`. One calling convention, `(n, s, k)`, for every op, whatever its scalars.
 */
export const ARGS: usize = SCRATCH + <usize>(MAX_STATE + 2) * SLOT;

// The small helpers below are inlined by Binaryen at -O3 (an @inline decorator would not parse in the
// repo's linter). Ops without state take the state offset `_s` all the same.

/** Byte offset of state slot `k` (what the host passes as `s` for an op whose first state slot is k). */
export function stateOffset(k: i32): usize {
  return SCRATCH + <usize>(k + 2) * SLOT;
}

/** Bytes in `n` f32 elements: the loops step through a slot by byte offset, one vector (16 bytes) at a time. */
function bytes(n: i32): usize {
  return (<usize>n) << 2;
}

/** Scalar `j` of the op whose scalars start at `k`, in every lane. */
function arg(k: usize, j: usize): v128 {
  return v128.load32_splat(k + (j << 2));
}

/** Scalar `j` as a flag (couple, rectified): the host passes 0 or 1. */
function flag(k: usize, j: usize): bool {
  return load<f32>(k + (j << 2)) !== 0;
}

function ld(p: usize): v128 {
  return v128.load(p);
}

function st(p: usize, v: v128): void {
  v128.store(p, v);
}

function fma(a: v128, b: v128, c: v128, e: v128): v128 {
  // a*b + c*e, each product rounded, then the sum (the unfused `add(mul(a, b), mul(c, e))`).
  return f32x4.add(f32x4.mul(a, b), f32x4.mul(c, e));
}

/** `(a * b) / (sqrt(q) + ep)`: the step of rmsprop and adagrad. */
function scaledBySqrt(a: v128, b: v128, q: v128, ep: v128): v128 {
  return f32x4.div(f32x4.mul(a, b), f32x4.add(f32x4.sqrt(q), ep));
}

function sgn(v: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  return f32x4.sub(v128.and(f32x4.gt(v, zero), one), v128.and(f32x4.lt(v, zero), one));
}

export function descent(n: i32, _s: usize, k: usize): void {
  const e = arg(k, 0);
  for (let i: usize = 0; i < bytes(n); i += 16) st(D + i, f32x4.mul(ld(D + i), e));
}

export function momentum(n: i32, s: usize, k: usize): void {
  const r = arg(k, 0);
  const e = arg(k, 1);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    const v = fma(ld(s + i), r, ld(D + i), e);
    st(s + i, v);
    st(D + i, v);
  }
}

export function nesterov(n: i32, s: usize, k: usize): void {
  const a = arg(k, 0);
  const b = arg(k, 1);
  const r = arg(k, 2);
  const e = arg(k, 3);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    const v = ld(s + i);
    const d = ld(D + i);
    st(D + i, fma(v, a, d, b));
    st(s + i, f32x4.sub(f32x4.mul(v, r), f32x4.mul(d, e)));
  }
}

/** rmsprop with `centred` false, rmspropCentred with it true (its second state slot is `l`). */
function rmspropFamily(n: i32, s: usize, k: usize, centred: bool): void {
  const r = arg(k, 0);
  const c = arg(k, 1);
  const e = arg(k, 2);
  const ep = arg(k, 3);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    const d = ld(D + i);
    const q = fma(ld(s + i), r, f32x4.mul(d, d), c);
    st(s + i, q);
    if (centred) {
      const l = fma(ld(s + SLOT + i), r, d, c);
      st(s + SLOT + i, l);
      st(D + i, scaledBySqrt(d, e, f32x4.sub(q, f32x4.mul(l, l)), ep));
    } else {
      st(D + i, scaledBySqrt(d, e, q, ep));
    }
  }
}

export function rmsprop(n: i32, s: usize, k: usize): void {
  rmspropFamily(n, s, k, false);
}

export function rmspropCentred(n: i32, s: usize, k: usize): void {
  rmspropFamily(n, s, k, true);
}

// The Adam family keeps m and v in slots s and s + SLOT, and its scalars start [β1, 1 - β1, β2, 1 - β2].
// Each member's loop stays one pass: `moments` updates both in their slots (m = m β1 + d (1 - β1),
// v = v β2 + d² (1 - β2)) and `adamStep` is the bias-corrected direction m̂ / (√v̂ + ε) from the scalars
// correction1, correction2, epsilon at k[4..6] (adam, adamw and radam).
function moments(p: usize, d: v128, k: usize): void {
  st(p, fma(ld(p), arg(k, 0), d, arg(k, 1)));
  st(p + SLOT, fma(ld(p + SLOT), arg(k, 2), f32x4.mul(d, d), arg(k, 3)));
}

function adamStep(p: usize, k: usize): v128 {
  const denom = f32x4.add(f32x4.sqrt(f32x4.div(ld(p + SLOT), arg(k, 5))), arg(k, 6));
  return f32x4.div(f32x4.div(ld(p), arg(k, 4)), denom);
}

export function adam(n: i32, s: usize, k: usize): void {
  const e = arg(k, 7);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    moments(s + i, ld(D + i), k);
    st(D + i, f32x4.mul(adamStep(s + i, k), e));
  }
}

export function adamw(n: i32, s: usize, k: usize): void {
  const e = arg(k, 7);
  const la = arg(k, 8);
  const coupled = flag(k, 9);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    moments(s + i, ld(D + i), k);
    const u = adamStep(s + i, k);
    const xl = f32x4.mul(ld(X + i), la);
    st(D + i, coupled ? f32x4.mul(f32x4.add(u, xl), e) : f32x4.add(f32x4.mul(u, e), xl));
  }
}

/** Nadam's scalars after the moments: nextCorrection1, correction1, correction2, epsilon, eta. */
export function nadam(n: i32, s: usize, k: usize): void {
  const e = arg(k, 8);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    const d = ld(D + i);
    moments(s + i, d, k);
    const m = f32x4.div(f32x4.mul(ld(s + i), arg(k, 0)), arg(k, 4));
    const num = f32x4.add(m, f32x4.div(f32x4.mul(d, arg(k, 1)), arg(k, 5)));
    const v = f32x4.div(f32x4.mul(ld(s + SLOT + i), arg(k, 2)), arg(k, 6));
    st(D + i, f32x4.mul(f32x4.div(num, f32x4.add(f32x4.sqrt(v), arg(k, 7))), e));
  }
}

export function radam(n: i32, s: usize, k: usize): void {
  const e = arg(k, 7);
  const r = arg(k, 8);
  const rect = flag(k, 9);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    moments(s + i, ld(D + i), k);
    const step = rect ? f32x4.mul(adamStep(s + i, k), e) : f32x4.mul(f32x4.div(ld(s + i), arg(k, 4)), e);
    st(D + i, rect ? f32x4.mul(step, r) : step);
  }
}

export function adamax(n: i32, s: usize, k: usize): void {
  const b1 = arg(k, 0);
  const c1 = arg(k, 1);
  const b2 = arg(k, 2);
  const ep = arg(k, 3);
  const gn = arg(k, 4);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    const d = ld(D + i);
    const m = fma(ld(s + i), b1, d, c1);
    const u = f32x4.max(f32x4.mul(ld(s + SLOT + i), b2), f32x4.abs(d));
    st(s + i, m);
    st(s + SLOT + i, u);
    st(D + i, f32x4.mul(f32x4.div(m, f32x4.add(u, ep)), gn));
  }
}

export function adagrad(n: i32, s: usize, k: usize): void {
  const e = arg(k, 0);
  const ep = arg(k, 1);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    const d = ld(D + i);
    const a = f32x4.add(ld(s + i), f32x4.mul(d, d));
    st(s + i, a);
    st(D + i, scaledBySqrt(d, e, a, ep));
  }
}

export function adadelta(n: i32, s: usize, k: usize): void {
  const r = arg(k, 0);
  const c = arg(k, 1);
  const ep = arg(k, 2);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    const d = ld(D + i);
    const a = fma(ld(s + i), r, f32x4.mul(d, d), c);
    const b = ld(s + SLOT + i);
    const step = f32x4.div(f32x4.mul(d, f32x4.sqrt(f32x4.add(b, ep))), f32x4.sqrt(f32x4.add(a, ep)));
    st(s + i, a);
    st(s + SLOT + i, fma(b, r, f32x4.mul(step, step), c));
    st(D + i, step);
  }
}

export function lion(n: i32, s: usize, k: usize): void {
  const b1 = arg(k, 0);
  const b2 = arg(k, 1);
  const c2 = arg(k, 2);
  const bd = arg(k, 3);
  const e = arg(k, 4);
  for (let i: usize = 0; i < bytes(n); i += 16) {
    const d = ld(D + i);
    const m = fma(d, b2, ld(s + i), c2);
    st(s + i, m);
    st(D + i, f32x4.mul(sgn(fma(d, bd, m, b1)), e));
  }
}

// The ops below only transform d, element by element, from one scalar.

export function clipgrad(n: i32, _s: usize, k: usize): void {
  const hi = arg(k, 0);
  const lo = f32x4.neg(hi);
  for (let i: usize = 0; i < bytes(n); i += 16) st(D + i, f32x4.min(f32x4.max(ld(D + i), lo), hi));
}

export function weightdecay(n: i32, _s: usize, k: usize): void {
  const la = arg(k, 0);
  for (let i: usize = 0; i < bytes(n); i += 16) st(D + i, f32x4.add(ld(D + i), f32x4.mul(ld(X + i), la)));
}

export function signdecay(n: i32, _s: usize, k: usize): void {
  const la = arg(k, 0);
  for (let i: usize = 0; i < bytes(n); i += 16)
    st(D + i, f32x4.add(ld(D + i), f32x4.mul(sgn(ld(X + i)), la)));
}

/** `d = d * factor` (the host reads ClipNorm's one-element factor tensor and passes its value as k[0]). */
export function scale(n: i32, _s: usize, k: usize): void {
  const f = arg(k, 0);
  for (let i: usize = 0; i < bytes(n); i += 16) st(D + i, f32x4.mul(ld(D + i), f));
}

/** `x = x - d`: the parameter's update, after the last op. */
export function finish(n: i32): void {
  for (let i: usize = 0; i < bytes(n); i += 16) st(X + i, f32x4.sub(ld(X + i), ld(D + i)));
}
