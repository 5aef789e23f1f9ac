// numpy peer: the BLAS reference. A python3 child runs numpy_bench.py with the same cells and timing loop.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { BenchError } from "../errors.mjs";

const SCRIPT = fileURLToPath(new URL("./numpy_bench.py", import.meta.url));

/**
 * The child's environment: ours, minus OpenBLAS overrides. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set
 * on this machine for other tools; numpy must pick its own kernels, or it is not the reference it claims to be.
 *
 * @param {NodeJS.ProcessEnv} env
 * @returns {NodeJS.ProcessEnv}
 */
export function numpyEnv(env) {
  const { OPENBLAS_CORETYPE: _core, OPENBLAS_L2_SIZE: _l2, ...rest } = env;
  return rest;
}

/**
 * Runs the cells in `python3` with numpy and returns their measurements.
 *
 * @param {import("../workloads.mjs").Cell[]} cells
 * @param {import("../measure.mjs").MeasureOptions} options
 * @param {{ python?: string }} [opts] `python` defaults to $PYTHON or python3
 * @returns {Promise<import("./types.mjs").SystemRun>}
 * @example const { results } = await runNumpy(selectCells(["matmul"]), { budgetS: 1 });
 */
export function runNumpy(cells, options, { python = process.env.PYTHON || "python3" } = {}) {
  const request = {
    cells,
    budget_s: options.budgetS,
    min_sample_s: options.minSampleS ?? 0.002,
    max_reps: options.maxReps ?? 200,
    slow_s: options.slowS ?? Math.max(2 * options.budgetS, 3),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SCRIPT], { env: numpyEnv(process.env), stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) =>
      reject(
        new BenchError(
          "PEER_FAILED",
          `could not start ${python} for the numpy peer (${e.message}); install python3 with numpy, or leave numpy out of --peers`,
          { cause: e },
        ),
      ),
    );
    child.on("close", (code) => {
      if (code !== 0) {
        const hint = /No module named .numpy/.test(err)
          ? "numpy is not installed for this python (pip install numpy)"
          : err.trim().split("\n").slice(-3).join(" | ");
        reject(
          new BenchError(
            "PEER_FAILED",
            `the numpy peer exited with code ${code}: ${hint}; leave numpy out of --peers to skip it`,
          ),
        );
        return;
      }
      const parsed = JSON.parse(out);
      /** @type {import("./types.mjs").SystemRun["results"]} */
      const results = {};
      for (const [id, m] of Object.entries(parsed.results)) {
        results[id] = m.error
          ? { error: m.error }
          : {
              medianS: m.median_s,
              reps: m.reps,
              inner: m.inner,
              minS: m.min_s,
              maxS: m.max_s,
              ...(m.note ? { note: m.note } : {}),
            };
      }
      resolve({ info: parsed.info, results });
    });
    child.stdin.end(JSON.stringify(request));
  });
}
