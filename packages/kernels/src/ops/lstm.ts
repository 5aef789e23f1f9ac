// An LSTM layer over whole sequences as one op, the way cuDNN and PyTorch run it: the input projection of
// every step at once, then the time loop. On a backend with the fused primitive (the CPU) that is one GEMM
// for the projection, then one GEMM and one pass over the gates per step, and the whole layer is ONE node
// on the gradient tape whose backward pass is the reverse loop plus one GEMM per weight gradient. Elsewhere
// the same recurrence is composed of matmul and element-wise ops (on WebGPU that only queues GPU work:
// nothing is read back inside the loop).
import { record } from "../autodiff/tape.js";
import { withinGradient } from "../autodiff/withinGradient.js";
import type { LstmSequenceOperands, LstmSequenceOutput } from "../backend.js";
import { tidy } from "../memory.js";
import type { Tensor } from "../tensor.js";
import { wrap } from "./core.js";
import { checkSequenceArgs } from "./sequenceArgs.js";
import { mul } from "./elementwise.js";
import { dense, muladd } from "./fused.js";
import { type FusedSequence, fusedSequence } from "./fusedSequence.js";
import { matmul } from "./matmul.js";
import { cat, reshape, selectdim } from "./shape.js";
import { sigmoid, tanh } from "./unary.js";

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
 * An LSTM over sequences (Flux's `LSTMCell` scanned over time, gates stacked i, f, g, o as in Flux and
 * PyTorch): per step `z = Wi * x_t .+ Wh * h .+ b`, `c' = σ(z_f) .* c .+ σ(z_i) .* tanh(z_g)`,
 * `h' = σ(z_o) .* tanh(c')`.
 *
 * `x` is `[in, T, B]` (features x time x batch), `Wi` `[4n, in]`, `Wh` `[4n, n]`, `b` `[4n]` or null, and
 * `h0`, `c0` the initial state, `[n]` (shared by every sequence) or `[n, B]`. Returns every step's h
 * (`[n, T, B]`) and the last h and c (`[n, B]`). Gradients flow to every tensor argument. `@flux/layers`'
 * `LSTM` calls it.
 *
 * @example
 * const { y, h, c } = lstmSequence(x, Wi, Wh, b, zeros([n]), zeros([n]));
 */
export function lstmSequence(
  x: Tensor,
  Wi: Tensor,
  Wh: Tensor,
  b: Tensor | null,
  h0: Tensor,
  c0: Tensor,
): LstmSequenceResult {
  const backend = checkSequenceArgs("lstmSequence", 4, x, Wi, Wh, b, { h0, c0 });
  const [inn, , B] = x.shape as [number, number, number];
  const n = Wh.shape[1]!;
  if (backend.lstmSequence && backend.lstmSequenceBackward) {
    return fused({ op: "lstmSequence", backend, x, Wi, Wh, b, states: { h0, c0 } });
  }
  return tidy(() => {
    const [, T] = x.shape as [number, number, number];
    const xp = dense(reshape(x, [inn, T * B]), Wi, b);
    return composed(reshape(xp, [4 * n, T, B]), Wh, h0, c0);
  });
}

/** The fused layer: fusedSequence's one node for y, and one for the last c on top of it. */
function fused(
  args: Omit<FusedSequence<LstmSequenceOperands, LstmSequenceOutput>, "forward" | "backward">,
): LstmSequenceResult {
  const { backend, x } = args;
  const [, T, B] = x.shape as [number, number, number];
  const n = args.Wh.shape[1]!;
  // The last c's cotangent reaches the recurrence through this slot: c's own node (below, recorded after
  // y's, so its VJP runs first) copies it here and hands y a zero cotangent, so y's node runs even when only
  // c is used. It is held as raw storage: a tensor made inside a VJP is freed when that VJP returns.
  let dcLast: unknown = null;
  const { y, h, out, recorded } = fusedSequence({
    ...args,
    forward: (operands: LstmSequenceOperands) => backend.lstmSequence!(operands),
    backward: (operands, saved, dy, wants) => {
      const dc = dcLast === null ? null : { storage: dcLast, shape: [n, B], dtype: x.dtype };
      const grads = backend.lstmSequenceBackward!(operands, saved, dy, dc, wants);
      if (dcLast !== null) backend.dispose(dcLast);
      dcLast = null;
      return grads;
    },
  });
  const c = wrap(backend, out.cLast, [n, B], x.dtype);
  if (recorded) {
    record([y], c, (g) => {
      dcLast = backend.cast(g.view("lstmSequence"), g.dtype); // a copy: the tape frees g next
      return [wrap(backend, backend.fill(n * T * B, 0, x.dtype), [n, T, B], x.dtype)];
    });
  }
  return { y, h, c };
}

// The four gates of a stacked [4n, B] matrix as [n, B] each: read as [n, 4, B] and sliced along dim 2 (one
// strided copy per gate; a row range of dim 1 would be a slower gather on the CPU).
function gate(g: Tensor, k: number, n: number): Tensor {
  return selectdim(reshape(g, [n, 4, g.shape[1]!]), 2, k);
}

/**
 * @internal The recurrence from matmul and element-wise ops, for backends without the fused primitive (and
 * the reference the fused one is tested against): `xp` is the input projection `Wi * x .+ b` of every step
 * (`[4n, T, B]`), the rest as `lstmSequence`, unchecked. `tidy` frees each step's temporaries (those the
 * gradient tape needs survive until its backward pass).
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
/** @internal See above. */
export function timeSlices(x: Tensor): Tensor[] {
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
