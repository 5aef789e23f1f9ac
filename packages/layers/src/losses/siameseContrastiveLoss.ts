import { add, mul, relu, square, sub, type Tensor } from "@flux/kernels";
import { LayerArgumentError } from "../errors.js";
import { aggOf, checkSizes, type LossOptions } from "./options.js";

/**
 * Flux's `siamese_contrastive_loss(ŷ, y; agg = mean, margin = 1)`:
 * `agg(@. (1 - y) * ŷ^2 + y * max(0, margin - ŷ)^2)`, for distances `ŷ` of pairs labelled `y` (1 = dissimilar).
 *
 * @example
 * siameseContrastiveLoss(distances, labels, { margin: 2 });
 */
export function siameseContrastiveLoss(
  ŷ: Tensor,
  y: Tensor,
  opts?: LossOptions & { margin?: number },
): Tensor {
  checkSizes("siameseContrastiveLoss", ŷ, y);
  const margin = opts?.margin ?? 1;
  if (!(margin >= 0))
    throw new LayerArgumentError(`siameseContrastiveLoss: margin must be non-negative, got ${margin}.`);
  return aggOf(opts)(add(mul(sub(1, y), square(ŷ)), mul(y, square(relu(sub(margin, ŷ))))));
}
