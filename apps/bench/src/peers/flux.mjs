// Our side: the same cells written with the public @flux/* API, as a user would write them. The packages
// are passed in (`FluxLib`), so the current build and a --baseline build run through identical code.
// Julia order throughout: x is [features, batch], W is [out, in], a bias is [out, 1] and broadcasts.
// Training is what the README writes: `Chain`/`Dense`/`Conv` from @flux/layers, `withgradient`,
// `logitcrossentropy`, and @flux/optim's `Adam` through `setup` + `updateInPlace` (and `train`).

import { measure } from "../measure.mjs";
import { formatNumber } from "../report.mjs";
import { isSequenceCell, measureSequenceCell } from "../sequenceModels.mjs";
import { TORCH_CNN, TORCH_MLP_SIZES } from "../workloads.mjs";

/** @typedef {any} Kernels the namespace of a built @flux/kernels (any version: names are feature-tested) */

/**
 * The built packages one side of the bench runs: kernels always; layers, optim and functors for the
 * training and model cells (null when that version has none: those cells then report an error).
 *
 * @typedef {object} FluxLib
 * @property {Kernels} K the built kernels package
 * @property {any} L the built layers package (or null)
 * @property {any} O the built optim package (or null)
 * @property {any} F the built functors package (or null)
 */

/**
 * Loads the built @flux/kernels, layers, optim and functors through `load` (a dynamic import of a name or
 * a path); a package that fails to load is null, so that kernel-only cells still run.
 *
 * @param {(name: "kernels" | "layers" | "optim" | "functors") => Promise<any>} load
 * @returns {Promise<FluxLib>}
 * @example const lib = await loadFluxLib((n) => import(`@flux/${n}`));
 */
export async function loadFluxLib(load) {
  const K = await load("kernels");
  /** @param {"layers" | "optim" | "functors"} n */
  const optional = (n) => load(n).catch(() => null);
  const [L, O, F] = await Promise.all([optional("layers"), optional("optim"), optional("functors")]);
  return { K, L, O, F };
}

/**
 * The layers and optim packages, or an error naming what this version lacks.
 *
 * @param {FluxLib} lib
 */
function needModelApi(lib) {
  if (!lib.L || !lib.O) throw new Error("this version has no built @flux/layers and @flux/optim");
  return { K: lib.K, L: lib.L, O: lib.O };
}

/**
 * The CPU kernel kind and thread count, when this version exports `cpuKernelInfo()`.
 *
 * @param {Kernels} K
 * @returns {Promise<string>} e.g. "wasm-relaxed-simd, 2 threads", or "" when the version cannot say
 */
export async function cpuKernelDescription(K) {
  // Load the wasm kernel and start its workers first, so that neither the info nor the first timings
  // describe the plain-JS fallback used before the wasm module is compiled.
  if (typeof K.cpuKernelsReady === "function") await K.cpuKernelsReady();
  if (typeof K.cpuKernelInfo !== "function") return "";
  const info = K.cpuKernelInfo();
  return `${info.kind}, ${info.threads} thread${info.threads === 1 ? "" : "s"}`;
}

/** Frees every tensor in `ts`. */
const disposeEach = (/** @type {any[]} */ ts) => {
  for (const t of ts) t.dispose();
};

/**
 * The first of `names` that `K` exports, or a clear error naming what this version lacks.
 *
 * @param {Kernels} K
 * @param {...string} names
 * @returns {(...args: any[]) => any}
 */
function need(K, ...names) {
  for (const n of names) if (typeof K[n] === "function") return K[n];
  throw new Error(`this @flux/kernels has no ${names.join(" / ")}`);
}

/**
 * Moves every tensor of `model` to `device` (a no-op on the CPU): the leaves are copied with `toDevice`
 * and the tree rebuilt with functors' `fmap`; the CPU originals are freed.
 *
 * @param {FluxLib} lib
 * @param {any} model
 * @param {string} device
 */
async function modelOn(lib, model, device) {
  if (device === "cpu") return model;
  if (!lib.F) throw new Error("moving a model to a device needs @flux/functors");
  const moved = new Map();
  for (const t of lib.F.fleaves(model)) {
    if (lib.K.isTensor(t) && !moved.has(t)) moved.set(t, await lib.K.toDevice(t, device));
  }
  const out = lib.F.fmap((/** @type {any} */ t) => moved.get(t) ?? t, model);
  for (const t of moved.keys()) t.dispose();
  return out;
}

