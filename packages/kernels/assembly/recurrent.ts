// The LSTM and GRU gate passes over f32 with 128-bit SIMD (src/cpu/wasm/recurrentSimd.ts copies the columns
// in and out).
// Scalar JS spends most of an LSTM step in Math.exp; here sigmoid is 1 / (1 + exp(-x)) with Cephes' expf
// (a degree-6 polynomial after range reduction, about 1 ulp) and tanh is the rational approximation of
// Eigen's fast tanh (a few ulps, up to ~5 near ±1; exact sign and limits), four lanes at a time.
//
// LSTM forward scratch layout for `cols` columns of hidden size n (each region column after column). The small helpers
// below are inlined by Binaryen at -O3 (an @inline decorator would not parse in the repo's linter).
//
//   bias  [4n]        in: the gates' bias (zeros for none)
//   gates [cols][4n]  in: i, f, g, o before activation and bias; out: after them
//   cprev [cols][n]   in: the previous cell state
//   c     [cols][n]   out: the new cell state
//   tc    [cols][n]   out: tanh(c)
//   h     [cols][n]   out: o .* tanh(c)

// biome-ignore lint/correctness/useImportExtensions: AssemblyScript resolves "./name" to name.ts, and "./name.js" to nothing
import { expPolynomial } from "./expPolynomial";

/** Byte offset of the scratch block: page 1 (page 0 is left to the compiler's statics, if any). */
export const SCRATCH: usize = 65536;
/** f32 elements in the scratch block (the module's memory above page 1). */
export const CAPACITY: i32 = (64 * 65536) >> 2;

function expv(x: v128): v128 {
  // Clamped so that 2^k stays a normal float: exp(88.7) is near f32's max, exp(-87.3) near its min normal.
  const v = f32x4.max(f32x4.min(x, f32x4.splat(88.7)), f32x4.splat(-87.3));
  const k = f32x4.nearest(f32x4.mul(v, f32x4.splat(<f32>Math.LOG2E)));
  // r = v - k ln2 in two parts (Cody-Waite), exact enough for the polynomial's 1-ulp range.
  const r = f32x4.sub(
    f32x4.sub(v, f32x4.mul(k, f32x4.splat(0.693359375))),
    f32x4.mul(k, f32x4.splat(-2.1219444e-4)),
  );
  const p = expPolynomial(r);
  // 2^k built from its exponent bits.
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

function sigmoidv(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expv(f32x4.neg(x))));
}

function tanhv(x: v128): v128 {
  // Beyond ±7.9988 tanh rounds to ±1 in f32; the odd rational keeps tanh(-x) = -tanh(x) and tiny x exact.
  const c = f32x4.max(f32x4.min(x, f32x4.splat(7.998811721801758)), f32x4.splat(-7.998811721801758));
  const x2 = f32x4.mul(c, c);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(5.12229709037114e-8));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(1.48572235717979e-5));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(6.37261928875436e-4));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(4.89352455891786e-3));
  p = f32x4.mul(p, c);
  let q = f32x4.splat(1.19825839466702e-6);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(1.18534705686654e-4));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(2.268434632439e-3));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(4.89352518554385e-3));
  return f32x4.div(p, q);
}

