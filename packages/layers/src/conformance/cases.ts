// The ONE list of layer and loss cases of the conformance suite (./suite.ts): every check of every layer is
// driven from an entry here. Each case names the deterministic tensors it needs (./det.ts: parameters and
// inputs alike) and builds its output from them, using no other tensor data, so that the same case runs on
// any device and dtype. A LAYER case also says how to build the layer (`layer`) and how it prints (`show`,
// Flux's text); the suite then checks, besides values and gradients, that `fmap` rebuilds it, that `state`/
// `loadmodel` and `saveBytes`/`loadBytes` carry it to a twin built from other tensors, that it moves to the
// other device and back, and that it prints as `show` says. ./coverage.test.ts fails when an exported layer
// class has no layer case. Reference values are in ./fixtures.ts, written by ./make_fixtures.py (PyTorch
// where torch has the layer, numpy formulas otherwise); a case may instead carry `expected` values.
import { add, gelu, relu as reluFn, reshape, rng, sum, type Tensor, tanh, vcat } from "@flux/kernels";
import { AdaptiveMaxPool, AdaptiveMeanPool, GlobalMaxPool, GlobalMeanPool } from "../layers/adaptivePool.js";
import { AlphaDropout } from "../layers/alphaDropout.js";
import { BatchNorm } from "../layers/batchNorm.js";
import { Conv, ConvTranspose, CrossCor, DepthwiseConv } from "../layers/conv.js";
import { Dropout } from "../layers/dropout.js";
import { MaxPool } from "../layers/maxPool.js";
import { MeanPool } from "../layers/meanPool.js";
import { Parallel } from "../layers/parallel.js";
import { PixelShuffle, Upsample } from "../layers/upsample.js";
import { Bilinear } from "../layers/bilinear.js";
import { GroupNorm } from "../layers/groupNorm.js";
import { InstanceNorm } from "../layers/instanceNorm.js";
import { Maxout } from "../layers/maxout.js";
import { PairwiseFusion } from "../layers/pairwiseFusion.js";
import { Scale } from "../layers/scale.js";
import { SkipConnection } from "../layers/skipConnection.js";
import { binaryFocalLoss } from "../losses/binaryFocalLoss.js";
import { diceCoeffLoss } from "../losses/diceCoeffLoss.js";
import { focalLoss } from "../losses/focalLoss.js";
import { hingeLoss } from "../losses/hingeLoss.js";
import { huberLoss } from "../losses/huberLoss.js";
import { kldivergence } from "../losses/kldivergence.js";
import { msle } from "../losses/msle.js";
import { poissonLoss } from "../losses/poissonLoss.js";
import { siameseContrastiveLoss } from "../losses/siameseContrastiveLoss.js";
import { squaredHingeLoss } from "../losses/squaredHingeLoss.js";
import { tverskyLoss } from "../losses/tverskyLoss.js";
import { type MHADims, MultiHeadAttention } from "../layers/attention.js";
import { Chain } from "../layers/chain.js";
import { Dense } from "../layers/dense.js";
import { dotProductAttention } from "@flux/kernels";
import { Embedding } from "../layers/embedding.js";
import { LayerNorm } from "../layers/layerNorm.js";
import type { Init } from "../init.js";
import { GRU, GRUv3, LSTM, Recurrence, RNN } from "../layers/recurrent.js";
import {
  GRUCell,
  GRUv3Cell,
  LSTMCell,
  type RecurrentCellOptions,
  RNNCell,
} from "../layers/recurrentCells.js";
import type { DetSpec } from "./det.js";

/** The named tensors of a case, on the device under test. */
export type Named = Readonly<Record<string, Tensor>>;

/** One conformance case: a layer (with `layer` and `show`) or a function such as a loss. */
export interface LayerCase {
  readonly name: string;
  /** The named tensors the case is built from (created on the device under test). */
  readonly tensors: Readonly<Record<string, DetSpec>>;
  /** A layer case: the layer, built from the named tensors only (every tensor it holds is one of them). */
  readonly layer?: (t: Named) => object;
  /** The output, from the named tensors and, for a layer case, the layer (which it must use). */
  run(t: Named, layer: unknown): Tensor;
  /** A layer case: `show(layer)` in f32 (Flux's text, comments and byte counts included). */
  readonly show?: string;
  /** Tensors not differentiated (labels, masks). */
  readonly noGrad?: readonly string[];
  /** `false`: no gradient check (a non-differentiable output). */
  readonly grad?: boolean;
  /**
   * Reference values worked out here (else ./fixtures.ts under the case's name): fixed numbers, or computed
   * from the host values of the case's tensors.
   */
  readonly expected?: Reference | ((hosts: Readonly<Record<string, Float64Array>>) => Reference);
}

