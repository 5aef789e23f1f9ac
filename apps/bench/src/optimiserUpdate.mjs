#!/usr/bin/env node
// The optimiser update, fused against the reference path, on one CPU thread (a standalone bench:
// `node apps/bench/src/optimiserUpdate.mjs [--rounds N]`, after `npx turbo run build --filter=@flux/optim`).
//
// Rows, each timed through the public API (`setup(Adam(), model)` + `updateInPlace`), fused and reference
// (FLUX_FUSED_OPTIM=0, the rules' element-wise ops) interleaved round by round in this one process:
//   adam-update 1M      one 1M-element f32 parameter
//   adam-update MLP     the 203,530 parameters of an MLP 784-256-10
//   MLP train step      Chain(Dense(784 => 256, relu), Dense(256 => 10)), batch 64: withgradient of
//                       logitcrossentropy, then updateInPlace (the loop the README writes), ms per step
// GB/s counts the bytes a one-pass Adam must move per element: x, g, m, v read and x, m, v written (28 bytes
// in f32); the reference path moves more, so its figure is the same work divided by its time.
import { Adam, setup, updateInPlace } from "@flux/optim";
import {
  cpuKernelInfo,
  cpuKernelsReady,
  dispose,
  onehotbatch,
  randn,
  relu,
  setCpuThreads,
  withgradient,
} from "@flux/kernels";
import { Chain, Dense, apply, logitcrossentropy } from "@flux/layers";

const argv = process.argv.slice(2);
const rounds = argv.includes("--rounds") ? Number(argv[argv.indexOf("--rounds") + 1]) : 7;
const BYTES_PER_ELEMENT = 28;

/**
 * @typedef {{ gradient: number[], update: number[] }} Phases
 * @typedef {{ fused: boolean, step: () => unknown, times: number[], phases?: Phases }} Path
 * @typedef {{ label: string, n?: number, unit: string, paths: Path[] }} Row
 */

/** Median of a list. @param {number[]} values */
function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Seconds per call of `fn`: as many calls as fit in `budgetMs` (at least 3), the median of their times.
 *
 * @param {() => unknown} fn
 * @param {number} budgetMs
 */
function timeCalls(fn, budgetMs) {
  const times = [];
  const end = performance.now() + budgetMs;
  while (times.length < 3 || performance.now() < end) {
    const t = performance.now();
    fn();
    times.push((performance.now() - t) / 1e3);
  }
  return median(times);
}

/**
 * Runs `fn` with the fused optimiser path on or off.
 *
 * @template T
 * @param {boolean} fused
 * @param {() => T} fn
 * @returns {T}
 */
function withPath(fused, fn) {
  const before = process.env.FLUX_FUSED_OPTIM;
  process.env.FLUX_FUSED_OPTIM = fused ? "1" : "0";
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.FLUX_FUSED_OPTIM;
    else process.env.FLUX_FUSED_OPTIM = before;
  }
}

/**
 * An Adam update row: `sizes` parameters with fixed gradients; one state per path.
 *
 * @param {string} label
 * @param {number[][]} sizes
 * @returns {Row}
 */
function adamRow(label, sizes) {
  const n = sizes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
  const paths = [true, false].map((fused) => {
    const model = sizes.map((s) => randn(s));
    const grad = sizes.map((s) => randn(s));
    const state = setup(Adam(), model);
    const step = () => updateInPlace(state, model, grad);
    withPath(fused, () => {
      for (let i = 0; i < 5; i++) step();
    });
    return { fused, step, times: /** @type {number[]} */ ([]) };
  });
  return { label, n, paths, unit: "GB/s" };
}

/**
 * The MLP train step row.
 *
 * @param {number} batch
 * @returns {Row}
 */
function mlpRow(batch) {
  const paths = [true, false].map((fused) => {
    const model = Chain(Dense(784, 256, relu), Dense(256, 10));
    const x = randn([784, batch]);
    const y = onehotbatch(
      Array.from({ length: batch }, (_, i) => i % 10),
      [...Array(10).keys()],
    );
    const state = setup(Adam(), model);
    /** @type {Phases} */
    const phases = { gradient: [], update: [] };
    const step = () => {
      const t0 = performance.now();
      const { val, grad } = withgradient((m) => logitcrossentropy(apply(m, x), y), model);
      const t1 = performance.now();
      updateInPlace(state, model, grad[0]);
      phases.gradient.push(t1 - t0);
      phases.update.push(performance.now() - t1);
      dispose([val, grad]);
    };
    withPath(fused, () => {
      for (let i = 0; i < 5; i++) step();
    });
    return { fused, step, times: /** @type {number[]} */ ([]), phases };
  });
  return { label: `MLP 784-256-10 train step, batch ${batch}`, paths, unit: "ms/step" };
}

setCpuThreads(1);
await cpuKernelsReady();
const mlpSizes = [[256, 784], [256], [10, 256], [10]];
const rows = [
  adamRow("adam-update, 1M f32", [[1 << 20]]),
  adamRow("adam-update, MLP 784-256-10 (203,530 f32)", mlpSizes),
  mlpRow(64),
];
for (let r = 0; r < rounds; r++) {
  for (const row of rows) {
    // Alternate which path goes first so drift in machine load hits both alike.
    const order = r % 2 === 0 ? row.paths : [...row.paths].reverse();
    for (const p of order) p.times.push(withPath(p.fused, () => timeCalls(p.step, 150)));
  }
}

const kernel = cpuKernelInfo();
console.log(
  `optimiser update, fused vs reference, ${rounds} interleaved rounds, medians; CPU kernel ${kernel.kind}, ${kernel.threads} thread`,
);
console.log("| row | fused | reference (FLUX_FUSED_OPTIM=0) | speed-up |");
console.log("| --- | --- | --- | --- |");
for (const row of rows) {
  const [fused, ref] = row.paths.map((p) => median(p.times));
  const show = (/** @type {number} */ s) =>
    row.unit === "GB/s"
      ? `${((BYTES_PER_ELEMENT * (row.n ?? 0)) / s / 1e9).toFixed(2)} GB/s (${(s * 1e3).toFixed(3)} ms)`
      : `${(s * 1e3).toFixed(2)} ms`;
  console.log(`| ${row.label} | ${show(fused)} | ${show(ref)} | ${(ref / fused).toFixed(2)}x |`);
}
const mlp = rows[rows.length - 1];
const [f, r] = mlp.paths.map((p) => /** @type {Phases} */ (p.phases));
const ms = (/** @type {number[]} */ v) => `${median(v).toFixed(2)} ms`;
console.log(
  `\nMLP step profile (medians over all calls): forward + backward ${ms(f.gradient)} fused / ${ms(r.gradient)} reference; ` +
    `update ${ms(f.update)} fused / ${ms(r.update)} reference.`,
);
