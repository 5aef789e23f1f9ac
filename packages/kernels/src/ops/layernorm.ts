// Layer normalisation without the affine part, as one primitive forward and one backward: what Flux's
// LayerNorm computes before its `Scale`. Composed from mean/sub/square/rsqrt/mul it is nine ops forward and
// about twenty backward, each a pass over the activations and several a broadcasting reduction; fused it is
// one pass group per column each way. With `scale` (and `bias`), Flux's affine `Scale` joins the same pass on
// a backend with the fused primitive (the CPU): four fewer passes over the activations each way.
import { record } from "../autodiff/tape.js";
import type { Backend } from "../backend.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { shapesEqual } from "../shape.js";
import { isTensor, type Tensor } from "../tensor.js";
import { backendOf, requireFloat, wrap } from "./core.js";
import { add, mul } from "./elementwise.js";

/** Options of `layernorm`. */
export interface LayerNormOptions {
  /** How many leading dims each normalised slice spans (default 1: each column on its own). */
  dims?: number;
  /** Added to the variance before the square root (default 1e-5, as Flux's and PyTorch's LayerNorm). */
  eps?: number;
  /** Multiplies the result, shaped as the normalised dims (`x.shape.slice(0, dims)`): Flux's `Scale.scale`. */
  scale?: Tensor | null;
  /** Added after `scale` (needs it), shaped as `scale`: Flux's `Scale.bias`. */
  bias?: Tensor | null;
}

/**
 * `(x .- μ) ./ sqrt.(σ² .+ eps)` with `μ` and `σ²` (the population variance) over the first `dims` dims of
 * `x`, for each index of the others: the normalisation of Flux's `LayerNorm(size)` with
 * `length(size) == dims`, or PyTorch's `layer_norm`. With `scale` (and `bias`) it is `y .* scale .+ bias`
 * as well, Flux's affine `Scale` (PyTorch's weight and bias): one fused pass each way on the CPU, `mul` and
 * `add` after the normalisation elsewhere. Differentiable in `x`, `scale` and `bias`.
 *
 * @example
 * layernorm(randn([128, 64, 32])); // each of the 64 × 32 columns: mean 0, variance 1
 * layernorm(x, { dims: 2, eps: 1e-6 }); // over dims 1 and 2 together
 * layernorm(x, { scale: ones([128]), bias: zeros([128]) }); // LayerNorm(128)'s forward pass
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
  const scale = opts.scale ?? null;
  const bias = opts.bias ?? null;
  if (scale !== null || bias !== null) {
    checkAffine(x, dims, scale, bias);
    backendOf(op, x, scale!, ...(bias === null ? [] : [bias]));
    if (b.layernormAffine && b.layernormAffineGrad && sameDtype(x, scale!, bias))
      return affine(b, x, scale!, bias, len, eps);
    const y = layernorm(x, { dims, eps });
    const scaled = mul(y, scale!);
    return bias === null ? scaled : add(scaled, bias);
  }
  const out = wrap(b, b.layernorm(x.view(op), len, eps), x.shape, x.dtype);
  record([x], out, (g) => [wrap(b, b.layernormGrad(x.view(op), g.view(op), len, eps), x.shape, x.dtype)]);
  return out;
}

const sameDtype = (x: Tensor, scale: Tensor, bias: Tensor | null) =>
  scale.dtype === x.dtype && (bias === null || bias.dtype === x.dtype);

function checkAffine(x: Tensor, dims: number, scale: Tensor | null, bias: Tensor | null): void {
  const want = x.shape.slice(0, dims);
  if (scale === null)
    throw new ArgumentError("layernorm: bias needs scale as well (pass ones for a bias alone).");
  for (const [name, t] of [
    ["scale", scale],
    ["bias", bias],
  ] as const) {
    if (t === null) continue;
    if (!isTensor(t)) throw new ArgumentError(`layernorm: ${name} must be a Tensor, got ${typeof t}.`);
    if (!shapesEqual(t.shape, want))
      throw new ShapeError(
        `layernorm: ${name} must have the normalised dims' shape [${want.join(", ")}], got [${t.shape.join(", ")}].`,
      );
  }
}

function affine(b: Backend, x: Tensor, scale: Tensor, bias: Tensor | null, len: number, eps: number): Tensor {
  const op = "layernorm";
  const sv = () => ({ ...scale.view(op), shape: [len] });
  const bv = bias === null ? null : { ...bias.view(op), shape: [len] };
  const out = wrap(b, b.layernormAffine!(x.view(op), sv(), bv, len, eps), x.shape, x.dtype);
  const inputs = bias === null ? [x, scale] : [x, scale, bias];
  record(inputs, out, (g, needs) => {
    const wants = { x: needs[0] === true, scale: needs[1] === true, bias: needs[2] === true };
    const r = b.layernormAffineGrad!(x.view(op), sv(), g.view(op), len, eps, wants);
    const opt = (s: unknown, like: Tensor) => (s === null ? null : wrap(b, s, like.shape, like.dtype));
    return bias === null
      ? [opt(r.dx, x), opt(r.dscale, scale)]
      : [opt(r.dx, x), opt(r.dscale, scale), opt(r.dbias, bias)];
  });
  return out;
}
