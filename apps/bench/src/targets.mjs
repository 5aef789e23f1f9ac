// The kernels issue's performance targets, checked against each run (the table's "target" column).

/**
 * @typedef {object} TargetContext
 * @property {string} kernelKind our CPU kernel kind, from `cpuKernelInfo()` when exported ("" otherwise)
 */

/**
 * @typedef {object} Target
 * @property {string[]} cells cell ids it applies to
 * @property {string | null} against the peer whose speed we divide by; null for an absolute speed
 * @property {(ctx: TargetContext) => number} min the lowest passing ratio (or speed, when absolute)
 * @property {(ctx: TargetContext) => string | null} [notApplicable] why it does not apply to this run
 */

/** True when the kernel kind says our CPU GEMM uses relaxed SIMD (`f32x4.relaxed_madd`). */
const relaxed = (/** @type {TargetContext} */ ctx) => /relaxed/i.test(ctx.kernelKind);

/** @type {Target[]} */
export const TARGETS = [
  { cells: ["matmul-512", "matmul-1024"], against: "tfjs-wasm", min: (ctx) => (relaxed(ctx) ? 4 : 3) },
  {
    cells: ["matmul-512", "matmul-1024"],
    against: "numpy",
    min: () => 0.85,
    // The issue asks for 0.85x numpy only when our CPU kernels call the system BLAS.
    notApplicable: (ctx) =>
      /blas|accelerate/i.test(ctx.kernelKind) ? null : "our CPU kernel does not use a system BLAS",
  },
  { cells: ["mlp-train-b128"], against: "tfjs-wasm", min: () => 2.5 },
  { cells: ["mlp-forward-b128"], against: "tfjs-wasm", min: () => 2 },
  { cells: ["axpb-relu-1M"], against: null, min: () => 8 },
];

/**
 * @typedef {object} TargetVerdict
 * @property {string} text e.g. "≥3x tfjs-wasm" or "≥8 GB/s"
 * @property {"pass" | "miss" | "n/a"} status
 * @property {number | null} value the measured ratio or speed
 * @property {string} [why] why it is n/a
 */

/**
 * Checks every target that applies to `cell`, given our speed and the peers' speeds (null when missing).
 *
 * @param {import("./workloads.mjs").Cell} cell
 * @param {number | null} ours our speed in the cell's unit
 * @param {Record<string, number | null>} peers speeds by peer id
 * @param {TargetContext} ctx
 * @returns {TargetVerdict[]}
 * @example evaluateTargets(cell, 40, { "tfjs-wasm": 12 }, { kernelKind: "wasm-simd" }) // [{ status: "pass", ... }]
 */
export function evaluateTargets(cell, ours, peers, ctx) {
  /** @type {TargetVerdict[]} */
  const out = [];
  for (const t of TARGETS) {
    if (!t.cells.includes(cell.id)) continue;
    const min = t.min(ctx);
    const text = t.against ? `≥${min}x ${t.against}` : `≥${min} ${cell.unit}`;
    const why = t.notApplicable?.(ctx) ?? null;
    if (why) {
      out.push({ text, status: "n/a", value: null, why });
      continue;
    }
    const peer = t.against ? (peers[t.against] ?? null) : 1;
    if (ours === null || peer === null) {
      out.push({
        text,
        status: "n/a",
        value: null,
        why: ours === null ? "our cell did not run" : `${t.against} did not run`,
      });
      continue;
    }
    const value = ours / peer;
    out.push({ text, status: value >= min ? "pass" : "miss", value });
  }
  return out;
}
