// How every in-process cell is timed: warm-up, then medians of repeated samples within a time budget.
// apps/bench/src/peers/bench_measure.py mirrors this loop in Python (numpy and PyTorch peers) so all sides are measured alike.

/**
 * @typedef {object} Measurement
 * @property {number} medianS median seconds per call
 * @property {number} reps samples taken (each sample is `inner` back-to-back calls)
 * @property {number} inner calls per sample (more than 1 for calls too short to time alone)
 * @property {number} minS
 * @property {number} maxS
 * @property {number} [cpuMedianS] median process CPU seconds per call (user + system, every thread of the
 *   process): on a busy machine a one-thread workload's CPU time moves far less than its wall time
 * @property {string} [note] e.g. "one run (slow)" when a single call exceeded twice the budget
 */

/**
 * @typedef {object} MeasureOptions
 * @property {number} budgetS seconds of sampling per cell after warm-up
 * @property {number} [minSampleS] shortest sample worth timing; faster calls are repeated inside one sample
 * @property {number} [maxReps] stop after this many samples even if time is left
 * @property {number} [slowS] a warm-up call slower than this is the only run (default: 2 budgets, at least 3 s)
 * @property {() => void} [beforeSamples] called once after the warm-up, right before the timed samples
 */

/**
 * The median of a non-empty list of numbers.
 *
 * @param {number[]} values
 * @returns {number}
 * @example median([3, 1, 2]) // 2
 */
export function median(values) {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Times `run` (sync, or async for GPU work that must be awaited) and returns the median seconds per call.
 *
 * One warm-up call always runs (compilation, allocation of pools); a second one when the first was quick.
 * A warm-up slower than `slowS` is reported as the only run: a 4 s tfjs-cpu matmul must not hold the
 * bench for 20 s. Slower than the budget: one measured call after it (so a GPU's first call, which compiles
 * pipelines, is never the one reported). Otherwise at least 3 samples.
 *
 * @param {() => unknown} run one call of the workload
 * @param {MeasureOptions} options
 * @returns {Promise<Measurement>}
 * @example const m = await measure(() => a.matmul(b), { budgetS: 1 }); // m.medianS
 */
export async function measure(
  run,
  { budgetS, minSampleS = 0.002, maxReps = 200, slowS = Math.max(2 * budgetS, 3), beforeSamples },
) {
  // Only await real promises: an await per sync call would add microtask noise to sub-ms cells.
  let isAsync = false;
  const call = () => {
    const r = /** @type {any} */ (run());
    if (r && typeof r.then === "function") {
      isAsync = true;
      return r;
    }
    return undefined;
  };
  let t0 = performance.now();
  await call();
  let first = (performance.now() - t0) / 1e3;
  if (first > slowS)
    return { medianS: first, reps: 1, inner: 1, minS: first, maxS: first, note: "one run (slow)" };
  if (first < budgetS / 4) {
    t0 = performance.now();
    await call();
    first = Math.min(first, (performance.now() - t0) / 1e3);
  }
  const inner = Math.max(1, Math.ceil(minSampleS / Math.max(first, 1e-7)));
  beforeSamples?.();
  /** @type {number[]} */
  const samples = [];
  /** @type {number[]} */
  const cpu = [];
  const deadline = performance.now() + budgetS * 1e3;
  while (samples.length < 3 || (performance.now() < deadline && samples.length < maxReps)) {
    const c0 = process.cpuUsage();
    t0 = performance.now();
    if (isAsync) for (let i = 0; i < inner; i++) await run();
    else for (let i = 0; i < inner; i++) run();
    samples.push((performance.now() - t0) / 1e3 / inner);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6 / inner);
    if (first > budgetS) break; // slow cell: one measured sample after warm-up is all the budget allows
  }
  return {
    medianS: median(samples),
    reps: samples.length,
    inner,
    minS: Math.min(...samples),
    maxS: Math.max(...samples),
    cpuMedianS: median(cpu),
  };
}
