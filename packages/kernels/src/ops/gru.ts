// A GRU layer over whole sequences as one op (Flux's GRUCell scanned over time), like lstmSequence: on a
// backend with the fused primitive (the CPU) the input projection of every step is one GEMM, each step one
// `Wh * h` GEMM and one pass over the gates, and the whole layer ONE node on the gradient tape whose
// backward pass is the reverse loop plus one GEMM per weight gradient. Elsewhere the same recurrence is
// composed of matmul and element-wise ops (queued without any readback inside the loop on WebGPU).
import type { GruSequenceOperands } from "../backend.js";
import { tidy } from "../memory.js";
import type { Tensor } from "../tensor.js";
import { sub } from "./elementwise.js";
import { dense, muladd } from "./fused.js";
import { fusedSequence } from "./fusedSequence.js";
import { timeSlices } from "./lstm.js";
import { matmul } from "./matmul.js";
import { cat, reshape, selectdim } from "./shape.js";
import { checkSequenceArgs } from "./sequenceArgs.js";
import { sigmoid, tanh } from "./unary.js";

/** The result of `gruSequence`: the hidden state of every step and the last one. */
export interface GruSequenceResult {
  /** `[n, T, B]`: h of every step. */
  readonly y: Tensor;
  /** `[n, B]`: h of the last step. */
  readonly h: Tensor;
}

/**
 * A GRU over sequences (Flux's `GRUCell`, v1 of the paper; gates stacked r, z, n as in Flux and PyTorch):
 * per step `r = σ(Wi_r x + Wh_r h + b_r)`, `z = σ(Wi_z x + Wh_z h + b_z)`,
 * `h̃ = tanh(Wi_n x + b_n + r .* (Wh_n h))`, `h' = (1 - z) .* h̃ + z .* h`.
 *
 * `x` is `[in, T, B]`, `Wi` `[3n, in]`, `Wh` `[3n, n]`, `b` `[3n]` or null, `h0` `[n]` or `[n, B]`. Returns
 * every step's h (`[n, T, B]`) and the last one (`[n, B]`). Gradients flow to every tensor argument.
 * `@flux/layers`' `GRU` calls it.
 *
 * @example
 * const { y, h } = gruSequence(x, Wi, Wh, b, zeros([n]));
 */
export function gruSequence(
  x: Tensor,
  Wi: Tensor,
  Wh: Tensor,
  b: Tensor | null,
  h0: Tensor,
): GruSequenceResult {
  const backend = checkSequenceArgs("gruSequence", 3, x, Wi, Wh, b, { h0 });
  if (backend.gruSequence && backend.gruSequenceBackward) {
    const { y, h } = fusedSequence({
      op: "gruSequence",
      backend,
      x,
      Wi,
      Wh,
      b,
      states: { h0 },
      forward: (operands: GruSequenceOperands) => backend.gruSequence!(operands),
      backward: (operands, saved, dy, wants) => backend.gruSequenceBackward!(operands, saved, dy, wants),
    });
    return { y, h };
  }
  return tidy(() => {
    const [inn, T, B] = x.shape as [number, number, number];
    const xp = dense(reshape(x, [inn, T * B]), Wi, null);
    return composedGru(reshape(xp, [Wi.shape[0]!, T, B]), Wh, b, h0);
  });
}

// Rows [k*n, (k+1)*n) of a stacked [3n, B] matrix, read as [n, 3, B] and sliced along dim 2.
function gate(g: Tensor, k: number, n: number): Tensor {
  return selectdim(reshape(g, [n, 3, g.shape[1]!]), 2, k);
}

/**
 * @internal The recurrence from matmul and element-wise ops, for backends without the fused primitive (and
 * the reference the fused one is tested against): `xp` is `Wi * x` of every step (`[3n, T, B]`, no bias).
 */
export function composedGru(xp: Tensor, Wh: Tensor, b: Tensor | null, h0: Tensor): GruSequenceResult {
  const [G, T, B] = xp.shape as [number, number, number];
  const n = G / 3;
  return tidy(() => {
    let h = h0;
    const ys: Tensor[] = [];
    for (const xt of timeSlices(xp)) {
      const gx = b === null ? xt : muladd(1, xt, b);
      const p = matmul(Wh, h);
      const gh = p.rank === 1 ? reshape(p, [G, 1]) : p; // a shared [n] initial state broadcasts over the batch
      const r = sigmoid(muladd(1, gate(gx, 0, n), gate(gh, 0, n)));
      const z = sigmoid(muladd(1, gate(gx, 1, n), gate(gh, 1, n)));
      const cand = tanh(muladd(r, gate(gh, 2, n), gate(gx, 2, n)));
      h = muladd(z, sub(h, cand), cand); // (1 - z) .* h̃ .+ z .* h
      ys.push(reshape(h, [n, 1, B]));
    }
    return { y: T === 1 ? ys[0]! : cat(ys, 2), h };
  });
}
