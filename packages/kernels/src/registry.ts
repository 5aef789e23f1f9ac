// The backend registry: explicit registration plus lazily imported built-ins. Nothing registers itself as
// a side effect of import, and the registry is module state (not globalThis), as the STYLE guide asks.
import type { Backend } from "./backend.js";
import { cpuProvider } from "./cpu/provider.js";
import { type DeviceDescriptor, checkDescriptor, deviceOf, parseDevice } from "./device.js";
import { BackendNotFoundError } from "./errors.js";

/**
 * Makes backend instances for one backend name, one per device id.
 *
 * `create(id)` is called at most once per id (the instance is cached). `deviceCount` lets device code
 * enumerate adapters without creating them.
 *
 * @example
 * registerBackend("cpu2", { create: (id) => createCpuBackend("cpu2", id) });
 */
export interface BackendProvider {
  create(id: number): Backend | Promise<Backend>;
  deviceCount?(): number | Promise<number>;
}

/**
 * Built-in backends loaded on first use by dynamic import of our own chunk. `cpu` is not here: it is
 * always loaded. The WebGPU backend adds `webgpu: () => import("./webgpu/index.js")` (a module exporting
 * `provider`).
 */
export const LAZY_BUILTIN_BACKENDS: Readonly<Record<string, () => Promise<{ provider: BackendProvider }>>> = {
  webgpu: () => import("./webgpu/index.js"),
};

const providers = new Map<string, BackendProvider>([["cpu", cpuProvider]]);
const instances = new Map<DeviceDescriptor, Backend>();
const pending = new Map<DeviceDescriptor, Promise<Backend>>();

/**
 * Registers a backend provider under `name` (replacing a lazy built-in of that name).
 *
 * Registration is explicit: import the provider and call this once. Registering an existing name again
 * replaces its provider for devices not yet created.
 *
 * @example
 * registerBackend("cpu2", { create: (id) => createCpuBackend("cpu2", id) });
 * const b = await getBackend("cpu2");
 */
export function registerBackend(name: string, provider: BackendProvider): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new BackendNotFoundError(
      `registerBackend: "${name}" is not a valid backend name (letters, digits, _ . -).`,
    );
  }
  providers.set(name, provider);
}

/**
 * The names a `getBackend` call can succeed with: registered providers and lazy built-ins.
 *
 * @example
 * listBackends(); // ["cpu", "webgpu"]
 */
export function listBackends(): string[] {
  return [...new Set([...providers.keys(), ...Object.keys(LAZY_BUILTIN_BACKENDS)])];
}

/**
 * Whether the provider of `name` is loaded (registered, or its lazy built-in already imported).
 *
 * @example
 * isBackendLoaded("cpu"); // true
 */
export function isBackendLoaded(name: string): boolean {
  return providers.has(name);
}

/**
 * Loads (if needed) the provider of a backend name, importing a lazy built-in on first use.
 *
 * @example
 * const p = await loadBackendProvider("webgpu"); await p.deviceCount?.();
 */
export async function loadBackendProvider(name: string): Promise<BackendProvider> {
  const have = providers.get(name);
  if (have !== undefined) return have;
  const lazy = LAZY_BUILTIN_BACKENDS[name];
  if (lazy === undefined) throw notFound(name);
  let mod: { provider: BackendProvider };
  try {
    mod = await lazy();
  } catch (cause) {
    throw new BackendNotFoundError(
      `the built-in backend "${name}" failed to load: ${(cause as Error)?.message ?? String(cause)}. ` +
        "Check that its optional peer package is installed.",
      { cause },
    );
  }
  // A concurrent caller may have won the race; keep the first provider.
  if (!providers.has(name)) providers.set(name, mod.provider);
  return providers.get(name)!;
}

/**
 * The backend instance for a device, created (and its code imported) on first use.
 *
 * @example
 * const gpu = await getBackend("webgpu", 0);
 * const cpu = await getBackend("cpu");
 */
export async function getBackend(nameOrDevice: string | DeviceDescriptor, id?: number): Promise<Backend> {
  const device = resolveDevice(nameOrDevice, id);
  const have = instances.get(device);
  if (have !== undefined) return have;
  let p = pending.get(device);
  if (p === undefined) {
    p = (async () => {
      const provider = await loadBackendProvider(device.backend);
      const backend = await provider.create(device.id);
      instances.set(device, backend);
      return backend;
    })();
    pending.set(device, p);
    p.then(
      () => pending.delete(device),
      () => pending.delete(device),
    );
  }
  return p;
}

/**
 * The backend instance for a device, synchronously; it must already exist (the CPU always does).
 *
 * @example
 * const cpu = getBackendSync("cpu");
 */
export function getBackendSync(nameOrDevice: string | DeviceDescriptor, id?: number): Backend {
  const device = resolveDevice(nameOrDevice, id);
  const have = instances.get(device);
  if (have !== undefined) return have;
  const provider = providers.get(device.backend);
  if (provider !== undefined) {
    const made = provider.create(device.id);
    if (!(made instanceof Promise)) {
      instances.set(device, made);
      return made;
    }
    made.then((b) => instances.set(device, b)).catch(() => {});
  }
  if (provider === undefined && LAZY_BUILTIN_BACKENDS[device.backend] === undefined)
    throw notFound(device.backend);
  throw new BackendNotFoundError(
    `the backend for ${String(device)} is not loaded yet. Call \`await getBackend("${String(device)}")\` ` +
      "once (or pick the device through @flux/devices) before creating tensors on it synchronously.",
  );
}

/**
 * The backend instance for a device if it was already created, else `undefined` (never loads anything).
 *
 * @example
 * peekBackend(deviceOf("cpu")); // the CPU backend
 */
export function peekBackend(device: DeviceDescriptor): Backend | undefined {
  return instances.get(device);
}

/** The default (CPU) backend. */
export function cpuBackend(): Backend {
  return getBackendSync("cpu");
}

function resolveDevice(nameOrDevice: string | DeviceDescriptor, id?: number): DeviceDescriptor {
  if (typeof nameOrDevice !== "string") return checkDescriptor(nameOrDevice);
  if (id !== undefined) return deviceOf(nameOrDevice, id);
  return parseDevice(nameOrDevice);
}

function notFound(name: string): BackendNotFoundError {
  return new BackendNotFoundError(
    `no backend named "${name}". Known: ${listBackends().join(", ")}. Register one with registerBackend(name, provider).`,
  );
}
