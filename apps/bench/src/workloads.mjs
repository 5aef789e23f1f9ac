// The benchmark cells: one workload at one size, with the unit its speed is reported in. Every system
// (ours, each peer, the baseline) runs exactly these, so a ratio always compares like with like.

import { BenchError } from "./errors.mjs";
import { sequenceCells } from "./sequenceModels.mjs";

/** Layer widths of the MLP benchmark: 784-256-128-10 (an MNIST-sized classifier), relu between layers. */
export const MLP_SIZES = [784, 256, 128, 10];

/** The model table's MLP (PyTorch comparison): 784-256-10, relu between the layers. */
export const TORCH_MLP_SIZES = [784, 256, 10];

/**
 * The model table's CNN on 28x28x1 images: Flux's `Chain(Conv((3, 3), 1 => 16, relu), MaxPool((2, 2)),
 * Conv((3, 3), 16 => 32, relu), MaxPool((2, 2)), flatten, Dense(800 => 128, relu), Dense(128 => 10))`.
 */
export const TORCH_CNN = Object.freeze({ image: [28, 28, 1], conv: [16, 32], hidden: 128, classes: 10 });

/** Scalars of the elementwise workload relu(a*x + b). */
export const AXPB = { a: 1.5, b: -0.25 };

/**
 * @typedef {object} Cell
 * @property {string} id stable key used in flags, results and the JSON file
 * @property {"matmul" | "mlp-forward" | "mlp-train" | "axpb-relu" | "model-train" | "model-infer" | "model-grad"} kind
 *   model-*: the model table (ours against PyTorch, interleaved, 1 and 2 threads; see models.mjs);
 *   model-grad: a sequence model's forward + backward (sequenceModels.mjs)
 * @property {string} group what `--only` selects by: matmul, forward, train, elementwise, models
 * @property {string} label the table's row name
 * @property {string} unit GFLOPS, samples/s or GB/s
 * @property {number} work units of work per call (flops, samples or bytes), so rate = work / seconds
 * @property {number} [n] matrix size or element count
 * @property {number} [batch]
 * @property {number[]} [sizes]
 * @property {number} [a]
 * @property {number} [b]
 * @property {"fused" | "chain"} [form] elementwise only: our side calls the fused op or the op chain (peers
 *   run their usual form in both rows)
 * @property {"mlp" | "cnn" | "lstm" | "transformer"} [model] model-* only: TORCH_MLP_SIZES, TORCH_CNN, or
 *   sequenceModels.mjs's SEQ_LSTM / SEQ_TRANSFORMER
 * @property {number[]} [threads] model-* only: the thread counts this row runs with (default: all of
 *   models.mjs's MODEL_THREADS)
 */

/** @returns {Cell[]} every cell, in table order */
export function allCells() {
  /** @type {Cell[]} */
  const cells = [];
  for (const n of [128, 256, 512, 1024]) {
    cells.push({
      id: `matmul-${n}`,
      kind: "matmul",
      group: "matmul",
      label: `matmul f32 n=${n}`,
      unit: "GFLOPS",
      work: (2 * n ** 3) / 1e9,
      n,
    });
  }
  for (const batch of [1, 128]) {
    cells.push({
      id: `mlp-forward-b${batch}`,
      kind: "mlp-forward",
      group: "forward",
      label: `MLP 784-256-128-10 forward, batch ${batch}`,
      unit: "samples/s",
      work: batch,
      batch,
      sizes: MLP_SIZES,
    });
  }
  cells.push({
    id: "mlp-train-b128",
    kind: "mlp-train",
    group: "train",
    label: "MLP train step (logit CE + Adam), batch 128",
    unit: "samples/s",
    work: 128,
    batch: 128,
    sizes: MLP_SIZES,
  });
  const n = 1 << 20;
  // 4 bytes read + 4 bytes written per element: the minimum traffic of a fused kernel.
  cells.push({
    id: "axpb-relu-1M",
    kind: "axpb-relu",
    group: "elementwise",
    label: "relu(a*x+b), 1M f32",
    unit: "GB/s",
    work: (8 * n) / 1e9,
    n,
    form: "fused",
    ...AXPB,
  });
  // The same work as the op chain relu(add(mul(x, a), b)): three ops, three passes, two temporaries. Peers
  // run the same code as above; this row shows what the fusion buys on our side.
  cells.push({
    id: "axpb-relu-chain-1M",
    kind: "axpb-relu",
    group: "elementwise",
    label: "relu(a*x+b), 1M f32, op chain (3 ops)",
    unit: "GB/s",
    work: (8 * n) / 1e9,
    n,
    form: "chain",
    ...AXPB,
  });
  cells.push(...modelCells());
  return cells;
}

/**
 * The model table's rows: training steps and inference of the 784-256-10 MLP and the LeNet-style
 * CNN, run by models.mjs against PyTorch with 1 and 2 threads, not by the per-system loop.
 *
 * @returns {Cell[]}
 */
export function modelCells() {
  /** @type {Cell[]} */
  const cells = [];
  /** @param {"train" | "infer"} what @param {"mlp" | "cnn"} model @param {number} batch */
  const add = (what, model, batch) => {
    const name = model === "mlp" ? "MLP 784-256-10" : "CNN (LeNet-style, 28x28x1)";
    cells.push({
      id: `${what}-${model}-b${batch}`,
      kind: what === "train" ? "model-train" : "model-infer",
      group: "models",
      label:
        what === "train"
          ? `${name} train step (logit CE + Adam), batch ${batch}`
          : `${name} inference, batch ${batch}`,
      unit: "samples/s",
      work: batch,
      batch,
      model,
    });
  };
  add("train", "mlp", 64);
  add("train", "mlp", 128);
  add("train", "cnn", 64);
  add("infer", "mlp", 128);
  add("infer", "cnn", 64);
  cells.push(...sequenceCells());
  return cells;
}

/** Names `--only` accepts besides cell ids: each selects a group of cells. */
export const GROUP_ALIASES = {
  matmul: ["matmul"],
  mlp: ["forward", "train"],
  forward: ["forward"],
  inference: ["forward"],
  train: ["train"],
  elementwise: ["elementwise"],
  relu: ["elementwise"],
  models: ["models"],
  torch: ["models"],
  pytorch: ["models"],
};

/**
 * The cells a `--only` list selects (group names or cell ids), in table order.
 *
 * @param {string[] | undefined} only
 * @returns {Cell[]}
 * @example selectCells(["matmul", "mlp-train-b128"]).map((c) => c.id)
 */
export function selectCells(only) {
  const cells = allCells();
  if (!only || only.length === 0) return cells;
  const groups = new Set();
  const ids = new Set();
  for (const name of only) {
    if (name in GROUP_ALIASES)
      for (const g of GROUP_ALIASES[/** @type {keyof typeof GROUP_ALIASES} */ (name)]) groups.add(g);
    else if (cells.some((c) => c.id === name)) ids.add(name);
    else {
      const known = [...Object.keys(GROUP_ALIASES), ...cells.map((c) => c.id)].join(", ");
      throw new BenchError("BAD_FLAG", `--only: unknown workload '${name}'; choose from ${known}`);
    }
  }
  return cells.filter((c) => groups.has(c.group) || ids.has(c.id));
}
