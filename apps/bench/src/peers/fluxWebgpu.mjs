// Our WebGPU side of `--webgpu`: the same cells as the CPU (peers/flux.mjs) on our `webgpu` backend, on the
// SAME Dawn GPU object and adapter as tfjs-webgpu, plus the kernels issue's WebGPU targets (≥3x tfjs-webgpu
// for matmul n=256/512 and the MLP training step, batch 128), rendered under the WebGPU table.

import { formatNumber, speedOf } from "../report.mjs";
import { installNodeWebGpu } from "../webgpuEnv.mjs";
import { runFlux } from "./flux.mjs";

/** The WebGPU targets: our speed ÷ tfjs-webgpu's, on the same adapter. */
export const WEBGPU_TARGETS = [
  { cells: ["matmul-256", "matmul-512", "mlp-train-b128"], against: "tfjs-webgpu", min: 3 },
];

/**
 * Runs every cell on our `webgpu` backend. Dawn is installed as `navigator.gpu` first (the kernels' Node
 * host takes `navigator.gpu` when it exists), so ours and tfjs-webgpu share one GPU object and adapter.
 *
 * @param {import("./flux.mjs").FluxLib} lib the built @flux packages (current or --baseline)
 * @param {import("../workloads.mjs").Cell[]} cells
 * @param {import("../measure.mjs").MeasureOptions} options
 * @param {(msg: string) => void} log
 * @returns {Promise<import("./types.mjs").SystemRun>}
 * @example const r = await runFluxWebgpu(lib, cells, { budgetS: 1 }, console.error);
 */
export async function runFluxWebgpu(lib, cells, options, log) {
  const { adapter } = await installNodeWebGpu();
  const r = await runFlux(lib, "webgpu", cells, options, log);
  const backend = await lib.K.getBackend("webgpu");
  const ours = backend.adapter
    ? `${backend.adapter.vendor} ${backend.adapter.architecture} ${backend.adapter.description}`
        .replace(/\s+/g, " ")
        .trim()
    : adapter;
  return { ...r, info: { ...r.info, adapter: ours } };
}

/**
 * The "WebGPU targets" lines: one per target cell, with the ratio and pass / miss / n/a.
 *
 * @param {import("../report.mjs").BenchRun} run
 * @param {string} subject our system's id (e.g. "flux-webgpu")
 * @returns {string} markdown ("" when no target cell ran)
 * @example renderWebgpuTargets(run, "flux-webgpu") // "### WebGPU targets\n\n- matmul f32 n=256: ≥3x tfjs-webgpu: **pass** (3.6x)\n..."
 */
export function renderWebgpuTargets(run, subject) {
  const lines = [];
  for (const t of WEBGPU_TARGETS) {
    for (const cell of run.cells.filter((c) => t.cells.includes(c.id))) {
      const ours = speedOf(cell, run.systems[subject]);
      const theirs = speedOf(cell, run.systems[t.against]);
      const text = `≥${t.min}x ${t.against}`;
      if (ours === null || theirs === null) {
        const who = ours === null ? "our cell" : t.against;
        lines.push(`- ${cell.label}: ${text}: **n/a** (${who} did not run)`);
        continue;
      }
      const ratio = ours / theirs;
      lines.push(
        `- ${cell.label}: ${text}: **${ratio >= t.min ? "pass" : "miss"}** (${formatNumber(ratio)}x)`,
      );
    }
  }
  return lines.length ? `### WebGPU targets (issue)\n\n${lines.join("\n")}\n` : "";
}
