// The LSTM and GRU gate passes, forward and backward, with wasm SIMD (assembly/recurrent.ts). Scalar JS
// spends most of a recurrent step in Math.exp (five per hidden unit for an LSTM, three for a GRU); the SIMD
// kernels compute the activations four lanes at a time with polynomial approximations within a few ulps of
// f32. The step's columns are copied into the module's scratch block, transformed there, and copied out:
// memcpy-speed passes beside the arithmetic.
import { recurrentSimdBytes } from "./wasmBinaries.js";

interface RecurrentKernel {
  forward(cols: number, n: number): void;
  backward(cols: number, n: number): void;
  gruForward(cols: number, n: number): void;
  gruBackward(cols: number, n: number): void;
  scratch: Float32Array;
}

// undefined: not tried yet; null: this runtime cannot run it (no wasm, or no SIMD): the JS loop serves.
let kernel: RecurrentKernel | null | undefined;

function load(): RecurrentKernel | null {
  try {
    // Synchronous: the module is a few KiB, under every browser's main-thread compile limit.
    const instance = new WebAssembly.Instance(
      new WebAssembly.Module(recurrentSimdBytes() as BufferSource),
      {},
    );
    const e = instance.exports as Record<string, unknown>;
    const memory = e.memory as WebAssembly.Memory;
    const offset = (e.SCRATCH as WebAssembly.Global).value as number;
    const capacity = (e.CAPACITY as WebAssembly.Global).value as number;
    return {
      forward: e.forward as RecurrentKernel["forward"],
      backward: e.backward as RecurrentKernel["backward"],
      gruForward: e.gruForward as RecurrentKernel["gruForward"],
      gruBackward: e.gruBackward as RecurrentKernel["gruBackward"],
      scratch: new Float32Array(memory.buffer, offset, capacity),
    };
  } catch {
    return null; // no WebAssembly SIMD here (a validation or compile error)
  }
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
  const f32 = [g, cprev, c, tc, h].every((a) => a instanceof Float32Array);
  if (bias !== null && !(bias instanceof Float32Array)) return false;
  if (!f32) return false;
  if (kernel === undefined) kernel = load();
  if (kernel === null) return false;
  const m = kernel.scratch;
  // The bias takes 4n floats of scratch, then each column 8n: 4n gates, then c_prev, c, tanh(c) and h.
  const per = Math.floor((m.length - 4 * n) / (8 * n));
  if (per < 1) return false;
  if (bias === null) m.fill(0, 0, 4 * n);
  else m.set(bias as Float32Array, 0);
  const s = m.subarray(4 * n);
  const [G, C, P, TC, H] = [g, c, cprev, tc, h] as Float32Array[];
  for (let b0 = 0; b0 < cols; b0 += per) {
    const k = Math.min(per, cols - b0);
    const total = k * n;
    s.set(G!.subarray(b0 * 4 * n, (b0 + k) * 4 * n), 0);
    s.set(P!.subarray(b0 * n, (b0 + k) * n), 4 * total);
    kernel.forward(k, n);
    G!.set(s.subarray(0, 4 * total), b0 * 4 * n);
    C!.set(s.subarray(5 * total, 6 * total), b0 * n);
    TC!.set(s.subarray(6 * total, 7 * total), b0 * n);
    H!.set(s.subarray(7 * total, 8 * total), b0 * n);
  }
  return true;
}

