// NNlib's `dropout(x, p; dims, rng)`: zero each element with probability p and scale the rest by 1/(1-p).
import { releaseTemp } from "../autodiff/tape.js";
import { ArgumentError } from "../errors.js";
import { defaultRng, type Rng } from "../rng.js";
import { normalizeDims } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { backendOf, requireFloat } from "./core.js";
import { fromHost } from "./creation.js";
import { mul } from "./elementwise.js";

/** Options of `dropout`. */
export interface DropoutOpOptions {
  /** 1-based dims along which the mask varies (NNlib `dims`); others share it. Default: every element. */
  dims?: number | readonly number[];
  /** The generator; default `defaultRng()`. */
  rng?: Rng;
}

/**
 * NNlib's `dropout(x, p)`: each element is kept with probability `1 - p` and scaled by `1/(1 - p)`, else
 * zeroed. `p = 0` returns `x` itself. The mask is drawn on the host from `rng` (reproducible on every
 * backend). Differentiable (the gradient is masked the same way).
 *
 * @example
 * dropout(h, 0.5, { rng: rng(0) });
 */
export function dropout(x: Tensor, p: number, opts: DropoutOpOptions = {}): Tensor {
  const b = backendOf("dropout", x);
  requireFloat("dropout", x.dtype);
  if (!(p >= 0 && p <= 1)) throw new ArgumentError(`dropout: p must be in [0, 1], got ${p}.`);
  if (p === 0) return x;
  const maskShape =
    opts.dims === undefined
      ? x.shape
      : (() => {
          const axes = normalizeDims(opts.dims, x.rank, "dropout");
          return x.shape.map((d, i) => (axes.includes(i) ? d : 1));
        })();
  const r = opts.rng ?? defaultRng();
  let n = 1;
  for (const d of maskShape) n *= d;
  const m = new Float64Array(n);
  const scale = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < n; i++) m[i] = r.uniform() >= p ? scale : 0;
  const mask = fromHost(m, maskShape, x.dtype, b, "dropout");
  const out = mul(x, mask);
  releaseTemp(mask);
  return out;
}
