// Layer normalisation without the affine part, as one primitive forward and one backward: what Flux's
// LayerNorm computes before its `Scale`. Composed from mean/sub/square/rsqrt/mul it is nine ops forward and
// about twenty backward, each a pass over the activations and several a broadcasting reduction; fused it is
// one pass group per column each way.
import { record } from "../autodiff/tape.js";
import { ArgumentError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { backendOf, requireFloat, wrap } from "./core.js";

/** Options of `layernorm`. */
export interface LayerNormOptions {
  /** How many leading dims each normalised slice spans (default 1: each column on its own). */
  dims?: number;
  /** Added to the variance before the square root (default 1e-5, as Flux's and PyTorch's LayerNorm). */
  eps?: number;
}

/**
 * `(x .- μ) ./ sqrt.(σ² .+ eps)` with `μ` and `σ²` (the population variance) over the first `dims` dims of
 * `x`, for each index of the others: the normalisation of Flux's `LayerNorm(size)` with
 * `length(size) == dims` (its affine `Scale` applied after), or PyTorch's `layer_norm` without weight and
 * bias. Differentiable; one primitive each way on every backend.
 *
 * @example
 * layernorm(randn([128, 64, 32])); // each of the 64 × 32 columns: mean 0, variance 1
 * layernorm(x, { dims: 2, eps: 1e-6 }); // over dims 1 and 2 together
 */
export function layernorm(x: Tensor, opts: LayerNormOptions = {}): Tensor {
  const op = "layernorm";
  const b = backendOf(op, x);
  requireFloat(op, x.dtype);
  const dims = opts.dims ?? 1;
  const eps = opts.eps ?? 1e-5;
  if (!Number.isInteger(dims) || dims < 1 || dims > Math.max(x.rank, 1))
    throw new ArgumentError(
      `${op}: dims counts the leading dims to normalise over, 1 to ${Math.max(x.rank, 1)} for this [${x.shape.join(", ")}] tensor; got ${dims}.`,
    );
  if (!(eps >= 0) || !Number.isFinite(eps))
    throw new ArgumentError(`${op}: eps must be a finite number >= 0, got ${eps}.`);
  let len = 1;
  for (let d = 0; d < dims; d++) len *= x.shape[d] ?? 1;
  len = Math.max(len, 1); // an empty tensor has no lines; 1 keeps the kernels' line count finite
  const out = wrap(b, b.layernorm(x.view(op), len, eps), x.shape, x.dtype);
  record([x], out, (g) => [wrap(b, b.layernormGrad(x.view(op), g.view(op), len, eps), x.shape, x.dtype)]);
  return out;
}