/** Reference values, column-major. */
export interface Reference {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

type CaseFields = Omit<LayerCase, "layer" | "run" | "show">;

/** A layer case, typed: `run` receives what `layer` built. */
function layerCase<L extends object>(
  c: CaseFields & { layer: (t: Named) => L; run: (t: Named, m: L) => Tensor; show: string },
): LayerCase {
  return c as LayerCase;
}

// An initialiser that hands out given tensors by shape (a layer's constructor calls it once per weight).
function given(...ts: (Tensor | undefined)[]): Init {
  return (shape) => {
    const t = ts.find((x) => x !== undefined && x.shape.join() === shape.join());
    if (t === undefined) throw new Error(`conformance case: no given tensor of shape [${shape.join(", ")}]`);
    return t;
  };
}

// An initialiser that hands out given tensors in call order (for equal shapes).
function inOrder(...ts: Tensor[]): Init {
  let i = 0;
  return () => ts[i++]!;
}

// ---- recurrent ----------------------------------------------------------------------------------------

const I = 3; // input features
const H = 4; // hidden size
const L = 5; // sequence length
const B = 2; // batch

/**
 * The tensors of a recurrent case, seeds counted up from `seed` in this order: the input `x` (`[I, L, B]`
 * unless `x` says otherwise), the states, `Wi` `[gates H, I]`, `Wh` `[gates H, H]`, then the bias `b`
 * unless `bias: false`, and `Whh` `[H, H]` with `whh` (GRUv3's candidate kernel).
 */
function recurrentTensors(
  seed: number,
  gates: number,
  o: { x?: number[]; states?: string[]; bias?: false; whh?: true; whScale?: number } = {},
): Record<string, DetSpec> {
  let s = seed;
  const out: Record<string, DetSpec> = { x: { shape: o.x ?? [I, L, B], seed: s++ } };
  for (const k of o.states ?? []) out[k] = { shape: [H, B], seed: s++ };
  out.Wi = { shape: [gates * H, I], seed: s++, scale: 1.5 };
  out.Wh = { shape: [gates * H, H], seed: s++, scale: o.whScale ?? 1.5 };
  if (o.bias !== false) out.b = { shape: [gates * H], seed: s++ };
  if (o.whh) out.Whh = { shape: [H, H], seed: s++, scale: 1.5 };
  return out;
}

/** The cell options that hand a case's `Wi`, `Wh` (and `Whh`) and `b` to the cell. */
function cellWeights(t: Named): RecurrentCellOptions {
  return {
    initKernel: given(t.Wi),
    initRecurrentKernel: given(t.Wh, t.Whh),
    bias: t.b ?? false,
  };
}

const recurrent: LayerCase[] = [
  layerCase({
    name: "RNNCell one step (torch nn.RNNCell)",
    tensors: recurrentTensors(1, 1, { x: [I, B], states: ["h"] }),
    layer: (t) => RNNCell(I, H, undefined, cellWeights(t)),
    run: (t, m) => m.forward(t.x!, t.h!)[0],
    show: "RNNCell(3 => 4, tanh)  # 32 parameters",
  }),
  layerCase({
    name: "RNN over a sequence, initial state given (torch nn.RNN)",
    tensors: recurrentTensors(6, 1, { states: ["h"] }),
    layer: (t) => RNN(I, H, undefined, cellWeights(t)),
    run: (t, m) => m.forward(t.x!, t.h!),
    show: "RNN(3 => 4, tanh)   # 32 parameters",
  }),
  layerCase({
    name: "LSTMCell one step (torch nn.LSTMCell)",
    tensors: recurrentTensors(11, 4, { x: [I, B], states: ["h", "c"] }),
    layer: (t) => LSTMCell(I, H, cellWeights(t)),
    // The cell state (the output h' is checked by the sequence cases).
    run: (t, m) => m.forward(t.x!, [t.h!, t.c!])[1][1],
    show: "LSTMCell(3 => 4)    # 128 parameters",
  }),
  layerCase({
    name: "LSTM over a sequence, initial state given (torch nn.LSTM)",
    tensors: recurrentTensors(17, 4, { states: ["h", "c"] }),
    layer: (t) => LSTM(I, H, cellWeights(t)),
    run: (t, m) => m.forward(t.x!, [t.h!, t.c!]),
    show: "LSTM(3 => 4)        # 128 parameters",
  }),
  layerCase({
    name: "LSTM last cell state with returnState (torch nn.LSTM c_n)",
    tensors: recurrentTensors(17, 4, { states: ["h", "c"] }),
    layer: (t) => LSTM(I, H, { ...cellWeights(t), returnState: true }),
    run: (t, m) => (m.forward(t.x!, [t.h!, t.c!]) as unknown as [Tensor, [Tensor, Tensor]])[1][1],
    show: "LSTM(3 => 4)        # 128 parameters",
  }),
  layerCase({
    name: "LSTM unbatched [in, len] from the zero state (torch nn.LSTM)",
    tensors: recurrentTensors(23, 4, { x: [I, L] }),
    layer: (t) => LSTM(I, H, cellWeights(t)),
    run: (t, m) => m.forward(t.x!),
    show: "LSTM(3 => 4)        # 128 parameters",
  }),
  layerCase({
    name: "GRUCell one step (torch nn.GRUCell, bias_hh = 0)",
    tensors: recurrentTensors(27, 3, { x: [I, B], states: ["h"] }),
    layer: (t) => GRUCell(I, H, cellWeights(t)),
    run: (t, m) => m.forward(t.x!, t.h!)[0],
    show: "GRUCell(3 => 4)     # 96 parameters",
  }),
  layerCase({
    name: "GRU over a sequence, initial state given (torch nn.GRU, bias_hh = 0)",
    tensors: recurrentTensors(32, 3, { states: ["h"] }),
    layer: (t) => GRU(I, H, cellWeights(t)),
    run: (t, m) => m.forward(t.x!, t.h!),
    show: "GRU(3 => 4)         # 96 parameters",
  }),
  layerCase({
    name: "GRUv3Cell one step (numpy, Flux's formula)",
    tensors: recurrentTensors(204, 3, { x: [I, B], states: ["h"], whh: true }),
    layer: (t) => GRUv3Cell(I, H, cellWeights(t)),
    run: (t, m) => m.forward(t.x!, t.h!)[0],
    show: "GRUv3Cell(3 => 4)   # 112 parameters",
  }),
  layerCase({
    name: "GRUv3 over a sequence, initial state given (numpy, Flux's formula)",
    tensors: recurrentTensors(37, 3, { states: ["h"], whh: true }),
    layer: (t) => GRUv3(I, H, cellWeights(t)),
    run: (t, m) => m.forward(t.x!, t.h!),
    show: "GRUv3(3 => 4)       # 112 parameters",
  }),
  layerCase({
    name: "RNN relu without bias, unbatched, zero state (torch nn.RNN relu)",
    tensors: recurrentTensors(43, 1, { x: [I, L], bias: false, whScale: 1.2 }),
    layer: (t) => RNN(I, H, reluFn, cellWeights(t)),
    run: (t, m) => m.forward(t.x!),
    show: "RNN(3 => 4, relu)   # 28 parameters",
  }),
  layerCase({
    name: "Recurrence(RNNCell) over a sequence, initial state given (torch nn.RNN)",
    tensors: recurrentTensors(210, 1, { states: ["h"] }),
    layer: (t) => Recurrence(RNNCell(I, H, undefined, cellWeights(t))),
    run: (t, m) => m.forward(t.x!, t.h!) as Tensor,
    show: [
      "Recurrence(",
      "  RNNCell(3 => 4, tanh),                # 32 parameters",
      ")                   # Total: 3 arrays, 32 parameters, 128 bytes.",
    ].join("\n"),
  }),
];

// ---- attention -----------------------------------------------------------------------------------------

const D = 8; // model width
const NH = 2; // heads

function mha(t: Named, dims: MHADims = D, withBias = true) {
  const m = MultiHeadAttention(dims, {
    nheads: NH,
    bias: withBias,
    init: inOrder(t.Wq!, t.Wk!, t.Wv!, t.Wo!),
  });
  if (withBias) {
    m.q_proj.bias = t.bq!;
    m.k_proj.bias = t.bk!;
    m.v_proj.bias = t.bv!;
    m.out_proj.bias = t.bo!;
  }
  return m;
}

const projections = (seed: number, dq = D, dk = D, dv = D, qk = D, v = D, out = D) => ({
  Wq: { shape: [qk, dq], seed, scale: 1.2 },
  Wk: { shape: [qk, dk], seed: seed + 1, scale: 1.2 },
  Wv: { shape: [v, dv], seed: seed + 2, scale: 1.2 },
  Wo: { shape: [out, v], seed: seed + 3, scale: 1.2 },
});
const projBiases = (seed: number, qk = D, v = D, out = D) => ({
  bq: { shape: [qk], seed },
  bk: { shape: [qk], seed: seed + 1 },
  bv: { shape: [v], seed: seed + 2 },
  bo: { shape: [out], seed: seed + 3 },
});
const qkv = { q: 50, k: 51, v: 52 };
const qkvTensors = Object.fromEntries(
  Object.entries(qkv).map(([k, seed]) => [k, { shape: [D, L, B], seed, scale: 2 }]),
);

const attention: LayerCase[] = [
  {
    name: "dotProductAttention, 2 heads, causal mask: output (torch scaled_dot_product_attention)",
    tensors: qkvTensors,
    run: (t) => dotProductAttention(t.q!, t.k!, t.v!, { nheads: NH, mask: "causal" })[0],
  },
  {
    name: "dotProductAttention, 2 heads, causal mask: weights α (torch softmax(q kᵀ/√d))",
    tensors: qkvTensors,
    noGrad: ["v"],
    run: (t) => dotProductAttention(t.q!, t.k!, t.v!, { nheads: NH, mask: "causal" })[1],
  },
  layerCase({
    name: "MultiHeadAttention self-attention with biases, causal (torch Linear + scaled_dot_product_attention)",
    tensors: { x: { shape: [D, L, B], seed: 53, scale: 2 }, ...projections(54), ...projBiases(58) },
    layer: (t) => mha(t),
    run: (t, m) => m.forward(t.x!, { mask: "causal" })[0],
    show: "MultiHeadAttention(8; nheads=2, bias=true)  # 288 parameters",
  }),
  layerCase({
    name: "MultiHeadAttention cross-attention (3, 4, 5) => (6, 4) => 8 with an additive bias (torch)",
    tensors: {
      q: { shape: [3, 4, B], seed: 62 },
      k: { shape: [4, L, B], seed: 63 },
      v: { shape: [5, L, B], seed: 64 },
      bias: { shape: [L, 4], seed: 65 },
      ...projections(66, 3, 4, 5, 6, 4, 8),
    },
    layer: (t) => mha(t, [[3, 4, 5], [6, 4], 8], false),
    run: (t, m) => m.forward(t.q!, t.k!, t.v!, { bias: t.bias! })[0],
    show: "MultiHeadAttention((3, 4, 5) => (6, 4) => 8; nheads=2)  # 94 parameters",
  }),
  {
    name: "pre-norm decoder block: embeddings + positions, LayerNorm, causal MHA, gelu MLP, residuals (torch)",
    tensors: {
      tok: { shape: [D, 11], seed: 70 },
      pos: { shape: [D, L], seed: 71 },
      ln1s: { shape: [D], seed: 72, kind: "positive" },
      ln1b: { shape: [D], seed: 73 },
      ln2s: { shape: [D], seed: 74, kind: "positive" },
      ln2b: { shape: [D], seed: 75 },
      ...projections(76),
      W1: { shape: [2 * D, D], seed: 80 },
      b1: { shape: [2 * D], seed: 81 },
      W2: { shape: [D, 2 * D], seed: 82 },
      b2: { shape: [D], seed: 83 },
    },
    run: (t) => decoderBlock(t).forward(TOKENS),
  },
];

/** Token ids of the decoder-block case: [L, B], 0-based. */
const TOKENS = Int32Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]);

