import { layerConstructor } from "../layer.js";
import { PoolLayer } from "./pool.js";

class MaxPoolLayer extends PoolLayer {
  protected get kind(): "MaxPool" {
    return "MaxPool";
  }
}

/**
 * Flux's `MaxPool((kW, kH); pad, stride = window)`: the maximum of each window of `[W, H, C, N]` input.
 *
 * @example
 * MaxPool([2, 2]).forward(randn([28, 28, 8, 4])).shape; // [14, 14, 8, 4]
 */
export const MaxPool = layerConstructor(MaxPoolLayer, ["k", "pad", "stride"]);
/** A MaxPool layer (see `MaxPool`). */
export type MaxPool = MaxPoolLayer;
