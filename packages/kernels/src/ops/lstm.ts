// The LSTM recurrence over a whole sequence as one op, the way cuDNN and PyTorch run it: the caller projects
// the inputs of every step at once (`Wi * x .+ b`, one GEMM), and this op runs the time loop. On a backend
// with the fused primitive (the CPU) the loop is one GEMM and one pass over the gates per step, and the
// whole sequence is ONE node on the gradient tape whose backward pass is the reverse loop plus one GEMM for
// the recurrent weight's gradient. Elsewhere the same recurrence is composed of matmul and element-wise ops
// (on WebGPU that only queues GPU work: nothing is read back inside the loop).
import { record, retainForBackward } from "../autodiff/tape.js";
import { withinGradient } from "../autodiff/withinGradient.js";
import type { Backend } from "../backend.js";
import { DTypeError, ShapeError } from "../errors.js";
import { tidy } from "../memory.js";
import { isTensor, type Tensor } from "../tensor.js";
import { backendOf, describe, requireFloat, wrap } from "./core.js";
import { mul } from "./elementwise.js";
import { muladd } from "./fused.js";
import { matmul } from "./matmul.js";
import { cat, reshape, selectdim } from "./shape.js";
import { sigmoid, tanh } from "./unary.js";
import { unbroadcast } from "./unbroadcast.js";

/** The result of `lstmSequence`: the hidden state of every step and the last state. */
export interface LstmSequenceResult {
  /** `[n, T, B]`: h of every step. */
  readonly y: Tensor;
  /** `[n, B]`: h of the last step. */
  readonly h: Tensor;
  /** `[n, B]`: c of the last step. */
  readonly c: Tensor;
}

/**
 * The LSTM recurrence over a sequence (Flux's `LSTMCell` scanned over time, gates i, f, g, o):
 * `gates = xp[:, t, :] .+ Wh * h`, `c' = σ(f) .* c .+ σ(i) .* tanh(g)`, `h' = σ(o) .* tanh(c')`.
 *
 * `xp` is the input projection of every step, `Wi * x .+ b`, of shape `[4n, T, B]` (features x time x
 * batch); `Wh` is the stacked recurrent kernel `[4n, n]`; `h0` and `c0` the initial state, `[n]` (shared
 * by every sequence) or `[n, B]`. Returns every step's h (`[n, T, B]`) and the last h and c (`[n, B]`).
 * Gradients flow to all four inputs. `@flux/layers`' `LSTM` calls it.
 *
 * @example
 * const xp = dense(reshape(x, [inn, T * B]), Wi, b);            // every step's input projection
 * const { y, h, c } = lstmSequence(reshape(xp, [4 * n, T, B]), Wh, zeros([n]), zeros([n]));
 */
export function lstmSequence(xp: Tensor, Wh: Tensor, h0: Tensor, c0: Tensor): LstmSequenceResult {
  const op = "lstmSequence";
  for (const [name, t] of [
    ["xp", xp],
    ["Wh", Wh],
    ["h0", h0],
    ["c0", c0],
  ] as const) {
    if (!isTensor(t)) throw new TypeError(`[@flux/kernels] ${op}: ${name} must be a Tensor, got ${describe(t)}.`);
  }
  const backend = backendOf(op, xp, Wh, h0, c0);
  requireFloat(op, xp.dtype);
  if (![Wh, h0, c0].every((t) => t.dtype === xp.dtype)) {
    throw new DTypeError(
      `${op}: xp, Wh, h0 and c0 must share one dtype, got ${xp.dtype}, ${Wh.dtype}, ${h0.dtype}, ${c0.dtype}; cast them first.`,
    );
  }
  const n = Wh.shape[1] ?? 0;
  if (Wh.rank !== 2 || n < 1 || Wh.shape[0] !== 4 * n) {
    throw new ShapeError(`${op}: Wh must be [4n, n] (the four gates stacked), got [${Wh.shape.join(", ")}].`);
  }
  if (xp.rank !== 3 || xp.shape[0] !== 4 * n || xp.shape[1]! < 1 || xp.shape[2]! < 1) {
    throw new ShapeError(
      `${op}: xp must be [${4 * n}, steps, batch] with at least one step and one sequence, got [${xp.shape.join(", ")}].`,
    );
  }
  const B = xp.shape[2]!;
  for (const [name, s] of [
    ["h0", h0],
    ["c0", c0],
  ] as const) {
    const ok = (s.rank === 1 && s.shape[0] === n) || (s.rank === 2 && s.shape[0] === n && s.shape[1] === B);
    if (!ok) {
      throw new ShapeError(`${op}: ${name} must be [${n}] or [${n}, ${B}], got [${s.shape.join(", ")}].`);
    }
  }
  if (backend.lstmSequence && backend.lstmSequenceBackward) return fused(backend, xp, Wh, h0, c0);
  return composed(xp, Wh, h0, c0);
}

// `s` as [n, B] storage (a copy when it is one [n] state shared by every sequence), not recorded: the VJP
// sums the cotangent back to `s`'s shape.
function batched(backend: Backend, s: Tensor, B: number): Tensor {
  if (s.rank === 2) return s;
  const shape = [s.shape[0]!, B];
  return wrap(backend, backend.expand({ ...s.view("lstmSequence"), shape: [s.shape[0]!, 1] }, shape), shape, s.dtype);
}

