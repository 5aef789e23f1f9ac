// The `data` workload group: one epoch of Fashion-MNIST MLP training fed through @flux/data's device
// iterator, with prefetch and without, on one real device, to check that prefetch never slows training.
// Built packages only (@flux/kernels, @flux/data, @flux/optim), the way a user's program imports them.

import { BenchError } from "./errors.mjs";
import { formatNumber } from "./report.mjs";
import { installNodeWebGpu } from "./webgpuEnv.mjs";
import { fashionMnistDir } from "../../../tooling/fixtures.mjs";

// @flux/devices' DEVICE_ITERATOR: the loader's own prefetching hook (a Symbol.for key, so this app does not
// need @flux/devices to name it).
const DEVICE_ITERATOR = Symbol.for("flux.deviceIterator");

/** @typedef {any} Module the namespace of a built @flux/* package */

/**
 * @typedef {object} DataEpochOptions
 * @property {number} train observations of the training split used (a prefix; 60,000 is the whole split)
 * @property {number} reps timed epochs per variant, interleaved A B A B ...
 * @property {number} prefetch the prefetching variant's `prefetch` (the other uses 0)
 * @property {"auto" | "webgpu" | "cpu2"} device auto: webgpu when it starts, else the cpu2 device
 * @property {string} dir the Fashion-MNIST folder (the four IDX files)
 */

/** Defaults: a short run (12k samples per epoch, 3 timed epochs per variant); FLUX_FASHION_MNIST_DIR moves the data (tooling/fixtures.mjs). */
export const DATA_DEFAULTS = Object.freeze({
  train: 12000,
  reps: 3,
  prefetch: 2,
  device: /** @type {"auto"} */ ("auto"),
  dir: fashionMnistDir(),
});

/** The workload: Fashion-MNIST's classifier shape and the issue's batch size. */
export const DATA_MLP = Object.freeze({ sizes: [784, 256, 10], batch: 128 });

/** The issue's goal: prefetching may cost at most noise. */
export const PREFETCH_TARGET = Object.freeze({
  text: "prefetch must not be slower (ratio ≥ 0.97 within noise)",
  minRatio: 0.97,
});

const CLASSES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * The median of a non-empty list of numbers.
 *
 * @param {number[]} xs
 * @returns {number}
 * @example median([3, 1, 2]) // 2
 */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The target verdict for a prefetch / no-prefetch speed ratio: pass at ≥ 0.97.
 *
 * @param {number} ratio samples/s with prefetch ÷ samples/s without
 * @returns {"pass" | "miss"}
 * @example prefetchVerdict(0.99) // "pass"
 */
export function prefetchVerdict(ratio) {
  return ratio >= PREFETCH_TARGET.minRatio ? "pass" : "miss";
}

/**
 * Picks the device: WebGPU (Dawn in Node) when asked or available, else "cpu2", a second backend
 * instance of the CPU kernels on which `toDevice` is a real copy (what @flux/data's tests use).
 *
 * @param {Module} K built @flux/kernels
 * @param {DataEpochOptions["device"]} want
 * @returns {Promise<{ device: string, detail: string }>}
 */
async function pickDevice(K, want) {
  let why = "";
  if (want !== "cpu2") {
    try {
      const { adapter } = await installNodeWebGpu();
      if (!K.listBackends().includes("webgpu")) throw new Error("this @flux/kernels registers no webgpu");
      await K.getBackend("webgpu", 0);
      return { device: "webgpu:0", detail: `WebGPU (Dawn): ${adapter}` };
    } catch (e) {
      why = /** @type {Error} */ (e).message;
      if (want === "webgpu")
        throw new BenchError("PEER_FAILED", `--data-device webgpu: ${why}`, { cause: e });
    }
  }
  if (!K.listBackends().includes("cpu2")) K.registerBackend("cpu2", K.cpuBackendProvider("cpu2"));
  await K.getBackend("cpu2", 0);
  return {
    device: "cpu2:0",
    detail: `cpu2:0, a second CPU-kernels backend (host batches are copied to it)${why ? `; no webgpu: ${why}` : ""}`,
  };
}