/**
 * One classifier workload: the model (a `Chain`), an input batch and its one-hot labels, on `device`.
 *
 * @param {FluxLib} lib
 * @param {{ model: "mlp" | "cnn" | "mlp3", batch: number }} spec mlp3: the CPU table's 784-256-128-10 MLP
 * @param {string} device
 */
async function classifier(lib, spec, device) {
  const { K, L } = needModelApi(lib);
  const { batch } = spec;
  const gen = K.rng(1);
  let model;
  let x;
  if (spec.model === "cnn") {
    const [w, h, c] = TORCH_CNN.image;
    const [c1, c2] = TORCH_CNN.conv;
    const flat = c2 * (((w - 2) / 2 - 2) >> 1) * (((h - 2) / 2 - 2) >> 1); // 32 * 5 * 5 = 800
    model = L.Chain(
      L.Conv([3, 3], c, c1, L.relu),
      L.MaxPool([2, 2]),
      L.Conv([3, 3], c1, c2, L.relu),
      L.MaxPool([2, 2]),
      L.flatten,
      L.Dense(flat, TORCH_CNN.hidden, L.relu),
      L.Dense(TORCH_CNN.hidden, TORCH_CNN.classes),
    );
    x = K.randn([w, h, c, batch], { rng: gen, device });
  } else {
    const sizes = spec.model === "mlp" ? TORCH_MLP_SIZES : [784, 256, 128, 10];
    const layers = [];
    for (let i = 0; i + 1 < sizes.length; i++)
      layers.push(L.Dense(sizes[i], sizes[i + 1], i + 2 < sizes.length ? L.relu : undefined));
    model = L.Chain(...layers);
    x = K.randn([sizes[0], batch], { rng: gen, device });
  }
  const classes = Array.from({ length: 10 }, (_, i) => i);
  const labels = Array.from({ length: batch }, (_, j) => (j * 7) % 10);
  const y = K.onehotbatch(labels, classes, { device });
  return { model: await modelOn(lib, model, device), x, y };
}

/**
 * @typedef {object} StepProfile milliseconds per training step, averaged over the timed calls
 * @property {number} forward the loss function under `withgradient` (model + loss, recorded on the tape)
 * @property {number} backward the rest of `withgradient` (the tape walked backwards)
 * @property {number} update `updateInPlace(state, model, grad)` (the optimiser)
 * @property {number} dispose `dispose([val, grad])`
 * @property {number} steps timed steps the means are over
 */

/**
 * A training step written as the README writes it (withgradient, updateInPlace, dispose), with its phases
 * timed, and the same step through `train`.
 *
 * @param {FluxLib} lib
 * @param {{ model: any, x: any, y: any }} w
 * @param {string} device
 */
function trainingStep(lib, w, device) {
  const { K, L, O } = needModelApi(lib);
  const { model, x, y } = w;
  const state = O.setup(O.Adam(1e-3), model);
  const lossOf = (/** @type {any} */ m, /** @type {any} */ xb, /** @type {any} */ yb) =>
    L.logitcrossentropy(L.apply(m, xb), yb);
  const mustAwait = device !== "cpu";
  /** @type {StepProfile} */
  const profile = { forward: 0, backward: 0, update: 0, dispose: 0, steps: 0 };
  let tf = 0;
  const timedLoss = (/** @type {any} */ m) => {
    const a = performance.now();
    const l = lossOf(m, x, y);
    tf = performance.now() - a;
    return l;
  };
  const run = () => {
    const t0 = performance.now();
    const { val, grad } = K.withgradient(timedLoss, model);
    const t1 = performance.now();
    O.updateInPlace(state, model, grad[0]);
    const t2 = performance.now();
    // A GPU step must finish before the next is timed: read the loss back (what `train` does too).
    const done = mustAwait ? val.item() : null;
    K.dispose([val, grad]);
    const t3 = performance.now();
    profile.forward += tf;
    profile.backward += t1 - t0 - tf;
    profile.update += t2 - t1;
    profile.dispose += t3 - t2;
    profile.steps++;
    return done ?? undefined;
  };
  const batches = [[x, y]];
  return {
    run,
    profile,
    /** Resets the phase sums (called when the timed samples start). */
    resetProfile() {
      Object.assign(profile, { forward: 0, backward: 0, update: 0, dispose: 0, steps: 0 });
    },
    /** One step through `train(lossFn, model, data, state)` (Flux's `train!`), which reads the loss back. */
    trainRun: () => O.train(lossOf, model, batches, state),
    dispose() {
      K.dispose(state);
    },
  };
}