/** A LayerNorm whose affine part is the given scale and bias. */
function layerNorm(size: number, scale: Tensor, bias: Tensor) {
  const ln = LayerNorm(size);
  ln.diag!.scale = scale;
  ln.diag!.bias = bias;
  return ln;
}

// A minimal decoder-only transformer block built from the library's pieces, as a user would write one.
function decoderBlock(t: Named) {
  const tok = Embedding(11, D, { init: () => t.tok! });
  const pos = Embedding(L, D, { init: () => t.pos! });
  const ln1 = layerNorm(D, t.ln1s!, t.ln1b!);
  const ln2 = layerNorm(D, t.ln2s!, t.ln2b!);
  const att = mha(t, D, false);
  const mlp = Chain(Dense(t.W1!, gelu, { bias: t.b1! }), Dense(t.W2!, undefined, { bias: t.b2! }));
  return {
    forward(ids: Int32Array): Tensor {
      const e = add(
        reshape(tok.forward(ids), [D, L, B]),
        pos.forward(Array.from({ length: L }, (_, i) => i)),
      );
      const h = add(e, att.forward(ln1.forward(e), { mask: "causal" })[0]);
      return add(h, mlp.forward(ln2.forward(h)));
    },
  };
}

// ---- losses --------------------------------------------------------------------------------------------

