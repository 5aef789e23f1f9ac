// The LSTM and GRU gate passes, forward and backward, with wasm SIMD (assembly/recurrent.ts). Scalar JS
// spends most of a recurrent step in Math.exp (five per hidden unit for an LSTM, three for a GRU); the SIMD
// kernels compute the activations four lanes at a time with polynomial approximations within a few ulps of
// f32. The step's columns are copied into the module's scratch block, transformed there, and copied out:
// memcpy-speed passes beside the arithmetic.
import { lazyKernel } from "./lazyKernel.js";
import { recurrentSimdBytes } from "./wasmBinaries.js";

interface RecurrentKernel {
  forward(cols: number, n: number): void;
  backward(cols: number, n: number): void;
  gruForward(cols: number, n: number): void;
  gruBackward(cols: number, n: number): void;
  scratch: Float32Array;
}

const kernelFor = lazyKernel(
  recurrentSimdBytes,
  (e): RecurrentKernel => ({
    forward: e.fn("forward"),
    backward: e.fn("backward"),
    gruForward: e.fn("gruForward"),
    gruBackward: e.fn("gruBackward"),
    scratch: e.f32("SCRATCH", e.global("CAPACITY")),
  }),
);

/**
 * One operand's place in the scratch block: `rows` floats per column, one column after another, copied in
 * from `from` before the kernel runs and out to `to` after it (either may be absent: the kernel's own
 * output, or an input it only reads). With a `stride` (an output's cotangent), `from` holds column b at
 * `start + b * stride`.
 */
interface Region {
  rows: number;
  from?: Float32Array;
  to?: Float32Array;
  start?: number;
  stride?: number;
}

/**
 * Runs one gate pass over `cols` columns: the bias (`biasRows` floats, zeros for null) at the start of
 * the scratch block, then as many columns as fit, each region after the other for those columns (region r
 * starts at `k` times the rows of the regions before it, k the columns in the block); `run(k)` per block.
 * False, writing nothing, when one column does not fit.
 */
function gatePass(
  scratch: Float32Array,
  cols: number,
  bias: { values: Float32Array | null; rows: number } | null,
  regions: readonly Region[],
  run: (k: number) => void,
): boolean {
  const reserved = bias === null ? 0 : bias.rows;
  let perColumn = 0;
  for (let r = 0; r < regions.length; r++) perColumn += regions[r]!.rows;
  const per = Math.floor((scratch.length - reserved) / perColumn);
  if (per < 1) return false;
  if (bias !== null) {
    if (bias.values === null) scratch.fill(0, 0, reserved);
    else scratch.set(bias.values, 0);
  }
  const s = scratch.subarray(reserved);
  for (let b0 = 0; b0 < cols; b0 += per) {
    const k = Math.min(per, cols - b0);
    for (let r = 0, at = 0; r < regions.length; at += k * regions[r]!.rows, r++) {
      const { rows, from, stride } = regions[r]!;
      if (from === undefined) continue;
      if (stride === undefined) s.set(from.subarray(b0 * rows, (b0 + k) * rows), at);
      else {
        for (let b = 0; b < k; b++) {
          const start = regions[r]!.start! + (b0 + b) * stride;
          s.set(from.subarray(start, start + rows), at + b * rows);
        }
      }
    }
    run(k);
    for (let r = 0, at = 0; r < regions.length; at += k * regions[r]!.rows, r++) {
      const { rows, to } = regions[r]!;
      if (to !== undefined) to.set(s.subarray(at, at + k * rows), b0 * rows);
    }
  }
  return true;
}

/** A step's operands once `kernelFor` has checked that every array is f32. */
type F32<T> = { [K in keyof T]: T[K] extends ArrayLike<number> ? Float32Array : T[K] };

/** The f32 bias operand of a pass, or undefined when it is neither null nor f32 (the JS loop serves). */
function biasOf(bias: ArrayLike<number> | null, rows: number) {
  if (bias !== null && !(bias instanceof Float32Array)) return undefined;
  return { values: bias, rows };
}

/**
 * @internal One step's gate pass over `cols` contiguous columns: adds the bias ([4n] or null) to `g`
 * ([4n, cols]), activates it in place and writes c, tanh(c) and h ([n, cols] each) from `cprev`. Returns
 * false, writing nothing, where it cannot run (arrays not f32, no wasm SIMD, or one column larger than the
 * scratch block); the JS loop runs then.
 */
export function lstmGatesSimd(
  cols: number,
  n: number,
  bias: ArrayLike<number> | null,
  g: ArrayLike<number>,
  cprev: ArrayLike<number>,
  c: ArrayLike<number>,
  tc: ArrayLike<number>,
  h: ArrayLike<number>,
): boolean {
  const b = biasOf(bias, 4 * n);
  const k = kernelFor(g, cprev, c, tc, h);
  if (b === undefined || k === null) return false;
  const [G, P, C, TC, H] = [g, cprev, c, tc, h] as Float32Array[];
  // Per column: 4n gates, then c_prev, c, tanh(c) and h.
  const regions: Region[] = [
    { rows: 4 * n, from: G, to: G },
    { rows: n, from: P },
    { rows: n, to: C },
    { rows: n, to: TC },
    { rows: n, to: H },
  ];
  return gatePass(k.scratch, cols, b, regions, (cs) => k.forward(cs, n));
}

