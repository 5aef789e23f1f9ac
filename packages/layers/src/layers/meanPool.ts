import { layerConstructor } from "../layer.js";
import { PoolLayer } from "./pool.js";

class MeanPoolLayer extends PoolLayer {
  protected get kind(): "MeanPool" {
    return "MeanPool";
  }
}

/**
 * Flux's `MeanPool((kW, kH); pad, stride = window)`: the mean of each window (padding counts, as NNlib).
 *
 * @example
 * MeanPool([2, 2]).forward(ones([4, 4, 1, 1])); // 2×2×1×1 of ones
 */
export const MeanPool = layerConstructor(MeanPoolLayer, ["k", "pad", "stride"]);
/** A MeanPool layer (see `MeanPool`). */
export type MeanPool = MeanPoolLayer;