/**
 * The device function the iterator applies to each batch: features copied to `device`, labels made into
 * a one-hot matrix there, so that both count as the batch's upload and are freed with it.
 *
 * @param {Module} K
 * @param {string} device
 * @returns {(b: any) => Promise<{ x: any, y: any }>}
 */
function batchMover(K, device) {
  return async (b) => ({
    x: await K.toDevice(b.x, device),
    y: K.onehotbatch(b.y, CLASSES, { device }),
  });
}

/**
 * Fresh MLP parameters on `device` (He-scaled normal weights, zero biases), as a plain object.
 *
 * @param {Module} K
 * @param {string} device
 */
function makeModel(K, device) {
  const gen = K.rng(1);
  const [n0, n1, n2] = DATA_MLP.sizes;
  /** @param {number} out @param {number} inp */
  const weight = (out, inp) => {
    const w0 = K.randn([out, inp], { rng: gen, device });
    const w = K.mul(w0, Math.sqrt(2 / inp));
    w0.dispose();
    return w;
  };
  return {
    W1: weight(n1, n0),
    b1: K.zeros([n1, 1], { device }),
    W2: weight(n2, n1),
    b2: K.zeros([n2, 1], { device }),
  };
}

/**
 * Flux's `logitcrossentropy(model(x), y)` (mean over the batch) for the 784-256-10 MLP.
 *
 * @param {Module} K
 * @returns {(m: any, b: { x: any, y: any }) => any}
 */
function lossFn(K) {
  const layer =
    typeof K.dense === "function"
      ? (/** @type {any} */ h, /** @type {any} */ W, /** @type {any} */ b, /** @type {any} */ act) =>
          K.dense(h, W, b, act)
      : (/** @type {any} */ h, /** @type {any} */ W, /** @type {any} */ b, /** @type {any} */ act) => {
          const z = K.add(K.matmul(W, h), b);
          return act ? act(z) : z;
        };
  return (m, b) => {
    const logits = layer(layer(b.x, m.W1, m.b1, K.relu), m.W2, m.b2, null);
    return K.mul(K.sum(K.mul(b.y, K.logsoftmax(logits))), -1 / DATA_MLP.batch);
  };
}

/**
 * @typedef {object} EpochRun
 * @property {number} prefetch
 * @property {number} seconds wall time of the epoch, the last parameter write read back
 * @property {number} steps
 * @property {number} lastLoss
 * @property {number} leakedTensors live tensors on the device after the epoch minus before
 */

/**
 * One epoch of `train(loss, model, loader[DEVICE_ITERATOR](dev, { prefetch }), state)` (Flux's `train!` over
 * a device iterator; it reads each step's loss back, as `train` does, so the host waits on the device once
 * per step and an upload in flight can overlap that wait).
 *
 * @param {{ K: Module, O: Module }} mods
 * @param {any} loader
 * @param {{ device: string, mover: (b: any) => unknown, model: any, state: any, loss: any }} ctx
 * @param {number} prefetch
 * @returns {Promise<EpochRun>}
 */
async function runEpoch({ K, O }, loader, ctx, prefetch) {
  const before = K.memory(ctx.device).liveTensors;
  let steps = 0;
  let lastLoss = Number.NaN;
  const t0 = performance.now();
  await O.train(ctx.loss, ctx.model, loader[DEVICE_ITERATOR](ctx.mover, { prefetch }), ctx.state, {
    onStep: (/** @type {{ loss: number }} */ s) => {
      steps++;
      lastLoss = s.loss;
    },
  });
  await ctx.model.W2.data(); // the last update has landed (a no-op wait on a CPU device)
  const seconds = (performance.now() - t0) / 1e3;
  return { prefetch, seconds, steps, lastLoss, leakedTensors: K.memory(ctx.device).liveTensors - before };
}