/**
 * The cotangent of a step's output, read in place from the layer's output cotangent: column b is `n` values
 * from `dyStart + b * dyStride`.
 */
export interface StepCotangent {
  readonly dy: ArrayLike<number>;
  readonly dyStart: number;
  readonly dyStride: number;
}

/** The scratch region of a step's output cotangent (see `StepCotangent`). */
function dyRegion(op: StepCotangent, n: number): Region {
  return { rows: n, from: op.dy as Float32Array, start: op.dyStart, stride: op.dyStride };
}

/** One step's operands of the backward gate pass (see `lstmGatesBackwardSimd`). */
export interface LstmBackwardStep extends StepCotangent {
  /** [4n, cols]: the activated gates. */
  readonly gates: ArrayLike<number>;
  /** [n, cols]: tanh(c). */
  readonly tc: ArrayLike<number>;
  /** [n, cols]: the previous cell state. */
  readonly cprev: ArrayLike<number>;
  /** [n, cols]: the cotangent reaching h from the next step. */
  readonly dh: ArrayLike<number>;
  /** [n, cols]: in, the cotangent reaching c from the next step; out, the one reaching c_prev. */
  readonly dc: ArrayLike<number>;
  /** [4n, cols] out: the pre-activations' cotangents. */
  readonly dgates: ArrayLike<number>;
}

/**
 * @internal One step's backward gate pass over `cols` columns with SIMD. Returns false, writing nothing,
 * where it cannot run (not f32, no wasm SIMD, or one column larger than the scratch block).
 */
export function lstmGatesBackwardSimd(cols: number, n: number, op: LstmBackwardStep): boolean {
  const k = kernelFor(op.gates, op.tc, op.cprev, op.dy, op.dh, op.dc, op.dgates);
  if (k === null) return false;
  const { gates, tc, cprev, dh, dc, dgates } = op as F32<LstmBackwardStep>;
  // Per column: 4n gates (out: their cotangents), then tanh(c), c_prev, dy, dh and dc.
  const regions: Region[] = [
    { rows: 4 * n, from: gates, to: dgates },
    { rows: n, from: tc },
    { rows: n, from: cprev },
    dyRegion(op, n),
    { rows: n, from: dh },
    { rows: n, from: dc, to: dc },
  ];
  return gatePass(k.scratch, cols, null, regions, (cs) => k.backward(cs, n));
}

/**
 * @internal One GRU step's gate pass over `cols` contiguous columns: `g` ([3n, cols]) holds the input
 * projection and becomes r, z, h̃; `gh` is `Wh * h`; writes h' ([n, cols]) from `hprev`. Returns false,
 * writing nothing, where it cannot run (not f32, no wasm SIMD, or a column larger than the scratch block).
 */
export function gruGatesSimd(
  cols: number,
  n: number,
  bias: ArrayLike<number> | null,
  g: ArrayLike<number>,
  gh: ArrayLike<number>,
  hprev: ArrayLike<number>,
  h: ArrayLike<number>,
): boolean {
  const b = biasOf(bias, 3 * n);
  const k = kernelFor(g, gh, hprev, h);
  if (b === undefined || k === null) return false;
  const [G, Q, P, H] = [g, gh, hprev, h] as Float32Array[];
  // Per column: 3n projection, 3n Wh * h, the previous h and h'.
  const regions: Region[] = [
    { rows: 3 * n, from: G, to: G },
    { rows: 3 * n, from: Q },
    { rows: n, from: P },
    { rows: n, to: H },
  ];
  return gatePass(k.scratch, cols, b, regions, (cs) => k.gruForward(cs, n));
}

/** One GRU step's operands of the backward gate pass (see `gruGatesBackwardSimd`). */
export interface GruBackwardStep extends StepCotangent {
  /** [3n, cols]: r, z, h̃. */
  readonly gates: ArrayLike<number>;
  /** [3n, cols]: Wh * h. */
  readonly gh: ArrayLike<number>;
  /** [n, cols]: the previous h. */
  readonly hprev: ArrayLike<number>;
  /** [n, cols]: in, the cotangent reaching h from the next step; out, this step's direct path dh z. */
  readonly dh: ArrayLike<number>;
  /** [3n, cols] out: the projection's cotangents. */
  readonly dgx: ArrayLike<number>;
  /** [3n, cols] out: the recurrent product's cotangents. */
  readonly dgh: ArrayLike<number>;
}

/** @internal One GRU step's backward gate pass with SIMD; false (writing nothing) where it cannot run. */
export function gruGatesBackwardSimd(cols: number, n: number, op: GruBackwardStep): boolean {
  const k = kernelFor(op.gates, op.gh, op.hprev, op.dy, op.dh, op.dgx, op.dgh);
  if (k === null) return false;
  const { gates, gh, hprev, dh, dgx, dgh } = op as F32<GruBackwardStep>;
  // Per column: 3n gates (out: the projection's cotangents), 3n dgh, 3n Wh * h, then the previous h, dy and dh.
  const regions: Region[] = [
    { rows: 3 * n, from: gates, to: dgx },
    { rows: 3 * n, to: dgh },
    { rows: 3 * n, from: gh },
    { rows: n, from: hprev },
    dyRegion(op, n),
    { rows: n, from: dh, to: dh },
  ];
  return gatePass(k.scratch, cols, null, regions, (cs) => k.gruBackward(cs, n));
}
