// The WebGPU backend's provider: one backend per adapter id, each on its own GPUDevice.
import { deviceOf } from "../device.js";
import type { BackendProvider } from "../registry.js";
import { listAdapters, requestAdapterById, webgpuOptions } from "./adapters.js";
import { WebGPUBackend } from "./backend.js";
import { BufferPool } from "./bufferPool.js";
import { Executor } from "./executor.js";
import { adapterKey, autotuneEnabled, MatmulTuner } from "./autotune.js";
import { defaultAutotuneCache, envVar } from "./autotuneCache.js";
import { defaultPreference, isCpuBacked } from "./matmul/plan.js";
import { gpuMatmulTimer } from "./matmul/timing.js";

const DEFAULT_POOL_CAP = 256 * 1024 * 1024;

/**
 * Creates the WebGPU backend of adapter `id`: requests the adapter and a device with the adapter's full
 * buffer limits and, where offered, `shader-f16` (f16 tensors); picks the matmul kernels for it (the
 * heuristic, or the autotuner with its saved results when autotuning is on).
 *
 * @example
 * const b = await createWebGPUBackend(0);
 */
export async function createWebGPUBackend(id: number): Promise<WebGPUBackend> {
  const { adapter, entry } = await requestAdapterById(id);
  const device = await adapter.requestDevice({
    requiredFeatures: entry.shaderF16 ? ["shader-f16"] : [],
    requiredLimits: {
      maxBufferSize: entry.limits.maxBufferSize,
      maxStorageBufferBindingSize: entry.limits.maxStorageBufferBindingSize,
    },
  });
  const exec = new Executor(device);
  const pool = new BufferPool(device, webgpuOptions().poolCapBytes ?? DEFAULT_POOL_CAP, exec);
  exec.afterSubmit.push(() => pool.afterSubmit());
  const opts = webgpuOptions();
  const tune = autotuneEnabled(
    opts.autotune,
    envVar("FLUX_WEBGPU_AUTOTUNE"),
    isCpuBacked(entry, entry.isFallbackAdapter),
  );
  // The tuner needs the backend (to time on its queue) and the backend the tuner: bind late.
  let backend: WebGPUBackend | undefined;
  const tuner = tune
    ? new MatmulTuner(
        adapterKey({ ...entry, device: (adapter.info as GPUAdapterInfo & { device?: string })?.device }),
        opts.autotuneCache ?? (await defaultAutotuneCache()),
        (...args) => gpuMatmulTimer(backend!)(...args),
      )
    : undefined;
  await tuner?.load();
  backend = new WebGPUBackend(
    deviceOf("webgpu", id),
    device,
    {
      vendor: entry.vendor,
      architecture: entry.architecture,
      description: entry.description,
      isFallbackAdapter: entry.isFallbackAdapter,
    },
    exec,
    pool,
    defaultPreference(entry, entry.isFallbackAdapter),
    { tuner },
  );
  return backend;
}

/** The registry provider of `"webgpu"` devices. */
export const provider: BackendProvider = {
  create: (id) => createWebGPUBackend(id),
  deviceCount: async () => (await listAdapters()).length,
};
