import type { Tensor } from "@flux/kernels";
import { checkArgCount, describeArg } from "./arguments.js";
import { LayerArgumentError } from "../errors.js";
import { apply, type LayerLike, layerConstructor } from "../layer.js";
import { SHOW_CHILDREN, type ShowChildren } from "../show/protocol.js";
import { showCompact } from "../show/show.js";
import { AbstractLayer } from "./base.js";

class SkipConnectionLayer extends AbstractLayer {
  layers: LayerLike;
  connection: (y: Tensor, x: Tensor) => Tensor;

  constructor(layers: LayerLike, connection: (y: Tensor, x: Tensor) => Tensor) {
    super();
    checkArgCount("SkipConnection", arguments, 2, "SkipConnection(layers, connection)");
    const isLayer = (l: unknown) =>
      typeof l === "function" ||
      (l !== null && typeof l === "object" && typeof (l as { forward?: unknown }).forward === "function");
    if (!isLayer(layers) || typeof connection !== "function")
      throw new LayerArgumentError(
        `SkipConnection: call it as SkipConnection(layers, connection) with a layer and a function (y, x) => tensor, got ${describeArg(layers)} and ${describeArg(connection)}.`,
      );
    this.layers = layers;
    this.connection = connection;
  }

  /** `connection(layers(x), x)`. */
  forward(x: Tensor): Tensor {
    return this.connection(apply(this.layers, x), x);
  }

  showCompact(): string {
    return `SkipConnection(${showCompact(this.layers)}, ${showCompact(this.connection)})`;
  }

  [SHOW_CHILDREN](): ShowChildren {
    return {
      pre: "SkipConnection(",
      post: ")",
      items: [
        [null, this.layers],
        [null, this.connection],
      ],
    };
  }
}

/**
 * Flux's `SkipConnection(layers, connection)`: `connection(layers(x), x)`, e.g. a residual block with `add`.
 *
 * @example
 * const res = SkipConnection(Dense(4, 4, relu), add);
 * res.forward(x); // relu.(W*x .+ b) .+ x
 */
export const SkipConnection = layerConstructor(SkipConnectionLayer, ["layers", "connection"]);
/** A SkipConnection (see `SkipConnection`). */
export type SkipConnection = SkipConnectionLayer;
