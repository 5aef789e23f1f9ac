// How Node and Bun get WebGPU: the optional peer package `webgpu` (Google's Dawn). Selected by the
// package's `imports` conditions (bun, node) so browser bundles never contain it; imported with its name in
// a variable so bundlers for Node don't inline it (its native dawn.node must stay a file on disk).
import { WebGPUUnavailableError } from "../errors.js";

const DAWN_PACKAGE = "webgpu";

// Dawn aborts the process if the GPU object returned by create() is garbage-collected while in use: keep
// it reachable for the life of the process.
let kept: GPU | undefined;

/**
 * The process's Dawn `GPU` object (created once). Honours `navigator.gpu` first where a runtime has one.
 *
 * @example
 * const gpu = await hostGpu(); await gpu.requestAdapter();
 */
export async function hostGpu(): Promise<GPU> {
  const builtin = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (builtin !== undefined) return builtin;
  if (kept !== undefined) return kept;
  let mod: { create: (flags: string[]) => GPU };
  try {
    mod = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as typeof mod;
  } catch (cause) {
    throw new WebGPUUnavailableError(
      "webgpu: WebGPU on Node and Bun comes from the optional package `webgpu` (Dawn), which could not be " +
        `loaded (${(cause as Error)?.message ?? String(cause)}). Install it with \`npm i webgpu\`, or pass a GPU ` +
        "object with registerWebGPU({ gpu }).",
      { cause },
    );
  }
  kept = mod.create([]);
  return kept;
}
