import { maximum, type Tensor } from "@flux/kernels";
import { describeArg } from "./arguments.js";
import { LayerArgumentError } from "../errors.js";
import { apply, type LayerLike, layerConstructor } from "../layer.js";
import { SHOW_CHILDREN, type ShowChildren } from "../show/protocol.js";
import { showCompact } from "../show/show.js";
import { AbstractLayer } from "./base.js";

class MaxoutLayer extends AbstractLayer {
  layers: LayerLike[];

  constructor(...args: LayerLike[] | [() => LayerLike, number]) {
    super();
    if (args.length === 2 && typeof args[1] === "number") {
      const [f, n] = args as [() => LayerLike, number];
      if (typeof f !== "function" || !Number.isInteger(n) || n < 1)
        throw new LayerArgumentError(
          `Maxout(f, n): f must build a layer and n be a positive integer, got n = ${n}.`,
        );
      this.layers = Array.from({ length: n }, () => f());
    } else {
      if (args.length === 0) throw new LayerArgumentError("Maxout needs at least one layer.");
      const bad = args.findIndex(
        (l) =>
          typeof l !== "function" &&
          (l === null || typeof l !== "object" || typeof (l as { forward?: unknown }).forward !== "function"),
      );
      if (bad >= 0)
        throw new LayerArgumentError(
          `Maxout: call it as Maxout(layers...) or Maxout(f, n); argument ${bad} is not a layer or a function (got ${describeArg(args[bad])}).`,
        );
      this.layers = [...(args as LayerLike[])];
    }
  }

  /** Every layer gets the input; the output is their element-wise maximum. */
  forward(x: Tensor): Tensor {
    let acc = apply(this.layers[0]!, x);
    for (const l of this.layers.slice(1)) acc = maximum(acc, apply(l, x));
    return acc;
  }

  showCompact(): string {
    return `Maxout(${this.layers.map(showCompact).join(", ")})`;
  }

  [SHOW_CHILDREN](): ShowChildren {
    return { pre: "Maxout(", post: ")", items: this.layers.map((l) => [null, l] as const) };
  }
}

/**
 * Flux's `Maxout(layers...)` or `Maxout(f, n_alts)`: the element-wise maximum of several layers applied to
 * the same input (with `f` a zero-argument function building each of the `n` layers).
 *
 * @example
 * const m = Maxout(() => Dense(5, 7, tanh), 3);
 * m.forward(randn([5, 11])).shape; // [7, 11]
 */
export const Maxout = layerConstructor(MaxoutLayer, ["layers"]) as typeof MaxoutLayer & {
  (...layers: LayerLike[]): MaxoutLayer;
  (f: () => LayerLike, n: number): MaxoutLayer;
};
/** A Maxout layer (see `Maxout`). */
export type Maxout = MaxoutLayer;
