// A convolution's im2col and col2im for taps that read input rows at stride 1, over f32 with 128-bit SIMD.
// The host places a chunk of images and the col matrix in this module's memory (which it grows as needed),
// calls one function per tap, and hands the col matrix to the GEMM where it lies: the GEMM reads (forward,
// weight gradient) or writes (input gradient) it through a view of this memory, so only the images cross
// between JS and wasm memory, never the col matrix, which is K times larger. The JS loops these replace
// moved a float in 1.1-1.6 ns (rows of a dozen elements); a LeNet's two layers spent 4 ms a step in them.
//
// Layout (byte offsets chosen by the host, from page 1 on; page 0 is the module's own): images
// [W, H, C, count] at `x`; the col matrix at `col`, column-major [R, K] with R = P * count rows (P =
// oW * oH output positions per image, images one after the other) and one column per tap.

/**
 * Column `q` of the col matrix: for each image b and output row oh in [h0, h1), col[R*q + P*b + oW*oh + ow]
 * = x[plane(b) + src + W*oh*sh + ow] for ow in [w0, w1) (plane(b) = (c + C*b) * W * H; `src` = W*offH +
 * offW, the tap's offset), and 0 for the other ow and oh (the padding). Writes nothing outside column q.
 */
export function im2colTap(
  x: usize,
  col: usize,
  q: i32,
  c: i32,
  src: i32,
  count: i32,
  W: i32,
  H: i32,
  C: i32,
  oW: i32,
  oH: i32,
  sh: i32,
  w0: i32,
  w1: i32,
  h0: i32,
  h1: i32,
): void {
  const P = oW * oH;
  const R = P * count;
  for (let b = 0; b < count; b++) {
    const plane = x + ((<usize>((c + C * b) * W * H)) << 2);
    const base = col + ((<usize>(R * q + P * b)) << 2);
    const rowBytes = (<usize>oW) << 2;
    if (h0 > 0) memory.fill(base, 0, rowBytes * <usize>h0);
    if (h1 < oH) memory.fill(base + rowBytes * <usize>h1, 0, rowBytes * <usize>(oH - h1));
    for (let oh = h0; oh < h1; oh++) {
      const row = base + rowBytes * <usize>oh;
      const from = plane + ((<usize>(src + W * oh * sh)) << 2);
      if (w0 > 0) memory.fill(row, 0, (<usize>w0) << 2);
      copyRun(from + ((<usize>w0) << 2), row + ((<usize>w0) << 2), w1 - w0);
      if (w1 < oW) memory.fill(row + ((<usize>w1) << 2), 0, (<usize>(oW - w1)) << 2);
    }
  }
}

/**
 * The transpose of `im2colTap`: x[plane(b) + src + W*oh*sh + ow] += col[R*q + P*b + oW*oh + ow] over the
 * in-range ow and oh. Each element is added on its own and rounded to f32, in the order the taps are
 * called: the JS scatter's arithmetic, bit for bit.
 */
export function col2imTap(
  x: usize,
  col: usize,
  q: i32,
  c: i32,
  src: i32,
  count: i32,
  W: i32,
  H: i32,
  C: i32,
  oW: i32,
  oH: i32,
  sh: i32,
  w0: i32,
  w1: i32,
  h0: i32,
  h1: i32,
): void {
  const P = oW * oH;
  const R = P * count;
  const n = w1 - w0;
  for (let b = 0; b < count; b++) {
    const plane = x + ((<usize>((c + C * b) * W * H)) << 2);
    const base = col + ((<usize>(R * q + P * b)) << 2);
    for (let oh = h0; oh < h1; oh++) {
      let from = base + ((<usize>(oW * oh + w0)) << 2);
      let to = plane + ((<usize>(src + W * oh * sh + w0)) << 2);
      const end = to + ((<usize>n) << 2);
      for (; to + 16 <= end; to += 16, from += 16) v128.store(to, f32x4.add(v128.load(to), v128.load(from)));
      for (; to < end; to += 4, from += 4) store<f32>(to, load<f32>(to) + load<f32>(from));
    }
  }
}

/**
 * Copies `n` f32 from `from` to `to` (non-overlapping). Runs of four or more end with a vector that
 * overlaps the previous one instead of a scalar tail, so no store lands past the run.
 */
function copyRun(from: usize, to: usize, n: i32): void {
  if (n < 4) {
    for (let i = 0; i < n; i++) store<f32>(to + ((<usize>i) << 2), load<f32>(from + ((<usize>i) << 2)));
    return;
  }
  const bytes = (<usize>n) << 2;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(to + i, v128.load(from + i));
  if (i < bytes) v128.store(to + bytes - 16, v128.load(from + bytes - 16));
}