// One lane group (4 hidden units, or fewer at a column's end through `scalar`): the whole cell.
function cell(bp: usize, g: usize, n4: usize, cp: usize, cn: usize, tcp: usize, hp: usize, lanes: i32): void {
  let zi: v128, zf: v128, zg: v128, zo: v128, cprev: v128;
  if (lanes === 4) {
    zi = f32x4.add(v128.load(g), v128.load(bp));
    zf = f32x4.add(v128.load(g + n4), v128.load(bp + n4));
    zg = f32x4.add(v128.load(g + 2 * n4), v128.load(bp + 2 * n4));
    zo = f32x4.add(v128.load(g + 3 * n4), v128.load(bp + 3 * n4));
    cprev = v128.load(cp);
  } else {
    zi = f32x4.splat(load<f32>(g) + load<f32>(bp));
    zf = f32x4.splat(load<f32>(g + n4) + load<f32>(bp + n4));
    zg = f32x4.splat(load<f32>(g + 2 * n4) + load<f32>(bp + 2 * n4));
    zo = f32x4.splat(load<f32>(g + 3 * n4) + load<f32>(bp + 3 * n4));
    cprev = f32x4.splat(load<f32>(cp));
  }
  const i = sigmoidv(zi);
  const f = sigmoidv(zf);
  const gg = tanhv(zg);
  const o = sigmoidv(zo);
  const c = f32x4.add(f32x4.mul(f, cprev), f32x4.mul(i, gg));
  const tc = tanhv(c);
  const h = f32x4.mul(o, tc);
  if (lanes === 4) {
    v128.store(g, i);
    v128.store(g + n4, f);
    v128.store(g + 2 * n4, gg);
    v128.store(g + 3 * n4, o);
    v128.store(cn, c);
    v128.store(tcp, tc);
    v128.store(hp, h);
  } else {
    store<f32>(g, f32x4.extract_lane(i, 0));
    store<f32>(g + n4, f32x4.extract_lane(f, 0));
    store<f32>(g + 2 * n4, f32x4.extract_lane(gg, 0));
    store<f32>(g + 3 * n4, f32x4.extract_lane(o, 0));
    store<f32>(cn, f32x4.extract_lane(c, 0));
    store<f32>(tcp, f32x4.extract_lane(tc, 0));
    store<f32>(hp, f32x4.extract_lane(h, 0));
  }
}

/** The forward gate pass over `cols` columns of hidden size `n` (layout above). */
export function forward(cols: i32, n: i32): void {
  const n4 = (<usize>n) << 2;
  const total = <usize>cols * n4;
  const bias = SCRATCH;
  const gates = bias + 4 * n4;
  const cprev = gates + 4 * total;
  const cnew = cprev + total;
  const tcs = cnew + total;
  const hs = tcs + total;
  for (let col: usize = 0; col < <usize>cols; col++) {
    const g = gates + col * 4 * n4;
    const o = col * n4;
    let j: usize = 0;
    for (; j + 16 <= n4; j += 16)
      cell(bias + j, g + j, n4, cprev + o + j, cnew + o + j, tcs + o + j, hs + o + j, 4);
    for (; j < n4; j += 4) cell(bias + j, g + j, n4, cprev + o + j, cnew + o + j, tcs + o + j, hs + o + j, 1);
  }
}

// The backward gate pass. Scratch layout for `cols` columns (each region column after column):
//   gates [cols][4n]  in: the activated i, f, g, o; out: the pre-activations' cotangents
//   tc    [cols][n]   in: tanh(c)
//   cprev [cols][n]   in: the previous cell state
//   dy    [cols][n]   in: the output's cotangent
//   dh    [cols][n]   in: the cotangent reaching h from the next step
//   dc    [cols][n]   in: the cotangent reaching c from the next step; out: the one reaching c_prev

function cellBackward(g: usize, n4: usize, s: usize, total: usize): void {
  const one = f32x4.splat(1);
  const i = v128.load(g);
  const f = v128.load(g + n4);
  const gg = v128.load(g + 2 * n4);
  const o = v128.load(g + 3 * n4);
  const tc = v128.load(s);
  const cprev = v128.load(s + total);
  const dh = f32x4.add(v128.load(s + 2 * total), v128.load(s + 3 * total));
  const dcp = s + 4 * total;
  const dc = f32x4.add(v128.load(dcp), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(tc, tc))));
  v128.store(g, f32x4.mul(f32x4.mul(dc, gg), f32x4.mul(i, f32x4.sub(one, i))));
  v128.store(g + n4, f32x4.mul(f32x4.mul(dc, cprev), f32x4.mul(f, f32x4.sub(one, f))));
  v128.store(g + 2 * n4, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(gg, gg))));
  v128.store(g + 3 * n4, f32x4.mul(f32x4.mul(dh, tc), f32x4.mul(o, f32x4.sub(one, o))));
  v128.store(dcp, f32x4.mul(dc, f));
}

