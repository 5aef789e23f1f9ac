import { checkNotPromise } from "@flux/functors";
import type { Tensor } from "@flux/kernels";
import { LayerArgumentError } from "../errors.js";
import { apply, type LayerLike, layerConstructor } from "../layer.js";
import { SHOW_CHILDREN, type ShowChildren } from "../show/protocol.js";
import { showCompact } from "../show/show.js";
import { AbstractLayer } from "./base.js";

/** Named layers: `Chain({ enc: Dense(...), dec: Dense(...) })`. */
export type NamedLayers = Readonly<Record<string, LayerLike>>;

/** What a Chain holds: its layers in order (Flux's Tuple) or by name (Flux's NamedTuple). */
export type ChainLayers = readonly LayerLike[] | NamedLayers;

function isNamed(x: unknown): x is NamedLayers {
  return x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype;
}

// `L` is the exact type of the layers the Chain was built from (a tuple, or the record of named layers), so
// `chain.layers[0].weight` and `chain.layers.enc.weight` type-check; the default is the untyped union.
// Array.isArray narrows a readonly array union to `any[]`; this keeps the element type.
function isLayerList(x: ChainLayers): x is readonly LayerLike[] {
  return Array.isArray(x);
}

class ChainLayer<L extends ChainLayers = ChainLayers> extends AbstractLayer {
  /** The layers in order: an array, or an object of named layers (Flux's Tuple / NamedTuple). */
  layers: L;

  constructor(...layers: LayerLike[] | [NamedLayers]) {
    super();
    if (layers.length === 1 && isNamed(layers[0])) {
      this.layers = { ...layers[0] } as unknown as L;
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
      this.layers = [...(layers as LayerLike[])] as unknown as L;
    }
  }

  /** The layers in call order. */
  get list(): LayerLike[] {
    const layers: ChainLayers = this.layers;
    return isLayerList(layers) ? [...layers] : Object.values(layers);
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
    // Only a Promise is refused here: the first layer decides what else it takes (Embedding takes token ids).
    checkNotPromise(x, "Chain.forward", "x");
    let y = x;
    for (const l of this.list) y = apply(l, y);
    return y;
  }

  showCompact(): string {
    const layers: ChainLayers = this.layers;
    const inner = isLayerList(layers)
      ? layers.map(showCompact).join(", ")
      : Object.entries(layers)
          .map(([k, v]) => `${k} = ${showCompact(v)}`)
          .join(", ");
    return `Chain(${inner})`;
  }

  [SHOW_CHILDREN](): ShowChildren {
    const layers: ChainLayers = this.layers;
    const items = isLayerList(layers)
      ? layers.map((l) => [null, l] as const)
      : Object.entries(layers).map(([k, l]) => [k, l] as const);
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
export const Chain = layerConstructor(ChainLayer, ["layers"]) as unknown as ChainConstructor;
/** A Chain (see `Chain`); `Chain<[DenseLayer, ...]>` names the exact layers. */
export type Chain<L extends ChainLayers = ChainLayers> = ChainLayer<L>;

/**
 * The type of `Chain`: callable with or without `new`, keeping the exact layer types it was given.
 *
 * Flux's `Chain` is parametric in its layers' Tuple / NamedTuple type; here the tuple of arguments (or the
 * record of named layers) becomes the Chain's type argument, so indexing `layers` needs no cast.
 *
 * @example
 * const m = Chain(Dense(2, 3), Dense(3, 1));
 * m.layers[0].weight.shape; // [3, 2], typed as DenseLayer's weight
 * const n = Chain({ enc: Dense(2, 3), dec: Dense(3, 2) });
 * n.layers.enc.bias;        // typed
 */
export interface ChainConstructor {
  <const L extends readonly LayerLike[]>(...layers: L): ChainLayer<L>;
  <const N extends NamedLayers>(layers: N): ChainLayer<N>;
  new <const L extends readonly LayerLike[]>(...layers: L): ChainLayer<L>;
  new <const N extends NamedLayers>(layers: N): ChainLayer<N>;
  readonly prototype: ChainLayer;
}