/**
 * Builds one cell's call on `device` ("cpu" or "webgpu").
 *
 * @param {FluxLib} lib
 * @param {import("../workloads.mjs").Cell} cell
 * @param {string} device
 * @returns {Promise<{ run: () => unknown, dispose: () => void, alt?: { label: string, run: () => unknown } }>}
 *   `alt`: the same work written another way (the unfused op chain, `train`), timed too and shown in the notes
 */
async function prepare(lib, cell, device) {
  const K = lib.K;
  const [tidy, randn, rng, matmul, add, mul, relu] = [
    "tidy",
    "randn",
    "rng",
    "matmul",
    "add",
    "mul",
    "relu",
  ].map((n) => need(K, n));
  const gen = rng(1);
  const opts = { rng: gen, device };
  const mustAwait = device !== "cpu";
  /** @param {any} t */
  const finish = (t) => {
    // CPU ops compute when called; a GPU result must be read back for the time to include the work.
    if (!mustAwait) return t.dispose();
    return t.data().then(() => t.dispose());
  };
  if (cell.kind === "matmul") {
    const n = /** @type {number} */ (cell.n);
    const a = randn([n, n], opts);
    const b = randn([n, n], opts);
    return { run: () => finish(matmul(a, b)), dispose: () => disposeEach([a, b]) };
  }
  if (cell.kind === "axpb-relu") {
    const x = randn([/** @type {number} */ (cell.n)], opts);
    const { a, b } = /** @type {{ a: number, b: number }} */ (cell);
    const chain = () => finish(tidy(() => relu(add(mul(x, a), b))));
    // The fused row calls Julia's muladd with a fused activation (versions without it, e.g. an old baseline,
    // run the chain there too); the op-chain row always runs relu(add(mul(x, a), b)).
    if (cell.form === "chain" || typeof K.muladd !== "function")
      return { run: chain, dispose: () => x.dispose() };
    return { run: () => finish(K.muladd(a, x, b, { activation: "relu" })), dispose: () => x.dispose() };
  }
  if (cell.kind === "mlp-train") {
    const w = await classifier(lib, { model: "mlp3", batch: /** @type {number} */ (cell.batch) }, device);
    const step = trainingStep(lib, w, device);
    return {
      run: step.run,
      dispose: () => {
        step.dispose();
        K.dispose(w);
      },
      alt: { label: "through train(lossFn, model, [[x, y]], state)", run: step.trainRun },
    };
  }
  const sizes = /** @type {number[]} */ (cell.sizes);
  const batch = /** @type {number} */ (cell.batch);
  const zeros = need(K, "zeros");
  /** @type {any[]} */
  const params = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const w0 = randn([sizes[i + 1], sizes[i]], opts);
    params.push(mul(w0, Math.sqrt(2 / sizes[i])), zeros([sizes[i + 1], 1], { device }));
    w0.dispose();
  }
  const x = randn([sizes[0], batch], opts);
  /** The op chain: matmul, add, relu per layer. @param {any[]} ps */
  const chainForward = (ps) => {
    let h = x;
    for (let i = 0; i < ps.length; i += 2) {
      h = add(matmul(ps[i], h), ps[i + 1]);
      if (i + 2 < ps.length) h = relu(h);
    }
    return h;
  };
  /** What a Dense layer does with a version that has the fused `dense(x, W, b, σ)`. @param {any[]} ps */
  const denseForward = (ps) => {
    let h = x;
    for (let i = 0; i < ps.length; i += 2) h = K.dense(h, ps[i], ps[i + 1], i + 2 < ps.length ? relu : null);
    return h;
  };
  const fused = typeof K.dense === "function";
  const disposeAll = () => disposeEach([x, ...params]);
  if (cell.kind === "mlp-forward") {
    const chain = () => finish(tidy(() => chainForward(params)));
    if (!fused) return { run: chain, dispose: disposeAll };
    return {
      run: () => finish(tidy(() => denseForward(params))),
      dispose: disposeAll,
      alt: { label: "op chain add(matmul(W, h), b) + relu", run: chain },
    };
  }
  throw new Error(`no such cell kind: ${cell.kind}`);
}

