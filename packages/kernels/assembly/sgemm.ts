// GotoBLAS-style single-precision GEMM for column-major (Julia/BLAS order) matrices, in AssemblyScript.
//
//   C[i0:i1, j0:j1] = alpha * op(A)[i0:i1, :] * op(B)[:, j0:j1] + beta * C[i0:i1, j0:j1]
//
// Every pointer is a byte address in the (imported, possibly shared) memory; the caller (TypeScript) copies
// the operands in and owns the layout. One call computes one rectangle of C, so several threads can share
// one memory and each take different rectangles (each with its own `scratch` area).
//
// Why this shape (measured on a 2-core AVX2+FMA EPYC, Node 20): an 8x4 micro-tile held in 8 f32x4
// accumulators is the largest tile V8 keeps in registers; larger tiles spill and run at half speed.
// Transposes are handled while packing (4x4 SIMD transposes), so op(A) = A' costs the same as op(A) = A.
// The build compiles this file twice: with relaxed SIMD (`f32x4.relaxed_madd`, a fused multiply-add where
// the CPU has one) and with plain SIMD (mul + add); `ASC_FEATURE_RELAXED_SIMD` picks at compile time.

/** Rows of an A micro-panel (two f32x4 lanes). */
const MR: i32 = 8;
/** Columns of a B micro-panel. */
const NR: i32 = 4;

/** Cache-blocking sizes; `setBlocking` may change them (the benchmark script tunes them). */
let MC: i32 = 128;
let KC: i32 = 256;
let NC: i32 = 1024;

/** Changes the cache blocking (mc rounded up to 8, nc to 4). Returns the scratch bytes one thread then needs. */
export function setBlocking(mc: i32, kc: i32, nc: i32): i32 {
  MC = ((max(mc, MR) + MR - 1) / MR) * MR;
  KC = max(kc, 1);
  NC = ((max(nc, NR) + NR - 1) / NR) * NR;
  return scratchBytes();
}

/** Bytes of scratch one thread needs: a packed A block, a packed B block and one 8x4 edge tile. */
export function scratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4 + 64;
}

// f32x4 multiply-add: fused (relaxed) when the build enables relaxed SIMD, else mul then add. Small helpers
// like this one are inlined by Binaryen at -O3 (an @inline decorator would not parse in the repo's linter).
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

// Transposes the 4x4 block r0..r3 (rows) and stores its columns at dst, dst+stride, dst+2*stride, dst+3*stride.
function storeTransposed4x4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

