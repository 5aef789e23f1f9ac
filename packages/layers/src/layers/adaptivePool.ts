// Flux's AdaptiveMaxPool/AdaptiveMeanPool and GlobalMaxPool/GlobalMeanPool: pools whose window follows from
// the input size.
import { max, mean, type Tensor } from "@flux/kernels";
import { checkArgCount } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { layerConstructor } from "../layer.js";
import { tupleString } from "../show/format.js";
import { AbstractLayer } from "./base.js";
import { poolNd } from "./convNd.js";
import { checkTensorInput } from "./input.js";

abstract class AdaptivePoolLayer extends AbstractLayer {
  /** The output's spatial size. */
  out: readonly number[];
  protected abstract readonly op: "max" | "mean";

  constructor(out: readonly number[]) {
    super();
    checkArgCount("Adaptive pools", arguments, 1, "AdaptiveMaxPool(out) / AdaptiveMeanPool(out)");
    if (
      !Array.isArray(out) ||
      out.length < 1 ||
      out.length > 3 ||
      out.some((v) => !Number.isInteger(v) || v < 1)
    )
      throw new LayerArgumentError(
        `Adaptive pools take the output size as 1 to 3 positive integers, got ${JSON.stringify(out)}.`,
      );
    this.out = [...out];
  }

  /** Flux's window: `stride = in ÷ out`, `k = in - (out - 1) stride`, no padding. */
  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
    const n = this.out.length;
    const insize = x.shape.slice(0, n);
    if (x.rank !== n + 2 || insize.some((d, i) => d < this.out[i]!))
      throw new LayerInputError(
        `${this.showCompact()} expects a ${n + 2}-D input at least as large as [${this.out.join(", ")}], got [${x.shape.join(", ")}].`,
      );
    const stride = insize.map((d, i) => Math.floor(d / this.out[i]!));
    const k = insize.map((d, i) => d - (this.out[i]! - 1) * stride[i]!);
    return poolNd(this.op, x, k, stride, new Array<number>(2 * n).fill(0));
  }
}

class AdaptiveMaxPoolLayer extends AdaptivePoolLayer {
  protected readonly op = "max" as const;
  showCompact(): string {
    return `AdaptiveMaxPool(${tupleString(this.out)})`;
  }
}

class AdaptiveMeanPoolLayer extends AdaptivePoolLayer {
  protected readonly op = "mean" as const;
  showCompact(): string {
    return `AdaptiveMeanPool(${tupleString(this.out)})`;
  }
}

/**
 * Flux's `AdaptiveMaxPool(out)`: max pooling with the window chosen so that the spatial output size is `out`.
 *
 * @example
 * AdaptiveMaxPool([5, 5]).forward(randn([10, 10, 3, 2])).shape; // [5, 5, 3, 2]
 */
export const AdaptiveMaxPool = layerConstructor(AdaptiveMaxPoolLayer, ["out"]);
/** An AdaptiveMaxPool layer. */
export type AdaptiveMaxPool = AdaptiveMaxPoolLayer;

/**
 * Flux's `AdaptiveMeanPool(out)`: mean pooling with the window chosen so that the output size is `out`.
 *
 * @example
 * AdaptiveMeanPool([5, 5]).forward(randn([10, 10, 3, 2])).shape; // [5, 5, 3, 2]
 */
export const AdaptiveMeanPool = layerConstructor(AdaptiveMeanPoolLayer, ["out"]);
/** An AdaptiveMeanPool layer. */
export type AdaptiveMeanPool = AdaptiveMeanPoolLayer;

abstract class GlobalPoolLayer extends AbstractLayer {
  protected abstract readonly op: "max" | "mean";

  constructor() {
    super();
    // showCompact reads no field, so it names the layer already: "GlobalMaxPool()".
    const call = this.showCompact();
    checkArgCount(call.slice(0, -2), arguments, 0, call);
  }

  /** `[spatial..., C, N]` to `[1, ..., 1, C, N]`: one reduction over the spatial dims. */
  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
    if (x.rank < 3)
      throw new LayerInputError(
        `${this.showCompact()} expects a [spatial..., C, N] input, got [${x.shape.join(", ")}].`,
      );
    const dims = x.shape.slice(0, -2).map((_, i) => i + 1);
    return this.op === "max" ? max(x, { dims }) : mean(x, { dims });
  }
}

class GlobalMaxPoolLayer extends GlobalPoolLayer {
  protected readonly op = "max" as const;
  showCompact(): string {
    return "GlobalMaxPool()";
  }
}

class GlobalMeanPoolLayer extends GlobalPoolLayer {
  protected readonly op = "mean" as const;
  showCompact(): string {
    return "GlobalMeanPool()";
  }
}

/**
 * Flux's `GlobalMaxPool()`: `[W, H, C, N]` to `[1, 1, C, N]` by the maximum of each feature map.
 *
 * @example
 * GlobalMaxPool().forward(randn([7, 7, 16, 2])).shape; // [1, 1, 16, 2]
 */
export const GlobalMaxPool = layerConstructor(GlobalMaxPoolLayer, []);
/** A GlobalMaxPool layer. */
export type GlobalMaxPool = GlobalMaxPoolLayer;

/**
 * Flux's `GlobalMeanPool()`: `[W, H, C, N]` to `[1, 1, C, N]` by the mean of each feature map.
 *
 * @example
 * GlobalMeanPool().forward(randn([7, 7, 16, 2])).shape; // [1, 1, 16, 2]
 */
export const GlobalMeanPool = layerConstructor(GlobalMeanPoolLayer, []);
/** A GlobalMeanPool layer. */
export type GlobalMeanPool = GlobalMeanPoolLayer;
