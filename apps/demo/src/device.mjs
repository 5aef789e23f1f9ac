// Picks where the demo trains, with Flux's `gpu_device()` from @flux/devices: WebGPU on a hardware GPU when
// one works, else the CPU plus the one-line reason from @flux/devices' selection report (`lastSelection()`).
// @flux/devices itself passes over software adapters (SwiftShader, llvmpipe/lavapipe: a CPU emulating a GPU,
// many times slower than the CPU backend); `--device webgpu` insists, and accepts one.
import { cpuDevice, gpuDevice, lastSelection } from "@flux/devices";
/** @import { Moved } from "@flux/devices" */
import { cpuKernelInfo, cpuKernelsReady } from "@flux/kernels";

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
  // `gpu` explains a CPU fallback here, from the report, instead of @flux/devices' console warning.
  const dev = await gpuDevice(
    undefined,
    wanted === "webgpu" ? { force: true, allowSoftware: true } : { warn: false },
  );
  const report = lastSelection();
  if (!dev.isGpu) return onCpu(report?.reason ?? "no usable GPU");
  const chosen = report?.adapter;
  const adapter = chosen
    ? `${chosen.name}${chosen.kind === "software" ? " (a software renderer: shaders run on the CPU)" : ""}`
    : "WebGPU adapter";
  return { move: (x) => dev(x), name: String(dev), adapter, reason: null };
}
