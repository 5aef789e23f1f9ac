// The exponential-based f32 kernels of the CPU backend with 128-bit SIMD: gelu, gelu's gradient and softmax
// over contiguous lines. The host (src/cpu/wasm/activationSimd.ts) copies a block into the scratch halves A
// and B of this module's own memory, calls one of these, and copies block A out. V8's Math.exp costs about
// ten multiply-adds per element and the JS loops pay an f32 -> f64 -> f32 round trip on top; a vectorised
// exp (Cody-Waite range reduction and Cephes' degree-6 polynomial, within 2 ulp of f32 exp) computes four
// lanes at once.

// biome-ignore lint/correctness/useImportExtensions: AssemblyScript resolves "./name" to name.ts, and "./name.js" to nothing
import { expPolynomial } from "./expPolynomial";

/** Byte offset of block A: page 1 (page 0 is left to the compiler's statics, if any). */
export const SCRATCH: usize = 65536;
/** Byte offset of block B, the upper half of the scratch page. */
export const SCRATCH_B: usize = SCRATCH + 32768;
/** f32 elements in each half block. */
export const HALF: i32 = 8192;

// Above EXP_HI exp overflows f32 (the lanes give +Infinity); below EXP_LO it is subnormal, and the lanes
// give 0 there, as exp(-Infinity) must for masked softmax scores.
const EXP_HI: f32 = 88.72283;
const EXP_LO: f32 = -87.33654;
const LOG2E: f32 = <f32>Math.LOG2E;
// ln 2 split in two so that k * LN2_HI is exact for |k| < 2^9 (Cody and Waite).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.1219444e-4;
// 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer held in the low mantissa bits.
const SHIFTER: f32 = 12582912;

// The small helpers below are inlined by Binaryen at -O3 (an @inline decorator would not parse in the
// repo's linter).

/** e^x in four lanes: NaN stays NaN, x > 88.72 gives +Infinity, x < -87.34 (and -Infinity) gives 0. */
function exp4(x: v128): v128 {
  const tooSmall = f32x4.lt(x, f32x4.splat(EXP_LO));
  // pmin/pmax are one instruction each (min/max carry NaN and signed-zero rules that cost several); a NaN
  // x still comes through, as `b < a ? b : a` keeps a when the comparison is false.
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  // k = round(x log2 e) by adding 1.5 * 2^23: the sum's low mantissa bits are k itself (round to nearest
  // even, as `nearest`), so its bit pattern gives 2^k below without a float-to-int conversion.
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(SHIFTER));
  const k = f32x4.sub(t, f32x4.splat(SHIFTER));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
  const p = expPolynomial(r);
  // 2^k from the bits of t: (k + 127) << 23 (the shifter's own bits shift out past bit 31). k = 128 (x
  // near EXP_HI) gives the bits of +Infinity, which is the overflow.
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, scale), tooSmall);
}

// gelu's tanh form: 0.5 v (1 + tanh(u)) = v / (1 + e^{-2u}), u = C (v + K v^3).
const GELU_A: f32 = -2 * 0.7978845608028654; // -2C
const GELU_B: f32 = -2 * 0.7978845608028654 * 0.044715; // -2CK
const GELU_C: f32 = 0.7978845608028654;
const GELU_3K: f32 = 3 * 0.044715;

/** e^{-2u} for gelu's input lanes `v`. */
function geluExp(v: v128): v128 {
  const v2 = f32x4.mul(v, v);
  return exp4(f32x4.mul(v, f32x4.add(f32x4.splat(GELU_A), f32x4.mul(f32x4.splat(GELU_B), v2))));
}

/** A := gelu.(A) over n elements (a partial last vector also computes lanes past n, which the host ignores). */
export function gelu(n: i32): void {
  const end = SCRATCH + ((<usize>n) << 2);
  const one = f32x4.splat(1);
  for (let p = SCRATCH; p < end; p += 16) {
    const v = v128.load(p);
    v128.store(p, f32x4.div(v, f32x4.add(one, geluExp(v))));
  }
}

/**
 * A := B .* gelu'.(A) with A = x, B = dy. With e = e^{-2u} and s = 1 / (1 + e) = 0.5 (1 + tanh u), gelu' is
 * s + 2 v s (1 - s) C (1 + 3K v^2). s (1 - s) is computed as e s^2: `1 - s` would cancel for large v (s near
 * 1) and lose most of its digits. The exponent is capped at 80 so that e s^2 stays finite (e^80 s^2 = e^-80,
 * not Infinity * 0).
 */
export function geluGrad(n: i32): void {
  const end = SCRATCH + ((<usize>n) << 2);
  const d = SCRATCH_B - SCRATCH;
  const one = f32x4.splat(1);
  for (let p = SCRATCH; p < end; p += 16) {
    const v = v128.load(p);
    const v2 = f32x4.mul(v, v);
    const arg = f32x4.mul(v, f32x4.add(f32x4.splat(GELU_A), f32x4.mul(f32x4.splat(GELU_B), v2)));
    const e = exp4(f32x4.min(arg, f32x4.splat(80)));
    const s = f32x4.div(one, f32x4.add(one, e));
    const du = f32x4.mul(f32x4.splat(GELU_C), f32x4.add(one, f32x4.mul(f32x4.splat(GELU_3K), v2)));
    const slope = f32x4.mul(f32x4.mul(f32x4.add(v, v), f32x4.mul(e, f32x4.mul(s, s))), du);
    v128.store(p, f32x4.mul(v128.load(p + d), f32x4.add(s, slope)));
  }
}

/**
 * Softmax of each of `lines` consecutive lines of `len` elements in block A, in place (len a multiple of 4;
 * the host handles other lengths). Max-subtracted; a line that is all -Infinity gives 0 / 0 = NaN, as the
 * JS loop does.
 */
export function softmaxLines(len: i32, lines: i32): void {
  const bytes = (<usize>len) << 2;
  for (let l = 0; l < lines; l++) {
    const start = SCRATCH + <usize>l * bytes;
    const end = start + bytes;
    let vm = f32x4.splat(-Infinity);
    for (let p = start; p < end; p += 16) vm = f32x4.max(vm, v128.load(p));
    let m = max<f32>(
      max<f32>(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)),
      max<f32>(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)),
    );
    if (m === -Infinity) m = 0;
    const vmax = f32x4.splat(m);
    let vs = f32x4.splat(0);
    for (let p = start; p < end; p += 16) {
      const e = exp4(f32x4.sub(v128.load(p), vmax));
      v128.store(p, e);
      vs = f32x4.add(vs, e);
    }
    const s =
      f32x4.extract_lane(vs, 0) +
      f32x4.extract_lane(vs, 1) +
      (f32x4.extract_lane(vs, 2) + f32x4.extract_lane(vs, 3));
    const inv = f32x4.splat(1 / s);
    for (let p = start; p < end; p += 16) v128.store(p, f32x4.mul(v128.load(p), inv));
  }
}
