// The model table's sequence rows: an LSTM over a sequence and one pre-norm transformer block, forward and
// backward (the gradient of sum(output) with respect to the parameters, no optimiser), ours against PyTorch
// eager (peers/torch_sequence.py) on one thread. The shapes below are the same on both sides; Julia order on
// ours (features x time x batch), PyTorch's own on its side (time x batch x features for nn.LSTM, batch x
// time x features for the block). models.mjs runs these cells interleaved with PyTorch like its other rows.

import { measure } from "./measure.mjs";

/** The LSTM row: batch 32, 128 steps, input width 256, hidden 256. */
export const SEQ_LSTM = { batch: 32, steps: 128, input: 256, hidden: 256 };

/**
 * The transformer row: batch 16, context 128, width 256, 4 heads; pre-norm, causal multi-head attention with
 * biases, then a GELU (tanh form, Flux's `gelu`) MLP of 4x the width, each in a residual connection.
 */
export const SEQ_TRANSFORMER = { batch: 16, context: 128, width: 256, heads: 4 };

/**
 * The sequence cells (`kind: "model-grad"`): one thread only, the count the targets name.
 *
 * @returns {import("./workloads.mjs").Cell[]}
 */
export function sequenceCells() {
  const l = SEQ_LSTM;
  const t = SEQ_TRANSFORMER;
  return [
    {
      id: "grad-lstm-b32",
      kind: "model-grad",
      group: "models",
      label: `LSTM ${l.input} => ${l.hidden} over ${l.steps} steps, forward + backward, batch ${l.batch}`,
      unit: "samples/s",
      work: l.batch,
      batch: l.batch,
      model: "lstm",
      threads: [1],
    },
    {
      id: "grad-transformer-b16",
      kind: "model-grad",
      group: "models",
      label: `transformer block (width ${t.width}, ${t.heads} heads, causal, context ${t.context}), forward + backward, batch ${t.batch}`,
      unit: "samples/s",
      work: t.batch,
      batch: t.batch,
      model: "transformer",
      threads: [1],
    },
  ];
}

/**
 * True for a cell this file measures.
 *
 * @param {import("./workloads.mjs").Cell} cell
 */
export const isSequenceCell = (cell) => cell.kind === "model-grad";

/**
 * The model and its input for a sequence cell, built with the public @flux/layers API.
 *
 * @param {import("./peers/flux.mjs").FluxLib} lib
 * @param {import("./workloads.mjs").Cell} cell
 * @returns {{ model: any, x: any }}
 */
function sequenceModel(lib, cell) {
  const { K, L } = lib;
  if (!L?.LSTM || !L?.MultiHeadAttention)
    throw new Error("this @flux/layers has no LSTM / MultiHeadAttention");
  if (cell.model === "lstm") {
    const s = SEQ_LSTM;
    return { model: L.LSTM(s.input, s.hidden), x: K.randn([s.input, s.steps, s.batch]) };
  }
  const s = SEQ_TRANSFORMER;
  const model = L.Chain(
    L.SkipConnection(L.Chain(L.LayerNorm(s.width), causalSelfAttention(L)(s.width, s.heads)), residualOf(K)),
    L.SkipConnection(
      L.Chain(L.LayerNorm(s.width), L.Dense(s.width, 4 * s.width, K.gelu), L.Dense(4 * s.width, s.width)),
      residualOf(K),
    ),
  );
  return { model, x: K.randn([s.width, s.context, s.batch]) };
}

/** `(fx, x) => fx + x`, the residual connection's combiner. @param {any} K */
const residualOf = (K) => (/** @type {any} */ fx, /** @type {any} */ x) => K.add(fx, x);

/** One constructor per layers package (a --baseline run loads a second one). */
const attentionLayers = new WeakMap();

/**
 * Causal self-attention as a layer of its own: MultiHeadAttention returns (output, weights) and takes the
 * mask per call, so this wrapper keeps the Chain a chain of single-output layers (the text demo's layer).
 *
 * @param {any} L the layers package
 * @returns {(width: number, heads: number) => any}
 */
function causalSelfAttention(L) {
  let ctor = attentionLayers.get(L);
  if (!ctor) {
    class CausalSelfAttention extends L.AbstractLayer {
      /** @param {number} width @param {number} heads */
      constructor(width, heads) {
        super();
        this.mha = L.MultiHeadAttention(width, { nheads: heads, bias: true });
      }

      /** @param {any} x */
      forward(x) {
        return this.mha.forward(x, { mask: "causal" })[0];
      }
    }
    ctor = L.layerConstructor(CausalSelfAttention, ["mha"]);
    attentionLayers.set(L, ctor);
  }
  return ctor;
}

/**
 * Measures one sequence cell on the CPU with `threads` threads: `withgradient(m => sum(m(x)), model)`, then
 * the value and gradients are freed.
 *
 * @param {import("./peers/flux.mjs").FluxLib} lib
 * @param {import("./workloads.mjs").Cell} cell
 * @param {number} threads
 * @param {import("./measure.mjs").MeasureOptions} options
 * @returns {Promise<import("./measure.mjs").Measurement>}
 */
export async function measureSequenceCell(lib, cell, threads, options) {
  const K = lib.K;
  if (typeof K.cpuKernelsReady === "function") await K.cpuKernelsReady();
  K.setCpuThreads(threads);
  const { model, x } = sequenceModel(lib, cell);
  const loss = (/** @type {any} */ m) => K.sum(m.forward(x));
  const run = () => {
    const { val, grad } = K.withgradient(loss, model);
    K.dispose([val, grad]);
  };
  try {
    // A call takes a second or more (several on a loaded machine), past the usual "one slow run" cut-off,
    // which would report the warm-up call alone and without CPU time: always time a call after the warm-up
    // (more when the budget allows), so that the row has its CPU time to set beside PyTorch's.
    return await measure(run, { ...options, slowS: Math.max(options.slowS ?? 0, 60) });
  } finally {
    K.dispose([model, x]);
  }
}
