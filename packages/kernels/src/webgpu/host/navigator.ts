// How Deno and browsers get WebGPU: the built-in `navigator.gpu`. Selected by the package's `imports`
// conditions (deno, browser, default), so browser bundles never see the Node-only Dawn module.
import { WebGPUUnavailableError } from "../errors.js";
import type { WebGPUHostCheck } from "./vulkan.js";

export type { WebGPUHostCheck } from "./vulkan.js";

function noApi(): WebGPUHostCheck & { ok: false } {
  const g = globalThis as { Deno?: unknown; isSecureContext?: boolean; document?: unknown };
  if (g.Deno !== undefined) {
    return {
      ok: false,
      code: "no-webgpu-api",
      reason: "this Deno has no navigator.gpu",
      hint: "Use Deno 2 or later (WebGPU is built in), and a Vulkan, Metal or D3D12 driver for your GPU.",
    };
  }
  if (g.document !== undefined || g.isSecureContext !== undefined) {
    return {
      ok: false,
      code: "no-webgpu-api",
      reason:
        g.isSecureContext === false
          ? "this page is not a secure context, and browsers offer WebGPU only to https:// and localhost pages"
          : "this browser has no WebGPU (navigator.gpu is undefined)",
      hint:
        g.isSecureContext === false
          ? "Serve the page over https:// (or from localhost)."
          : "Use a browser with WebGPU (Chrome or Edge 113+, Safari 26+, Firefox 141+), and check that it is " +
            "not turned off (chrome://gpu lists WebGPU's status; headless Chromium needs --enable-unsafe-webgpu).",
    };
  }
  return {
    ok: false,
    code: "no-webgpu-api",
    reason: "this runtime has no navigator.gpu",
    hint: "Use a browser with WebGPU, Deno 2, or Node/Bun with the `webgpu` package, or pass a GPU object with registerWebGPU({ gpu }).",
  };
}

/**
 * Whether WebGPU can start here: `navigator.gpu` exists (an adapter may still be missing).
 */
export async function hostCheck(): Promise<WebGPUHostCheck> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  return gpu === undefined ? noApi() : { ok: true, softwareOnly: false };
}

/**
 * The runtime's `GPU` object.
 */
export async function hostGpu(): Promise<GPU> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu === undefined) {
    const check = noApi();
    const err = new WebGPUUnavailableError(`webgpu: ${check.reason}. ${check.hint}`);
    Object.assign(err, { problem: check.code, reason: check.reason, hint: check.hint });
    throw err;
  }
  return gpu;
}
