// Inputs and comparisons shared by the WebGPU vitest suites that check a kernel against the CPU: seeded
// pseudo-random data (the same numbers on every run and machine) and a relative-error check. Not part of
// the published API (nothing in the package entry points imports it); tests import this file by path.
import { expect } from "vitest";
import type { Tensor } from "../tensor.js";

/**
 * `n` values in [-scale, scale) from a linear congruential generator started at `seed`.
 *
 * @example
 * k.tensor(seeded(6, 1), [2, 3]);
 */
export function seeded(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return scale * ((2 * s) / 2 ** 32 - 1);
  });
}

/**
 * Expects `got` (read back from any device) to have `want`'s shape and, element by element,
 * |got - want| / (1 + |want|) < `tolerance`.
 *
 * @example
 * await expectClose(onGpu, onCpu, 2e-5);
 */
export async function expectClose(got: Tensor, want: Tensor, tolerance: number): Promise<void> {
  const g = await got.data();
  const w = want.dataSync();
  expect([...got.shape]).toEqual([...want.shape]);
  let worst = 0;
  for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(g[i]! - w[i]!) / (1 + Math.abs(w[i]!)));
  expect(worst).toBeLessThan(tolerance);
}
