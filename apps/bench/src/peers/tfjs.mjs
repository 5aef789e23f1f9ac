// TensorFlow.js peers (cpu, wasm, webgpu backends): the same workloads written the way tfjs users write them.
// `@tensorflow/tfjs` (not tfjs-core) because only the full package registers the gradients training needs.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { measure } from "../measure.mjs";
import { installNodeWebGpu } from "../webgpuEnv.mjs";

const require = createRequire(import.meta.url);

/** The tfjs backends this harness knows, by peer id. */
export const TFJS_BACKENDS = { "tfjs-cpu": "cpu", "tfjs-wasm": "wasm", "tfjs-webgpu": "webgpu" };

/** @returns {string} the installed @tensorflow/tfjs version */
export function tfjsVersion() {
  return require("@tensorflow/tfjs/package.json").version;
}

/**
 * Loads tfjs and switches it to `backend`, registering the wasm and webgpu backends on first use.
 *
 * @param {"cpu" | "wasm" | "webgpu"} backend
 * @returns {Promise<{ tf: typeof import("@tensorflow/tfjs"), detail: string }>}
 */
async function useBackend(backend) {
  const tf = await import("@tensorflow/tfjs");
  // Production mode, as an app would ship: no debug checks, and no "install tfjs-node" banner in the table.
  tf.env().set("PROD", true);
  let detail = "";
  if (backend === "wasm" && !tf.findBackend("wasm")) {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    // Node's loader takes a file path; tfjs cannot start wasm threads in Node, so this runs one thread.
    wasm.setWasmPaths(
      join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/",
    );
  }
  if (backend === "webgpu" && !tf.findBackend("webgpu")) {
    const { adapter } = await installNodeWebGpu(); // before the import: the package registers only if navigator.gpu exists
    await import("@tensorflow/tfjs-backend-webgpu");
    detail = adapter;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend("${backend}") failed`);
  await tf.ready();
  if (backend === "wasm") {
    const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
    const threads = tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT");
    detail = `${simd ? "SIMD" : "no SIMD"}, ${threads ? "threads" : "1 thread"}`;
  }
  return { tf, detail };
}

/**
 * Builds one cell's call for tfjs. Row-major tfjs layout (batch first) with the same FLOPs as ours.
 *
 * @param {typeof import("@tensorflow/tfjs")} tf
 * @param {import("../workloads.mjs").Cell} cell
 * @param {boolean} mustAwait GPU backends: read the result back so the timing covers the work itself
 * @returns {{ run: () => unknown, dispose: () => void }}
 */
function prepare(tf, cell, mustAwait) {
  /** @param {import("@tensorflow/tfjs").Tensor} t */
  const finish = (t) => {
    if (!mustAwait) return t.dispose();
    return t.data().then(() => t.dispose());
  };
  const seed = 1;
  if (cell.kind === "matmul") {
    const n = /** @type {number} */ (cell.n);
    const a = tf.randomNormal([n, n], 0, 1, "float32", seed);
    const b = tf.randomNormal([n, n], 0, 1, "float32", seed + 1);
    return { run: () => finish(tf.matMul(a, b)), dispose: () => tf.dispose([a, b]) };
  }
  if (cell.kind === "axpb-relu") {
    const x = tf.randomNormal([/** @type {number} */ (cell.n)], 0, 1, "float32", seed);
    const a = tf.scalar(/** @type {number} */ (cell.a));
    const b = tf.scalar(/** @type {number} */ (cell.b));
    return {
      run: () => finish(tf.tidy(() => tf.relu(tf.add(tf.mul(x, a), b)))),
      dispose: () => tf.dispose([x, a, b]),
    };
  }
  const sizes = /** @type {number[]} */ (cell.sizes);
  const batch = /** @type {number} */ (cell.batch);
  /** @type {import("@tensorflow/tfjs").Variable[]} */
  const params = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const w = tf.randomNormal([sizes[i], sizes[i + 1]], 0, Math.sqrt(2 / sizes[i]), "float32", seed + i);
    params.push(tf.variable(w), tf.variable(tf.zeros([sizes[i + 1]])));
    w.dispose();
  }
  const x = tf.randomNormal([batch, sizes[0]], 0, 1, "float32", seed + 10);
  /** @param {import("@tensorflow/tfjs").Tensor} input */
  const forward = (input) => {
    let h = input;
    for (let i = 0; i < params.length; i += 2) {
      h = tf.add(tf.matMul(h, params[i]), params[i + 1]);
      if (i + 2 < params.length) h = tf.relu(h);
    }
    return h;
  };
  const disposeAll = () => tf.dispose([x, ...params]);
  if (cell.kind === "mlp-forward")
    return { run: () => finish(tf.tidy(() => forward(x))), dispose: disposeAll };
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => (i * 7) % sizes[sizes.length - 1]),
    "int32",
  );
  const onehot = tf.oneHot(labels, sizes[sizes.length - 1]);
  labels.dispose();
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const loss = () =>
    /** @type {import("@tensorflow/tfjs").Scalar} */ (tf.losses.softmaxCrossEntropy(onehot, forward(x)));
  return {
    run: () =>
      finish(/** @type {import("@tensorflow/tfjs").Scalar} */ (optimizer.minimize(loss, true, params))),
    dispose: () => {
      optimizer.dispose();
      onehot.dispose();
      disposeAll();
    },
  };
}

/**
 * Runs every cell on one tfjs backend and returns its measurements (or a per-cell error).
 *
 * @param {"tfjs-cpu" | "tfjs-wasm" | "tfjs-webgpu"} peer
 * @param {import("../workloads.mjs").Cell[]} cells
 * @param {import("../measure.mjs").MeasureOptions} options
 * @param {(msg: string) => void} log
 * @returns {Promise<import("./types.mjs").SystemRun>}
 */
export async function runTfjs(peer, cells, options, log) {
  const backend = /** @type {"cpu" | "wasm" | "webgpu"} */ (TFJS_BACKENDS[peer]);
  const { tf, detail } = await useBackend(backend);
  /** @type {import("./types.mjs").SystemRun["results"]} */
  const results = {};
  for (const cell of cells) {
    try {
      const { run, dispose } = prepare(tf, cell, backend === "webgpu");
      try {
        results[cell.id] = await measure(run, options);
      } finally {
        dispose();
      }
    } catch (e) {
      results[cell.id] = { error: String(/** @type {Error} */ (e)?.message ?? e) };
    }
    log(`${peer} ${cell.id}`);
  }
  return { info: { tfjs: tfjsVersion(), backend, detail }, results };
}