// Packs alpha * op(A)[i0:i0+mc, p0:p0+kc] into panels of MR rows: panel q holds, for each p, the MR values
// of rows i0+q*MR.. (zero past row i0+mc). lda is in elements.
function packA(
  transA: bool,
  a: usize,
  lda: i32,
  i0: i32,
  mc: i32,
  p0: i32,
  kc: i32,
  alpha: f32,
  dst: usize,
): void {
  const va = f32x4.splat(alpha);
  const ldaBytes = (<usize>lda) << 2;
  for (let q = 0; q < mc; q += MR) {
    const rows = min(MR, mc - q);
    const panel = dst + ((<usize>q * <usize>kc) << 2);
    const i = i0 + q;
    if (!transA) {
      // op(A)[i, p] = A[i + p*lda]: the MR rows of one column are contiguous.
      let src = a + ((<usize>i + <usize>p0 * <usize>lda) << 2);
      if (rows === MR) {
        for (let p = 0; p < kc; p++) {
          const d = panel + ((<usize>p * MR) << 2);
          v128.store(d, f32x4.mul(v128.load(src), va));
          v128.store(d, f32x4.mul(v128.load(src, 16), va), 16);
          src += ldaBytes;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = panel + ((<usize>p * MR) << 2);
          for (let r = 0; r < MR; r++) {
            store<f32>(d + ((<usize>r) << 2), r < rows ? load<f32>(src + ((<usize>r) << 2)) * alpha : 0);
          }
          src += ldaBytes;
        }
      }
    } else {
      // op(A)[i, p] = A[p + i*lda]: each row is contiguous in p; transpose 4x4 blocks.
      const row0 = a + ((<usize>p0 + <usize>i * <usize>lda) << 2);
      let p = 0;
      if (rows === MR) {
        const stride: usize = MR << 2;
        for (; p + 4 <= kc; p += 4) {
          const s = row0 + ((<usize>p) << 2);
          const d = panel + ((<usize>p * MR) << 2);
          storeTransposed4x4(
            f32x4.mul(v128.load(s), va),
            f32x4.mul(v128.load(s + ldaBytes), va),
            f32x4.mul(v128.load(s + 2 * ldaBytes), va),
            f32x4.mul(v128.load(s + 3 * ldaBytes), va),
            d,
            stride,
          );
          const s4 = s + 4 * ldaBytes;
          storeTransposed4x4(
            f32x4.mul(v128.load(s4), va),
            f32x4.mul(v128.load(s4 + ldaBytes), va),
            f32x4.mul(v128.load(s4 + 2 * ldaBytes), va),
            f32x4.mul(v128.load(s4 + 3 * ldaBytes), va),
            d + 16,
            stride,
          );
        }
      }
      for (; p < kc; p++) {
        const d = panel + ((<usize>p * MR) << 2);
        const s = row0 + ((<usize>p) << 2);
        for (let r = 0; r < MR; r++) {
          store<f32>(d + ((<usize>r) << 2), r < rows ? load<f32>(s + <usize>r * ldaBytes) * alpha : 0);
        }
      }
    }
  }
}

// Packs op(B)[p0:p0+kc, j0:j0+nc] into panels of NR columns: panel q holds, for each p, the NR values of
// columns j0+q*NR.. (zero past column j0+nc). ldb is in elements.
function packB(transB: bool, b: usize, ldb: i32, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const ldbBytes = (<usize>ldb) << 2;
  for (let q = 0; q < nc; q += NR) {
    const cols = min(NR, nc - q);
    const panel = dst + ((<usize>q * <usize>kc) << 2);
    const j = j0 + q;
    if (transB) {
      // op(B)[p, j] = B[j + p*ldb]: the NR columns of one row are contiguous.
      let src = b + ((<usize>j + <usize>p0 * <usize>ldb) << 2);
      if (cols === NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(panel + ((<usize>p * NR) << 2), v128.load(src));
          src += ldbBytes;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = panel + ((<usize>p * NR) << 2);
          for (let c = 0; c < NR; c++)
            store<f32>(d + ((<usize>c) << 2), c < cols ? load<f32>(src + ((<usize>c) << 2)) : 0);
          src += ldbBytes;
        }
      }
    } else {
      // op(B)[p, j] = B[p + j*ldb]: each column is contiguous in p; transpose 4x4 blocks.
      const col0 = b + ((<usize>p0 + <usize>j * <usize>ldb) << 2);
      let p = 0;
      if (cols === NR) {
        for (; p + 4 <= kc; p += 4) {
          const s = col0 + ((<usize>p) << 2);
          storeTransposed4x4(
            v128.load(s),
            v128.load(s + ldbBytes),
            v128.load(s + 2 * ldbBytes),
            v128.load(s + 3 * ldbBytes),
            panel + ((<usize>p * NR) << 2),
            NR << 2,
          );
        }
      }
      for (; p < kc; p++) {
        const d = panel + ((<usize>p * NR) << 2);
        const s = col0 + ((<usize>p) << 2);
        for (let c = 0; c < NR; c++)
          store<f32>(d + ((<usize>c) << 2), c < cols ? load<f32>(s + <usize>c * ldbBytes) : 0);
      }
    }
  }
}

