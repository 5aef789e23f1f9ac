import { isFloat, isTensor, matmul, mul, reshape, selectdim, sub, type Tensor, tensor } from "@flux/kernels";
import { checkArgCount, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { type Init, randn32 } from "../init.js";
import { layerConstructor } from "../layer.js";
import { AbstractLayer } from "./base.js";
import { checkNotPromise } from "@flux/functors";

/** The options of `Embedding`: the weight initialiser and Flux's `padding_idx`. */
type EmbeddingOptions = { init?: Init; paddingIdx?: number | null };
const EMBEDDING_OPTIONS = optionNames<EmbeddingOptions>({ init: true, paddingIdx: true });

class EmbeddingLayer extends AbstractLayer {
  /** `[out, in]`: column i is the embedding of token i. */
  weight: Tensor;
  /** Flux's `padding_idx` (0-based here): a token whose embedding is zero and gets no gradient, or null. */
  paddingIdx: number | null;

  constructor(inn: number, out: number, opts: EmbeddingOptions = {}) {
    super();
    checkArgCount("Embedding", arguments, 3, "Embedding(in, out, opts?)");
    opts = optionsArg("Embedding", opts, EMBEDDING_OPTIONS);
    if (![inn, out].every((d) => Number.isInteger(d) && d >= 1)) {
      throw new LayerArgumentError(
        `Embedding(in, out): in and out must be positive integers, got ${inn} and ${out}.`,
      );
    }
    const pad = opts.paddingIdx ?? null;
    if (pad !== null && !(Number.isInteger(pad) && pad >= 0 && pad < inn))
      throw new LayerArgumentError(`Embedding: paddingIdx=${pad} must be a 0-based index in 0..${inn - 1}.`);
    this.paddingIdx = pad;
    let w = (opts.init ?? randn32)([out, inn]);
    if (pad !== null) {
      // Flux zeroes the padding column at construction.
      const keep = tensor(
        Array.from({ length: inn }, (_, i) => (i === pad ? 0 : 1)),
        [1, inn],
        { dtype: w.dtype, device: w.device },
      );
      const zeroed = mul(w, keep);
      w.dispose();
      keep.dispose();
      w = zeroed;
    }
    this.weight = w;
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
      let y = matmul(this.weight, x2);
      if (this.paddingIdx !== null) {
        // Columns whose one-hot picks the padding token are zeroed (Flux's _mask_padding for Bool input).
        const picked = reshape(selectdim(x2, 1, this.paddingIdx), [1, x2.shape[1]!]);
        y = mul(y, sub(1, picked));
      }
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
    } else if (Array.isArray(x) || ArrayBuffer.isView(x)) {
      idx = Array.from(x);
      shape = [idx.length];
    } else {
      checkNotPromise(x, this.showCompact(), "input");
      throw new LayerInputError(
        `${this.showCompact()} expects 0-based token indices (a number, an array, an Int32Array or an integer ` +
          `tensor) or a float one-hot tensor, got ${x === null || x === undefined ? String(x) : typeof x}.`,
      );
    }
    for (const i of idx) {
      if (!Number.isInteger(i) || i < 0 || i >= inn) {
        throw new LayerInputError(
          `${this.showCompact()} got index ${i}; indices are 0-based integers in 0..${inn - 1}.`,
        );
      }
    }
    let cols = selectdim(this.weight, 2, idx);
    if (this.paddingIdx !== null && idx.includes(this.paddingIdx)) {
      // Flux's _mask_padding: the padding token's outputs times 0, which also zeroes its column's gradient.
      const pad = this.paddingIdx;
      const mask = tensor(
        idx.map((i) => (i === pad ? 0 : 1)),
        [1, idx.length],
        { dtype: cols.dtype, device: cols.device },
      );
      cols = mul(cols, mask);
    }
    return shape.length === 1 ? cols : reshape(cols, [out, ...shape]);
  }

  showCompact(): string {
    const pad = this.paddingIdx === null ? "" : `, padding_idx=${this.paddingIdx}`;
    return `Embedding(${this.weight.shape[1]} => ${this.weight.shape[0]}${pad})`;
  }
}

/**
 * Flux's `Embedding(in => out; init, padding_idx)`: a trainable lookup table `[out, in]` (randn init).
 * With `paddingIdx` (0-based) that token's column starts at zero, its outputs are zero and it gets no
 * gradient, as Flux's `padding_idx`.
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