const P = { shape: [3, 4], seed: 90, kind: "unit" } as const; // probabilities
const Yb = { shape: [3, 4], seed: 91, kind: "binary" } as const; // 0/1 labels
const positive = (seed: number) => ({ shape: [3, 4], seed, kind: "positive" }) as const;
const sumAgg = { agg: (x: Tensor) => sum(x) };
// Flux's default eps is eps(eltype(ŷ)); the cases fix Float32's so that f64 and f32 runs share references.
const EPS32 = 1.1920928955078125e-7;
const huber = { ŷ: { shape: [3, 4], seed: 93, scale: 4 }, y: { shape: [3, 4], seed: 94 } };
const hinge = {
  ŷ: { shape: [3, 4], seed: 97, scale: 3 },
  y: { shape: [3, 4], seed: 98, kind: "sign" },
} as const;
const probabilities = { ŷ: P, y: Yb };

const losses: LayerCase[] = [
  {
    name: "msle (numpy, Flux's formula)",
    tensors: { ŷ: positive(90), y: positive(92) },
    run: (t) => msle(t.ŷ!, t.y!, { eps: EPS32 }),
  },
  {
    name: "huberLoss delta 1, mean (torch huber_loss)",
    tensors: huber,
    run: (t) => huberLoss(t.ŷ!, t.y!),
  },
  {
    name: "huberLoss delta 0.5, agg sum (torch huber_loss)",
    tensors: huber,
    run: (t) => huberLoss(t.ŷ!, t.y!, { delta: 0.5, ...sumAgg }),
  },
  {
    name: "kldivergence (numpy, Flux's formula)",
    tensors: { ŷ: P, y: { shape: [3, 4], seed: 95, kind: "unit" } },
    run: (t) => kldivergence(t.ŷ!, t.y!, { eps: EPS32 }),
  },
  {
    name: "poissonLoss (numpy, Flux's formula)",
    tensors: { ŷ: positive(90), y: positive(96) },
    run: (t) => poissonLoss(t.ŷ!, t.y!),
  },
  {
    name: "hingeLoss (numpy, Flux's formula)",
    tensors: hinge,
    noGrad: ["y"],
    run: (t) => hingeLoss(t.ŷ!, t.y!),
  },
  {
    name: "squaredHingeLoss, agg sum (numpy, Flux's formula)",
    tensors: hinge,
    noGrad: ["y"],
    run: (t) => squaredHingeLoss(t.ŷ!, t.y!, sumAgg),
  },
  {
    name: "diceCoeffLoss (numpy, Flux's formula)",
    tensors: probabilities,
    noGrad: ["y"],
    run: (t) => diceCoeffLoss(t.ŷ!, t.y!),
  },
  {
    name: "tverskyLoss beta 0.7 (numpy, Flux's formula)",
    tensors: probabilities,
    noGrad: ["y"],
    run: (t) => tverskyLoss(t.ŷ!, t.y!),
  },
  {
    name: "binaryFocalLoss gamma 2 (numpy, Flux's formula)",
    tensors: probabilities,
    noGrad: ["y"],
    run: (t) => binaryFocalLoss(t.ŷ!, t.y!, { eps: EPS32 }),
  },
  {
    name: "focalLoss gamma 2, dims 1 (numpy, Flux's formula)",
    tensors: probabilities,
    noGrad: ["y"],
    run: (t) => focalLoss(t.ŷ!, t.y!, { eps: EPS32 }),
  },
  {
    name: "siameseContrastiveLoss margin 1 (numpy, Flux's formula)",
    tensors: { ŷ: positive(90), y: Yb },
    noGrad: ["y"],
    run: (t) => siameseContrastiveLoss(t.ŷ!, t.y!),
  },
];

// ---- basic layers, normalisation, dropout --------------------------------------------------------------

const img = (seed: number, c = 4) => ({ shape: [3, 3, c, 2], seed, scale: 2 }) as const;
/** Per-channel affine parameters `γ` (positive) and `β`, seeds `seed`, `seed + 1`. */
const affine = (seed: number, c = 4) =>
  ({
    γ: { shape: [c], seed, kind: "positive" },
    β: { shape: [c], seed: seed + 1 },
  }) as const;
