// NNlib's `dot_product_attention` and `make_causal_mask` (src/attention.jl). On a backend with the fused
// primitive (the CPU) the common case, no bias, no dropout and no mask or the causal one, is ONE node on the
// gradient tape that runs each head in place, as PyTorch's `scaled_dot_product_attention` does; everything
// else is composed from permutedims, batched matmul (NNlib's `batched_mul`), `where` and softmax, which is
// also the reference the fused path is tested against.
import { record } from "../autodiff/tape.js";
import type { AttentionOperands, Backend } from "../backend.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { isTensor, type Tensor } from "../tensor.js";
import { backendOf, requireFloat, wrap } from "./core.js";
import { tensor } from "./creation.js";
import { add, mul, where } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { permutedims, reshape } from "./shape.js";
import { softmax } from "./softmax.js";

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
    throw new ArgumentError(
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
      throw new ShapeError(`dotProductAttention: the ${n} must be at least 2-D [features, len, batch...].`);
    if (t.shape[0]! % nheads !== 0)
      throw new ShapeError(
        `dotProductAttention: the ${n}'s first dim ${t.shape[0]} is not divisible by nheads = ${nheads}.`,
      );
  }
  const batch = (t: Tensor) => t.shape.slice(2).join(",");
  if (batch(q) !== batch(k) || batch(k) !== batch(v))
    throw new ShapeError(
      `dotProductAttention: batch dims differ: query [${q.shape.join(", ")}], key [${k.shape.join(", ")}], value [${v.shape.join(", ")}].`,
    );
  if (q.shape[0] !== k.shape[0])
    throw new ShapeError(
      `dotProductAttention: query and key must have the same first dim, got ${q.shape[0]} and ${k.shape[0]}.`,
    );
  if (k.shape[1] !== v.shape[1])
    throw new ShapeError(
      `dotProductAttention: key and value must have the same length (dim 2), got ${k.shape[1]} and ${v.shape[1]}.`,
    );
}

/**
 * NNlib's `dot_product_attention(q, k, v, [bias]; fdrop, mask, nheads)`: multi-head scaled dot-product
 * attention. `q` is `[qkDim, qLen, batch...]`, `k` `[qkDim, kvLen, batch...]`, `v` `[vDim, kvLen, batch...]`.
 * Returns `[y, α]`: `y` is `[vDim, qLen, batch...]` and `α` the attention weights
 * `[kvLen, qLen, nheads, batch...]` (softmax over dim 1). Gradients flow to q, k, v and bias through both.
 *
 * Head h uses rows `h*dh+1 .. (h+1)*dh` of q, k and v (dh = qkDim / nheads), as NNlib splits them.
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
    throw new ArgumentError(`dotProductAttention: nheads must be a positive integer, got ${nheads}.`);
  checkDims(q, k, v, nheads);
  const backend = backendOf("dotProductAttention", q, k, v);
  requireFloat("dotProductAttention", q.dtype);
  const mask = opts.mask ?? null;
  if (mask === "causal" && k.shape[1] !== q.shape[1])
    throw new ShapeError(
      `dotProductAttention: mask "causal" needs as many keys as queries, got ${k.shape[1]} keys and ${q.shape[1]} queries; pass a bool mask [kvLen, qLen] instead.`,
    );
  const fusable =
    !opts.bias &&
    !opts.fdrop &&
    (mask === null || mask === "causal") &&
    q.dtype === k.dtype &&
    k.dtype === v.dtype &&
    backend.attention !== undefined &&
    backend.attentionBackward !== undefined;
  if (fusable) return fused(backend, q, k, v, nheads, mask === "causal");
  return composed(q, k, v, nheads, opts);
}

/** The scale NNlib applies to the scores: 1/sqrt of the per-head query dim. */
const scaleOf = (q: Tensor, nheads: number) => 1 / Math.sqrt(q.shape[0]! / nheads);

/**
 * @internal The attention from permutedims, batched matmul, where and softmax (every backend; the
 * reference of the fused path). Each head's scores are one batched matmul `kᵀ q / √d` (heads and batch as
 * matmul's batch dims), its output another (`v α`).
 */
export function composed(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  nheads: number,
  opts: AttentionOptions,
): [Tensor, Tensor] {
  const batch = q.shape.slice(2);
  const flat = (t: Tensor) => reshape(t, [t.shape[0]! / nheads, nheads, t.shape[1]!, -1]);
  // [d, nheads, len, B] -> [d, len, nheads, B]: heads and batch become matmul's batch dims.
  const split = (t: Tensor) => permutedims(flat(t), [1, 3, 2, 4]);
  const qh = mul(split(q), scaleOf(q, nheads));
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

function fused(
  backend: Backend,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  nheads: number,
  causal: boolean,
): [Tensor, Tensor] {
  const op = "dotProductAttention";
  const batch = q.shape.slice(2);
  const B = batch.reduce((a, b) => a * b, 1);
  const [L, S] = [q.shape[1]!, k.shape[1]!];
  // The backend sees the batch dims flattened into one (the storage order is the same).
  const as3 = (t: Tensor) => ({ ...t.view(op), shape: [t.shape[0]!, t.shape[1]!, B] });
  const operands = (): AttentionOperands => ({
    q: as3(q),
    k: as3(k),
    v: as3(v),
    nheads,
    scale: scaleOf(q, nheads),
    causal,
  });
  const out = backend.attention!(operands());
  const y = wrap(backend, out.y, [v.shape[0]!, L, ...batch], q.dtype);
  const α = wrap(backend, out.weights, [S, L, nheads, ...batch], q.dtype);
  // α's cotangent reaches the backward pass through this slot: α's node (recorded after y's, so its VJP
  // runs first) keeps a copy and hands y a zero cotangent, so y's node runs even when only α is used.
  let dα: unknown = null;
  const recorded = record([q, k, v], y, (g, needs) => {
    const view = (s: unknown) => (s === null ? null : { storage: s, shape: α.shape, dtype: α.dtype });
    const grads = backend.attentionBackward!(operands(), α.view(op), g.view(op), view(dα), {
      q: needs[0] === true,
      k: needs[1] === true,
      v: needs[2] === true,
    });
    if (dα !== null) backend.dispose(dα);
    dα = null;
    const opt = (s: unknown, like: Tensor) => (s === null ? null : wrap(backend, s, like.shape, like.dtype));
    return [opt(grads.dq, q), opt(grads.dk, k), opt(grads.dv, v)];
  });
  if (recorded) {
    // (α is this node's output, so the tape keeps it for the backward pass like y)
    record([y], α, (g) => {
      dα = backend.cast(g.view(op), g.dtype); // a copy: the tape frees g next
      return [wrap(backend, backend.fill(y.size, 0, y.dtype), y.shape, y.dtype)];
    });
  }
  return [y, α];
}