// C[0:8, 0:4] += Apanel * Bpanel over kc, C column-major with a column stride of ldcBytes.
function kernel8x4(pa: usize, pb: usize, kc: i32, c: usize, ldcBytes: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const a0 = v128.load(pa);
    const a1 = v128.load(pa, 16);
    let b = v128.load32_splat(pb);
    c00 = madd(a0, b, c00);
    c01 = madd(a1, b, c01);
    b = v128.load32_splat(pb, 4);
    c10 = madd(a0, b, c10);
    c11 = madd(a1, b, c11);
    b = v128.load32_splat(pb, 8);
    c20 = madd(a0, b, c20);
    c21 = madd(a1, b, c21);
    b = v128.load32_splat(pb, 12);
    c30 = madd(a0, b, c30);
    c31 = madd(a1, b, c31);
    pa += 32;
    pb += 16;
  }
  v128.store(c, f32x4.add(v128.load(c), c00));
  v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
  c += ldcBytes;
  v128.store(c, f32x4.add(v128.load(c), c10));
  v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
  c += ldcBytes;
  v128.store(c, f32x4.add(v128.load(c), c20));
  v128.store(c, f32x4.add(v128.load(c, 16), c21), 16);
  c += ldcBytes;
  v128.store(c, f32x4.add(v128.load(c), c30));
  v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
}

// C[i0:i1, j0:j1] *= beta (beta === 0 writes zeros without reading C, as BLAS does: NaN in C is ignored).
function scaleC(beta: f32, c: usize, ldc: i32, i0: i32, i1: i32, j0: i32, j1: i32): void {
  if (beta === 1) return;
  const rows = i1 - i0;
  for (let j = j0; j < j1; j++) {
    const col = c + ((<usize>i0 + <usize>j * <usize>ldc) << 2);
    if (beta === 0) {
      memory.fill(col, 0, (<usize>rows) << 2);
    } else {
      for (let r = 0; r < rows; r++) {
        const e = col + ((<usize>r) << 2);
        store<f32>(e, load<f32>(e) * beta);
      }
    }
  }
}

/**
 * C[i0:i1, j0:j1] = alpha * op(A)[i0:i1, :] * op(B)[:, j0:j1] + beta * C[i0:i1, j0:j1].
 * op(A) is m x k (A is m x k, or k x m when transA), op(B) is k x n; leading dimensions in elements.
 * `scratch` must hold `scratchBytes()` bytes, 16-byte aligned, private to the calling thread.
 */
export function sgemmBlock(
  transA: bool,
  transB: bool,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
  k: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f32,
  c: usize,
  ldc: i32,
  scratch: usize,
): void {
  if (i1 <= i0 || j1 <= j0) return;
  scaleC(beta, c, ldc, i0, i1, j0, j1);
  if (alpha === 0 || k <= 0) return;
  const packedA = scratch;
  const packedB = packedA + ((<usize>MC * <usize>KC) << 2);
  const edge = packedB + ((<usize>KC * <usize>NC) << 2);
  const ldcBytes = (<usize>ldc) << 2;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(transB, b, ldb, pc, kc, jc, nc, packedB);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        packA(transA, a, lda, ic, mc, pc, kc, alpha, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = packedB + ((<usize>jr * <usize>kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const pa = packedA + ((<usize>ir * <usize>kc) << 2);
            const cTile = c + ((<usize>(ic + ir) + <usize>(jc + jr) * <usize>ldc) << 2);
            if (mr === MR && nr === NR) {
              kernel8x4(pa, pb, kc, cTile, ldcBytes);
            } else {
              // Edge tile: accumulate into a zeroed 8x4 tile, then add the valid part to C.
              memory.fill(edge, 0, MR * NR * 4);
              kernel8x4(pa, pb, kc, edge, MR << 2);
              for (let jj = 0; jj < nr; jj++) {
                for (let ii = 0; ii < mr; ii++) {
                  const e = cTile + <usize>ii * 4 + <usize>jj * ldcBytes;
                  store<f32>(e, load<f32>(e) + load<f32>(edge + ((<usize>(ii + jj * MR)) << 2)));
                }
              }
            }
          }
        }
      }
    }
  }
}
