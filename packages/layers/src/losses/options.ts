// Shared pieces of the loss functions: the `agg` option and Flux's `_check_sizes`.
import { mean, type Tensor } from "@flux/kernels";
import { LayerInputError } from "../errors.js";

/** How a loss reduces its element-wise values: `mean` (default), `sum`, or any function to a scalar. */
export type Aggregate = (x: Tensor) => Tensor;

/** Options of the element-wise losses. */
export interface LossOptions {
  /** Default `mean`. */
  agg?: Aggregate;
}

/** Options of the losses over a class dim. */
export interface ClassLossOptions extends LossOptions {
  /** The 1-based dim holding the classes; default 1. */
  dims?: number;
}

/** @internal Flux's `_check_sizes`: ŷ and y must have the same size in every dim. */
export function checkSizes(op: string, ŷ: Tensor, y: Tensor): void {
  const n = Math.max(ŷ.rank, y.rank);
  for (let d = 0; d < n; d++) {
    if ((ŷ.shape[d] ?? 1) !== (y.shape[d] ?? 1)) {
      throw new LayerInputError(
        `${op}: loss function expects size(ŷ) = [${ŷ.shape.join(", ")}] to match size(y) = [${y.shape.join(", ")}] (dim ${d + 1} differs).`,
      );
    }
  }
}

/** @internal The aggregate of an options object. */
export function aggOf(opts: LossOptions | undefined): Aggregate {
  return opts?.agg ?? ((x: Tensor) => mean(x));
}

/** @internal Flux's default `eps` for log-based losses: `eps(Float32)`, or Float64's for f64 input. */
export function epsFor(x: Tensor): number {
  return x.dtype === "f64" ? 2.220446049250313e-16 : 1.1920928955078125e-7;
}
