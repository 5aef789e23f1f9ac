// The WebGPU backend's chunk: imported by the registry the first time "webgpu" is asked for, and by users
// who want its extras (adapter listing, the functional probe, injection of a GPU object).
export {
  type VulkanDriver,
  type VulkanSurvey,
  type WebGPUAdapterEntry,
  type WebGPUHostCheck,
  type WebGPUHostProblem,
  type WebGPUOptions,
  isSoftwareAdapter,
  listAdapters,
  registerWebGPU,
  webgpuHostCheck,
} from "./adapters.js";
export { type WebGPUAdapterSummary, WebGPUBackend } from "./backend.js";
export { WebGPUDeviceLostError, WebGPUExecutionError, WebGPUUnavailableError } from "./errors.js";
export { type WebGPUProbe, webgpuFunctional } from "./functional.js";
export { createWebGPUBackend, provider } from "./provider.js";
export { MatmulTuner, type MeasureMatmul, type ShapeClass, shapeClass, tuneKey } from "./autotune.js";
export {
  type AutotuneCache,
  defaultAutotuneCache,
  fileCache,
  memoryCache,
  type TunedKernels,
  webStorageCache,
} from "./autotuneCache.js";
export type { WebGPUBackendOptions } from "./backend.js";
