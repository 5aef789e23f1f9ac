// `gpuDevices()`: the visible adapters of every loadable GPU backend (the role of `CUDA.devices()`).
import { getBackend } from "@flux/kernels";
import { inspectBackend, supportedGpuBackends } from "./gpuBackends.js";
import { warnOnce } from "./warnOnce.js";
import { loadWebGPUModule } from "./webgpuModule.js";

/** One visible adapter. */
export interface GpuDeviceInfo {
  /** The visible id to pass to `gpuDevice(id)`. */
  readonly id: number;
  /** The backend name (`"webgpu"`). */
  readonly backend: string;
  /** The adapter's index before FLUX_VISIBLE_DEVICES renumbering (what tensors' `device.id` shows). */
  readonly physicalId: number;
  /** A human-readable name (adapter description, or vendor and architecture). */
  readonly name: string;
  /** A CPU renderer (SwiftShader, llvmpipe/lavapipe, WARP, a fallback adapter) rather than a GPU. */
  readonly software: boolean;
  /** Numeric device limits the backend reports (WebGPU's `GPUSupportedLimits`), `{}` if none. */
  readonly limits: Readonly<Record<string, number>>;
}

interface AdapterInfoLike {
  description?: string;
  vendor?: string;
  architecture?: string;
  device?: string;
}

/**
 * Lists the visible adapters of every supported GPU backend that can start here, in selection order,
 * software adapters included (marked `software: true`; `gpuDevice()` passes over them unless allowed).
 * Backends that cannot start (no driver, hidden by FLUX_VISIBLE_DEVICES, not installed) are left out
 * without loading them; `lastSelection()` / `deviceReport()` say why. Creates each adapter's backend only
 * where no adapter list is available.
 *
 * @example
 * for (const d of await gpuDevices()) console.log(d.id, d.name, d.software, d.limits.maxBufferSize);
 */
export async function gpuDevices(): Promise<GpuDeviceInfo[]> {
  const out: GpuDeviceInfo[] = [];
  for (const backend of supportedGpuBackends()) {
    const state = await inspectBackend(backend, true);
    if (!state.ok) continue;
    try {
      const listed = backend === "webgpu" ? await (await loadWebGPUModule())?.listAdapters?.() : undefined;
      for (const a of state.adapters) {
        const { id, physicalId } = a;
        const software = a.kind === "software";
        const entry = listed?.find((e) => e.id === physicalId);
        if (entry !== undefined) {
          out.push({
            id,
            backend,
            physicalId,
            name: entry.name,
            software,
            limits: numericFields(entry.limits),
          });
          continue;
        }
        const b = (await getBackend(backend, physicalId)) as object & {
          adapter?: AdapterInfoLike;
          info?: AdapterInfoLike;
          limits?: object;
        };
        const name = adapterName(b.adapter ?? b.info, backend, physicalId);
        out.push({ id, backend, physicalId, name, software, limits: numericFields(b.limits) });
      }
    } catch (e) {
      warnOnce(
        `enumerate:${backend}`,
        `[@flux/devices] gpuDevices: backend "${backend}" could not list its adapters (${(e as Error)?.message ?? e}); skipping it.`,
      );
    }
  }
  return out;
}
function adapterName(info: AdapterInfoLike | undefined, backend: string, physical: number): string {
  if (info?.description) return info.description;
  const parts = [info?.vendor, info?.architecture, info?.device].filter(
    (s) => typeof s === "string" && s !== "",
  );
  return parts.length > 0 ? parts.join(" ") : `${backend} adapter ${physical}`;
}

// GPUSupportedLimits keeps its values as prototype getters, so Object.keys would miss them: walk the chain.
function numericFields(limits: object | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  let o: object | null = limits ?? null;
  while (o !== null && o !== Object.prototype) {
    for (const k of Object.getOwnPropertyNames(o)) {
      const v = (limits as Record<string, unknown>)[k];
      if (typeof v === "number" && !(k in out)) out[k] = v;
    }
    o = Object.getPrototypeOf(o);
  }
  return out;
}