/**
 * @typedef {object} DataEpochResult
 * @property {string} device
 * @property {string} detail
 * @property {DataEpochOptions} options
 * @property {number} samples per epoch (whole batches only)
 * @property {EpochRun[]} epochs in the order run
 * @property {{ prefetch: number, medianS: number, minS: number, maxS: number, samplesPerS: number }[]} variants
 * @property {number} ratio samples/s with prefetch ÷ without
 */

/**
 * Loads Fashion-MNIST, then times `reps` epochs with `prefetch` and `reps` without, interleaved
 * (A B A B ...) after one short warm-up epoch each, on one device.
 *
 * @param {{ K: Module, D: Module, O: Module }} mods built @flux/kernels, @flux/data, @flux/optim
 * @param {DataEpochOptions} options
 * @param {(msg: string) => void} log
 * @returns {Promise<DataEpochResult>}
 * @example const r = await runDataEpochs(mods, { ...DATA_DEFAULTS }, console.error); r.ratio // 1.02
 */
export async function runDataEpochs(mods, options, log) {
  const { K, D, O } = mods;
  if (typeof K.cpuKernelsReady === "function") await K.cpuKernelsReady();
  const { device, detail } = await pickDevice(K, options.device);
  const full = await D.FashionMNIST({ dir: options.dir, flatten: true });
  const total = full.targets.length;
  const n = Math.min(options.train, total);
  const range = (/** @type {number} */ k) => Array.from({ length: k }, (_, i) => i);
  const data = D.obsview({ x: full.features, y: full.targets }, range(n));
  const warm = D.obsview({ x: full.features, y: full.targets }, range(Math.min(n, 8 * DATA_MLP.batch)));
  const loaderOf = (/** @type {any} */ d, /** @type {number} */ seed) =>
    D.DataLoader(d, { batchsize: DATA_MLP.batch, shuffle: true, partial: false, rng: K.rng(seed) });
  const model = makeModel(K, device);
  const ctx = {
    device,
    mover: batchMover(K, device),
    model,
    state: O.setup(O.Adam(1e-3), model),
    loss: lossFn(K),
  };
  const variants = [options.prefetch, 0];
  log(
    `data: ${device}, ${n} of ${total} samples, batch ${DATA_MLP.batch}, prefetch ${variants.join(" vs ")}`,
  );
  for (const p of variants) await runEpoch(mods, loaderOf(warm, 7), ctx, p);
  const loader = loaderOf(data, 2);
  /** @type {EpochRun[]} */
  const epochs = [];
  for (let r = 0; r < options.reps; r++) {
    for (const p of variants) {
      const e = await runEpoch(mods, loader, ctx, p);
      epochs.push(e);
      log(
        `data: epoch ${epochs.length}, prefetch ${p}: ${e.seconds.toFixed(2)} s, loss ${e.lastLoss.toFixed(3)}`,
      );
    }
  }
  const samples = Math.floor(n / DATA_MLP.batch) * DATA_MLP.batch;
  const summary = variants.map((p) => {
    const s = epochs.filter((e) => e.prefetch === p).map((e) => e.seconds);
    const medianS = median(s);
    return {
      prefetch: p,
      medianS,
      minS: Math.min(...s),
      maxS: Math.max(...s),
      samplesPerS: samples / medianS,
    };
  });
  return {
    device,
    detail,
    options,
    samples,
    epochs,
    variants: summary,
    ratio: summary[0].samplesPerS / summary[1].samplesPerS,
  };
}

/**
 * The data group's markdown: the harness's table form (speeds, the ratio column, the target column) plus
 * notes on spread, leaks and the loss.
 *
 * @param {DataEpochResult} r
 * @returns {string}
 * @example renderDataTable(await runDataEpochs(mods, opts, log)).startsWith("### Data") // true
 */
