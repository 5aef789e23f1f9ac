import { add, mul, type Tensor } from "@flux/kernels";
import { LayerArgumentError } from "../errors.js";

/**
 * Flux's `label_smoothing(y, α; dims = 1)`: one-hot labels relaxed to `y .* (1 - α) .+ α / size(y, 1)`, or
 * with `dims: 0` binary labels squeezed towards 0.5, `y .* (1 - α) .+ α / 2`. `α` is in (0, 1).
 *
 * @example
 * labelSmoothing(onehotbatch([0, 1], [0, 1]), 0.2); // 0.9 and 0.1 in place of 1 and 0
 */
export function labelSmoothing(y: Tensor, α: number, opts?: { dims?: 0 | 1 }): Tensor {
  if (!(α > 0 && α < 1)) throw new LayerArgumentError(`labelSmoothing: α must be between 0 and 1, got ${α}.`);
  const dims = opts?.dims ?? 1;
  if (dims !== 0 && dims !== 1)
    throw new LayerArgumentError(`labelSmoothing: dims should be either 0 or 1, got ${String(dims)}.`);
  const k = dims === 0 ? 2 : (y.shape[0] ?? 1);
  return add(mul(y, 1 - α), α / k);
}
