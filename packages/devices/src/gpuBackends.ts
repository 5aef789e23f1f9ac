// Which GPU backends exist, whether their code loads (`loaded`) and whether the hardware works (`functional`,
// a real probe: a tiny kernel and a readback). MLDataDevices keeps these two questions apart; so do we.
import {
  add,
  type BackendProvider,
  deviceOf,
  getBackend,
  isBackendLoaded,
  loadBackendProvider,
  registerBackend,
  tensor,
} from "@flux/kernels";
import { visiblePhysicalIds } from "./visibleDevices";
import { loadWebGPUModule } from "./webgpuModule";

/** Built-in GPU backends, in automatic-selection order. */
const BUILTIN_GPU_BACKENDS: readonly string[] = ["webgpu"];
const registered: string[] = [];
const probes = new Map<string, Promise<boolean>>();
const probeFailures = new Map<string, string>();

/**
 * The GPU backends this package can select, in automatic-selection order: `["webgpu"]`, then any added
 * with `registerGpuBackend`. Not the list of working ones: see `functional`.
 *
 * @example
 * supportedGpuBackends(); // ["webgpu"]
 */
export function supportedGpuBackends(): string[] {
  return [...BUILTIN_GPU_BACKENDS, ...registered];
}

/**
 * Makes a @flux/kernels backend selectable as a GPU by `gpuDevice()` (after the built-ins), e.g. a backend
 * of your own. With `provider`, also registers it with kernels' `registerBackend`.
 *
 * @example
 * registerGpuBackend("mygpu", myProvider);
 * supportedGpuBackends(); // ["webgpu", "mygpu"]
 */
export function registerGpuBackend(name: string, provider?: BackendProvider): void {
  if (name === "cpu") throw new TypeError('[@flux/devices] registerGpuBackend: "cpu" is not a GPU backend.');
  if (provider !== undefined) registerBackend(name, provider);
  if (!supportedGpuBackends().includes(name)) registered.push(name);
  probes.delete(name);
}

/**
 * Whether the code of backend `name` can be loaded: `"cpu"` always; otherwise its provider is registered or
 * its built-in chunk (and the optional peer package it needs, e.g. `webgpu` on Node/Bun) imports. Loads it.
 *
 * @example
 * await loaded("webgpu"); // false on Node without the `webgpu` package
 */
export async function loaded(name: string): Promise<boolean> {
  if (name === "cpu" || isBackendLoaded(name)) return true;
  try {
    await loadBackendProvider(name);
    return true;
  } catch (e) {
    probeFailures.set(name, (e as Error)?.message ?? String(e));
    return false;
  }
}

/**
 * Whether backend `name` works here: it loads, FLUX_VISIBLE_DEVICES leaves it an adapter, and a real probe
 * passes on its first visible adapter: the provider's `probe(id)` if it has one, for `"webgpu"` the kernels
 * WebGPU probe (`webgpuFunctional`: `neg` and `add` kernels and a readback), else a tiny `add` kernel whose
 * result is read back and checked. `"cpu"` is always functional. Cached until `resetGpuDevice()`.
 *
 * @example
 * if (await functional("webgpu")) console.log("WebGPU works");
 */
export function functional(name: string): Promise<boolean> {
  if (name === "cpu") return Promise.resolve(true);
  let p = probes.get(name);
  if (p === undefined) {
    p = runProbe(name);
    probes.set(name, p);
  }
  return p;
}

/** @internal Why the last `loaded`/`functional` check of `name` failed, for warning messages. */
export function probeFailure(name: string): string | undefined {
  return probeFailures.get(name);
}

/** @internal Forgets probe results (resetGpuDevice). */
export function clearProbes(): void {
  probes.clear();
  probeFailures.clear();
}

/**
 * @internal The physical adapter ids of `name` that FLUX_VISIBLE_DEVICES leaves visible (visible id i is
 * element i). The backend must be loadable.
 */
export async function visibleAdapters(name: string): Promise<number[]> {
  const provider = await loadBackendProvider(name);
  const count = provider.deviceCount === undefined ? 1 : await provider.deviceCount();
  return visiblePhysicalIds(name, count);
}

async function runProbe(name: string): Promise<boolean> {
  if (!(await loaded(name))) return false;
  try {
    const ids = await visibleAdapters(name);
    if (ids.length === 0) {
      probeFailures.set(name, "no visible adapter (none found, or hidden by FLUX_VISIBLE_DEVICES)");
      return false;
    }
    const physical = ids[0]!;
    const provider = (await loadBackendProvider(name)) as BackendProvider & { probe?(id: number): unknown };
    if (provider.probe !== undefined)
      return record(name, (await provider.probe(physical)) === true, physical);
    const webgpu = name === "webgpu" ? await loadWebGPUModule() : null;
    if (webgpu?.webgpuFunctional !== undefined) {
      const r = await webgpu.webgpuFunctional(physical);
      if (!r.ok) probeFailures.set(name, r.reason ?? "the WebGPU probe failed");
      return r.ok;
    }
    return record(name, await addProbe(name, physical), physical);
  } catch (e) {
    probeFailures.set(name, (e as Error)?.message ?? String(e));
    return false;
  }
}

function record(name: string, ok: boolean, physical: number): boolean {
  if (!ok) probeFailures.set(name, `the probe kernel on ${name}:${physical} returned wrong values`);
  return ok;
}

// The generic probe: [1, 2, 3] + [1, 2, 3] computed on the device and read back.
async function addProbe(name: string, physical: number): Promise<boolean> {
  const device = deviceOf(name, physical);
  await getBackend(device);
  const x = tensor([1, 2, 3], [3], { device });
  const y = add(x, x);
  try {
    const v = await y.data();
    return v[0] === 2 && v[1] === 4 && v[2] === 6;
  } finally {
    x.dispose();
    y.dispose();
  }
}