/** One step's operands of the backward gate pass (see `lstmGatesBackwardSimd`). */
export interface LstmBackwardStep {
  /** [4n, cols]: the activated gates. */
  readonly gates: ArrayLike<number>;
  /** [n, cols]: tanh(c). */
  readonly tc: ArrayLike<number>;
  /** [n, cols]: the previous cell state. */
  readonly cprev: ArrayLike<number>;
  /** The output's cotangent: column b is `n` values from `dyStart + b * dyStride`. */
  readonly dy: ArrayLike<number>;
  readonly dyStart: number;
  readonly dyStride: number;
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
  const arrays = [op.gates, op.tc, op.cprev, op.dy, op.dh, op.dc, op.dgates];
  if (!arrays.every((a) => a instanceof Float32Array)) return false;
  if (kernel === undefined) kernel = load();
  if (kernel === null) return false;
  const m = kernel.scratch;
  // Each column takes 9n floats of scratch: 4n gates, then tanh(c), c_prev, dy, dh and dc.
  const per = Math.floor(m.length / (9 * n));
  if (per < 1) return false;
  const [g, tc, cp, dy, dh, dc, dg] = arrays as Float32Array[];
  for (let b0 = 0; b0 < cols; b0 += per) {
    const k = Math.min(per, cols - b0);
    const total = k * n;
    const block = (a: Float32Array, rows: number) => a.subarray(b0 * rows, (b0 + k) * rows);
    m.set(block(g!, 4 * n), 0);
    m.set(block(tc!, n), 4 * total);
    m.set(block(cp!, n), 5 * total);
    for (let b = 0; b < k; b++) {
      const from = op.dyStart + (b0 + b) * op.dyStride;
      m.set(dy!.subarray(from, from + n), 6 * total + b * n);
    }
    m.set(block(dh!, n), 7 * total);
    m.set(block(dc!, n), 8 * total);
    kernel.backward(k, n);
    dg!.set(m.subarray(0, 4 * total), b0 * 4 * n);
    dc!.set(m.subarray(8 * total, 9 * total), b0 * n);
  }
  return true;
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
  if (![g, gh, hprev, h].every((a) => a instanceof Float32Array)) return false;
  if (bias !== null && !(bias instanceof Float32Array)) return false;
  if (kernel === undefined) kernel = load();
  if (kernel === null) return false;
  const m = kernel.scratch;
  // The bias takes 3n floats, then each column 8n: 3n projection, 3n Wh * h, the previous h and h'.
  const per = Math.floor((m.length - 3 * n) / (8 * n));
  if (per < 1) return false;
  if (bias === null) m.fill(0, 0, 3 * n);
  else m.set(bias as Float32Array, 0);
  const s = m.subarray(3 * n);
  const [G, Q, P, H] = [g, gh, hprev, h] as Float32Array[];
  for (let b0 = 0; b0 < cols; b0 += per) {
    const k = Math.min(per, cols - b0);
    const total = k * n;
    s.set(G!.subarray(b0 * 3 * n, (b0 + k) * 3 * n), 0);
    s.set(Q!.subarray(b0 * 3 * n, (b0 + k) * 3 * n), 3 * total);
    s.set(P!.subarray(b0 * n, (b0 + k) * n), 6 * total);
    kernel.gruForward(k, n);
    G!.set(s.subarray(0, 3 * total), b0 * 3 * n);
    H!.set(s.subarray(7 * total, 8 * total), b0 * n);
  }
  return true;
}

/** One GRU step's operands of the backward gate pass (see `gruGatesBackwardSimd`). */
export interface GruBackwardStep {
  /** [3n, cols]: r, z, h̃. */
  readonly gates: ArrayLike<number>;
  /** [3n, cols]: Wh * h. */
  readonly gh: ArrayLike<number>;
  /** [n, cols]: the previous h. */
  readonly hprev: ArrayLike<number>;
  /** The output's cotangent: column b is `n` values from `dyStart + b * dyStride`. */
  readonly dy: ArrayLike<number>;
  readonly dyStart: number;
  readonly dyStride: number;
  /** [n, cols]: in, the cotangent reaching h from the next step; out, this step's direct path dh z. */
  readonly dh: ArrayLike<number>;
  /** [3n, cols] out: the projection's cotangents. */
  readonly dgx: ArrayLike<number>;
  /** [3n, cols] out: the recurrent product's cotangents. */
  readonly dgh: ArrayLike<number>;
}

/** @internal One GRU step's backward gate pass with SIMD; false (writing nothing) where it cannot run. */
export function gruGatesBackwardSimd(cols: number, n: number, op: GruBackwardStep): boolean {
  const arrays = [op.gates, op.gh, op.hprev, op.dy, op.dh, op.dgx, op.dgh];
  if (!arrays.every((a) => a instanceof Float32Array)) return false;
  if (kernel === undefined) kernel = load();
  if (kernel === null) return false;
  const m = kernel.scratch;
  // Each column takes 12n floats: 3n gates, 3n dgh, 3n Wh * h, then the previous h, dy and dh.
  const per = Math.floor(m.length / (12 * n));
  if (per < 1) return false;
  const [g, gh, hp, dy, dh, dgx, dgh] = arrays as Float32Array[];
  for (let b0 = 0; b0 < cols; b0 += per) {
    const k = Math.min(per, cols - b0);
    const total = k * n;
    const block = (a: Float32Array, rows: number) => a.subarray(b0 * rows, (b0 + k) * rows);
    m.set(block(g!, 3 * n), 0);
    m.set(block(gh!, 3 * n), 6 * total);
    m.set(block(hp!, n), 9 * total);
    for (let b = 0; b < k; b++) {
      const from = op.dyStart + (b0 + b) * op.dyStride;
      m.set(dy!.subarray(from, from + n), 10 * total + b * n);
    }
    m.set(block(dh!, n), 11 * total);
    kernel.gruBackward(k, n);
    dgx!.set(m.subarray(0, 3 * total), b0 * 3 * n);
    dgh!.set(m.subarray(3 * total, 6 * total), b0 * 3 * n);
    dh!.set(m.subarray(11 * total, 12 * total), b0 * n);
  }
  return true;
}
