// How Deno and browsers get WebGPU: the built-in `navigator.gpu`. Selected by the package's `imports`
// conditions (deno, browser, default), so browser bundles never see the Node-only Dawn module.
import { WebGPUUnavailableError } from "../errors.js";

/**
 * The runtime's `GPU` object.
 *
 * @example
 * const gpu = await hostGpu(); await gpu.requestAdapter();
 */
export async function hostGpu(): Promise<GPU> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu === undefined) {
    throw new WebGPUUnavailableError(
      "webgpu: this runtime has no navigator.gpu. Use a browser with WebGPU enabled (Chrome, Edge, Safari 26+; " +
        "Chromium headless needs --enable-unsafe-webgpu), Deno 2, or pass a GPU object with registerWebGPU({ gpu }).",
    );
  }
  return gpu;
}
