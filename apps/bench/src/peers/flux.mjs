// Our side: the same cells written with the public @flux/kernels API, as a user would write them.
// The module is passed in, so the current build and a --baseline build run through identical code.
// Julia order throughout: x is [features, batch], W is [out, in], a bias is [out, 1] and broadcasts.

import { measure } from "../measure.mjs";
import { formatNumber } from "../report.mjs";

/** @typedef {any} Kernels the namespace of a built @flux/kernels (any version: names are feature-tested) */

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
 * A hand-written Adam (Optimisers.jl's defaults, η = 1e-3) on @flux/kernels ops, updating in place with
 * `assign`. It lives here, not in @flux/optim, so that a `--baseline` build of @flux/kernels (loaded beside the
 * current one) runs exactly the same update; the table says so.
 *
 * @param {Kernels} K
 * @param {any[]} params
 */
export function handAdam(K, params, { eta = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = {}) {
  const [tidy, add, mul, sub, div, sqrt, assign, zerosLike] = [
    "tidy",
    "add",
    "mul",
    "sub",
    "div",
    "sqrt",
    "assign",
    "zerosLike",
  ].map((n) => need(K, n));
  const m = params.map((p) => zerosLike(p));
  const v = params.map((p) => zerosLike(p));
  let t = 0;
  return {
    /** @param {any[]} grads one per parameter */
    step(grads) {
      t += 1;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      tidy(() => {
        params.forEach((p, i) => {
          const g = grads[i];
          assign(m[i], add(mul(m[i], beta1), mul(g, 1 - beta1)));
          assign(v[i], add(mul(v[i], beta2), mul(mul(g, g), 1 - beta2)));
          assign(p, sub(p, div(mul(m[i], eta / c1), add(sqrt(mul(v[i], 1 / c2)), eps))));
        });
      });
    },
    dispose() {
      for (const x of [...m, ...v]) x.dispose();
    },
  };
}

/**
 * Builds one cell's call on `device` ("cpu" or "webgpu").
 *
 * @param {Kernels} K
 * @param {import("../workloads.mjs").Cell} cell
 * @param {string} device
 * @returns {{ run: () => unknown, dispose: () => void, alt?: { label: string, run: () => unknown } }}
 *   `alt`: the same work written as the unfused op chain, timed too and shown in the notes
 */
function prepare(K, cell, device) {
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
  const forward = fused ? denseForward : chainForward;
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
  // Training step: logit cross-entropy (Flux's logitcrossentropy, mean over the batch) + Adam.
  const [gradient, logsoftmax, sum, tensor] = ["gradient", "logsoftmax", "sum", "tensor"].map((n) =>
    need(K, n),
  );
  const classes = sizes[sizes.length - 1];
  const hot = new Float32Array(classes * batch);
  for (let j = 0; j < batch; j++) hot[j * classes + ((j * 7) % classes)] = 1; // column-major: class j*7 mod 10
  const onehot = tensor(hot, [classes, batch], { device });
  /** @param {any[]} ps */
  const loss = (ps) => mul(sum(mul(onehot, logsoftmax(forward(ps)))), -1 / batch);
  const adam = handAdam(K, params);
  return {
    run: () => {
      const [grads] = gradient(loss, params);
      adam.step(grads);
      for (const g of grads) g?.dispose();
      // The updated parameters are what a GPU step must finish writing before the next one is timed.
      if (mustAwait) return params[0].data();
      return undefined;
    },
    dispose: () => {
      adam.dispose();
      onehot.dispose();
      disposeAll();
    },
  };
}

/**
 * Runs every cell with a @flux/kernels module on one device and returns the measurements.
 *
 * @param {Kernels} K
 * @param {string} device "cpu" or "webgpu"
 * @param {import("../workloads.mjs").Cell[]} cells
 * @param {import("../measure.mjs").MeasureOptions} options
 * @param {(msg: string) => void} log
 * @returns {Promise<import("./types.mjs").SystemRun>}
 * @example const r = await runFlux(await import("@flux/kernels"), "cpu", cells, { budgetS: 1 }, console.error);
 */
export async function runFlux(K, device, cells, options, log) {
  const info = { version: K.VERSION ?? "?", device, cpuKernel: "" };
  if (device === "cpu") info.cpuKernel = await cpuKernelDescription(K);
  else await need(K, "getBackend")(device); // loads the backend (and its adapter) before the first cell
  /** @type {import("./types.mjs").SystemRun["results"]} */
  const results = {};
  for (const cell of cells) {
    try {
      const { run, dispose, alt } = prepare(K, cell, device);
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
