// Flux's MaxPool((2, 2)) (2×2 windows, stride 2, no padding) over f32 with 128-bit SIMD, forward and
// backward, on blocks of whole planes copied into this module's memory. The scalar JS loops needed a
// data-dependent choice per window (which of four is largest): with activations of random sign they
// mispredicted often enough to make pooling a sixth of a LeNet training step; here four windows take a
// handful of lane-wise max, compare and shuffle instructions, without a branch.
//
// Layout: X (page 1) holds `planes` planes of W×H input values, one after the other; Y and DY (page 2, two
// halves) hold the planes' ⌊W/2⌋×⌊H/2⌋ outputs and output gradients. The backward pass writes dx over X.

/** Byte offset of the input block (page 1). */
export const X: usize = 65536;
/** f32 elements the input block holds (64 KiB). */
export const X_CAP: i32 = 16384;
/** Byte offsets of the output and output-gradient blocks (page 2, 32 KiB each: at least X_CAP / 4). */
export const Y: usize = 131072;
export const DY: usize = Y + 32768;

// The small helpers below are inlined by Binaryen at -O3 (an @inline decorator would not parse in the
// repository's linter).

/** Y = maxpool(X) for `planes` planes of W×H (W, H ≥ 2). */
export function maxpool2x2(planes: i32, W: i32, H: i32): void {
  eachRow(planes, W, H, false);
}

/**
 * X := dx for `planes` planes: each window's gradient (DY) goes to the first of its four values that
 * equals the window's max (Y) in the forward scan order (row 0 then row 1); the others, and an odd last
 * row or column outside every window, get 0. A NaN max matches nothing, so its window gets 0.
 */
export function maxpool2x2Backward(planes: i32, W: i32, H: i32): void {
  eachRow(planes, W, H, true);
}

/**
 * Both passes over every row of windows: the input rows r0 and r1 = r0 + W of each output row, whose
 * outputs (and output gradients) start at byte `o` of Y (and DY). One branch per row picks the pass.
 */
function eachRow(planes: i32, W: i32, H: i32, backward: bool): void {
  const oW = W >> 1;
  const oH = H >> 1;
  const rowBytes = (<usize>W) << 2;
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = X + ((<usize>(p * W * H)) << 2);
    for (let oh = 0; oh < oH; oh++, o += (<usize>oW) << 2) {
      const r0 = plane + <usize>(2 * oh) * rowBytes;
      if (backward) backwardRow(r0, r0 + rowBytes, o, oW, W);
      else forwardRow(r0, r0 + rowBytes, Y + o, oW);
    }
    // Backward, an odd H: the last row lies in no window.
    if (backward && H & 1) memory.fill(plane + <usize>(H - 1) * rowBytes, 0, rowBytes);
  }
}

function forwardRow(r0: usize, r1: usize, out: usize, oW: i32): void {
  let ow = 0;
  // Four windows per step: eight values from each row, the row-wise max, then the max of each pair.
  for (; ow + 4 <= oW; ow += 4, out += 16) {
    const at = (<usize>ow) << 3;
    const a = f32x4.max(v128.load(r0 + at), v128.load(r1 + at));
    const b = f32x4.max(v128.load(r0 + at + 16), v128.load(r1 + at + 16));
    const even = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
    const odd = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    v128.store(out, f32x4.max(even, odd));
  }
  // wasm's f32.max, like f32x4.max: NaN when either is NaN (Julia's and Math.max's rule).
  for (; ow < oW; ow++, out += 4) {
    const at = (<usize>ow) << 3;
    const m = max<f32>(
      max<f32>(load<f32>(r0 + at), load<f32>(r0 + at + 4)),
      max<f32>(load<f32>(r1 + at), load<f32>(r1 + at + 4)),
    );
    store<f32>(out, m);
  }
}

/** Lanes 1 and 3 take lanes 0 and 2 of `v`, lanes 0 and 2 become 0: "the left one of the pair". */
function leftOfPair(v: v128): v128 {
  return v128.shuffle<i32>(v, i32x4.splat(0), 4, 0, 4, 2);
}

/** Each lane ORed with its pair partner (lanes 0-1, 2-3). */
function eitherOfPair(v: v128): v128 {
  return v128.or(v, v128.shuffle<i32>(v, v, 1, 0, 3, 2));
}

/** One output's four lanes: mask of the first value equal to m, scan order r0[0], r0[1], r1[0], r1[1]. */
function backward4(r0: usize, r1: usize, m: v128, g: v128): void {
  const e0 = f32x4.eq(v128.load(r0), m);
  const e1 = f32x4.eq(v128.load(r1), m);
  const first0 = v128.andnot(e0, leftOfPair(e0));
  const first1 = v128.andnot(v128.andnot(e1, leftOfPair(e1)), eitherOfPair(e0));
  v128.store(r0, v128.and(g, first0));
  v128.store(r1, v128.and(g, first1));
}

/** One row of windows backward: dx over rows r0 and r1 from the outputs and gradients at byte `o`. */
function backwardRow(r0: usize, r1: usize, o: usize, oW: i32, W: i32): void {
  let ow = 0;
  for (; ow + 4 <= oW; ow += 4, o += 16) {
    const at = (<usize>ow) << 3;
    const m = v128.load(Y + o);
    const g = v128.load(DY + o);
    backward4(r0 + at, r1 + at, v128.shuffle<f32>(m, m, 0, 0, 1, 1), v128.shuffle<f32>(g, g, 0, 0, 1, 1));
    backward4(
      r0 + at + 16,
      r1 + at + 16,
      v128.shuffle<f32>(m, m, 2, 2, 3, 3),
      v128.shuffle<f32>(g, g, 2, 2, 3, 3),
    );
  }
  for (; ow < oW; ow++, o += 4) {
    const at = (<usize>ow) << 3;
    const m = load<f32>(Y + o);
    const g = load<f32>(DY + o);
    const e0 = load<f32>(r0 + at) === m;
    const e1 = !e0 && load<f32>(r0 + at + 4) === m;
    const e2 = !e0 && !e1 && load<f32>(r1 + at) === m;
    const e3 = !e0 && !e1 && !e2 && load<f32>(r1 + at + 4) === m;
    store<f32>(r0 + at, e0 ? g : 0);
    store<f32>(r0 + at + 4, e1 ? g : 0);
    store<f32>(r1 + at, e2 ? g : 0);
    store<f32>(r1 + at + 4, e3 ? g : 0);
  }
  // An odd W: the last column of both rows lies in no window (r1 starts right after r0's last value).
  if (W & 1) {
    store<f32>(r1 - 4, 0);
    store<f32>(r1 + ((<usize>W) << 2) - 4, 0);
  }
}
