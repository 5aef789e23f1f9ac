// Finds a Vulkan driver (ICD) that Dawn accepts, so WebGPU runs on machines without a GPU.
//
// Why: Dawn (npm `webgpu`) and Deno need a Vulkan driver. Mesa's lavapipe is refused by Dawn (it lacks
// shaderUniform*ArrayDynamicIndexing); Chromium's SwiftShader works. A machine with a real GPU needs none
// of this, so its driver is left alone.
//
// Usage as a module:   import { vulkanEnv } from "./vulkan-env.mjs"; spawn(cmd, { env: { ...process.env, ...vulkanEnv() } })
// Usage as a script:   node tooling/scripts/vulkan-env.mjs [--probe]   (prints the additions; --probe asks Dawn for an adapter)
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Places where distributions put Chromium's SwiftShader Vulkan ICD, most common first. */
export const SWIFTSHADER_ICD_CANDIDATES = [
  "/usr/lib/chromium/vk_swiftshader_icd.json", // Debian, Ubuntu (deb)
  "/usr/lib/chromium-browser/vk_swiftshader_icd.json", // Ubuntu (older), Alpine
  "/usr/lib64/chromium-browser/vk_swiftshader_icd.json", // Fedora
  "/usr/lib64/chromium/vk_swiftshader_icd.json",
  "/opt/google/chrome/vk_swiftshader_icd.json", // Google Chrome
  "/snap/chromium/current/usr/lib/chromium-browser/vk_swiftshader_icd.json",
];

/** ICD manifests of software renderers (a CPU running shaders), which @flux/devices skips unless allowed. */
const SOFTWARE_ICD = /swiftshader|lvp_icd|lavapipe/i;

/** Directories holding ICD manifests of real GPU drivers (NVIDIA's container toolkit uses the second). */
const GPU_ICD_DIRS = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/nvidia/share/vulkan/icd.d"];

/** Mesa manifests that only work with a kernel GPU device (/dev/dri); lavapipe is a CPU driver Dawn refuses. */
const NEEDS_DRI = /^(intel|radeon|amd|nouveau|freedreno|panfrost|broadcom|asahi|virtio|dzn|lvp|nvk)/i;

function listJson(dir) {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/**
 * The ICD manifests of real GPUs on this machine: NVIDIA's (which comes with its own kernel driver), and
 * Mesa's hardware drivers only when a GPU device node exists (Debian installs them on GPU-less machines too).
 */
export function realGpuIcds() {
  const hasDri = existsSync("/dev/dri");
  return GPU_ICD_DIRS.flatMap(listJson).filter((path) => {
    const name = path.split("/").pop();
    if (/nvidia/i.test(name)) return existsSync("/dev/nvidiactl") || existsSync("/dev/nvidia0");
    return hasDri && NEEDS_DRI.test(name) && !/^lvp/i.test(name);
  });
}

/** The first SwiftShader ICD manifest found, or `undefined`. */
export function findSwiftShaderIcd() {
  return SWIFTSHADER_ICD_CANDIDATES.find((p) => existsSync(p));
}

/**
 * The environment additions that make WebGPU find a Vulkan driver here.
 *
 * An existing `VK_ICD_FILENAMES` is respected; a machine with a real GPU keeps its own drivers; otherwise
 * SwiftShader is chosen, with `FLUX_ALLOW_SOFTWARE_GPU=1` so that `gpuDevice()` uses it (it passes over
 * software adapters unless asked; set the variable yourself to override). `XDG_RUNTIME_DIR` is set to /tmp when unset (Dawn warns and some loaders fail
 * without it). Returns only the variables to add, plus `reason` (not an env var: strip it) for logs.
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ vars: Record<string, string>, reason: string }}
 */
export function resolveVulkanEnv(env = process.env) {
  const vars = {};
  if (!env.XDG_RUNTIME_DIR) vars.XDG_RUNTIME_DIR = "/tmp";
  if (env.VK_ICD_FILENAMES) {
    if (SOFTWARE_ICD.test(env.VK_ICD_FILENAMES) && !env.FLUX_ALLOW_SOFTWARE_GPU)
      vars.FLUX_ALLOW_SOFTWARE_GPU = "1";
    return { vars, reason: `VK_ICD_FILENAMES already set (${env.VK_ICD_FILENAMES})` };
  }
  const gpu = realGpuIcds();
  if (gpu.length > 0) return { vars, reason: `real GPU driver found (${gpu.join(", ")}); left alone` };
  const swiftshader = findSwiftShaderIcd();
  if (swiftshader) {
    vars.VK_ICD_FILENAMES = swiftshader;
    // @flux/devices passes over software adapters unless asked: the test runners ask, so that WebGPU is
    // still tested (on SwiftShader) on machines without a GPU.
    if (!env.FLUX_ALLOW_SOFTWARE_GPU) vars.FLUX_ALLOW_SOFTWARE_GPU = "1";
    return { vars, reason: `no GPU; using SwiftShader (${swiftshader}) with FLUX_ALLOW_SOFTWARE_GPU=1` };
  }
  return {
    vars,
    reason:
      "no GPU and no SwiftShader ICD found: WebGPU tests will skip. Install Chromium (Debian: apt-get install chromium libvulkan1)",
  };
}

/** Just the variables to merge into a child process's environment. */
export function vulkanEnv(env = process.env) {
  return resolveVulkanEnv(env).vars;
}

/** Asks Dawn (npm `webgpu`) for an adapter under the given env; resolves to its info or throws. */
async function probeAdapter() {
  const name = "webgpu"; // a variable, so no bundler ever tries to inline the native addon
  const { create, globals } = await import(name);
  Object.assign(globalThis, globals);
  // Keep `gpu` referenced until the end: Dawn aborts the process if it is garbage-collected early.
  const gpu = create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error("requestAdapter() returned null");
  const info = adapter.info ?? {};
  const summary = `${info.vendor || "?"} / ${info.architecture || "?"} / ${info.description || info.device || "?"}`;
  globalThis.__fluxKeepGpu = gpu;
  return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { vars, reason } = resolveVulkanEnv();
  console.log(`vulkan-env: ${reason}`);
  for (const [k, v] of Object.entries(vars)) console.log(`${k}=${v}`);
  if (process.argv.includes("--probe")) {
    Object.assign(process.env, vars);
    try {
      console.log(`webgpu adapter: ${await probeAdapter()}`);
      process.exit(0);
    } catch (e) {
      console.error(`webgpu adapter: NONE (${e?.message ?? e})`);
      process.exit(1);
    }
  }
}
