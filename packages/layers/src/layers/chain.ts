import type { Tensor } from "@flux/kernels";
import { LayerArgumentError } from "../errors";
import { apply, type LayerLike, layerConstructor } from "../layer";
import { SHOW_CHILDREN, type ShowChildren } from "../show/protocol";
import { showCompact } from "../show/show";
import { AbstractLayer } from "./base";

/** Named layers: `Chain({ enc: Dense(...), dec: Dense(...) })`. */
export type NamedLayers = Readonly<Record<string, LayerLike>>;

function isNamed(x: unknown): x is NamedLayers {
  return x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype;
}

class ChainLayer extends AbstractLayer {
  /** The layers in order: an array, or an object of named layers (Flux's Tuple / NamedTuple). */
  layers: readonly LayerLike[] | NamedLayers;

  constructor(...layers: LayerLike[] | [NamedLayers]) {
    super();
    if (layers.length === 1 && isNamed(layers[0])) {
      this.layers = { ...layers[0] };
    } else {
      for (const [i, l] of layers.entries()) {
        if (
          typeof l !== "function" &&
          (l === null || typeof l !== "object" || typeof (l as { forward?: unknown }).forward !== "function")
        ) {
          throw new LayerArgumentError(
            `Chain: argument ${i} is not a layer or a function (got ${l === null ? "null" : typeof l}).`,
          );
        }
      }
      this.layers = [...(layers as LayerLike[])];
    }
  }

  /** The layers in call order. */
  get list(): LayerLike[] {
    return Array.isArray(this.layers) ? [...this.layers] : Object.values(this.layers);
  }

  /** Flux's `c[i]` (0-based) or `c[:name]`. @example chain.get(0); chain.get("enc") */
  get(key: number | string): LayerLike {
    const l = typeof key === "number" ? this.list[key] : (this.layers as NamedLayers)[key];
    if (l === undefined)
      throw new LayerArgumentError(`Chain.get: no layer ${JSON.stringify(key)} in ${this.showCompact()}.`);
    return l;
  }

  /** Applies each layer in turn: `foldl((x, f) -> f(x), layers)`. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const l of this.list) y = apply(l, y);
    return y;
  }

  showCompact(): string {
    const inner = Array.isArray(this.layers)
      ? this.layers.map(showCompact).join(", ")
      : Object.entries(this.layers)
          .map(([k, v]) => `${k} = ${showCompact(v)}`)
          .join(", ");
    return `Chain(${inner})`;
  }

  [SHOW_CHILDREN](): ShowChildren {
    const items = Array.isArray(this.layers)
      ? this.layers.map((l) => [null, l] as const)
      : Object.entries(this.layers).map(([k, l]) => [k, l] as const);
    return { pre: "Chain(", post: ")", items };
  }
}

/**
 * Flux's `Chain(layers...)`: applies layers (or plain functions) one after another.
 *
 * `Chain(Dense(2, 3, relu), Dense(3, 1))` keeps them in the `layers` array (key paths `layers.0.weight`);
 * `Chain({ enc: ..., dec: ... })` names them (key paths `layers.enc.weight`). Flux's `c[i]` is
 * `c.get(i)` with a 0-based index.
 *
 * @example
 * const m = Chain(Dense(784, 32, relu), Dense(32, 10), softmax);
 * m.forward(x).shape; // [10, batch]
 */
export const Chain = layerConstructor(ChainLayer, ["layers"]);
/** A Chain (see `Chain`). */
export type Chain = ChainLayer;
