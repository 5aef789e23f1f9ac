import type { Tensor } from "@flux/kernels";
import { describeArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { apply, type LayerLike, layerConstructor } from "../layer.js";
import { SHOW_CHILDREN, type ShowChildren } from "../show/protocol.js";
import { showCompact } from "../show/show.js";
import { AbstractLayer } from "./base.js";
import type { NamedLayers } from "./chain.js";

function isNamed(x: unknown): x is NamedLayers {
  return x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype;
}

class ParallelLayer extends AbstractLayer {
  connection: (...ys: Tensor[]) => Tensor;
  layers: readonly LayerLike[] | NamedLayers;

  constructor(connection: (...ys: Tensor[]) => Tensor, ...layers: LayerLike[] | [NamedLayers]) {
    super();
    if (typeof connection !== "function")
      throw new LayerArgumentError(
        `Parallel: call it as Parallel(connection, ...layers) with connection a function of the outputs, got ${describeArg(connection)}.`,
      );
    this.connection = connection;
    this.layers = layers.length === 1 && isNamed(layers[0]) ? { ...layers[0] } : [...(layers as LayerLike[])];
  }

  /** The layers in order. */
  get list(): LayerLike[] {
    return Array.isArray(this.layers) ? [...this.layers] : Object.values(this.layers);
  }

  /**
   * One input: every layer gets it. Several inputs: layer i gets input i (their counts must agree).
   * Returns `connection(y1, y2, ...)`.
   */
  forward(...xs: Tensor[]): Tensor {
    const layers = this.list;
    if (xs.length !== 1 && xs.length !== layers.length) {
      throw new LayerInputError(
        `Parallel with ${layers.length} layers got ${xs.length} inputs; give 1 or ${layers.length}.`,
      );
    }
    const ys = layers.map((l, i) => apply(l, xs.length === 1 ? xs[0] : xs[i]));
    return this.connection(...ys);
  }

  showCompact(): string {
    const inner = Array.isArray(this.layers)
      ? this.layers.map(showCompact).join(", ")
      : Object.entries(this.layers)
          .map(([k, v]) => `${k} = ${showCompact(v)}`)
          .join(", ");
    return `Parallel(${showCompact(this.connection)}, ${inner})`;
  }

  [SHOW_CHILDREN](): ShowChildren {
    const items = Array.isArray(this.layers)
      ? this.layers.map((l) => [null, l] as const)
      : Object.entries(this.layers).map(([k, l]) => [k, l] as const);
    return { pre: "Parallel(", post: ")", items: [[null, this.connection], ...items] };
  }
}

/**
 * Flux's `Parallel(connection, layers...)`: runs layers side by side and joins their outputs.
 *
 * With one input every layer sees it; with several, layer i sees input i. Layers may be named:
 * `Parallel(vcat, { a: Dense(1, 2), b: Dense(1, 3) })`.
 *
 * @example
 * const p = Parallel(vcat, Dense(1, 2), Dense(1, 3));
 * p.forward(x).shape; // [5, batch]
 */
export const Parallel = layerConstructor(ParallelLayer, ["connection", "layers"]);
/** A Parallel layer (see `Parallel`). */
export type Parallel = ParallelLayer;
