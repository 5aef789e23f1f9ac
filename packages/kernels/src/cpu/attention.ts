// Fused multi-head attention on the CPU, as PyTorch's CPU `scaled_dot_product_attention` runs it: every
// head of every batch index is a handful of GEMMs that read its rows of q, k and v where they are (a head
// is a dh x len matrix whose leading dimension is the full feature count) and write its rows of the output
// the same way, so the head split and merge copies of the composed form never happen. The causal mask is
// written into the scores as -Infinity (their softmax weights are then exact zeros), so no mask tensor and
// no `where` pass either; the softmax and its gradient run over all heads at once (SIMD, see reduce.ts).
import type { AttentionOperands } from "../backend.js";
import type { TypedArray } from "../dtype.js";
import type { Gemm } from "./gemm.js";
import { softmaxGradInto, softmaxInto } from "./reduce.js";

/** The sizes of one attention call: feature dims D (q, k) and Dv (v), lengths L (queries) and S (keys). */
export interface AttentionDims {
  readonly heads: number;
  readonly D: number;
  readonly Dv: number;
  readonly L: number;
  readonly S: number;
  readonly B: number;
}

/** The dims of fused attention operands (already checked by the op layer). */
export function attentionDims(ops: AttentionOperands<TypedArray>): AttentionDims {
  const [D, L, B] = ops.q.shape as [number, number, number];
  const [Dv, S] = ops.v.shape as [number, number];
  return { heads: ops.nheads, D, Dv, L, S, B };
}

/** Head h of batch index b of a `[rows, len, B]` array: a (rows / heads) x len view with leading dim rows. */
function head(x: TypedArray, rows: number, len: number, heads: number, h: number, b: number): TypedArray {
  const dh = rows / heads;
  const start = h * dh + b * rows * len;
  return x.subarray(start, start + (len - 1) * rows + dh);
}

/** Overwrites the scores of keys after each query (j + 1 .. S - 1 of column j) with -Infinity. */
function maskCausal(scores: TypedArray, S: number, L: number): void {
  for (let j = 0; j + 1 < S && j < L; j++) scores.fill(Number.NEGATIVE_INFINITY, j * S + j + 1, (j + 1) * S);
}

/** `weights` ([S, L, heads, B]) = softmax(kᵀ q * scale) per head, then `y` ([Dv, L, B]) = v * weights. */
export function attentionForwardInto(
  gemm: Gemm,
  dims: AttentionDims,
  ops: AttentionOperands<TypedArray>,
  y: TypedArray,
  weights: TypedArray,
): void {
  const { heads, D, Dv, L, S, B } = dims;
  const [q, k, v] = [ops.q.storage, ops.k.storage, ops.v.storage];
  const [dh, dvh, block] = [D / heads, Dv / heads, S * L];
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      const w = weights.subarray((h + heads * b) * block, (h + heads * b + 1) * block);
      gemm(
        true,
        false,
        S,
        L,
        dh,
        ops.scale,
        head(k, D, S, heads, h, b),
        D,
        head(q, D, L, heads, h, b),
        D,
        0,
        w,
        S,
      );
      if (ops.causal) maskCausal(w, S, L);
    }
  }
  softmaxInto(weights, [S, L * heads * B], 0, false, weights);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      const w = weights.subarray((h + heads * b) * block, (h + heads * b + 1) * block);
      gemm(
        false,
        false,
        dvh,
        L,
        S,
        1,
        head(v, Dv, S, heads, h, b),
        Dv,
        w,
        S,
        0,
        head(y, Dv, L, heads, h, b),
        Dv,
      );
    }
  }
}

/** The cotangents of `attentionForwardInto` (null outputs are skipped; `scratch` has the weights' size). */
export function attentionBackwardInto(
  gemm: Gemm,
  dims: AttentionDims,
  ops: AttentionOperands<TypedArray>,
  weights: TypedArray,
  dy: TypedArray | null,
  dweights: TypedArray | null,
  out: { dq: TypedArray | null; dk: TypedArray | null; dv: TypedArray | null },
  scratch: TypedArray,
): void {
  const { heads, D, Dv, L, S, B } = dims;
  const [q, k, v] = [ops.q.storage, ops.k.storage, ops.v.storage];
  const [dh, dvh, block] = [D / heads, Dv / heads, S * L];
  // scratch = d(weights): the weights' own cotangent plus vᵀ dy per head; dv = dy weightsᵀ per head.
  if (dweights !== null) scratch.set(dweights);
  else scratch.fill(0);
  if (dy !== null) {
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < heads; h++) {
        const at = (h + heads * b) * block;
        const [w, dw] = [weights.subarray(at, at + block), scratch.subarray(at, at + block)];
        const dyh = head(dy, Dv, L, heads, h, b);
        gemm(true, false, S, L, dvh, 1, head(v, Dv, S, heads, h, b), Dv, dyh, Dv, 1, dw, S);
        if (out.dv !== null)
          gemm(false, true, dvh, S, L, 1, dyh, Dv, w, S, 0, head(out.dv, Dv, S, heads, h, b), Dv);
      }
    }
  } else out.dv?.fill(0);
  if (out.dq === null && out.dk === null) return;
  // d(scores) = the softmax's VJP, in place; masked scores get exact zeros (their weights are 0).
  softmaxGradInto(weights, scratch, [S, L * heads * B], 0, false, scratch);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      const at = (h + heads * b) * block;
      const ds = scratch.subarray(at, at + block);
      if (out.dq !== null)
        gemm(
          false,
          false,
          dh,
          L,
          S,
          ops.scale,
          head(k, D, S, heads, h, b),
          D,
          ds,
          S,
          0,
          head(out.dq, D, L, heads, h, b),
          D,
        );
      if (out.dk !== null)
        gemm(
          false,
          true,
          dh,
          S,
          L,
          ops.scale,
          head(q, D, L, heads, h, b),
          D,
          ds,
          S,
          0,
          head(out.dk, D, S, heads, h, b),
          D,
        );
    }
  }
}