export function renderDataTable(r) {
  const [pf, none] = r.variants;
  const label = `Fashion-MNIST MLP 784-256-10 epoch (Adam, batch ${DATA_MLP.batch}, ${r.samples} samples), ${r.device}`;
  const verdict = `${PREFETCH_TARGET.text}: **${prefetchVerdict(r.ratio)}** (${formatNumber(r.ratio)}x)`;
  const row = (/** @type {string[]} */ c) => `| ${c.join(" | ")} |`;
  const spread = (/** @type {typeof pf} */ v) =>
    `prefetch ${v.prefetch}: ${formatNumber(v.minS)}-${formatNumber(v.maxS)} s over ${r.options.reps} epochs`;
  const leaks = r.epochs.filter((e) => e.leakedTensors !== 0);
  // The harness's noisy-cell rule (median > 1.25x the fastest sample): then a miss may be the machine.
  const noisy = r.variants.filter((v) => v.medianS > 1.25 * v.minS).map((v) => `prefetch ${v.prefetch}`);
  return [
    "### Data (device iterator)",
    "",
    row(["workload", "unit", `prefetch ${pf.prefetch}`, "prefetch 0", "÷ prefetch 0", "target (issue)"]),
    row(["---", "---", "---:", "---:", "---:", "---"]),
    row([
      label,
      "samples/s",
      formatNumber(pf.samplesPerS),
      formatNumber(none.samplesPerS),
      `${formatNumber(r.ratio)}x`,
      verdict,
    ]),
    row([
      label,
      "s per epoch",
      formatNumber(pf.medianS),
      formatNumber(none.medianS),
      `${formatNumber(none.medianS / pf.medianS)}x`,
      "",
    ]),
    "",
    `- device: ${r.detail}`,
    `- epochs interleaved (prefetch ${pf.prefetch}, then 0, ${r.options.reps} times) after one warm-up epoch of 8 batches each; medians; spread: ${spread(pf)}; ${spread(none)}`,
    `- @flux/optim train() over loader[Symbol.for("flux.deviceIterator")](dev, { prefetch }): reads each step's loss back; last loss ${formatNumber(r.epochs.at(-1)?.lastLoss ?? Number.NaN)}`,
    leaks.length === 0
      ? "- live tensors on the device: unchanged by every epoch"
      : `- live tensors on the device changed in ${leaks.length} epochs (${leaks.map((e) => e.leakedTensors).join(", ")}): a leak`,
    noisy.length === 0
      ? "- spread within the harness's noise rule (median ≤ 1.25x fastest epoch) for both variants"
      : `- noisy (median > 1.25x fastest epoch): ${noisy.join(", ")}; the machine was busy, rerun with more --data-reps`,
  ].join("\n");
}

/**
 * Runs the data group with the BUILT packages (like a user: Node ignores the @flux/source condition) and
 * renders its table.
 *
 * @param {DataEpochOptions} options
 * @param {(msg: string) => void} log
 * @returns {Promise<{ result: DataEpochResult, markdown: string }>}
 * @example const { markdown } = await runDataGroup({ ...DATA_DEFAULTS }, console.error);
 */
export async function runDataGroup(options, log) {
  /** @type {Module[]} */
  let mods;
  try {
    mods = await Promise.all([import("@flux/kernels"), import("@flux/data"), import("@flux/optim")]);
  } catch (e) {
    throw new BenchError(
      "PEER_FAILED",
      `could not load the built @flux/kernels, @flux/data or @flux/optim (${/** @type {Error} */ (e).message}); build them first: npx turbo run build --filter=@flux-apps/bench...`,
      { cause: e },
    );
  }
  const [K, D, O] = mods;
  const result = await runDataEpochs({ K, D, O }, options, log);
  return { result, markdown: renderDataTable(result) };
}
