import type { Tensor } from "@flux/kernels";
import { describeArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { apply, type LayerLike, layerConstructor } from "../layer.js";
import { SHOW_CHILDREN, type ShowChildren } from "../show/protocol.js";
import { showCompact } from "../show/show.js";
import { AbstractLayer } from "./base.js";

const CALL_FORM = "PairwiseFusion(connection, ...layers)";

function isLayerLike(x: unknown): x is LayerLike {
  if (typeof x === "function") return true;
  return x !== null && typeof x === "object" && typeof (x as { forward?: unknown }).forward === "function";
}

class PairwiseFusionLayer extends AbstractLayer {
  connection: (y: Tensor, x: Tensor) => Tensor;
  layers: readonly LayerLike[];

  constructor(connection: (y: Tensor, x: Tensor) => Tensor, ...layers: LayerLike[]) {
    super();
    if (typeof connection !== "function") {
      throw new LayerArgumentError(
        `PairwiseFusion: call it as ${CALL_FORM} with connection a function of (previous output, next input), got ${describeArg(connection)}.`,
      );
    }
    if (layers.length === 0) {
      throw new LayerArgumentError(`PairwiseFusion: give at least one layer: ${CALL_FORM}.`);
    }
    layers.forEach((l, i) => {
      if (!isLayerLike(l)) {
        throw new LayerArgumentError(
          `PairwiseFusion: layer ${i + 1} is ${describeArg(l)}; every layer must be a layer or a function (${CALL_FORM}).`,
        );
      }
    });
    this.connection = connection;
    this.layers = [...layers];
  }

  /**
   * Flux's fusion: `y₁ = layer₁(x₁)`, then `yᵢ = layerᵢ(connection(yᵢ₋₁, xᵢ))`; returns `[y₁, ..., yₙ]`.
   * One input is given to every step; otherwise there must be one input per layer.
   */
  forward(...xs: Tensor[]): Tensor[] {
    const n = this.layers.length;
    if (xs.length !== 1 && xs.length !== n) {
      throw new LayerInputError(
        `PairwiseFusion with ${n} layers got ${xs.length} inputs; give 1 (used at every step) or ${n}.`,
      );
    }
    const input = (i: number): Tensor => (xs.length === 1 ? xs[0]! : xs[i]!);
    const ys: Tensor[] = [];
    let z = input(0);
    for (let i = 0; i < n; i++) {
      if (i > 0) z = this.connection(ys[i - 1]!, input(i));
      ys.push(apply(this.layers[i]!, z));
    }
    return ys;
  }

  showCompact(): string {
    return `PairwiseFusion(${showCompact(this.connection)}, ${this.layers.map(showCompact).join(", ")})`;
  }

  [SHOW_CHILDREN](): ShowChildren {
    const items = this.layers.map((l) => [null, l] as const);
    return { pre: "PairwiseFusion(", post: ")", items: [[null, this.connection], ...items] };
  }
}

/**
 * Flux's `PairwiseFusion(connection, layers...)`: a chain whose every step also sees an input of its own.
 * Layer 1 gets `x₁`; layer i gets `connection(yᵢ₋₁, xᵢ)`, the previous layer's output fused with input i;
 * the result is every layer's output, `[y₁, ..., yₙ]` (Flux returns a tuple). With one input, every step
 * uses it.
 *
 * @example
 * const m = PairwiseFusion(add, Dense(2, 3), Dense(3, 4));
 * const [y1, y2] = m.forward(x1, x2); // y1 = Dense(2, 3)(x1), y2 = Dense(3, 4)(y1 + x2)
 */
export const PairwiseFusion = layerConstructor(PairwiseFusionLayer, ["connection", "layers"]);
/** A PairwiseFusion layer (see `PairwiseFusion`). */
export type PairwiseFusion = PairwiseFusionLayer;
