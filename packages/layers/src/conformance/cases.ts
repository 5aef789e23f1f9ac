// The layer and loss cases of the conformance suite (./suite.ts). Each case names the deterministic tensors
// it needs (./det.ts: parameters and inputs alike) and builds its output from them, using no other tensor
// data, so that the same case runs on any device and dtype. Reference values are in ./fixtures.ts, written
// by ./make_fixtures.py (PyTorch where torch has the layer, numpy formulas otherwise); a case may instead
// carry `expected` values worked out by hand.
import { add, gelu, relu as reluFn, reshape, rng, sum, type Tensor, tanh, vcat } from "@flux/kernels";
import { AdaptiveMaxPool, AdaptiveMeanPool, GlobalMaxPool, GlobalMeanPool } from "../layers/adaptivePool.js";
import { AlphaDropout } from "../layers/alphaDropout.js";
import { Conv, ConvTranspose, CrossCor, DepthwiseConv } from "../layers/conv.js";
import { MaxPool } from "../layers/maxPool.js";
import { MeanPool } from "../layers/meanPool.js";
import { PixelShuffle, Upsample } from "../layers/upsample.js";
import { Bilinear } from "../layers/bilinear.js";
import { GroupNorm } from "../layers/groupNorm.js";
import { InstanceNorm } from "../layers/instanceNorm.js";
import { Maxout } from "../layers/maxout.js";
import { PairwiseFusion } from "../layers/pairwiseFusion.js";
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
import { dotProductAttention } from "../layers/dotProductAttention.js";
import { Embedding } from "../layers/embedding.js";
import { LayerNorm } from "../layers/layerNorm.js";
import type { Init } from "../init.js";
import { GRU, GRUv3, LSTM, RNN } from "../layers/recurrent.js";
import { GRUCell, LSTMCell, RNNCell } from "../layers/recurrentCells.js";
import type { DetSpec } from "./det.js";

