// Makes `navigator.gpu` exist in Node through Dawn (npm `webgpu`), on SwiftShader when there is no GPU.

import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";
const VULKAN_ENV_SCRIPT = fileURLToPath(new URL("../../../tooling/scripts/vulkan-env.mjs", import.meta.url));

/** @type {Promise<{ adapter: string }> | undefined} */
let installed;

/**
 * Installs Dawn's WebGPU as `navigator.gpu` once per process and describes the adapter it found.
 *
 * The Vulkan variables must be in `process.env` before Dawn creates its instance: they come from the
 * repository's tooling/scripts/vulkan-env.mjs when it exists (it knows real GPUs and other distributions),
 * else Debian's SwiftShader ICD is used. The object `create()` returns is kept on `globalThis`: Dawn aborts
 * the process when it is garbage-collected.
 *
 * @returns {Promise<{ adapter: string }>} rejects when the `webgpu` package or an adapter is missing
 * @example await installNodeWebGpu(); const adapter = await navigator.gpu.requestAdapter();
 */
export function installNodeWebGpu() {
  installed ??= install();
  return installed;
}

async function install() {
  if (existsSync(VULKAN_ENV_SCRIPT)) {
    const { vulkanEnv } = await import(pathToFileURL(VULKAN_ENV_SCRIPT).href);
    Object.assign(process.env, vulkanEnv());
  } else {
    process.env.XDG_RUNTIME_DIR ??= "/tmp";
    if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD))
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  const name = "webgpu"; // in a variable so no bundler tries to inline the native addon
  const { create, globals } = await import(name);
  Object.assign(globalThis, globals);
  const gpu = create([]);
  /** @type {any} */ (globalThis).__fluxBenchKeepGpu = gpu;
  // Node 20 has no `navigator`; Node 21+ has one without `gpu`.
  if (typeof globalThis.navigator === "undefined") {
    Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  } else if (!("gpu" in globalThis.navigator) || !globalThis.navigator.gpu) {
    Object.defineProperty(globalThis.navigator, "gpu", { value: gpu, configurable: true });
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter)
    throw new Error("Dawn found no WebGPU adapter (is a Vulkan driver such as SwiftShader installed?)");
  const info = adapter.info ?? {};
  return {
    adapter: `${info.vendor || "?"} ${info.architecture || ""} ${info.description || ""}`
      .replace(/\s+/g, " ")
      .trim(),
  };
}