/** Running statistics `μ` and `σ2` (positive), seeds `seed`, `seed + 1`. */
const running = (seed: number, c = 4) =>
  ({
    μ: { shape: [c], seed },
    σ2: { shape: [c], seed: seed + 1, kind: "positive" },
  }) as const;
const given1 = (t: Tensor | undefined) => () => t!;

/** BatchNorm(3) on a [2, 2, 3, 2] batch with the case's γ, β and running statistics. */
function batchNorm(t: Named, active: boolean, λ?: (x: Tensor) => Tensor) {
  const m = BatchNorm(3, λ, { initγ: given1(t.γ), initβ: given1(t.β), active });
  m.mean = t.μ!;
  m.var = t.σ2!;
  return m;
}
const batchNormTensors = (seed: number) => ({
  x: { shape: [2, 2, 3, 2], seed, scale: 2 },
  ...affine(seed + 1, 3),
  ...running(seed + 3, 3),
});

const basic: LayerCase[] = [
  layerCase({
    name: "Dense 3 => 4, relu (torch linear)",
    tensors: {
      x: { shape: [3, B], seed: 170, scale: 2 },
      W: { shape: [4, 3], seed: 171 },
      b: { shape: [4], seed: 172 },
    },
    layer: (t) => Dense(t.W!, reluFn, { bias: t.b! }),
    run: (t, m) => m.forward(t.x!),
    show: "Dense(3 => 4, relu)  # 16 parameters",
  }),
  layerCase({
    name: "Scale(4, tanh) (numpy, Flux's formula)",
    tensors: {
      x: { shape: [4, 3], seed: 173, scale: 2 },
      s: { shape: [4], seed: 174 },
      b: { shape: [4], seed: 175 },
    },
    layer: (t) => {
      const m = Scale(4, tanh, { init: given1(t.s) });
      m.bias = t.b!;
      return m;
    },
    run: (t, m) => m.forward(t.x!),
    show: "Scale(4, tanh)      # 8 parameters",
  }),
  layerCase({
    name: "LayerNorm(4) with affine parameters (torch layer_norm)",
    tensors: {
      x: { shape: [4, 3, 2], seed: 176, scale: 2 },
      s: { shape: [4], seed: 177, kind: "positive" },
      b: { shape: [4], seed: 178 },
    },
    layer: (t) => layerNorm(4, t.s!, t.b!),
    run: (t, m) => m.forward(t.x!),
    show: "LayerNorm(4)        # 8 parameters",
  }),
  layerCase({
    name: "BatchNorm(3) in training, batch statistics (torch batch_norm)",
    tensors: batchNormTensors(179),
    noGrad: ["μ", "σ2"],
    layer: (t) => batchNorm(t, true),
    run: (t, m) => m.forward(t.x!),
    show: "BatchNorm(3, active=true)  # 6 parameters, plus 6 non-trainable",
  }),
  layerCase({
    name: "BatchNorm(3, relu) in test mode with running statistics (torch batch_norm)",
    tensors: batchNormTensors(184),
    noGrad: ["μ", "σ2"],
    layer: (t) => batchNorm(t, false, reluFn),
    run: (t, m) => m.forward(t.x!),
    show: "BatchNorm(3, relu, active=false)  # 6 parameters, plus 6 non-trainable",
  }),
  layerCase({
    name: "Embedding 10 => 4 of token ids (torch embedding)",
    tensors: { W: { shape: [4, 10], seed: 189 } },
    layer: (t) => Embedding(10, 4, { init: given1(t.W) }),
    run: (_t, m) => m.forward(EMBEDDING_IDS),
    show: "Embedding(10 => 4)  # 40 parameters",
  }),
  layerCase({
    name: "Dropout(0.4, dims=2) in training with a seeded generator (Flux's formula, same draws)",
    tensors: { x: { shape: [3, 4], seed: 190, scale: 2 } },
    layer: () => Dropout(0.4, { dims: 2, active: true, rng: rng(5) }),
    run: (t, m) => m.forward(t.x!),
    show: "Dropout(0.4, dims=2, active=true)",
    // One draw per column (dims=2): kept columns scaled by 1/(1-p), as kernels' dropout draws them.
    expected: (h) => {
      const r = rng(5);
      const keep = Array.from({ length: 4 }, () => (r.uniform() >= 0.4 ? 1 / 0.6 : 0));
      return { shape: [3, 4], values: Array.from(h.x!, (v, i) => v * keep[Math.floor(i / 3)]!) };
    },
  }),
  layerCase({
    name: "AlphaDropout(0.3) in training with a seeded generator (Flux's formula, same draws)",
    tensors: { x: { shape: [6, 4], seed: 120, scale: 3 } },
    layer: () => AlphaDropout(0.3, { active: true, rng: rng(7) }),
    run: (t, m) => m.forward(t.x!),
    show: "AlphaDropout(0.3)",
    expected: (h) => {
      const r = rng(7);
      const p = 0.3;
      const αp = -1.7580993408473766;
      const A = 1 / Math.sqrt((1 - p) * (1 + p * αp * αp));
      const Bc = -A * αp * p;
      return { shape: [6, 4], values: Array.from(h.x!, (v) => A * (r.uniform() > p ? v : αp) + Bc) };
    },
  }),
  layerCase({
    name: "Chain(Dense(3 => 4, relu), Dense(4 => 2)) (numpy)",
    tensors: {
      x: { shape: [3, B], seed: 191, scale: 2 },
      W1: { shape: [4, 3], seed: 192 },
      b1: { shape: [4], seed: 193 },
      W2: { shape: [2, 4], seed: 194 },
      b2: { shape: [2], seed: 195 },
    },
    layer: (t) => Chain(Dense(t.W1!, reluFn, { bias: t.b1! }), Dense(t.W2!, undefined, { bias: t.b2! })),
    run: (t, m) => m.forward(t.x!),
    show: [
      "Chain(",
      "  Dense(3 => 4, relu),                  # 16 parameters",
      "  Dense(4 => 2),                        # 10 parameters",
      ")                   # Total: 4 arrays, 26 parameters, 104 bytes.",
    ].join("\n"),
  }),
  layerCase({
    name: "Parallel(vcat, Dense(3 => 2), Dense(3 => 4, tanh)) (numpy)",
    tensors: {
      x: { shape: [3, B], seed: 196, scale: 2 },
      W1: { shape: [2, 3], seed: 197 },
      b1: { shape: [2], seed: 198 },
      W2: { shape: [4, 3], seed: 199 },
      b2: { shape: [4], seed: 200 },
    },
    layer: (t) =>
      Parallel(vcat, Dense(t.W1!, undefined, { bias: t.b1! }), Dense(t.W2!, tanh, { bias: t.b2! })),
    run: (t, m) => m.forward(t.x!),
    show: [
      "Parallel(",
      "  vcat,",
      "  Dense(3 => 2),                        # 8 parameters",
      "  Dense(3 => 4, tanh),                  # 16 parameters",
      ")                   # Total: 4 arrays, 24 parameters, 96 bytes.",
    ].join("\n"),
  }),
  layerCase({
    name: "SkipConnection(Dense(4 => 4, tanh), +) (numpy)",
    tensors: {
      x: { shape: [4, B], seed: 201, scale: 2 },
      W: { shape: [4, 4], seed: 202 },
      b: { shape: [4], seed: 203 },
    },
    layer: (t) => SkipConnection(Dense(t.W!, tanh, { bias: t.b! }), add),
    run: (t, m) => m.forward(t.x!),
    show: "SkipConnection(\n  Dense(4 => 4, tanh),                  # 20 parameters\n  add,\n) ",
  }),
  layerCase({
    name: "GroupNorm(4, 2) with affine parameters (torch group_norm)",
    tensors: { x: img(100), ...affine(101) },
    layer: (t) => GroupNorm(4, 2, undefined, { initγ: given1(t.γ), initβ: given1(t.β) }),
    run: (t, m) => m.forward(t.x!),
    show: "GroupNorm(4, 2)     # 8 parameters",
  }),
  layerCase({
    name: "InstanceNorm(4) affine, instance statistics (torch instance_norm)",
    tensors: { x: img(103), ...affine(104) },
    layer: (t) => InstanceNorm(4, undefined, { affine: true, initγ: given1(t.γ), initβ: given1(t.β) }),
    run: (t, m) => m.forward(t.x!),
    show: "InstanceNorm(4)     # 8 parameters",
  }),
  layerCase({
    name: "InstanceNorm(4) in test mode with running statistics (torch instance_norm)",
    tensors: { x: img(106), ...affine(107), ...running(109) },
    noGrad: ["μ", "σ2"],
    layer: (t) => {
      const m = InstanceNorm(4, undefined, {
        affine: true,
        trackStats: true,
        active: false,
        initγ: given1(t.γ),
        initβ: given1(t.β),
      });
      m.mean = t.μ!;
      m.var = t.σ2!;
      return m;
    },
    run: (t, m) => m.forward(t.x!),
    show: "InstanceNorm(4, active=false)  # 8 parameters, plus 8 non-trainable",
  }),
  layerCase({
    name: "Maxout of two Dense layers (numpy)",
    tensors: {
      x: { shape: [3, B], seed: 111, scale: 2 },
      W1: { shape: [4, 3], seed: 112 },
      b1: { shape: [4], seed: 113 },
      W2: { shape: [4, 3], seed: 114 },
      b2: { shape: [4], seed: 115 },
    },
    layer: (t) => Maxout(Dense(t.W1!, undefined, { bias: t.b1! }), Dense(t.W2!, undefined, { bias: t.b2! })),
    run: (t, m) => m.forward(t.x!),
    show: [
      "Maxout(",
      "  Dense(3 => 4),                        # 16 parameters",
      "  Dense(3 => 4),                        # 16 parameters",
      ")                   # Total: 4 arrays, 32 parameters, 128 bytes.",
    ].join("\n"),
  }),
  layerCase({
    name: "Bilinear((5, 4) => 3, tanh) with bias (torch bilinear)",
    tensors: {
      x: { shape: [5, B], seed: 116, scale: 2 },
      y: { shape: [4, B], seed: 117, scale: 2 },
      W: { shape: [3, 5, 4], seed: 118 },
      b: { shape: [3], seed: 119 },
    },
    layer: (t) => Bilinear(t.W!, tanh, { bias: t.b! }),
    run: (t, m) => m.forward(t.x!, t.y!),
    show: "Bilinear((5, 4) => 3, tanh)  # 63 parameters",
  }),
  layerCase({
    name: "PairwiseFusion(+, Dense(3 => 4, tanh), Dense(4 => 4)) with two inputs (Flux's fusion, worked out here)",
    tensors: {
      x1: { shape: [3, B], seed: 190, scale: 2 },
      x2: { shape: [4, B], seed: 191, scale: 2 },
      W1: { shape: [4, 3], seed: 192 },
      b1: { shape: [4], seed: 193 },
      W2: { shape: [4, 4], seed: 194 },
      b2: { shape: [4], seed: 195 },
    },
    layer: (t) =>
      PairwiseFusion(add, Dense(t.W1!, tanh, { bias: t.b1! }), Dense(t.W2!, undefined, { bias: t.b2! })),
    // The two outputs side by side, so that the suite's value and gradient checks see both.
    run: (t, m) => {
      const [y1, y2] = m.forward(t.x1!, t.x2!);
      return vcat(y1!, y2!);
    },
    show: [
      "PairwiseFusion(",
      "  add,",
      "  Dense(3 => 4, tanh),                  # 16 parameters",
      "  Dense(4 => 4),                        # 20 parameters",
      ")                   # Total: 4 arrays, 36 parameters, 144 bytes.",
    ].join("\n"),
    expected: (h) => {
      // y1 = tanh(W1 x1 + b1); y2 = W2 (y1 + x2) + b2; column-major [8, B] = [y1; y2] per column.
      const dense = (W: Float64Array, b: Float64Array, out: number, x: number[]): number[] =>
        Array.from({ length: out }, (_, r) => b[r]! + x.reduce((acc, v, c) => acc + W[r + c * out]! * v, 0));
      const values: number[] = [];
      for (let j = 0; j < B; j++) {
        const x1 = Array.from({ length: 3 }, (_, r) => h.x1![r + 3 * j]!);
        const x2 = Array.from({ length: 4 }, (_, r) => h.x2![r + 4 * j]!);
        const y1 = dense(h.W1!, h.b1!, 4, x1).map(Math.tanh);
        const y2 = dense(
          h.W2!,
          h.b2!,
          4,
          y1.map((v, r) => v + x2[r]!),
        );
        values.push(...y1, ...y2);
      }
      return { shape: [8, B], values };
    },
  }),
];

