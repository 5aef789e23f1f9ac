// The WebGPU backend's provider: one backend per adapter id, each on its own GPUDevice.
import { deviceOf } from "../device.js";
import type { BackendProvider } from "../registry.js";
import { listAdapters, requestAdapterById, webgpuOptions } from "./adapters.js";
import { WebGPUBackend } from "./backend.js";
import { BufferPool } from "./bufferPool.js";
import { Executor } from "./executor.js";
import { defaultPreference } from "./matmulPlan.js";

const DEFAULT_POOL_CAP = 256 * 1024 * 1024;

/**
 * Creates the WebGPU backend of adapter `id`: requests the adapter and a device with the adapter's full
 * buffer limits, and picks the matmul kernels for it.
 *
 * @example
 * const b = await createWebGPUBackend(0);
 */
export async function createWebGPUBackend(id: number): Promise<WebGPUBackend> {
  const { adapter, entry } = await requestAdapterById(id);
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxBufferSize: entry.limits.maxBufferSize,
      maxStorageBufferBindingSize: entry.limits.maxStorageBufferBindingSize,
    },
  });
  const exec = new Executor(device);
  const pool = new BufferPool(device, webgpuOptions().poolCapBytes ?? DEFAULT_POOL_CAP, () =>
    exec.hasUnsubmittedWork(),
  );
  exec.afterSubmit.push(() => pool.afterSubmit());
  return new WebGPUBackend(
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
  );
}

/** The registry provider of `"webgpu"` devices. */
export const provider: BackendProvider = {
  create: (id) => createWebGPUBackend(id),
  deviceCount: async () => (await listAdapters()).length,
};
