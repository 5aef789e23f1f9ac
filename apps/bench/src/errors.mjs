// The harness's one error class: a stable `code` so scripts can tell a bad flag from a broken baseline.

/**
 * An error raised by the bench harness itself (bad flags, a baseline that cannot be built, a peer that
 * cannot start). Messages start with `[@flux-apps/bench]` and say what to do next.
 *
 * @example
 * throw new BenchError("BAD_FLAG", "unknown peer 'torch'; choose from tfjs-cpu, tfjs-wasm, numpy");
 */
export class BenchError extends Error {
  /**
   * @param {"BAD_FLAG" | "NO_BASELINE_KERNELS" | "BASELINE_BUILD_FAILED" | "BAD_REF" | "PEER_FAILED"} code
   * @param {string} message what was tried and what to do next (the prefix is added here)
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(`[@flux-apps/bench] ${message}`, options);
    this.name = "BenchError";
    this.code = code;
  }
}