/** One conformance case. */
export interface LayerCase {
  readonly name: string;
  /** The named tensors the case is built from (created on the device under test). */
  readonly tensors: Readonly<Record<string, DetSpec>>;
  /** The output, from the named tensors only. */
  readonly run: (t: Readonly<Record<string, Tensor>>) => Tensor;
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

// An initialiser that hands out given tensors by shape (a layer's constructor calls it once per weight).
function given(...ts: Tensor[]): Init {
  return (shape) => {
    const t = ts.find((x) => x.shape.join() === shape.join());
    if (t === undefined) throw new Error(`conformance case: no given tensor of shape [${shape.join(", ")}]`);
    return t;
  };
}

const I = 3; // input features
const H = 4; // hidden size
const L = 5; // sequence length
const B = 2; // batch

const recurrent: LayerCase[] = [
  {
    name: "RNNCell one step (torch nn.RNNCell)",
    tensors: {
      x: { shape: [I, B], seed: 1 },
      h: { shape: [H, B], seed: 2 },
      Wi: { shape: [H, I], seed: 3, scale: 1.5 },
      Wh: { shape: [H, H], seed: 4, scale: 1.5 },
      b: { shape: [H], seed: 5 },
    },
    run: (t) =>
      RNNCell(I, H, undefined, {
        initKernel: given(t.Wi!),
        initRecurrentKernel: given(t.Wh!),
        bias: t.b!,
      }).forward(t.x!, t.h!)[0],
  },
  {
    name: "RNN over a sequence, initial state given (torch nn.RNN)",
    tensors: {
      x: { shape: [I, L, B], seed: 6 },
      h: { shape: [H, B], seed: 7 },
      Wi: { shape: [H, I], seed: 8, scale: 1.5 },
      Wh: { shape: [H, H], seed: 9, scale: 1.5 },
      b: { shape: [H], seed: 10 },
    },
    run: (t) =>
      RNN(I, H, undefined, {
        initKernel: given(t.Wi!),
        initRecurrentKernel: given(t.Wh!),
        bias: t.b!,
      }).forward(t.x!, t.h!),
  },
  {
    name: "LSTMCell one step (torch nn.LSTMCell)",
    tensors: {
      x: { shape: [I, B], seed: 11 },
      h: { shape: [H, B], seed: 12 },
      c: { shape: [H, B], seed: 13 },
      Wi: { shape: [4 * H, I], seed: 14, scale: 1.5 },
      Wh: { shape: [4 * H, H], seed: 15, scale: 1.5 },
      b: { shape: [4 * H], seed: 16 },
    },
    run: (t) => {
      const cell = LSTMCell(I, H, {
        initKernel: given(t.Wi!),
        initRecurrentKernel: given(t.Wh!),
        bias: t.b!,
      });
      const [, [, c]] = cell.forward(t.x!, [t.h!, t.c!]);
      return c; // the cell state (the output h' is checked by the sequence cases)
    },
  },
  {
    name: "LSTM over a sequence, initial state given (torch nn.LSTM)",
    tensors: {
      x: { shape: [I, L, B], seed: 17 },
      h: { shape: [H, B], seed: 18 },
      c: { shape: [H, B], seed: 19 },
      Wi: { shape: [4 * H, I], seed: 20, scale: 1.5 },
      Wh: { shape: [4 * H, H], seed: 21, scale: 1.5 },
      b: { shape: [4 * H], seed: 22 },
    },
    run: (t) =>
      LSTM(I, H, { initKernel: given(t.Wi!), initRecurrentKernel: given(t.Wh!), bias: t.b! }).forward(t.x!, [
        t.h!,
        t.c!,
      ]),
  },
  {
    name: "LSTM last cell state with returnState (torch nn.LSTM c_n)",
    tensors: {
      x: { shape: [I, L, B], seed: 17 },
      h: { shape: [H, B], seed: 18 },
      c: { shape: [H, B], seed: 19 },
      Wi: { shape: [4 * H, I], seed: 20, scale: 1.5 },
      Wh: { shape: [4 * H, H], seed: 21, scale: 1.5 },
      b: { shape: [4 * H], seed: 22 },
    },
    run: (t) => {
      const lstm = LSTM(I, H, {
        initKernel: given(t.Wi!),
        initRecurrentKernel: given(t.Wh!),
        bias: t.b!,
        returnState: true,
      });
      const [, [, c]] = lstm.forward(t.x!, [t.h!, t.c!]) as unknown as [Tensor, [Tensor, Tensor]];
      return c;
    },
  },
  {
    name: "LSTM unbatched [in, len] from the zero state (torch nn.LSTM)",
    tensors: {
      x: { shape: [I, L], seed: 23 },
      Wi: { shape: [4 * H, I], seed: 24, scale: 1.5 },
      Wh: { shape: [4 * H, H], seed: 25, scale: 1.5 },
      b: { shape: [4 * H], seed: 26 },
    },
    run: (t) =>
      LSTM(I, H, { initKernel: given(t.Wi!), initRecurrentKernel: given(t.Wh!), bias: t.b! }).forward(t.x!),
  },
  {
    name: "GRUCell one step (torch nn.GRUCell, bias_hh = 0)",
    tensors: {
      x: { shape: [I, B], seed: 27 },
      h: { shape: [H, B], seed: 28 },
      Wi: { shape: [3 * H, I], seed: 29, scale: 1.5 },
      Wh: { shape: [3 * H, H], seed: 30, scale: 1.5 },
      b: { shape: [3 * H], seed: 31 },
    },
    run: (t) =>
      GRUCell(I, H, { initKernel: given(t.Wi!), initRecurrentKernel: given(t.Wh!), bias: t.b! }).forward(
        t.x!,
        t.h!,
      )[0],
  },
  {
    name: "GRU over a sequence, initial state given (torch nn.GRU, bias_hh = 0)",
    tensors: {
      x: { shape: [I, L, B], seed: 32 },
      h: { shape: [H, B], seed: 33 },
      Wi: { shape: [3 * H, I], seed: 34, scale: 1.5 },
      Wh: { shape: [3 * H, H], seed: 35, scale: 1.5 },
      b: { shape: [3 * H], seed: 36 },
    },
    run: (t) =>
      GRU(I, H, { initKernel: given(t.Wi!), initRecurrentKernel: given(t.Wh!), bias: t.b! }).forward(
        t.x!,
        t.h!,
      ),
  },
  {
    name: "GRUv3 over a sequence, initial state given (numpy, Flux's formula)",
    tensors: {
      x: { shape: [I, L, B], seed: 37 },
      h: { shape: [H, B], seed: 38 },
      Wi: { shape: [3 * H, I], seed: 39, scale: 1.5 },
      Wh: { shape: [3 * H, H], seed: 40, scale: 1.5 },
      b: { shape: [3 * H], seed: 41 },
      Whh: { shape: [H, H], seed: 42, scale: 1.5 },
    },
    run: (t) =>
      GRUv3(I, H, {
        initKernel: given(t.Wi!),
        initRecurrentKernel: given(t.Wh!, t.Whh!),
        bias: t.b!,
      }).forward(t.x!, t.h!),
  },
  {
    name: "RNN relu without bias, unbatched, zero state (torch nn.RNN relu)",
    tensors: {
      x: { shape: [I, L], seed: 43 },
      Wi: { shape: [H, I], seed: 44, scale: 1.5 },
      Wh: { shape: [H, H], seed: 45, scale: 1.2 },
    },
    run: (t) =>
      RNN(I, H, reluFn, { initKernel: given(t.Wi!), initRecurrentKernel: given(t.Wh!), bias: false }).forward(
        t.x!,
      ),
  },
];

// An initialiser that hands out given tensors in call order (for equal shapes).
function inOrder(...ts: Tensor[]): Init {
  let i = 0;
  return () => ts[i++]!;
}

const D = 8; // model width
const NH = 2; // heads

function mha(t: Readonly<Record<string, Tensor>>, dims: MHADims = D, withBias = true) {
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

const attention: LayerCase[] = [
  {
    name: "dotProductAttention, 2 heads, causal mask: output (torch scaled_dot_product_attention)",
    tensors: {
      q: { shape: [D, L, B], seed: 50, scale: 2 },
      k: { shape: [D, L, B], seed: 51, scale: 2 },
      v: { shape: [D, L, B], seed: 52, scale: 2 },
    },
    run: (t) => dotProductAttention(t.q!, t.k!, t.v!, { nheads: NH, mask: "causal" })[0],
  },
  {
    name: "dotProductAttention, 2 heads, causal mask: weights α (torch softmax(q kᵀ/√d))",
    tensors: {
      q: { shape: [D, L, B], seed: 50, scale: 2 },
      k: { shape: [D, L, B], seed: 51, scale: 2 },
      v: { shape: [D, L, B], seed: 52, scale: 2 },
    },
    noGrad: ["v"],
    run: (t) => dotProductAttention(t.q!, t.k!, t.v!, { nheads: NH, mask: "causal" })[1],
  },
  {
    name: "MultiHeadAttention self-attention with biases, causal (torch Linear + scaled_dot_product_attention)",
    tensors: { x: { shape: [D, L, B], seed: 53, scale: 2 }, ...projections(54), ...projBiases(58) },
    run: (t) => mha(t).forward(t.x!, { mask: "causal" })[0],
  },
  {
    name: "MultiHeadAttention cross-attention (3, 4, 5) => (6, 4) => 8 with an additive bias (torch)",
    tensors: {
      q: { shape: [3, 4, B], seed: 62 },
      k: { shape: [4, L, B], seed: 63 },
      v: { shape: [5, L, B], seed: 64 },
      bias: { shape: [L, 4], seed: 65 },
      ...projections(66, 3, 4, 5, 6, 4, 8),
    },
    run: (t) => mha(t, [[3, 4, 5], [6, 4], 8], false).forward(t.q!, t.k!, t.v!, { bias: t.bias! })[0],
  },
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

// A minimal decoder-only transformer block built from the library's pieces, as a user would write one.
function decoderBlock(t: Readonly<Record<string, Tensor>>) {
  const tok = Embedding(11, D, { init: () => t.tok! });
  const pos = Embedding(L, D, { init: () => t.pos! });
  const ln1 = LayerNorm(D);
  ln1.diag!.scale = t.ln1s!;
  ln1.diag!.bias = t.ln1b!;
  const ln2 = LayerNorm(D);
  ln2.diag!.scale = t.ln2s!;
  ln2.diag!.bias = t.ln2b!;
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

const P = { shape: [3, 4], seed: 90, kind: "unit" } as const; // probabilities
const Yb = { shape: [3, 4], seed: 91, kind: "binary" } as const; // 0/1 labels
const sumAgg = { agg: (x: Tensor) => sum(x) };
// Flux's default eps is eps(eltype(ŷ)); the cases fix Float32's so that f64 and f32 runs share references.
const EPS32 = 1.1920928955078125e-7;

const losses: LayerCase[] = [
  {
    name: "msle (numpy, Flux's formula)",
    tensors: { ŷ: { ...P, kind: "positive" }, y: { shape: [3, 4], seed: 92, kind: "positive" } },
    run: (t) => msle(t.ŷ!, t.y!, { eps: EPS32 }),
  },
  {
    name: "huberLoss delta 1, mean (torch huber_loss)",
    tensors: { ŷ: { shape: [3, 4], seed: 93, scale: 4 }, y: { shape: [3, 4], seed: 94 } },
    run: (t) => huberLoss(t.ŷ!, t.y!),
  },
  {
    name: "huberLoss delta 0.5, agg sum (torch huber_loss)",
    tensors: { ŷ: { shape: [3, 4], seed: 93, scale: 4 }, y: { shape: [3, 4], seed: 94 } },
    run: (t) => huberLoss(t.ŷ!, t.y!, { delta: 0.5, ...sumAgg }),
  },
  {
    name: "kldivergence (numpy, Flux's formula)",
    tensors: { ŷ: P, y: { shape: [3, 4], seed: 95, kind: "unit" } },
    run: (t) => kldivergence(t.ŷ!, t.y!, { eps: EPS32 }),
  },
  {
    name: "poissonLoss (numpy, Flux's formula)",
    tensors: { ŷ: { ...P, kind: "positive" }, y: { shape: [3, 4], seed: 96, kind: "positive" } },
    run: (t) => poissonLoss(t.ŷ!, t.y!),
  },
  {
    name: "hingeLoss (numpy, Flux's formula)",
    tensors: { ŷ: { shape: [3, 4], seed: 97, scale: 3 }, y: { shape: [3, 4], seed: 98, kind: "sign" } },
    noGrad: ["y"],
    run: (t) => hingeLoss(t.ŷ!, t.y!),
  },
  {
    name: "squaredHingeLoss, agg sum (numpy, Flux's formula)",
    tensors: { ŷ: { shape: [3, 4], seed: 97, scale: 3 }, y: { shape: [3, 4], seed: 98, kind: "sign" } },
    noGrad: ["y"],
    run: (t) => squaredHingeLoss(t.ŷ!, t.y!, sumAgg),
  },
  {
    name: "diceCoeffLoss (numpy, Flux's formula)",
    tensors: { ŷ: P, y: Yb },
    noGrad: ["y"],
    run: (t) => diceCoeffLoss(t.ŷ!, t.y!),
  },
  {
    name: "tverskyLoss beta 0.7 (numpy, Flux's formula)",
    tensors: { ŷ: P, y: Yb },
    noGrad: ["y"],
    run: (t) => tverskyLoss(t.ŷ!, t.y!),
  },
  {
    name: "binaryFocalLoss gamma 2 (numpy, Flux's formula)",
    tensors: { ŷ: P, y: Yb },
    noGrad: ["y"],
    run: (t) => binaryFocalLoss(t.ŷ!, t.y!, { eps: EPS32 }),
  },
  {
    name: "focalLoss gamma 2, dims 1 (numpy, Flux's formula)",
    tensors: { ŷ: P, y: Yb },
    noGrad: ["y"],
    run: (t) => focalLoss(t.ŷ!, t.y!, { eps: EPS32 }),
  },
  {
    name: "siameseContrastiveLoss margin 1 (numpy, Flux's formula)",
    tensors: { ŷ: { ...P, kind: "positive" }, y: Yb },
    noGrad: ["y"],
    run: (t) => siameseContrastiveLoss(t.ŷ!, t.y!),
  },
];

const img = (seed: number, c = 4) => ({ shape: [3, 3, c, 2], seed, scale: 2 }) as const;

const normalisation: LayerCase[] = [
  {
    name: "GroupNorm(4, 2) with affine parameters (torch group_norm)",
    tensors: { x: img(100), γ: { shape: [4], seed: 101, kind: "positive" }, β: { shape: [4], seed: 102 } },
    run: (t) => {
      const m = GroupNorm(4, 2, undefined, { initγ: () => t.γ!, initβ: () => t.β! });
      return m.forward(t.x!);
    },
  },
  {
    name: "InstanceNorm(4) affine, instance statistics (torch instance_norm)",
    tensors: { x: img(103), γ: { shape: [4], seed: 104, kind: "positive" }, β: { shape: [4], seed: 105 } },
    run: (t) =>
      InstanceNorm(4, undefined, { affine: true, initγ: () => t.γ!, initβ: () => t.β! }).forward(t.x!),
  },
  {
    name: "InstanceNorm(4) in test mode with running statistics (torch instance_norm)",
    tensors: {
      x: img(106),
      γ: { shape: [4], seed: 107, kind: "positive" },
      β: { shape: [4], seed: 108 },
      μ: { shape: [4], seed: 109 },
      σ2: { shape: [4], seed: 110, kind: "positive" },
    },
    noGrad: ["μ", "σ2"],
    run: (t) => {
      const m = InstanceNorm(4, undefined, {
        affine: true,
        trackStats: true,
        active: false,
        initγ: () => t.γ!,
        initβ: () => t.β!,
      });
      m.mean = t.μ!;
      m.var = t.σ2!;
      return m.forward(t.x!);
    },
  },
  {
    name: "Maxout of two Dense layers (numpy)",
    tensors: {
      x: { shape: [3, B], seed: 111, scale: 2 },
      W1: { shape: [4, 3], seed: 112 },
      b1: { shape: [4], seed: 113 },
      W2: { shape: [4, 3], seed: 114 },
      b2: { shape: [4], seed: 115 },
    },
    run: (t) =>
      Maxout(Dense(t.W1!, undefined, { bias: t.b1! }), Dense(t.W2!, undefined, { bias: t.b2! })).forward(
        t.x!,
      ),
  },
  {
    name: "Bilinear((5, 4) => 3, tanh) with bias (torch bilinear)",
    tensors: {
      x: { shape: [5, B], seed: 116, scale: 2 },
      y: { shape: [4, B], seed: 117, scale: 2 },
      W: { shape: [3, 5, 4], seed: 118 },
      b: { shape: [3], seed: 119 },
    },
    run: (t) => Bilinear(t.W!, tanh, { bias: t.b! }).forward(t.x!, t.y!),
  },
  {
    name: "PairwiseFusion(+, Dense(3 => 4, tanh), Dense(4 => 4)) with two inputs (Flux's fusion, worked out here)",
    tensors: {
      x1: { shape: [3, B], seed: 190, scale: 2 },
      x2: { shape: [4, B], seed: 191, scale: 2 },
      W1: { shape: [4, 3], seed: 192 },
      b1: { shape: [4], seed: 193 },
      W2: { shape: [4, 4], seed: 194 },
      b2: { shape: [4], seed: 195 },
    },
    // The two outputs side by side, so that the suite's value and gradient checks see both.
    run: (t) => {
      const m = PairwiseFusion(
        add,
        Dense(t.W1!, tanh, { bias: t.b1! }),
        Dense(t.W2!, undefined, { bias: t.b2! }),
      );
      const [y1, y2] = m.forward(t.x1!, t.x2!);
      return vcat(y1!, y2!);
    },
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
  },
  {
    name: "AlphaDropout(0.3) in training with a seeded generator (Flux's formula, same draws)",
    tensors: { x: { shape: [6, 4], seed: 120, scale: 3 } },
    run: (t) => AlphaDropout(0.3, { active: true, rng: rng(7) }).forward(t.x!),
    expected: (h) => {
      const r = rng(7);
      const p = 0.3;
      const αp = -1.7580993408473766;
      const A = 1 / Math.sqrt((1 - p) * (1 + p * αp * αp));
      const Bc = -A * αp * p;
      return { shape: [6, 4], values: Array.from(h.x!, (v) => A * (r.uniform() > p ? v : αp) + Bc) };
    },
  },
];

// Conv-family layers built with given weights and biases.
const fixedInit =
  (w: Tensor): Init =>
  () =>
    w;

const convolutions: LayerCase[] = [
  {
    name: "Conv 1-D (3,), 2 => 3, stride 2, pad 1 (torch conv1d, kernel flipped)",
    tensors: {
      x: { shape: [9, 2, 2], seed: 130, scale: 2 },
      w: { shape: [3, 2, 3], seed: 131 },
      b: { shape: [3], seed: 132 },
    },
    run: (t) =>
      Conv([3], 2, 3, undefined, { stride: 2, pad: 1, init: fixedInit(t.w!), bias: t.b! }).forward(t.x!),
  },
  {
    name: "Conv 2-D groups 2, 4 => 6, pad (1, 0, 0, 1), relu (torch conv2d groups)",
    tensors: {
      x: { shape: [5, 4, 4, 2], seed: 133, scale: 2 },
      w: { shape: [3, 2, 2, 6], seed: 134 },
      b: { shape: [6], seed: 135 },
    },
    run: (t) =>
      Conv([3, 2], 4, 6, reluFn, { groups: 2, pad: [1, 0, 0, 1], init: fixedInit(t.w!), bias: t.b! }).forward(
        t.x!,
      ),
  },
  {
    name: "DepthwiseConv (3, 3), 3 => 6, no bias (torch conv2d groups = 3)",
    tensors: { x: { shape: [5, 5, 3, 1], seed: 136, scale: 2 }, w: { shape: [3, 3, 1, 6], seed: 137 } },
    run: (t) => DepthwiseConv([3, 3], 3, 6, undefined, { init: fixedInit(t.w!), bias: false }).forward(t.x!),
  },
  {
    name: "Conv 3-D (2, 3, 2), 2 => 3, stride (1, 2, 1), asymmetric pad, dilation (1, 1, 2) (torch conv3d)",
    tensors: {
      x: { shape: [4, 5, 4, 2, 2], seed: 138, scale: 2 },
      w: { shape: [2, 3, 2, 2, 3], seed: 139 },
      b: { shape: [3], seed: 140 },
    },
    run: (t) =>
      Conv([2, 3, 2], 2, 3, undefined, {
        stride: [1, 2, 1],
        pad: [1, 0, 1, 1, 0, 1],
        dilation: [1, 1, 2],
        init: fixedInit(t.w!),
        bias: t.b!,
      }).forward(t.x!),
  },
  {
    name: "CrossCor (3, 3), 2 => 3, stride 2 (torch conv2d)",
    tensors: {
      x: { shape: [7, 6, 2, 2], seed: 141, scale: 2 },
      w: { shape: [3, 3, 2, 3], seed: 142 },
      b: { shape: [3], seed: 143 },
    },
    run: (t) =>
      CrossCor([3, 3], 2, 3, undefined, { stride: 2, init: fixedInit(t.w!), bias: t.b! }).forward(t.x!),
  },
  {
    name: "ConvTranspose (3, 3), 2 => 3, stride 2, pad 1, outpad 1 (torch conv_transpose2d)",
    tensors: {
      x: { shape: [4, 3, 2, 2], seed: 144, scale: 2 },
      w: { shape: [3, 3, 3, 2], seed: 145 },
      b: { shape: [3], seed: 146 },
    },
    run: (t) =>
      ConvTranspose([3, 3], 2, 3, undefined, {
        stride: 2,
        pad: 1,
        outpad: 1,
        init: fixedInit(t.w!),
        bias: t.b!,
      }).forward(t.x!),
  },
  {
    name: "ConvTranspose (2, 2), 2 => 2, stride 2, pad 2 > (k - 1) d: a cropped result (torch conv_transpose2d)",
    tensors: { x: { shape: [4, 5, 2, 1], seed: 147, scale: 2 }, w: { shape: [2, 2, 2, 2], seed: 148 } },
    run: (t) =>
      ConvTranspose([2, 2], 2, 2, undefined, {
        stride: 2,
        pad: 2,
        init: fixedInit(t.w!),
        bias: false,
      }).forward(t.x!),
  },
  {
    name: "ConvTranspose 1-D (3,), 4 => 2, groups 2, stride 3, dilation 2 (torch conv_transpose1d)",
    tensors: {
      x: { shape: [4, 4, 2], seed: 149, scale: 2 },
      w: { shape: [3, 1, 4], seed: 150 },
      b: { shape: [2], seed: 151 },
    },
    run: (t) =>
      ConvTranspose([3], 4, 2, undefined, {
        groups: 2,
        stride: 3,
        dilation: 2,
        init: fixedInit(t.w!),
        bias: t.b!,
      }).forward(t.x!),
  },
  {
    name: "MaxPool 1-D (3,), stride 2, pad 1 (torch max_pool1d)",
    tensors: { x: { shape: [8, 2, 2], seed: 152, scale: 2 } },
    run: (t) => MaxPool([3], { stride: 2, pad: 1 }).forward(t.x!),
  },
  {
    name: "MeanPool 3-D (2, 2, 2), pad 1 (torch avg_pool3d, padding counted)",
    tensors: { x: { shape: [4, 3, 4, 2, 2], seed: 153, scale: 2 } },
    run: (t) => MeanPool([2, 2, 2], { pad: 1 }).forward(t.x!),
  },
  {
    name: "MaxPool 3-D (2, 2, 3), stride 2, pad 1 (torch max_pool3d)",
    tensors: { x: { shape: [5, 4, 6, 2, 1], seed: 154, scale: 2 } },
    run: (t) => MaxPool([2, 2, 3], { stride: 2, pad: 1 }).forward(t.x!),
  },
  {
    name: "AdaptiveMaxPool (2, 3) of a 4 x 6 map (torch adaptive_max_pool2d)",
    tensors: { x: { shape: [4, 6, 2, 2], seed: 155, scale: 2 } },
    run: (t) => AdaptiveMaxPool([2, 3]).forward(t.x!),
  },
  {
    name: "AdaptiveMeanPool (2,) of length 6 (torch adaptive_avg_pool1d)",
    tensors: { x: { shape: [6, 3, 2], seed: 156, scale: 2 } },
    run: (t) => AdaptiveMeanPool([2]).forward(t.x!),
  },
  {
    name: "GlobalMaxPool of a 3-D map (torch amax)",
    tensors: { x: { shape: [3, 2, 2, 3, 2], seed: 157, scale: 2 } },
    run: (t) => GlobalMaxPool().forward(t.x!),
  },
  {
    name: "GlobalMeanPool (torch mean)",
    tensors: { x: { shape: [3, 4, 3, 2], seed: 158, scale: 2 } },
    run: (t) => GlobalMeanPool().forward(t.x!),
  },
  {
    name: "Upsample nearest, scale (2, 3) (torch interpolate nearest)",
    tensors: { x: { shape: [3, 2, 2, 2], seed: 159, scale: 2 } },
    run: (t) => Upsample("nearest", { scale: [2, 3] }).forward(t.x!),
  },
  {
    name: "Upsample bilinear to size (5, 7) (torch interpolate bilinear, align_corners)",
    tensors: { x: { shape: [3, 4, 2, 2], seed: 160, scale: 2 } },
    run: (t) => Upsample("bilinear", { size: [5, 7] }).forward(t.x!),
  },
  {
    name: "Upsample trilinear, scale 2 (torch interpolate trilinear, align_corners)",
    tensors: { x: { shape: [2, 3, 2, 1, 2], seed: 161, scale: 2 } },
    run: (t) => Upsample(2, "trilinear").forward(t.x!),
  },
  {
    name: "PixelShuffle 2 (torch pixel_shuffle)",
    tensors: { x: { shape: [3, 2, 8, 2], seed: 162, scale: 2 } },
    run: (t) => PixelShuffle(2).forward(t.x!),
  },
];

/** Every case, in suite order. */
export const LAYER_CASES: readonly LayerCase[] = [
  ...recurrent,
  ...attention,
  ...losses,
  ...normalisation,
  ...convolutions,
];
