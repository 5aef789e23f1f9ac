// Picks where the demo trains. With @flux/devices built this is Flux's `gpu_device()`: WebGPU when it works,
// else the CPU plus the reason. Until that package lands, the same choice is made on @flux/kernels'
// backend registry (a `webgpu` backend if one is registered and creates, else the CPU).
import * as devices from "@flux/devices";
import * as functors from "@flux/functors";
import * as kernels from "@flux/kernels";

/**
 * Chooses the training device for `--device cpu|gpu|webgpu`.
 *
 * Returns `{ move, name, adapter, reason }`: `move(tree)` sends a model or batch there (async, like a
 * Flux device object), `name` is e.g. `webgpu:0` or `cpu`, `adapter` describes the hardware, `reason` says
 * why the CPU was used when a GPU was asked for. `--device webgpu` throws instead of falling back.
 *
 * @example
 * const dev = await pickDevice("gpu"); console.log(dev.name, dev.reason ?? "");
 */
export async function pickDevice(wanted) {
  if (wanted === "cpu") {
    if (typeof devices.cpuDevice !== "function") return cpuChoice(null);
    const dev = devices.cpuDevice();
    return { move: (x) => dev(x), name: String(dev), adapter: cpuAdapter(), reason: "--device cpu" };
  }
  if (typeof devices.gpuDevice === "function") return await fromDevicesPackage(wanted);
  return await fromKernels(wanted);
}

function cpuChoice(reason) {
  const move = async (x) => x; // data is created on the CPU; nothing to move
  return { move, name: "cpu", adapter: cpuAdapter(), reason };
}

function cpuAdapter() {
  const cores = globalThis.navigator?.hardwareConcurrency;
  return `CPU backend (WebAssembly SIMD GEMM)${cores ? `, ${cores} cores` : ""}`;
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|fallback/i;

async function fromDevicesPackage(wanted) {
  let reason = null;
  const warn = console.warn;
  // gpuDevice() explains a CPU fallback in a one-time warning; its first line is the reason to show.
  console.warn = (...args) => {
    const first = String(args[0])
      .split("\n")[0]
      .replace(/^\[@flux\/devices\]\s*/, "");
    // "No functional GPU backend found! Defaulting to the CPU. Tried: webgpu (why)." -> "no GPU: webgpu (why)"
    const tried = /Tried: (.*?)\.?$/.exec(first);
    reason ??= tried ? `no functional GPU; tried ${tried[1]}` : first;
  };
  let dev;
  try {
    dev = await devices.gpuDevice(undefined, { force: wanted === "webgpu" });
  } finally {
    console.warn = warn;
  }
  if (!dev.isGpu) return { move: (x) => dev(x), name: String(dev), adapter: cpuAdapter(), reason };
  const info = (await devices.gpuDevices()).find((d) => d.id === dev.id);
  const adapter = info?.name ?? "WebGPU adapter";
  // A software adapter (SwiftShader, lavapipe) is a CPU pretending to be a GPU: training on it is many
  // times slower than the CPU backend, so the default choice skips it; --device webgpu still uses it.
  if (wanted === "gpu" && SOFTWARE_ADAPTER.test(`${adapter} ${info?.architecture ?? ""}`)) {
    const cpu = devices.cpuDevice();
    const why = `the only WebGPU adapter is ${adapter}, a software emulation slower than the CPU backend; --device webgpu uses it anyway`;
    return { move: (x) => cpu(x), name: String(cpu), adapter: cpuAdapter(), reason: why };
  }
  return { move: (x) => dev(x), name: String(dev), adapter, reason: null };
}

async function fromKernels(wanted) {
  try {
    if (!kernels.listBackends().includes("webgpu")) {
      throw new Error("@flux/kernels has no webgpu backend in this build");
    }
    const backend = await kernels.getBackend("webgpu", 0);
    const device = kernels.deviceOf("webgpu", 0);
    const move = (x) => moveTree(x, device);
    return { move, name: "webgpu:0", adapter: String(backend.adapterInfo ?? "WebGPU adapter"), reason: null };
  } catch (e) {
    if (wanted === "webgpu")
      throw new Error(`[demo] --device webgpu: no WebGPU (${e.message}).`, { cause: e });
    return cpuChoice(e.message);
  }
}

// A device move over any tree: upload each tensor leaf once (so tied weights stay tied), then rebuild.
async function moveTree(x, device) {
  const moved = new Map();
  for (const leaf of functors.fleaves(x)) {
    if (kernels.isTensor(leaf)) moved.set(leaf, await kernels.toDevice(leaf, device));
  }
  return functors.fmap((leaf) => moved.get(leaf) ?? leaf, x);
}