function fused(backend: Backend, xp: Tensor, Wh: Tensor, h0: Tensor, c0: Tensor): LstmSequenceResult {
  const op = "lstmSequence";
  const [G, T, B] = xp.shape as [number, number, number];
  const n = G / 4;
  const h0b = batched(backend, h0, B);
  const c0b = batched(backend, c0, B);
  const out = backend.lstmSequence!(xp.view(op), Wh.view(op), h0b.view(op), c0b.view(op));
  const w = (s: unknown, shape: number[]) => wrap(backend, s, shape, xp.dtype);
  const y = w(out.y, [n, T, B]);
  const c = w(out.cLast, [n, B]);
  const saved = out.saved.map((s) => w(s.storage, [s.size]));
  // The last c's cotangent reaches the recurrence through this slot: c's own node (below, recorded after
  // y's, so its VJP runs first) copies it here and hands y a zero cotangent, so y's node runs even when only
  // c is used. It is held as raw storage: a tensor made inside a VJP is freed when that VJP returns.
  let dcLast: unknown = null;
  const recorded = record([xp, Wh, h0, c0], y, (g, needs) => {
    const grads = backend.lstmSequenceBackward!(
      Wh.view(op),
      h0b.view(op),
      c0b.view(op),
      saved.map((t) => t.view(op).storage),
      g.view(op),
      dcLast === null ? null : { storage: dcLast, shape: [n, B], dtype: xp.dtype },
      needs[1] === true,
    );
    if (dcLast !== null) backend.dispose(dcLast);
    dcLast = null;
    const dh0 = w(grads.dh0, [n, B]);
    const dc0 = w(grads.dc0, [n, B]);
    const dh0s = unbroadcast(dh0, h0.shape);
    const dc0s = unbroadcast(dc0, c0.shape);
    if (dh0s !== dh0) dh0.dispose();
    if (dc0s !== dc0) dc0.dispose();
    return [w(grads.dxp, [G, T, B]), grads.dwh === null ? null : w(grads.dwh, [G, n]), dh0s, dc0s];
  });
  if (recorded) {
    for (const t of [...saved, h0b, c0b]) retainForBackward(t);
    record([y], c, (g) => {
      dcLast = backend.cast(g.view(op), g.dtype); // a copy: the tape frees g next
      return [wrap(backend, backend.fill(n * T * B, 0, xp.dtype), [n, T, B], xp.dtype)];
    });
  } else {
    for (const t of saved) t.dispose();
    if (h0b !== h0) h0b.dispose();
    if (c0b !== c0) c0b.dispose();
  }
  return { y, h: selectdim(y, 2, T - 1), c };
}

// The four gates of a stacked [4n, B] matrix as [n, B] each: read as [n, 4, B] and sliced along dim 2 (one
// strided copy per gate; a row range of dim 1 would be a slower gather on the CPU).
function gate(g: Tensor, k: number, n: number): Tensor {
  return selectdim(reshape(g, [n, 4, g.shape[1]!]), 2, k);
}

/**
 * @internal The same recurrence from matmul and element-wise ops, for backends without the fused primitive
 * (and the reference the fused one is tested against). `tidy` frees each step's temporaries (those the
 * gradient tape needs survive until its backward pass). Arguments as `lstmSequence`, unchecked.
 */
export function composed(xp: Tensor, Wh: Tensor, h0: Tensor, c0: Tensor): LstmSequenceResult {
  const [G, T, B] = xp.shape as [number, number, number];
  const n = G / 4;
  return tidy(() => {
    let h = h0;
    let c = c0;
    const ys: Tensor[] = [];
    for (const xt of timeSlices(xp)) {
      const z = muladd(1, matmul(Wh, h), xt); // [4n, B]: the gates before their activations
      const i = sigmoid(gate(z, 0, n));
      const f = sigmoid(gate(z, 1, n));
      const g = tanh(gate(z, 2, n));
      const o = sigmoid(gate(z, 3, n));
      c = muladd(f, c, mul(i, g)); // f .* c .+ i .* g, broadcasting a shared [n] initial state
      h = mul(o, tanh(c));
      ys.push(reshape(h, [n, 1, B]));
    }
    return { y: T === 1 ? ys[0]! : cat(ys, 2), h, c };
  });
}

// The time steps of `[G, T, B]` as `[G, B]` slices. Outside `gradient`, one gather each. Under `gradient`
// each slice's cotangent is scattered into a tensor of the WHOLE input's size and summed, so T direct
// slices would cost T full-size scatters and adds in the backward pass; halving the range recursively
// instead costs about log2(T) full-size passes (each level's pieces add up to the input).
function timeSlices(x: Tensor): Tensor[] {
  const len = x.shape[1]!;
  if (!withinGradient() || len <= 4) return Array.from({ length: len }, (_, t) => selectdim(x, 2, t));
  const out: Tensor[] = [];
  const split = (t: Tensor): void => {
    const m = t.shape[1]!;
    if (m <= 2) {
      for (let i = 0; i < m; i++) out.push(selectdim(t, 2, i));
      return;
    }
    const mid = m >> 1;
    const lo = selectdim(t, 2, { start: 0, stop: mid });
    const hi = selectdim(t, 2, { start: mid, stop: m });
    split(lo);
    split(hi);
  };
  split(x);
  return out;
}
