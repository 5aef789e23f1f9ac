// `relu.(a .* x .+ b)` and `a .* x .+ b` over f32 with 128-bit SIMD, in place on a scratch block of this
// module's own memory. The host copies a block in, calls one of these, and copies it out: two memcpy-speed
// passes plus a 4-lane loop beat a scalar JS loop (1M f32 here: ~0.6 ms against ~1.4 ms). The arithmetic
// is f32 (a*x rounded, then + b rounded), exactly what the unfused `add(mul(x, a), b)` chain computes.

/** Byte offset of the scratch block: page 1 (page 0 is left to the compiler's statics, if any). */
export const SCRATCH: usize = 65536;
/** f32 elements in the scratch block: one 64 KiB page, which stays in L1/L2 between copy in, loop and copy out. */
export const BLOCK: i32 = 16384;

export function affine(n: i32, a: f32, b: f32): void {
  const va = f32x4.splat(a);
  const vb = f32x4.splat(b);
  let p = SCRATCH;
  const end = SCRATCH + ((<usize>n) << 2);
  for (; p + 16 <= end; p += 16) v128.store(p, f32x4.add(f32x4.mul(v128.load(p), va), vb));
  for (; p < end; p += 4) store<f32>(p, load<f32>(p) * a + b);
}

export function relu(n: i32, a: f32, b: f32): void {
  const va = f32x4.splat(a);
  const vb = f32x4.splat(b);
  const zero = f32x4.splat(0);
  let p = SCRATCH;
  const end = SCRATCH + ((<usize>n) << 2);
  for (; p + 16 <= end; p += 16) {
    v128.store(p, f32x4.max(f32x4.add(f32x4.mul(v128.load(p), va), vb), zero));
  }
  for (; p < end; p += 4) store<f32>(p, max<f32>(load<f32>(p) * a + b, 0));
}

// Element-wise f32 kernels over two scratch blocks, for the CPU backend's binary ops and the relu pair
// (src/cpu/wasm/elementwiseSimd.ts): the host copies the operands' blocks in, calls one of these, and copies
// the result out of block A. f32 arithmetic rounds exactly like the JS loops (an f64 result of f32 operands
// rounded to f32), so results are bit-identical. The scratch page is split in two 32 KiB halves, A and B
// (HALF f32 elements each), which stay in L1 between the copies and the loop.

/** Byte offset of the second scratch block, the upper half of the scratch page. */
export const SCRATCH_B: usize = SCRATCH + 32768;
/** f32 elements in each half block. */
export const HALF: i32 = 8192;

export function add2(n: i32): void {
  const end = SCRATCH + ((<usize>n) << 2);
  const d = SCRATCH_B - SCRATCH;
  let p = SCRATCH;
  for (; p + 16 <= end; p += 16) v128.store(p, f32x4.add(v128.load(p), v128.load(p + d)));
  for (; p < end; p += 4) store<f32>(p, load<f32>(p) + load<f32>(p + d));
}

export function sub2(n: i32): void {
  const end = SCRATCH + ((<usize>n) << 2);
  const d = SCRATCH_B - SCRATCH;
  let p = SCRATCH;
  for (; p + 16 <= end; p += 16) v128.store(p, f32x4.sub(v128.load(p), v128.load(p + d)));
  for (; p < end; p += 4) store<f32>(p, load<f32>(p) - load<f32>(p + d));
}

export function mul2(n: i32): void {
  const end = SCRATCH + ((<usize>n) << 2);
  const d = SCRATCH_B - SCRATCH;
  let p = SCRATCH;
  for (; p + 16 <= end; p += 16) v128.store(p, f32x4.mul(v128.load(p), v128.load(p + d)));
  for (; p < end; p += 4) store<f32>(p, load<f32>(p) * load<f32>(p + d));
}

export function div2(n: i32): void {
  const end = SCRATCH + ((<usize>n) << 2);
  const d = SCRATCH_B - SCRATCH;
  let p = SCRATCH;
  for (; p + 16 <= end; p += 16) v128.store(p, f32x4.div(v128.load(p), v128.load(p + d)));
  for (; p < end; p += 4) store<f32>(p, load<f32>(p) / load<f32>(p + d));
}

/** A := A op s for a scalar s (op: 0 add, 1 sub, 2 mul, 3 div). */
export function scalar(n: i32, op: i32, s: f32): void {
  const end = SCRATCH + ((<usize>n) << 2);
  const vs = f32x4.splat(s);
  let p = SCRATCH;
  if (op === 0) {
    for (; p + 16 <= end; p += 16) v128.store(p, f32x4.add(v128.load(p), vs));
    for (; p < end; p += 4) store<f32>(p, load<f32>(p) + s);
  } else if (op === 1) {
    for (; p + 16 <= end; p += 16) v128.store(p, f32x4.sub(v128.load(p), vs));
    for (; p < end; p += 4) store<f32>(p, load<f32>(p) - s);
  } else if (op === 2) {
    for (; p + 16 <= end; p += 16) v128.store(p, f32x4.mul(v128.load(p), vs));
    for (; p < end; p += 4) store<f32>(p, load<f32>(p) * s);
  } else {
    for (; p + 16 <= end; p += 16) v128.store(p, f32x4.div(v128.load(p), vs));
    for (; p < end; p += 4) store<f32>(p, load<f32>(p) / s);
  }
}

/**
 * A := max(A, 0): relu, what the JS loop gives: NaN stays NaN, -0 becomes +0, -Infinity becomes 0 (NNlib's
 * relu; the JS loop's `0.5 * (v + |v|)` special-cases it).
 */
export function relu1(n: i32): void {
  const end = SCRATCH + ((<usize>n) << 2);
  const zero = f32x4.splat(0);
  let p = SCRATCH;
  for (; p + 16 <= end; p += 16) v128.store(p, f32x4.max(v128.load(p), zero));
  for (; p < end; p += 4) store<f32>(p, max<f32>(load<f32>(p), 0));
}

/** A := B * (A > 0 ? 1 : 0) with A = x, B = dy: relu's gradient (dy * 0 keeps its sign, NaN stays NaN). */
export function reluGrad(n: i32): void {
  const end = SCRATCH + ((<usize>n) << 2);
  const d = SCRATCH_B - SCRATCH;
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let p = SCRATCH;
  for (; p + 16 <= end; p += 16) {
    const step = v128.and(f32x4.gt(v128.load(p), zero), one);
    v128.store(p, f32x4.mul(v128.load(p + d), step));
  }
  for (; p < end; p += 4) store<f32>(p, load<f32>(p + d) * <f32>(load<f32>(p) > 0));
}
