// Which GPU backends exist, whether their code loads (`loaded`) and whether the hardware works (`functional`,
// a real probe: a tiny kernel and a readback). MLDataDevices keeps these two questions apart; so do we.
// For WebGPU a third question comes first: can it start here at all (kernels' `webgpuHostCheck`, answered
// from the file system without loading Dawn, whose native code would print to stderr on a machine without a
// Vulkan driver). FLUX_VISIBLE_DEVICES=-1 is honoured before anything is loaded.
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
import { DevicesError } from "./errors.js";
import type { AdapterReport, SelectionCode } from "./report.js";
import { visibleList, visiblePhysicalIds } from "./visibleDevices.js";
import { type HostCheckLike, loadWebGPUModule } from "./webgpuModule.js";

/** Built-in GPU backends, in automatic-selection order. */
const BUILTIN_GPU_BACKENDS: readonly string[] = ["webgpu"];
const registered: string[] = [];
const probes = new Map<string, Promise<boolean>>();
const hostChecks = new Map<string, Promise<HostCheckLike>>();

/** @internal Why a backend (or one of its adapters) cannot be used: a code, the reason, what to do. */
export interface BackendProblem {
  readonly code: SelectionCode;
  readonly reason: string;
  readonly hint?: string;
}
const problems = new Map<string, BackendProblem>();

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
  // A name that is not a string would be stored and tried by every later automatic selection.
  if (typeof name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(name))
    throw new DevicesError(
      "ERR_ARGUMENT",
      `registerGpuBackend(name): name must be a backend name such as "mygpu" (letters, digits, "_", "." or "-"), got ${
        typeof name === "string" ? JSON.stringify(name) : typeof name
      }.`,
    );
  if (
    provider !== undefined &&
    (typeof provider !== "object" || provider === null || typeof provider.create !== "function")
  )
    throw new DevicesError(
      "ERR_ARGUMENT",
      `registerGpuBackend("${name}", provider): provider must be a @flux/kernels BackendProvider (an object with create(id)), got ${
        provider === null ? "null" : typeof provider
      }.`,
    );
  if (name === "cpu")
    throw new DevicesError("ERR_ARGUMENT", 'registerGpuBackend: "cpu" is not a GPU backend.');
  if (provider !== undefined) registerBackend(name, provider);
  if (!supportedGpuBackends().includes(name)) registered.push(name);
  for (const key of [...probes.keys()]) if (key.startsWith(`${name}:`)) probes.delete(key);
  problems.delete(name);
}

/**
 * @internal Whether backend `name` can start here without loading it: for `"webgpu"`, kernels'
 * `webgpuHostCheck()` (the `webgpu` package on Node/Bun, the Vulkan loader and a driver on Linux,
 * `navigator.gpu` elsewhere); other backends always pass. Cached until `resetGpuDevice()`.
 */
export function hostCheck(name: string): Promise<HostCheckLike> {
  let p = hostChecks.get(name);
  if (p === undefined) {
    p = (async (): Promise<HostCheckLike> => {
      if (name !== "webgpu") return { ok: true, softwareOnly: false };
      const check = await (await loadWebGPUModule())?.webgpuHostCheck?.();
      return check ?? { ok: true, softwareOnly: false };
    })();
    hostChecks.set(name, p);
  }
  return p;
}

/**
 * Whether the code of backend `name` can be loaded: `"cpu"` always; otherwise its provider is registered or
 * its built-in chunk, and the runtime piece it needs (for `"webgpu"`: the optional package `webgpu` on
 * Node/Bun, `navigator.gpu` in browsers and Deno), are there. Loads the chunk, never a native driver.
 *
 * @example
 * await loaded("webgpu"); // false on Node without the `webgpu` package
 */
export async function loaded(name: string): Promise<boolean> {
  if (name === "cpu") return true;
  const check = await hostCheck(name);
  if (!check.ok && (check.code === "no-webgpu-package" || check.code === "no-webgpu-api")) {
    problems.set(name, { code: check.code as SelectionCode, reason: check.reason, hint: check.hint });
    return false;
  }
  if (isBackendLoaded(name)) return true;
  try {
    await loadBackendProvider(name);
    return true;
  } catch (e) {
    problems.set(name, { code: "not-loaded", reason: messageOf(e) });
    return false;
  }
}

