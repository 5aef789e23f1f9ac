// @flux/devices: device objects, selection, preferences and transfers — a port of MLDataDevices.jl plus
// Flux's `gpu`/`cpu`. See README.md for the selection rules, the preference file and the eltype rules.
export { type Device, type Moved, isDevice, UnknownDevice } from "./device.js";
export { cpuDevice } from "./cpuDevice.js";
export { gpuDevice, resetGpuDevice, deviceReport, type GpuDeviceOptions } from "./gpuDevice.js";
export {
  lastSelection,
  type AdapterReport,
  type BackendAttempt,
  type SelectionCode,
  type SelectionReport,
} from "./report.js";
export { gpuDevices, type GpuDeviceInfo } from "./gpuDevices.js";
export {
  supportedGpuBackends,
  registerGpuBackend,
  loaded,
  functional,
  type AdapterDescription,
} from "./gpuBackends.js";
export { setGpuBackend, gpuBackend, GPU_BACKEND } from "./setGpuBackend.js";
export {
  PREFERENCES_FILE,
  PREFERENCE_KEY,
  STORAGE_KEY,
  preferencesPath,
  readStoredPreference,
  type StoredPreference,
} from "./preferences.js";
export { getDevice, getDeviceType } from "./getDevice.js";
export { gpu, cpu } from "./gpuCpu.js";
export { f32, f16, f64 } from "./precision.js";
export { type Eltype, type FloatDType, targetDType } from "./eltype.js";
export { DEVICE_ITERATOR, DeviceIterator } from "./deviceIterator.js";
export { DATALOADER, isLoader } from "./isLoader.js";
export type { TransferOptions } from "./transfer.js";
export {
  DevicesError,
  DeviceSelectionError,
  DeviceIdError,
  MixedDevicesError,
  InvalidBackendError,
  PreferencesFileError,
  DeviceDTypeError,
} from "./errors.js";

/** The version of this package. */
export const VERSION = "0.1.0";