function cellBackwardScalar(g: usize, n4: usize, s: usize, total: usize): void {
  const i = load<f32>(g);
  const f = load<f32>(g + n4);
  const gg = load<f32>(g + 2 * n4);
  const o = load<f32>(g + 3 * n4);
  const tc = load<f32>(s);
  const cprev = load<f32>(s + total);
  const dh = load<f32>(s + 2 * total) + load<f32>(s + 3 * total);
  const dcp = s + 4 * total;
  const dc = load<f32>(dcp) + dh * o * (1 - tc * tc);
  store<f32>(g, dc * gg * (i * (1 - i)));
  store<f32>(g + n4, dc * cprev * (f * (1 - f)));
  store<f32>(g + 2 * n4, dc * i * (1 - gg * gg));
  store<f32>(g + 3 * n4, dh * tc * (o * (1 - o)));
  store<f32>(dcp, dc * f);
}

/** The backward gate pass over `cols` columns of hidden size `n` (layout above). */
export function backward(cols: i32, n: i32): void {
  const n4 = (<usize>n) << 2;
  const total = <usize>cols * n4;
  const gates = SCRATCH;
  const states = gates + 4 * total;
  for (let col: usize = 0; col < <usize>cols; col++) {
    const g = gates + col * 4 * n4;
    const s = states + col * n4;
    let j: usize = 0;
    for (; j + 16 <= n4; j += 16) cellBackward(g + j, n4, s + j, total);
    for (; j < n4; j += 4) cellBackwardScalar(g + j, n4, s + j, total);
  }
}

// GRU forward (Flux's GRUCell: r, z, n). Scratch layout for `cols` columns:
//   bias  [3n]        in: the gates' bias (zeros for none)
//   gx    [cols][3n]  in: the input projection; out: r, z and the candidate h̃
//   gh    [cols][3n]  in: Wh * h
//   hprev [cols][n]   in: the previous h
//   h     [cols][n]   out: (1 - z) h̃ + z h

function gruCell(bp: usize, g: usize, q: usize, n4: usize, hp: usize, ho: usize): void {
  const r = sigmoidv(f32x4.add(f32x4.add(v128.load(g), v128.load(bp)), v128.load(q)));
  const z = sigmoidv(f32x4.add(f32x4.add(v128.load(g + n4), v128.load(bp + n4)), v128.load(q + n4)));
  const pre = f32x4.add(
    f32x4.add(v128.load(g + 2 * n4), v128.load(bp + 2 * n4)),
    f32x4.mul(r, v128.load(q + 2 * n4)),
  );
  const c = tanhv(pre);
  v128.store(g, r);
  v128.store(g + n4, z);
  v128.store(g + 2 * n4, c);
  v128.store(ho, f32x4.add(f32x4.mul(z, f32x4.sub(v128.load(hp), c)), c));
}

function gruCellScalar(bp: usize, g: usize, q: usize, n4: usize, hp: usize, ho: usize): void {
  const r = f32x4.extract_lane(sigmoidv(f32x4.splat(load<f32>(g) + load<f32>(bp) + load<f32>(q))), 0);
  const z = f32x4.extract_lane(
    sigmoidv(f32x4.splat(load<f32>(g + n4) + load<f32>(bp + n4) + load<f32>(q + n4))),
    0,
  );
  const pre = load<f32>(g + 2 * n4) + load<f32>(bp + 2 * n4) + r * load<f32>(q + 2 * n4);
  const c = f32x4.extract_lane(tanhv(f32x4.splat(pre)), 0);
  store<f32>(g, r);
  store<f32>(g + n4, z);
  store<f32>(g + 2 * n4, c);
  store<f32>(ho, z * (load<f32>(hp) - c) + c);
}

