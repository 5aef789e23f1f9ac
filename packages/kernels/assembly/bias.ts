// `act.(x .+ b)` where b is constant along runs of `len` consecutive elements (a convolution's per-channel
// bias over [W, H, C, N]: one value per W×H plane), act relu or the identity, over f32 with 128-bit SIMD.
// The host copies a block of whole runs into X and each run's bias into B, calls `biasLines`, and copies X
// out. The generic broadcast loop handled these as strided lines of a few hundred elements each at scalar
// speed; this is one 4-lane loop per run. f32 arithmetic: x + b rounded once, as the unfused `add` rounds.
// `reluBiasGrad` is its backward pass: relu's gradient and each run's sum (the bias gradient) in one loop.

/** Byte offset of the data block (page 1). */
export const X: usize = 65536;
/** f32 elements the data block holds (64 KiB). */
export const X_CAP: i32 = 16384;
/** Byte offset of the per-run bias table (page 2; X_CAP entries, enough for runs of one element). */
export const B: usize = X + 65536;

/**
 * X[r*len + i] = act(X[r*len + i] + B[r]) for `runs` runs; act: relu when `relu` is 1, else the identity.
 * relu is what the JS loops give: NaN stays NaN, -0 becomes +0, -Infinity becomes 0 (NNlib's relu).
 */
export function biasLines(runs: i32, len: i32, relu: i32): void {
  const zero = f32x4.splat(0);
  const runBytes = (<usize>len) << 2;
  for (let r = 0; r < runs; r++) {
    const b = load<f32>(B + ((<usize>r) << 2));
    const vb = f32x4.splat(b);
    let p = X + <usize>r * runBytes;
    const end = p + runBytes;
    if (relu) {
      for (; p + 16 <= end; p += 16) {
        const v = f32x4.add(v128.load(p), vb);
        v128.store(p, f32x4.max(v, zero));
      }
      for (; p < end; p += 4) {
        const v = load<f32>(p) + b;
        store<f32>(p, max<f32>(v, 0));
      }
    } else {
      for (; p + 16 <= end; p += 16) v128.store(p, f32x4.add(v128.load(p), vb));
      for (; p < end; p += 4) store<f32>(p, load<f32>(p) + b);
    }
  }
}

/** Byte offset of the output-gradient block for `reluBiasGrad` (page 3; X_CAP f32). */
export const G: usize = B + 65536;

/**
 * The backward pass of `relu.(x .+ b)` over `runs` runs of `len`: X holds the output y and G its cotangent
 * dy; X := dy * (y > 0 ? 1 : 0) (NaN in dy stays NaN, a negative dy times 0 is -0: relu's gradient bit
 * for bit), and the f64 sum of each run's result goes to B as an f64 (runs * len <= X_CAP, so at most
 * X_CAP / len runs: B's 64 KiB hold 8192 of them, enough for runs of 2 or more).
 */
export function reluBiasGrad(runs: i32, len: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const runBytes = (<usize>len) << 2;
  const d = G - X;
  for (let r = 0; r < runs; r++) {
    let p = X + <usize>r * runBytes;
    const end = p + runBytes;
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    for (; p + 16 <= end; p += 16) {
      const g = f32x4.mul(v128.load(p + d), v128.and(f32x4.gt(v128.load(p), zero), one));
      v128.store(p, g);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(g));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(g, g, 2, 3, 0, 1)));
    }
    let s: f64 =
      f64x2.extract_lane(lo, 0) +
      f64x2.extract_lane(lo, 1) +
      (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
    for (; p < end; p += 4) {
      const g = load<f32>(p + d) * <f32>(load<f32>(p) > 0);
      store<f32>(p, g);
      s += <f64>g;
    }
    store<f64>(B + ((<usize>r) << 3), s);
  }
}
