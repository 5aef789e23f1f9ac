// NNlib's softmax / logsoftmax: fused forward and backward primitives, over dims=1 (features) by default.
import { record } from "../autodiff/tape.js";
import { ArgumentError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { backendOf, requireFloat, wrap } from "./core.js";
import { checkOpOptions } from "./options.js";

/** Options of softmax / logsoftmax. */
export interface SoftmaxOptions {
  /** The 1-based dim to normalise over; default 1 (features), as NNlib. */
  dims?: number;
}

function softmaxOp(x: Tensor, opts: SoftmaxOptions | undefined, log: boolean): Tensor {
  const op = log ? "logsoftmax" : "softmax";
  checkOpOptions(op, opts, ["dims"], "{ dims: 1 }");
  const b = backendOf(op, x);
  requireFloat(op, x.dtype);
  const dims = opts?.dims ?? 1;
  if (!Number.isInteger(dims) || dims < 1)
    throw new ArgumentError(`${op}: dims is one 1-based dim, got ${dims}.`);
  const axis = Math.min(dims - 1, Math.max(x.rank - 1, 0));
  const view = dims > x.rank ? { ...x.view(op), shape: [...x.shape, 1] } : x.view(op);
  const a = dims > x.rank ? x.rank : axis;
  const out = wrap(b, b.softmax(view, a, log), x.shape, x.dtype);
  record([x], out, (g) => {
    const yv = dims > x.rank ? { ...out.view(op), shape: view.shape } : out.view(op);
    const gv = dims > x.rank ? { ...g.view(op), shape: view.shape } : g.view(op);
    return [wrap(b, b.softmaxGrad(yv, gv, a, log), x.shape, x.dtype)];
  });
  return out;
}

/**
 * NNlib's `softmax(x; dims = 1)`: `exp.(x) ./ sum(exp.(x); dims)`, computed stably.
 *
 * @example
 * softmax(tensor([1, 2, 3], [3])); // [0.090, 0.245, 0.665]
 */
export function softmax(x: Tensor, opts?: SoftmaxOptions): Tensor {
  return softmaxOp(x, opts, false);
}

/**
 * NNlib's `logsoftmax(x; dims = 1)`: `x .- logsumexp(x; dims)`, computed stably.
 *
 * @example
 * logsoftmax(logits); // use with a one-hot target in logitcrossentropy
 */
export function logsoftmax(x: Tensor, opts?: SoftmaxOptions): Tensor {
  return softmaxOp(x, opts, true);
}