/** The Embedding case's token ids (0-based). */
const EMBEDDING_IDS = [3, 0, 9, 3, 7, 1];

// ---- convolutions, pools, upsampling -------------------------------------------------------------------

/** A conv case's input `x` (scale 2), kernel `w` and, unless `bias` is 0, bias `b` `[bias]` (default cout). */
function convTensors(seed: number, x: number[], w: number[], bias = w.at(-1)!): Record<string, DetSpec> {
  return {
    x: { shape: x, seed, scale: 2 },
    w: { shape: w, seed: seed + 1 },
    ...(bias > 0 ? { b: { shape: [bias], seed: seed + 2 } } : {}),
  };
}
/** The weights and bias options of a conv layer: the case's `w` and `b` (no bias without `b`). */
const convWeights = (t: Named) => ({ init: given1(t.w), bias: t.b ?? (false as const) });
const pool = (seed: number, shape: number[]) => ({ x: { shape, seed, scale: 2 } });

const convolutions: LayerCase[] = [
  layerCase({
    name: "Conv 1-D (3,), 2 => 3, stride 2, pad 1 (torch conv1d, kernel flipped)",
    tensors: convTensors(130, [9, 2, 2], [3, 2, 3]),
    layer: (t) => Conv([3], 2, 3, undefined, { stride: 2, pad: 1, ...convWeights(t) }),
    run: (t, m) => m.forward(t.x!),
    show: "Conv((3,), 2 => 3, pad=1, stride=2)  # 21 parameters",
  }),
  layerCase({
    name: "Conv 2-D groups 2, 4 => 6, pad (1, 0, 0, 1), relu (torch conv2d groups)",
    tensors: convTensors(133, [5, 4, 4, 2], [3, 2, 2, 6]),
    layer: (t) => Conv([3, 2], 4, 6, reluFn, { groups: 2, pad: [1, 0, 0, 1], ...convWeights(t) }),
    run: (t, m) => m.forward(t.x!),
    show: "Conv((3, 2), 4 => 6, relu, pad=(1, 0, 0, 1), groups=2)  # 78 parameters",
  }),
  layerCase({
    name: "DepthwiseConv (3, 3), 3 => 6, no bias (torch conv2d groups = 3)",
    tensors: convTensors(136, [5, 5, 3, 1], [3, 3, 1, 6], 0),
    layer: (t) => DepthwiseConv([3, 3], 3, 6, undefined, convWeights(t)),
    run: (t, m) => m.forward(t.x!),
    show: "Conv((3, 3), 3 => 6, groups=3, bias=false)  # 54 parameters",
  }),
  layerCase({
    name: "Conv 3-D (2, 3, 2), 2 => 3, stride (1, 2, 1), asymmetric pad, dilation (1, 1, 2) (torch conv3d)",
    tensors: convTensors(138, [4, 5, 4, 2, 2], [2, 3, 2, 2, 3]),
    layer: (t) =>
      Conv([2, 3, 2], 2, 3, undefined, {
        stride: [1, 2, 1],
        pad: [1, 0, 1, 1, 0, 1],
        dilation: [1, 1, 2],
        ...convWeights(t),
      }),
    run: (t, m) => m.forward(t.x!),
    show: "Conv((2, 3, 2), 2 => 3, pad=(1, 0, 1, 1, 0, 1), stride=(1, 2, 1), dilation=(1, 1, 2))  # 75 parameters",
  }),
  layerCase({
    name: "CrossCor (3, 3), 2 => 3, stride 2 (torch conv2d)",
    tensors: convTensors(141, [7, 6, 2, 2], [3, 3, 2, 3]),
    layer: (t) => CrossCor([3, 3], 2, 3, undefined, { stride: 2, ...convWeights(t) }),
    run: (t, m) => m.forward(t.x!),
    show: "CrossCor((3, 3), 2 => 3, stride=2)  # 57 parameters",
  }),
  layerCase({
    name: "ConvTranspose (3, 3), 2 => 3, stride 2, pad 1, outpad 1 (torch conv_transpose2d)",
    tensors: convTensors(144, [4, 3, 2, 2], [3, 3, 3, 2], 3),
    layer: (t) => ConvTranspose([3, 3], 2, 3, undefined, { stride: 2, pad: 1, outpad: 1, ...convWeights(t) }),
    run: (t, m) => m.forward(t.x!),
    show: "ConvTranspose((3, 3), 2 => 3, pad=1, stride=2, outpad=(1, 1))  # 57 parameters",
  }),
  layerCase({
    name: "ConvTranspose (2, 2), 2 => 2, stride 2, pad 2 > (k - 1) d: a cropped result (torch conv_transpose2d)",
    tensors: convTensors(147, [4, 5, 2, 1], [2, 2, 2, 2], 0),
    layer: (t) => ConvTranspose([2, 2], 2, 2, undefined, { stride: 2, pad: 2, ...convWeights(t) }),
    run: (t, m) => m.forward(t.x!),
    show: "ConvTranspose((2, 2), 2 => 2, pad=2, stride=2, bias=false)  # 16 parameters",
  }),
  layerCase({
    name: "ConvTranspose 1-D (3,), 4 => 2, groups 2, stride 3, dilation 2 (torch conv_transpose1d)",
    tensors: convTensors(149, [4, 4, 2], [3, 1, 4], 2),
    layer: (t) =>
      ConvTranspose([3], 4, 2, undefined, { groups: 2, stride: 3, dilation: 2, ...convWeights(t) }),
    run: (t, m) => m.forward(t.x!),
    show: "ConvTranspose((3,), 4 => 2, stride=3, dilation=2, groups=2)  # 14 parameters",
  }),
  layerCase({
    name: "MaxPool 1-D (3,), stride 2, pad 1 (torch max_pool1d)",
    tensors: pool(152, [8, 2, 2]),
    layer: () => MaxPool([3], { stride: 2, pad: 1 }),
    run: (t, m) => m.forward(t.x!),
    show: "MaxPool((3,), pad=1, stride=2)",
  }),
  layerCase({
    name: "MeanPool 3-D (2, 2, 2), pad 1 (torch avg_pool3d, padding counted)",
    tensors: pool(153, [4, 3, 4, 2, 2]),
    layer: () => MeanPool([2, 2, 2], { pad: 1 }),
    run: (t, m) => m.forward(t.x!),
    show: "MeanPool((2, 2, 2), pad=1)",
  }),
  layerCase({
    name: "MaxPool 3-D (2, 2, 3), stride 2, pad 1 (torch max_pool3d)",
    tensors: pool(154, [5, 4, 6, 2, 1]),
    layer: () => MaxPool([2, 2, 3], { stride: 2, pad: 1 }),
    run: (t, m) => m.forward(t.x!),
    show: "MaxPool((2, 2, 3), pad=1, stride=2)",
  }),
  layerCase({
    name: "AdaptiveMaxPool (2, 3) of a 4 x 6 map (torch adaptive_max_pool2d)",
    tensors: pool(155, [4, 6, 2, 2]),
    layer: () => AdaptiveMaxPool([2, 3]),
    run: (t, m) => m.forward(t.x!),
    show: "AdaptiveMaxPool((2, 3))",
  }),
  layerCase({
    name: "AdaptiveMeanPool (2,) of length 6 (torch adaptive_avg_pool1d)",
    tensors: pool(156, [6, 3, 2]),
    layer: () => AdaptiveMeanPool([2]),
    run: (t, m) => m.forward(t.x!),
    show: "AdaptiveMeanPool((2,))",
  }),
  layerCase({
    name: "GlobalMaxPool of a 3-D map (torch amax)",
    tensors: pool(157, [3, 2, 2, 3, 2]),
    layer: () => GlobalMaxPool(),
    run: (t, m) => m.forward(t.x!),
    show: "GlobalMaxPool()",
  }),
  layerCase({
    name: "GlobalMeanPool (torch mean)",
    tensors: pool(158, [3, 4, 3, 2]),
    layer: () => GlobalMeanPool(),
    run: (t, m) => m.forward(t.x!),
    show: "GlobalMeanPool()",
  }),
  layerCase({
    name: "Upsample nearest, scale (2, 3) (torch interpolate nearest)",
    tensors: pool(159, [3, 2, 2, 2]),
    layer: () => Upsample("nearest", { scale: [2, 3] }),
    run: (t, m) => m.forward(t.x!),
    show: "Upsample(:nearest, scale = (2, 3))",
  }),
  layerCase({
    name: "Upsample bilinear to size (5, 7) (torch interpolate bilinear, align_corners)",
    tensors: pool(160, [3, 4, 2, 2]),
    layer: () => Upsample("bilinear", { size: [5, 7] }),
    run: (t, m) => m.forward(t.x!),
    show: "Upsample(:bilinear, size = (5, 7))",
  }),
  layerCase({
    name: "Upsample trilinear, scale 2 (torch interpolate trilinear, align_corners)",
    tensors: pool(161, [2, 3, 2, 1, 2]),
    layer: () => Upsample(2, "trilinear"),
    run: (t, m) => m.forward(t.x!),
    show: "Upsample(:trilinear, scale = 2)",
  }),
  layerCase({
    name: "PixelShuffle 2 (torch pixel_shuffle)",
    tensors: pool(162, [3, 2, 8, 2]),
    layer: () => PixelShuffle(2),
    run: (t, m) => m.forward(t.x!),
    show: "PixelShuffle(2)",
  }),
];

/** Every case, in suite order. */
export const LAYER_CASES: readonly LayerCase[] = [
  ...recurrent,
  ...attention,
  ...losses,
  ...basic,
  ...convolutions,
];