/** @internal What `inspectBackend` finds: the visible adapters, or why there are none to use. */
export type BackendState =
  | { readonly ok: true; readonly adapters: readonly AdapterReport[] }
  | { readonly ok: false; readonly problem: BackendProblem; readonly adapters: readonly AdapterReport[] };

const HIDDEN: BackendProblem = {
  code: "hidden",
  reason: "FLUX_VISIBLE_DEVICES hides every GPU",
  hint: "Unset FLUX_VISIBLE_DEVICES, or list the adapter ids to use (e.g. FLUX_VISIBLE_DEVICES=0).",
};

/**
 * @internal Everything short of probing: hidden by FLUX_VISIBLE_DEVICES? loads? can start here (host
 * check)? and the visible adapters, each marked hardware or software. With `allowSoftware: false`, a host
 * whose only drivers are software renderers is not started at all (code `"software-only"`).
 */
export async function inspectBackend(name: string, allowSoftware: boolean): Promise<BackendState> {
  const fail = (problem: BackendProblem, adapters: readonly AdapterReport[] = []): BackendState => {
    problems.set(name, problem);
    return { ok: false, problem, adapters };
  };
  if (!(await loaded(name)))
    return fail(problems.get(name) ?? { code: "not-loaded", reason: "it does not load" });
  if (visibleList()?.length === 0) return fail(HIDDEN);
  const check = await hostCheck(name);
  if (!check.ok) return fail({ code: check.code as SelectionCode, reason: check.reason, hint: check.hint });
  if (check.softwareOnly && !allowSoftware) {
    const drivers = (check.survey?.drivers ?? []).filter((d) => d.usable).map((d) => baseName(d.manifest));
    return fail({
      code: "software-only",
      reason: `the only Vulkan drivers installed are software renderers (${drivers.join(", ")}), slower than the CPU backend`,
      hint: SOFTWARE_HINT,
    });
  }
  let ids: number[];
  try {
    ids = await visibleAdapters(name);
  } catch (e) {
    // kernels' host errors carry the host check's code, reason and hint.
    const { problem, reason, hint } = e as { problem?: string; reason?: string; hint?: string };
    return fail({
      code: (problem as SelectionCode | undefined) ?? "no-adapter",
      reason: typeof reason === "string" ? reason : messageOf(e),
      ...(typeof hint === "string" ? { hint } : {}),
    });
  }
  if (ids.length === 0) {
    return fail(
      visibleList() === null
        ? { code: "no-adapter", reason: `${name} offers no adapter here` }
        : { ...HIDDEN, reason: `FLUX_VISIBLE_DEVICES=${visibleList()?.join(",")} names no existing adapter` },
    );
  }
  return { ok: true, adapters: await describeAdapters(name, ids) };
}

/** What to do to use a software adapter anyway. */
export const SOFTWARE_HINT =
  "A software renderer runs shaders on the CPU, usually slower than the CPU backend; to use it anyway, set " +
  "FLUX_ALLOW_SOFTWARE_GPU=1 or pass { allowSoftware: true } to gpuDevice().";

/**
 * Whether backend `name` works here: it loads, can start, FLUX_VISIBLE_DEVICES leaves it an adapter, and a
 * real probe passes on its first visible adapter (software adapters count: this asks whether it works, not
 * whether `gpuDevice()` would choose it): the provider's `probe(id)` if it has one, for `"webgpu"` the kernels
 * WebGPU probe (`webgpuFunctional`: `neg` and `add` kernels and a readback), else a tiny `add` kernel whose
 * result is read back and checked. `"cpu"` is always functional. Cached until `resetGpuDevice()`.
 *
 * @example
 * if (await functional("webgpu")) console.log("WebGPU works");
 */
export async function functional(name: string): Promise<boolean> {
  if (name === "cpu") return true;
  const state = await inspectBackend(name, true);
  if (!state.ok) return false;
  return probeAdapter(name, state.adapters[0]!.physicalId);
}

/**
 * @internal Whether adapter `physical` of `name` passes the probe (cached until `resetGpuDevice()`); a
 * failure is recorded as the backend's problem (code `"probe-failed"`).
 */
