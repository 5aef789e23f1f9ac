import { isFloat, isTensor, matmul, reshape, selectdim, type Tensor } from "@flux/kernels";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { type Init, randn32 } from "../init.js";
import { layerConstructor } from "../layer.js";
import { AbstractLayer } from "./base.js";

class EmbeddingLayer extends AbstractLayer {
  /** `[out, in]`: column i is the embedding of token i. */
  weight: Tensor;

  constructor(inn: number, out: number, opts: { init?: Init } = {}) {
    super();
    if (![inn, out].every((d) => Number.isInteger(d) && d >= 1)) {
      throw new LayerArgumentError(
        `Embedding(in, out): in and out must be positive integers, got ${inn} and ${out}.`,
      );
    }
    this.weight = (opts.init ?? randn32)([out, inn]);
  }

  /**
   * Looks up embeddings. `x` is 0-BASED token indices (a number, an array, an `Int32Array`, or an
   * integer CPU tensor of any shape → output `[out, size(x)...]`), or a float one-hot tensor `[in, ...]`
   * (→ `weight * x`, works on any device).
   */
  forward(x: number | readonly number[] | Int32Array | Tensor): Tensor {
    const [out, inn] = this.weight.shape as [number, number];
    if (isTensor(x) && isFloat(x.dtype)) {
      if (x.shape[0] !== inn)
        throw new LayerInputError(
          `${this.showCompact()} got a one-hot input with ${x.shape[0]} rows; expected ${inn}.`,
        );
      const x2 = x.rank === 2 ? x : reshape(x, [inn, -1]);
      const y = matmul(this.weight, x2);
      return x.rank === 2 ? y : reshape(y, [out, ...x.shape.slice(1)]);
    }
    let idx: number[];
    let shape: number[];
    if (typeof x === "number") {
      idx = [x];
      shape = [];
    } else if (isTensor(x)) {
      idx = Array.from(x.dataSync() as ArrayLike<number>);
      shape = [...x.shape];
    } else {
      idx = Array.from(x);
      shape = [idx.length];
    }
    for (const i of idx) {
      if (!Number.isInteger(i) || i < 0 || i >= inn) {
        throw new LayerInputError(
          `${this.showCompact()} got index ${i}; indices are 0-based integers in 0..${inn - 1}.`,
        );
      }
    }
    const cols = selectdim(this.weight, 2, idx);
    return shape.length === 1 ? cols : reshape(cols, [out, ...shape]);
  }

  showCompact(): string {
    return `Embedding(${this.weight.shape[1]} => ${this.weight.shape[0]})`;
  }
}

/**
 * Flux's `Embedding(in => out; init)`: a trainable lookup table `[out, in]` (randn init).
 *
 * Indices are 0-based (JavaScript), where Flux's are 1-based. Integer index tensors are read on the host
 * (CPU tensors); on a GPU pass a float one-hot batch instead, which becomes a matmul.
 *
 * @example
 * const e = Embedding(10, 3);
 * e.forward([0, 4, 9]).shape; // [3, 3]
 */
export const Embedding = layerConstructor(EmbeddingLayer, ["weight"]);
/** An Embedding layer (see `Embedding`). */
export type Embedding = EmbeddingLayer;
