// The two character-level language models of the text job, built from @flux/layers like any user model:
// a small decoder-only transformer (token + learned position embeddings, pre-norm blocks of causal
// multi-head attention and a GELU MLP, each in a residual `SkipConnection`) and an LSTM. Both map a
// `[time, batch]` grid of token ids (flattened time-fastest) to logits `[vocab, time * batch]`.
import { add, gelu, reshape } from "@flux/kernels";
import {
  AbstractLayer,
  Chain,
  Dense,
  Embedding,
  LSTM,
  LayerNorm,
  MultiHeadAttention,
  SkipConnection,
  layerConstructor,
} from "@flux/layers";
/** @import { Tensor } from "@flux/kernels" */

const residual = (/** @type {Tensor} */ fx, /** @type {Tensor} */ x) => add(fx, x);

/** 0, 1, ..., n - 1 as token ids (the position "tokens"). */
const positions = (/** @type {number} */ n) => Int32Array.from({ length: n }, (_, i) => i);

// Causal self-attention as a layer of its own: MultiHeadAttention returns (output, weights) and takes the
// mask per call, so this wrapper keeps the Chain a chain of single-output layers.
class CausalSelfAttentionLayer extends AbstractLayer {
  /** @param {number} width @param {number} nheads */
  constructor(width, nheads) {
    super();
    this.mha = MultiHeadAttention(width, { nheads, bias: true });
  }

  /** @param {Tensor} x `[width, time, batch]` */
  forward(x) {
    return this.mha.forward(x, { mask: "causal" })[0];
  }

  showCompact() {
    return `CausalSelfAttention(${this.mha.showCompact()})`;
  }
}
const CausalSelfAttention = layerConstructor(CausalSelfAttentionLayer, ["mha"]);

/**
 * One pre-norm transformer block: x + attention(norm(x)), then x + mlp(norm(x)).
 *
 * @param {number} width
 * @param {number} nheads
 */
function transformerBlock(width, nheads) {
  return Chain(
    SkipConnection(Chain(LayerNorm(width), CausalSelfAttention(width, nheads)), residual),
    SkipConnection(Chain(LayerNorm(width), Dense(width, 4 * width, gelu), Dense(4 * width, width)), residual),
  );
}

class CharTransformerLayer extends AbstractLayer {
  /** @param {{ vocab: number, context: number, width: number, depth: number, nheads: number }} c */
  constructor({ vocab, context, width, depth, nheads }) {
    super();
    this.context = context;
    this.nheads = nheads;
    this.token = Embedding(vocab, width);
    this.position = Embedding(context, width);
    this.blocks = Chain(...Array.from({ length: depth }, () => transformerBlock(width, nheads)));
    this.norm = LayerNorm(width);
    this.head = Dense(width, vocab);
  }

  /**
   * @param {Int32Array} ids `time * batch` token ids, time fastest
   * @param {number} time
   */
  forward(ids, time) {
    const batch = ids.length / time;
    const width = this.token.weight.shape[0];
    const tokens = reshape(this.token.forward(ids), [width, time, batch]);
    const x = add(tokens, this.position.forward(positions(time)));
    const h = this.norm.forward(this.blocks.forward(x));
    return reshape(this.head.forward(h), [-1, time * batch]);
  }

  showCompact() {
    const [width, vocab] = this.token.weight.shape;
    return `CharTransformer(${vocab} => ${width}; depth=${this.blocks.layers.length}, nheads=${this.nheads}, context=${this.context})`;
  }
}
/** The transformer language model (see the file comment). */
export const CharTransformer = layerConstructor(CharTransformerLayer, [
  "token",
  "position",
  "blocks",
  "norm",
  "head",
]);

class CharLSTMLayer extends AbstractLayer {
  /** @param {{ vocab: number, width: number, hidden: number }} c */
  constructor({ vocab, width, hidden }) {
    super();
    this.token = Embedding(vocab, width);
    this.lstm = LSTM(width, hidden);
    this.head = Dense(hidden, vocab);
  }

  /**
   * @param {Int32Array} ids `time * batch` token ids, time fastest
   * @param {number} time
   * @param {unknown} [state] the LSTM's initial `[h, c]` (zeros when absent)
   * @returns {[Tensor, unknown]}
   */
  forwardWithState(ids, time, state) {
    const batch = ids.length / time;
    const width = this.token.weight.shape[0];
    const x = reshape(this.token.forward(ids), [width, time, batch]);
    const [h, next] = this.lstm.forwardWithState(x, /** @type {never} */ (state));
    return [reshape(this.head.forward(h), [-1, time * batch]), next];
  }

  /** @param {Int32Array} ids @param {number} time @returns {Tensor} */
  forward(ids, time) {
    return this.forwardWithState(ids, time)[0];
  }

  showCompact() {
    const [width, vocab] = this.token.weight.shape;
    return `CharLSTM(${vocab} => ${width} => ${this.lstm.cell.Wh.shape[1]} => ${vocab})`;
  }
}
/** The LSTM language model (see the file comment). */
export const CharLSTM = layerConstructor(CharLSTMLayer, ["token", "lstm", "head"]);

/** The configurations the CLI offers: small enough to train in minutes on two CPU cores. */
export const CONFIGS = {
  transformer: { context: 64, width: 128, depth: 4, nheads: 4 },
  lstm: { context: 64, width: 64, hidden: 256 },
};

/**
 * Builds the model `kind` for an alphabet of `vocab` characters.
 *
 * @param {"transformer" | "lstm"} kind
 * @param {number} vocab
 */
export function buildTextModel(kind, vocab) {
  if (kind === "transformer") return CharTransformer({ vocab, ...CONFIGS.transformer });
  if (kind === "lstm") return CharLSTM({ vocab, ...CONFIGS.lstm });
  throw new Error(`[demo] unknown text model ${JSON.stringify(kind)}; use transformer or lstm.`);
}
