// The fused optimiser step over f32 with 128-bit SIMD (src/cpu/optimiserStep.ts drives it). The host copies
// one block of the parameter x, the gradient and each state tensor into this module's slots, calls the ops
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

// The small helpers below are inlined by Binaryen at -O3 (an @inline decorator would not parse in the
// repo's linter). Ops without state take the state offset `_s` all the same: one calling convention.

/** Byte offset of state slot `k` (what the host passes as `s` for an op whose first state slot is k). */
export function stateOffset(k: i32): usize {
  return SCRATCH + <usize>(k + 2) * SLOT;
}

function ld(p: usize): v128 {
  return v128.load(p);
}

function st(p: usize, v: v128): void {
  v128.store(p, v);
}

function splat(a: f32): v128 {
  return f32x4.splat(a);
}

function fma(a: v128, b: v128, c: v128, e: v128): v128 {
  // a*b + c*e, each product rounded, then the sum (the unfused `add(mul(a, b), mul(c, e))`).
  return f32x4.add(f32x4.mul(a, b), f32x4.mul(c, e));
}

function sgn(v: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  return f32x4.sub(v128.and(f32x4.gt(v, zero), one), v128.and(f32x4.lt(v, zero), one));
}

export function descent(n: i32, _s: usize, eta: f32): void {
  const e = splat(eta);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) st(D + i, f32x4.mul(ld(D + i), e));
}

export function momentum(n: i32, s: usize, rho: f32, eta: f32): void {
  const r = splat(rho);
  const e = splat(eta);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) {
    const v = fma(ld(s + i), r, ld(D + i), e);
    st(s + i, v);
    st(D + i, v);
  }
}

export function nesterov(n: i32, s: usize, negRho2: f32, gain: f32, rho: f32, eta: f32): void {
  const a = splat(negRho2);
  const b = splat(gain);
  const r = splat(rho);
  const e = splat(eta);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) {
    const v = ld(s + i);
    const d = ld(D + i);
    st(D + i, fma(v, a, d, b));
    st(s + i, f32x4.sub(f32x4.mul(v, r), f32x4.mul(d, e)));
  }
}

export function rmsprop(n: i32, s: usize, rho: f32, oneMinusRho: f32, eta: f32, epsilon: f32): void {
  const r = splat(rho);
  const c = splat(oneMinusRho);
  const e = splat(eta);
  const ep = splat(epsilon);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) {
    const d = ld(D + i);
    const q = fma(ld(s + i), r, f32x4.mul(d, d), c);
    st(s + i, q);
    st(D + i, f32x4.div(f32x4.mul(d, e), f32x4.add(f32x4.sqrt(q), ep)));
  }
}

export function rmspropCentred(n: i32, s: usize, rho: f32, oneMinusRho: f32, eta: f32, epsilon: f32): void {
  const r = splat(rho);
  const c = splat(oneMinusRho);
  const e = splat(eta);
  const ep = splat(epsilon);
  const end = (<usize>n) << 2;
  const s2 = s + SLOT;
  for (let i: usize = 0; i < end; i += 16) {
    const d = ld(D + i);
    const q = fma(ld(s + i), r, f32x4.mul(d, d), c);
    const l = fma(ld(s2 + i), r, d, c);
    st(s + i, q);
    st(s2 + i, l);
    const spread = f32x4.sub(q, f32x4.mul(l, l));
    st(D + i, f32x4.div(f32x4.mul(d, e), f32x4.add(f32x4.sqrt(spread), ep)));
  }
}

// The Adam family keeps m and v in slots s and s + SLOT. Each member's loop stays one pass: `moments`
// updates both in their slots (m = m β1 + d (1 - β1), v = v β2 + d² (1 - β2)) and `adamStep` is the
// bias-corrected direction m̂ / (√v̂ + ε), shared by adam, adamw and radam.
function moments(p: usize, d: v128, b1: v128, c1: v128, b2: v128, c2: v128): void {
  st(p, fma(ld(p), b1, d, c1));
  st(p + SLOT, fma(ld(p + SLOT), b2, f32x4.mul(d, d), c2));
}

function adamStep(p: usize, k1: v128, k2: v128, ep: v128): v128 {
  const denom = f32x4.add(f32x4.sqrt(f32x4.div(ld(p + SLOT), k2)), ep);
  return f32x4.div(f32x4.div(ld(p), k1), denom);
}

/** Adam is RAdam's rectified step with r = 1 (times 1 is exact, so the bits are Adam's). */
export function adam(
  n: i32,
  s: usize,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  correction1: f32,
  correction2: f32,
  epsilon: f32,
  eta: f32,
): void {
  radam(n, s, beta1, oneMinusBeta1, beta2, oneMinusBeta2, correction1, correction2, epsilon, eta, 1, 1);
}

export function adamw(
  n: i32,
  s: usize,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  correction1: f32,
  correction2: f32,
  epsilon: f32,
  eta: f32,
  lambda: f32,
  couple: f32,
): void {
  const b1 = splat(beta1);
  const c1 = splat(oneMinusBeta1);
  const b2 = splat(beta2);
  const c2 = splat(oneMinusBeta2);
  const k1 = splat(correction1);
  const k2 = splat(correction2);
  const ep = splat(epsilon);
  const e = splat(eta);
  const la = splat(lambda);
  const coupled = couple !== 0;
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) {
    moments(s + i, ld(D + i), b1, c1, b2, c2);
    const u = adamStep(s + i, k1, k2, ep);
    const xl = f32x4.mul(ld(X + i), la);
    st(D + i, coupled ? f32x4.mul(f32x4.add(u, xl), e) : f32x4.add(f32x4.mul(u, e), xl));
  }
}