/** The GRU forward gate pass over `cols` columns of hidden size `n` (layout above). */
export function gruForward(cols: i32, n: i32): void {
  const n4 = (<usize>n) << 2;
  const total = <usize>cols * n4;
  const bias = SCRATCH;
  const gx = bias + 3 * n4;
  const gh = gx + 3 * total;
  const hprev = gh + 3 * total;
  const hout = hprev + total;
  for (let col: usize = 0; col < <usize>cols; col++) {
    const g = gx + col * 3 * n4;
    const q = gh + col * 3 * n4;
    const o = col * n4;
    let j: usize = 0;
    for (; j + 16 <= n4; j += 16) gruCell(bias + j, g + j, q + j, n4, hprev + o + j, hout + o + j);
    for (; j < n4; j += 4) gruCellScalar(bias + j, g + j, q + j, n4, hprev + o + j, hout + o + j);
  }
}

// GRU backward. Scratch layout for `cols` columns:
//   g     [cols][3n]  in: r, z, h̃; out: the projection's cotangents dgx
//   dgh   [cols][3n]  out: the recurrent product's cotangents
//   gh    [cols][3n]  in: Wh * h (its n block is read)
//   hprev [cols][n]   in: the previous h
//   dy    [cols][n]   in: the output's cotangent
//   dh    [cols][n]   in: the cotangent reaching h from the next step; out: this step's direct path dh z

function gruBack(g: usize, d: usize, q: usize, n4: usize, s: usize, total: usize): void {
  const one = f32x4.splat(1);
  const r = v128.load(g);
  const z = v128.load(g + n4);
  const c = v128.load(g + 2 * n4);
  const dh = f32x4.add(v128.load(s + total), v128.load(s + 2 * total));
  const dpz = f32x4.mul(f32x4.mul(dh, f32x4.sub(v128.load(s), c)), f32x4.mul(z, f32x4.sub(one, z)));
  const dpn = f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(c, c)));
  const dpr = f32x4.mul(f32x4.mul(dpn, v128.load(q + 2 * n4)), f32x4.mul(r, f32x4.sub(one, r)));
  v128.store(g, dpr);
  v128.store(g + n4, dpz);
  v128.store(g + 2 * n4, dpn);
  v128.store(d, dpr);
  v128.store(d + n4, dpz);
  v128.store(d + 2 * n4, f32x4.mul(dpn, r));
  v128.store(s + 2 * total, f32x4.mul(dh, z));
}

function gruBackScalar(g: usize, d: usize, q: usize, n4: usize, s: usize, total: usize): void {
  const r = load<f32>(g);
  const z = load<f32>(g + n4);
  const c = load<f32>(g + 2 * n4);
  const dh = load<f32>(s + total) + load<f32>(s + 2 * total);
  const dpz = dh * (load<f32>(s) - c) * (z * (1 - z));
  const dpn = dh * (1 - z) * (1 - c * c);
  const dpr = dpn * load<f32>(q + 2 * n4) * (r * (1 - r));
  store<f32>(g, dpr);
  store<f32>(g + n4, dpz);
  store<f32>(g + 2 * n4, dpn);
  store<f32>(d, dpr);
  store<f32>(d + n4, dpz);
  store<f32>(d + 2 * n4, dpn * r);
  store<f32>(s + 2 * total, dh * z);
}

/** The GRU backward gate pass over `cols` columns of hidden size `n` (layout above). */
export function gruBackward(cols: i32, n: i32): void {
  const n4 = (<usize>n) << 2;
  const total = <usize>cols * n4;
  const gates = SCRATCH;
  const dgh = gates + 3 * total;
  const gh = dgh + 3 * total;
  const states = gh + 3 * total;
  for (let col: usize = 0; col < <usize>cols; col++) {
    const off = col * 3 * n4;
    const s = states + col * n4;
    let j: usize = 0;
    for (; j + 16 <= n4; j += 16) gruBack(gates + off + j, dgh + off + j, gh + off + j, n4, s + j, total);
    for (; j < n4; j += 4) gruBackScalar(gates + off + j, dgh + off + j, gh + off + j, n4, s + j, total);
  }
}