export function probeAdapter(name: string, physical: number): Promise<boolean> {
  const key = `${name}:${physical}`;
  let p = probes.get(key);
  if (p === undefined) {
    p = runProbe(name, physical);
    probes.set(key, p);
  }
  return p;
}

/** @internal Why the last check of `name` failed, for messages. */
export function probeFailure(name: string): string | undefined {
  return problems.get(name)?.reason;
}

/** @internal The last problem recorded for `name` (code, reason, hint). */
export function backendProblem(name: string): BackendProblem | undefined {
  return problems.get(name);
}

/** @internal Forgets probe and host-check results (resetGpuDevice). */
export function clearProbes(): void {
  probes.clear();
  problems.clear();
  hostChecks.clear();
}

/**
 * @internal The physical adapter ids of `name` that FLUX_VISIBLE_DEVICES leaves visible (visible id i is
 * element i). The backend must be loadable. `-1` answers `[]` without asking the backend (nothing loads).
 */
async function visibleAdapters(name: string): Promise<number[]> {
  if (visibleList()?.length === 0) return [];
  const provider = await loadBackendProvider(name);
  const count = provider.deviceCount === undefined ? 1 : await provider.deviceCount();
  return visiblePhysicalIds(name, count);
}

/**
 * What a provider may say about one of its adapters (optional, for backends of your own: `describe(id)`
 * on the provider object). `software: true` makes `gpuDevice()` pass over it unless software is allowed.
 */
export interface AdapterDescription {
  readonly name: string;
  readonly vendor?: string;
  readonly software?: boolean;
}

/** @internal The visible adapters of `name` described for reports (names from kernels' listAdapters). */
async function describeAdapters(name: string, physicalIds: readonly number[]): Promise<AdapterReport[]> {
  const listed = name === "webgpu" ? await (await loadWebGPUModule())?.listAdapters?.() : undefined;
  const provider = (await loadBackendProvider(name)) as BackendProvider & {
    describe?(id: number): AdapterDescription | Promise<AdapterDescription>;
  };
  const out: AdapterReport[] = [];
  for (const [id, physicalId] of physicalIds.entries()) {
    const e = listed?.find((a) => a.id === physicalId);
    const d =
      e === undefined && provider.describe !== undefined ? await provider.describe(physicalId) : undefined;
    const software = e !== undefined ? (e.software ?? e.isFallbackAdapter ?? false) : (d?.software ?? false);
    out.push({
      backend: name,
      id,
      physicalId,
      name: e?.name ?? d?.name ?? `${name} adapter ${physicalId}`,
      vendor: e?.vendor ?? d?.vendor ?? "",
      kind: software ? "software" : "hardware",
    });
  }
  return out;
}

async function runProbe(name: string, physical: number): Promise<boolean> {
  try {
    const provider = (await loadBackendProvider(name)) as BackendProvider & { probe?(id: number): unknown };
    if (provider.probe !== undefined)
      return record(name, (await provider.probe(physical)) === true, physical);
    const webgpu = name === "webgpu" ? await loadWebGPUModule() : null;
    if (webgpu?.webgpuFunctional !== undefined) {
      const r = await webgpu.webgpuFunctional(physical);
      if (!r.ok)
        problems.set(name, {
          code: "probe-failed",
          reason: r.reason ?? "the WebGPU probe failed",
          hint: PROBE_HINT,
        });
      return r.ok;
    }
    return record(name, await addProbe(name, physical), physical);
  } catch (e) {
    problems.set(name, { code: "probe-failed", reason: messageOf(e), hint: PROBE_HINT });
    return false;
  }
}

const PROBE_HINT =
  "The adapter exists but could not run a test kernel: update its driver, or report the reason above.";

function record(name: string, ok: boolean, physical: number): boolean {
  if (!ok)
    problems.set(name, {
      code: "probe-failed",
      reason: `the probe kernel on ${name}:${physical} returned wrong values`,
      hint: PROBE_HINT,
    });
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

function messageOf(e: unknown): string {
  const m = (e as Error)?.message ?? String(e);
  return m.replace(/^\[@flux\/kernels\]\s*/, "").replace(/^webgpu:\s*/, "");
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
