// The public names SPEC.md lists, by section and owning package: the ONE list that both the umbrella's unit
// test (packages/flux/src/index.test.ts) and the smoke checks (apps/smoke/checks/*.mjs) read. Plain ESM with
// no imports, so it loads unchanged on node, bun, deno, vitest and in esbuild's browser bundles; its types
// live in names.d.mts beside it.

/**
 * SPEC §1-§7 names, split into those that exist and those still to come.
 *
 * Kept honest by the umbrella's tests: a `present` name must exist in its package and in `@flux/flux`; a
 * `pending` name must not exist yet in its package (so the list moves when a package lands a name). Every
 * `present` name is a function or a class, except those also listed in `constants`.
 *
 * @example
 * SPEC_SECTIONS["§2 kernels"].present.includes("gradient"); // true
 */
export const SPEC_SECTIONS = Object.freeze({
  "§1 functors": {
    pkg: "@flux/functors",
    present: [
      "fmap",
      "fmapStructure",
      "fmapWithPath",
      "fleaves",
      "fcollect",
      "children",
      "isLeaf",
      "trainable",
      "functor",
      "leaf",
      "getKeyPath",
    ],
    pending: [],
    constants: [],
  },
  "§2 kernels": {
    pkg: "@flux/kernels",
    present: [
      "Tensor",
      "tensor",
      "zeros",
      "ones",
      "fill",
      "rand",
      "randn",
      "rng",
      "arange",
      "matmul",
      "add",
      "sub",
      "mul",
      "div",
      "exp",
      "log",
      "sqrt",
      "abs",
      "tanh",
      "sigmoid",
      "relu",
      "leakyrelu",
      "elu",
      "gelu",
      "softplus",
      "swish",
      "sum",
      "mean",
      "max",
      "min",
      "argmax",
      "softmax",
      "logsoftmax",
      "transpose",
      "permutedims",
      "reshape",
      "selectdim",
      "cat",
      "onehotbatch",
      "onecold",
      "conv",
      "maxpool",
      "meanpool",
      "dropout",
      "DeviceMismatchError",
      "memory",
      "tidy",
      "gradient",
      "withgradient",
      "registerBackend",
    ],
    pending: [],
    constants: [],
  },
  "§3 devices": {
    pkg: "@flux/devices",
    present: [
      "cpuDevice",
      "gpuDevice",
      "resetGpuDevice",
      "supportedGpuBackends",
      "functional",
      "loaded",
      "setGpuBackend",
      "GPU_BACKEND",
      "getDevice",
      "getDeviceType",
      "UnknownDevice",
      "gpuDevices",
      "gpu",
      "cpu",
      "f32",
      "f16",
      "f64",
      "DeviceIterator",
      "DeviceSelectionError",
    ],
    pending: [],
    // The backend preference read at start: a string, or null when none is set.
    constants: ["GPU_BACKEND"],
  },
  "§4 layers": {
    pkg: "@flux/layers",
    present: [
      "Dense",
      "Chain",
      "Dropout",
      "BatchNorm",
      "LayerNorm",
      "Embedding",
      "Conv",
      "MaxPool",
      "MeanPool",
      "flatten",
      "SkipConnection",
      "Parallel",
      "mse",
      "mae",
      "crossentropy",
      "logitcrossentropy",
      "binarycrossentropy",
      "logitbinarycrossentropy",
      "trainables",
      "state",
      "loadmodel",
    ],
    pending: [],
    constants: [],
  },
  "§5 optim": {
    pkg: "@flux/optim",
    present: [
      "Descent",
      "Momentum",
      "Nesterov",
      "RMSProp",
      "Adam",
      "AdamW",
      "RAdam",
      "AdaGrad",
      "AdaDelta",
      "AdaMax",
      "NAdam",
      "Lion",
      "OptimiserChain",
      "ClipGrad",
      "ClipNorm",
      "WeightDecay",
      "SignDecay",
      "AccumGrad",
      "setup",
      "update",
      "updateInPlace",
      "adjust",
      "adjustInPlace",
      "freeze",
      "thaw",
      "destructure",
      "train",
    ],
    pending: [],
    constants: [],
  },
  "§6 data": {
    pkg: "@flux/data",
    present: ["numobs", "getobs", "DataLoader", "mapobs", "splitobs", "shuffleobs"],
    pending: [],
    constants: [],
  },
  "§7 distributed": {
    pkg: "@flux/distributed",
    present: [
      "initialize",
      "getDistributedBackend",
      "totalWorkers",
      "localRank",
      "allreduce",
      "bcast",
      "reduce",
      "synchronize",
      "DistributedDataContainer",
      "DistributedOptimizer",
      "FluxDistributedModel",
      "MPIBackend",
    ],
    pending: [],
    constants: [],
  },
});

/**
 * What is wrong with `module`'s SPEC exports: one line per `present` name that is missing or of the wrong kind.
 *
 * Checks the sections owned by `pkg`, or every section when `pkg` is omitted (for the umbrella, which must
 * expose them all). A name in `constants` must be exported (any value, null included); any other name must be a function or a class.
 * An empty array means all is well; the lines are meant to be printed as they are.
 *
 * @example
 * specExportProblems(await import("@flux/optim"), "@flux/optim"); // []
 * specExportProblems({}, "@flux/data")[0]; // "§6 data: numobs is not exported"
 */
export function specExportProblems(module, pkg) {
  const problems = [];
  for (const [section, { pkg: owner, present, constants }] of Object.entries(SPEC_SECTIONS)) {
    if (pkg !== undefined && owner !== pkg) continue;
    for (const name of present) {
      // `in`, not `!== undefined`: a constant may legitimately hold null.
      const kind = typeof module[name];
      if (!(name in module)) problems.push(`${section}: ${name} is not exported`);
      else if (!constants.includes(name) && kind !== "function")
        problems.push(`${section}: ${name} should be a function or class, got ${kind}`);
    }
  }
  return problems;
}