export function nadam(
  n: i32,
  s: usize,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  nextCorrection1: f32,
  correction1: f32,
  correction2: f32,
  epsilon: f32,
  eta: f32,
): void {
  const b1 = splat(beta1);
  const c1 = splat(oneMinusBeta1);
  const b2 = splat(beta2);
  const c2 = splat(oneMinusBeta2);
  const n1 = splat(nextCorrection1);
  const k1 = splat(correction1);
  const k2 = splat(correction2);
  const ep = splat(epsilon);
  const e = splat(eta);
  const end = (<usize>n) << 2;
  const s2 = s + SLOT;
  for (let i: usize = 0; i < end; i += 16) {
    const d = ld(D + i);
    moments(s + i, d, b1, c1, b2, c2);
    const num = f32x4.add(f32x4.div(f32x4.mul(ld(s + i), b1), n1), f32x4.div(f32x4.mul(d, c1), k1));
    const denom = f32x4.add(f32x4.sqrt(f32x4.div(f32x4.mul(ld(s2 + i), b2), k2)), ep);
    st(D + i, f32x4.mul(f32x4.div(num, denom), e));
  }
}

export function radam(
  n: i32,
  s: usize,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  correction1: f32,
  correction2: f32,
  epsilon: f32,
  eta: f32,
  r: f32,
  rectified: f32,
): void {
  const b1 = splat(beta1);
  const c1 = splat(oneMinusBeta1);
  const b2 = splat(beta2);
  const c2 = splat(oneMinusBeta2);
  const k1 = splat(correction1);
  const k2 = splat(correction2);
  const ep = splat(epsilon);
  const e = splat(eta);
  const rr = splat(r);
  const rect = rectified !== 0;
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) {
    moments(s + i, ld(D + i), b1, c1, b2, c2);
    const step = rect ? f32x4.mul(adamStep(s + i, k1, k2, ep), e) : f32x4.mul(f32x4.div(ld(s + i), k1), e);
    st(D + i, rect ? f32x4.mul(step, rr) : step);
  }
}

export function adamax(
  n: i32,
  s: usize,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  epsilon: f32,
  gain: f32,
): void {
  const b1 = splat(beta1);
  const c1 = splat(oneMinusBeta1);
  const b2 = splat(beta2);
  const ep = splat(epsilon);
  const gn = splat(gain);
  const end = (<usize>n) << 2;
  const s2 = s + SLOT;
  for (let i: usize = 0; i < end; i += 16) {
    const d = ld(D + i);
    const m = fma(ld(s + i), b1, d, c1);
    const u = f32x4.max(f32x4.mul(ld(s2 + i), b2), f32x4.abs(d));
    st(s + i, m);
    st(s2 + i, u);
    st(D + i, f32x4.mul(f32x4.div(m, f32x4.add(u, ep)), gn));
  }
}

export function adagrad(n: i32, s: usize, eta: f32, epsilon: f32): void {
  const e = splat(eta);
  const ep = splat(epsilon);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) {
    const d = ld(D + i);
    const a = f32x4.add(ld(s + i), f32x4.mul(d, d));
    st(s + i, a);
    st(D + i, f32x4.div(f32x4.mul(d, e), f32x4.add(f32x4.sqrt(a), ep)));
  }
}

export function adadelta(n: i32, s: usize, rho: f32, oneMinusRho: f32, epsilon: f32): void {
  const r = splat(rho);
  const c = splat(oneMinusRho);
  const ep = splat(epsilon);
  const end = (<usize>n) << 2;
  const s2 = s + SLOT;
  for (let i: usize = 0; i < end; i += 16) {
    const d = ld(D + i);
    const a = fma(ld(s + i), r, f32x4.mul(d, d), c);
    const b = ld(s2 + i);
    const step = f32x4.div(f32x4.mul(d, f32x4.sqrt(f32x4.add(b, ep))), f32x4.sqrt(f32x4.add(a, ep)));
    st(s + i, a);
    st(s2 + i, fma(b, r, f32x4.mul(step, step), c));
    st(D + i, step);
  }
}

export function lion(
  n: i32,
  s: usize,
  beta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  beta2MinusBeta1: f32,
  eta: f32,
): void {
  const b1 = splat(beta1);
  const b2 = splat(beta2);
  const c2 = splat(oneMinusBeta2);
  const bd = splat(beta2MinusBeta1);
  const e = splat(eta);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) {
    const d = ld(D + i);
    const m = fma(d, b2, ld(s + i), c2);
    st(s + i, m);
    st(D + i, f32x4.mul(sgn(fma(d, bd, m, b1)), e));
  }
}

export function clipgrad(n: i32, _s: usize, delta: f32): void {
  const hi = splat(delta);
  const lo = splat(-delta);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) st(D + i, f32x4.min(f32x4.max(ld(D + i), lo), hi));
}

export function weightdecay(n: i32, _s: usize, lambda: f32): void {
  const la = splat(lambda);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) st(D + i, f32x4.add(ld(D + i), f32x4.mul(ld(X + i), la)));
}

export function signdecay(n: i32, _s: usize, lambda: f32): void {
  const la = splat(lambda);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) st(D + i, f32x4.add(ld(D + i), f32x4.mul(sgn(ld(X + i)), la)));
}

/** `d = d * factor` (the host reads ClipNorm's one-element factor tensor and passes its value). */
export function scale(n: i32, _s: usize, factor: f32): void {
  const f = splat(factor);
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) st(D + i, f32x4.mul(ld(D + i), f));
}

/** `x = x - d`: the parameter's update, after the last op. */
export function finish(n: i32): void {
  const end = (<usize>n) << 2;
  for (let i: usize = 0; i < end; i += 16) st(X + i, f32x4.sub(ld(X + i), ld(D + i)));
}
