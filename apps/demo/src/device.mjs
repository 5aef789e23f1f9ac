// Picks where the demo trains, with Flux's `gpu_device()` from @flux/devices: WebGPU when it works, else
// the CPU plus the one-line reason.
import { cpuDevice, gpuDevice, gpuDevices } from "@flux/devices";
/** @import { Moved } from "@flux/devices" */
import { cpuKernelInfo, cpuKernelsReady } from "@flux/kernels";

// A software adapter (SwiftShader, lavapipe/llvmpipe) is a CPU pretending to be a GPU: training on it is
// many times slower than the CPU backend, so the default choice skips it; `--device webgpu` still uses it.
// The adapter name already reads "vendor architecture" when the driver gives no description.
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|fallback/i;

// Names the GEMM the CPU backend really uses (a system BLAS through koffi, wasm relaxed SIMD, wasm SIMD, or
// plain JS) and its thread count, once the kernels have loaded.
/** @type {Record<string, string>} */
const GEMM_NAMES = {
  openblas: "OpenBLAS",
  cblas: "system CBLAS",
  accelerate: "Accelerate",
  "wasm-relaxed-simd": "WebAssembly relaxed-SIMD GEMM",
  "wasm-simd": "WebAssembly SIMD GEMM",
  js: "TypeScript GEMM",
};

async function cpuAdapter() {
  await cpuKernelsReady();
  const { kind, threads } = cpuKernelInfo();
  return `CPU backend (${GEMM_NAMES[kind] ?? kind}, ${threads} thread${threads === 1 ? "" : "s"})`;
}

/**
 * @param {string | null} reason
 * @returns {Promise<PickedDevice>}
 */
async function onCpu(reason) {
  const dev = cpuDevice();
  return { move: (x) => dev(x), name: String(dev), adapter: await cpuAdapter(), reason };
}

/**
 * What `pickDevice` returns (see there).
 * @typedef {{ move: <T>(x: T) => Moved<T>, name: string, adapter: string, reason: string | null }} PickedDevice
 */

/**
 * Chooses the training device for `--device cpu|gpu|webgpu`.
 *
 * Returns `{ move, name, adapter, reason }`: `move(tree)` sends a model or batch there (a Flux device
 * object), `name` prints the device, `adapter` describes the hardware, `reason` says why the CPU was used.
 * `--device webgpu` throws `DeviceSelectionError` instead of falling back.
 *
 * @example
 * const dev = await pickDevice("gpu"); console.log(dev.name, dev.reason ?? "");
 *
 * @param {string} wanted
 * @returns {Promise<PickedDevice>}
 */
export async function pickDevice(wanted) {
  if (wanted === "cpu") return onCpu("--device cpu");
  /** @type {string | null} */
  let reason = null;
  const warn = console.warn;
  // gpuDevice() explains a CPU fallback in a one-time warning; its first line is the reason to show.
  console.warn = (...args) => {
    const first = String(args[0])
      .split("\n")[0]
      .replace(/^\[@flux\/devices\]\s*/, "");
    // "No functional GPU backend found! Defaulting to the CPU. Tried: webgpu (why)." -> "... tried webgpu (why)"
    const tried = /Tried: (.*?)\.?$/.exec(first);
    reason ??= tried ? `no functional GPU; tried ${tried[1]}` : first;
  };
  let dev;
  try {
    dev = await gpuDevice(undefined, { force: wanted === "webgpu" });
  } finally {
    console.warn = warn;
  }
  if (!dev.isGpu) return onCpu(reason);
  const info = (await gpuDevices()).find((d) => d.id === dev.id);
  const adapter = info?.name ?? "WebGPU adapter";
  if (wanted === "gpu" && SOFTWARE_ADAPTER.test(adapter)) {
    return onCpu(
      `the only WebGPU adapter is ${adapter}, a software emulation slower than the CPU backend; --device webgpu uses it anyway`,
    );
  }
  return { move: (x) => dev(x), name: String(dev), adapter, reason: null };
}
