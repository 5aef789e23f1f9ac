// NNlib's `dot_product_attention` and `make_causal_mask` (src/attention.jl), composed from kernels ops:
// permutedims, batched matmul (kernels' `matmul` batches over dims 3 and beyond, NNlib's `batched_mul`),
// `where` for the mask and `softmax` over dim 1. Every piece is differentiable on every backend.
import {
  isTensor,
  matmul,
  mul,
  permutedims,
  reshape,
  softmax,
  type Tensor,
  tensor,
  where,
  add,
} from "@flux/kernels";
import { LayerArgumentError, LayerInputError } from "../errors.js";

/** Options of `dotProductAttention` (NNlib's keywords). */
export interface AttentionOptions {
  /** Number of heads the feature dims are split into (default 1). */
  nheads?: number;
  /**
   * A bool tensor broadcastable to `[kvLen, qLen, nheads, batch]`: scores where it is false are set to -Inf
   * before the softmax. `"causal"` is `makeCausalMask` of the query (each position sees itself and earlier).
   */
  mask?: Tensor | "causal" | null;
  /** Added to the scores before the mask and softmax; broadcastable to `[kvLen, qLen, nheads, batch]`. */
  bias?: Tensor | null;
  /** Applied to the attention weights right after the softmax (a Dropout layer's forward, say). */
  fdrop?: (a: Tensor) => Tensor;
}

/**
 * NNlib's `make_causal_mask(x; dims = 2)`: a bool `[len, len]` matrix `m` with `m[i, j] = i <= j` (0-based
 * here as in JavaScript), `len = size(x, dims)`, on `x`'s device. As a mask of scores `[kvLen, qLen, ...]`
 * it lets query j attend to keys 0..j.
 *
 * @example
 * makeCausalMask(zeros([8, 3, 2])); // [3, 3]: true on and above the diagonal
 */
export function makeCausalMask(x: Tensor, opts: { dims?: number } = {}): Tensor {
  const d = opts.dims ?? 2;
  const len = x.shape[d - 1];
  if (len === undefined) {
    throw new LayerArgumentError(
      `makeCausalMask: dims=${d} is beyond the input's ${x.rank} dims [${x.shape.join(", ")}].`,
    );
  }
  const m = new Uint8Array(len * len);
  for (let j = 0; j < len; j++) for (let i = 0; i <= j; i++) m[i + len * j] = 1;
  return tensor(
    Array.from(m, (v) => v === 1),
    [len, len],
    { dtype: "bool", device: x.device },
  );
}

function checkDims(q: Tensor, k: Tensor, v: Tensor, nheads: number): void {
  for (const [n, t] of [
    ["query", q],
    ["key", k],
    ["value", v],
  ] as const) {
    if (!isTensor(t) || t.rank < 2)
      throw new LayerInputError(
        `dotProductAttention: the ${n} must be at least 2-D [features, len, batch...].`,
      );
    if (t.shape[0]! % nheads !== 0)
      throw new LayerInputError(
        `dotProductAttention: the ${n}'s first dim ${t.shape[0]} is not divisible by nheads = ${nheads}.`,
      );
  }
  const batch = (t: Tensor) => t.shape.slice(2).join(",");
  if (batch(q) !== batch(k) || batch(k) !== batch(v))
    throw new LayerInputError(
      `dotProductAttention: batch dims differ: query [${q.shape.join(", ")}], key [${k.shape.join(", ")}], value [${v.shape.join(", ")}].`,
    );
  if (q.shape[0] !== k.shape[0])
    throw new LayerInputError(
      `dotProductAttention: query and key must have the same first dim, got ${q.shape[0]} and ${k.shape[0]}.`,
    );
  if (k.shape[1] !== v.shape[1])
    throw new LayerInputError(
      `dotProductAttention: key and value must have the same length (dim 2), got ${k.shape[1]} and ${v.shape[1]}.`,
    );
}

/**
 * NNlib's `dot_product_attention(q, k, v, [bias]; fdrop, mask, nheads)`: multi-head scaled dot-product
 * attention. `q` is `[qkDim, qLen, batch...]`, `k` `[qkDim, kvLen, batch...]`, `v` `[vDim, kvLen, batch...]`.
 * Returns `[y, α]`: `y` is `[vDim, qLen, batch...]` and `α` the attention weights
 * `[kvLen, qLen, nheads, batch...]` (softmax over dim 1).
 *
 * Each head's scores are one batched matmul `kᵀ q / √d` (heads and batch as matmul's batch dims), its output
 * another (`v α`); the heads are split and joined with `permutedims`.
 *
 * @example
 * const [y, α] = dotProductAttention(q, k, v, { nheads: 4, mask: "causal" });
 */
export function dotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  opts: AttentionOptions = {},
): [Tensor, Tensor] {
  const nheads = opts.nheads ?? 1;
  if (!Number.isInteger(nheads) || nheads < 1)
    throw new LayerArgumentError(`dotProductAttention: nheads must be a positive integer, got ${nheads}.`);
  checkDims(q, k, v, nheads);
  const batch = q.shape.slice(2);
  const flat = (t: Tensor) => reshape(t, [t.shape[0]! / nheads, nheads, t.shape[1]!, -1]);
  // [d, nheads, len, B] -> [d, len, nheads, B]: heads and batch become matmul's batch dims.
  const split = (t: Tensor) => permutedims(flat(t), [1, 3, 2, 4]);
  const dh = q.shape[0]! / nheads;
  const qh = mul(split(q), 1 / Math.sqrt(dh));
  const kh = split(k);
  const vh = split(v);
  let logits = matmul(kh, qh, { transA: true }); // [kvLen, qLen, nheads, B]
  if (opts.bias) logits = add(logits, opts.bias);
  const mask = opts.mask === "causal" ? makeCausalMask(q) : (opts.mask ?? null);
  if (mask !== null) logits = where(mask, logits, Number.NEGATIVE_INFINITY);
  let α = softmax(logits, { dims: 1 });
  if (opts.fdrop) α = opts.fdrop(α);
  const x = matmul(vh, α); // [dv, qLen, nheads, B]
  const joined = permutedims(x, [1, 3, 2, 4]); // [dv, nheads, qLen, B]
  const y = reshape(joined, [v.shape[0]!, q.shape[1]!, ...batch]);
  return [y, reshape(α, [α.shape[0]!, α.shape[1]!, nheads, ...batch])];
}