/**
 * @typedef {import("../measure.mjs").Measurement & { profile?: StepProfile, train?: number }} ModelMeasurement
 *   `profile`: a training row's phases; `train`: median seconds per step through `train` (when asked)
 */

/**
 * Measures one model-table cell (a training step or an inference batch of the MLP or the CNN) on the CPU
 * with `threads` threads (`setCpuThreads`, which also sets a system BLAS's threads).
 *
 * @param {FluxLib} lib
 * @param {import("../workloads.mjs").Cell} cell a `model-train` or `model-infer` cell
 * @param {number} threads
 * @param {import("../measure.mjs").MeasureOptions & { viaTrain?: boolean }} options `viaTrain`: also time
 *   the training step through `train`
 * @returns {Promise<ModelMeasurement>}
 * @example const m = await measureModelCell(lib, modelCells()[0], 1, { budgetS: 1 });
 */
export async function measureModelCell(lib, cell, threads, options) {
  if (isSequenceCell(cell)) return measureSequenceCell(lib, cell, threads, options);
  const K = lib.K;
  await cpuKernelDescription(K);
  need(K, "setCpuThreads")(threads);
  const w = await classifier(
    lib,
    { model: /** @type {"mlp" | "cnn"} */ (cell.model), batch: /** @type {number} */ (cell.batch) },
    "cpu",
  );
  try {
    if (cell.kind === "model-infer") {
      const { L } = needModelApi(lib);
      // Outside `gradient`, as a user predicts: tidy frees the layers' intermediates, then the output goes.
      return await measure(() => K.tidy(() => L.apply(w.model, w.x)).dispose(), options);
    }
    const step = trainingStep(lib, w, "cpu");
    try {
      const m = /** @type {ModelMeasurement} */ (
        await measure(step.run, { ...options, beforeSamples: step.resetProfile })
      );
      const n = Math.max(1, step.profile.steps);
      const { forward, backward, update, dispose } = step.profile;
      m.profile = {
        forward: forward / n,
        backward: backward / n,
        update: update / n,
        dispose: dispose / n,
        steps: n,
      };
      if (options.viaTrain) m.train = (await measure(step.trainRun, options)).medianS;
      return m;
    } finally {
      step.dispose();
    }
  } finally {
    K.dispose(w);
  }
}

/**
 * Runs every cell with a set of built @flux packages on one device and returns the measurements.
 *
 * @param {FluxLib} lib
 * @param {string} device "cpu" or "webgpu"
 * @param {import("../workloads.mjs").Cell[]} cells
 * @param {import("../measure.mjs").MeasureOptions} options
 * @param {(msg: string) => void} log
 * @returns {Promise<import("./types.mjs").SystemRun>}
 * @example const r = await runFlux(await loadFluxLib((n) => import(`@flux/${n}`)), "cpu", cells, { budgetS: 1 }, console.error);
 */
export async function runFlux(lib, device, cells, options, log) {
  const K = lib.K;
  const info = { version: K.VERSION ?? "?", device, cpuKernel: "" };
  if (device === "cpu") info.cpuKernel = await cpuKernelDescription(K);
  else await need(K, "getBackend")(device); // loads the backend (and its adapter) before the first cell
  /** @type {import("./types.mjs").SystemRun["results"]} */
  const results = {};
  for (const cell of cells) {
    try {
      const { run, dispose, alt } = await prepare(lib, cell, device);
      try {
        const m = await measure(run, options);
        if (alt) {
          // The unfused form of the same cell, reported in the notes next to the cell's (fused) number.
          const a = await measure(alt.run, options);
          const altNote = `${alt.label}: ${formatNumber(cell.work / a.medianS)} ${cell.unit}`;
          m.note = m.note ? `${m.note}; ${altNote}` : altNote;
        }
        results[cell.id] = m;
      } finally {
        dispose();
      }
    } catch (e) {
      results[cell.id] = { error: String(/** @type {Error} */ (e)?.message ?? e) };
    }
    log(`flux-${device} ${cell.id}`);
  }
  return { info, results };
}
