// @flux/devices: device objects, selection, preferences and transfers — a port of MLDataDevices.jl plus
// Flux's `gpu`/`cpu`. See README.md for the selection rules, the preference file and the eltype rules.
export { type Device, type Moved, isDevice, UnknownDevice } from "./device";
export { cpuDevice } from "./cpuDevice";
export { gpuDevice, resetGpuDevice, deviceReport, type GpuDeviceOptions } from "./gpuDevice";
export {
  lastSelection,
  type AdapterReport,
  type BackendAttempt,
  type SelectionCode,
  type SelectionReport,
} from "./report";
export { gpuDevices, type GpuDeviceInfo } from "./gpuDevices";
export {
  supportedGpuBackends,
  registerGpuBackend,
  loaded,
  functional,
  type AdapterDescription,
} from "./gpuBackends";
export { setGpuBackend, gpuBackend, GPU_BACKEND } from "./setGpuBackend";
export {
  PREFERENCES_FILE,
  PREFERENCE_KEY,
  STORAGE_KEY,
  preferencesPath,
  readStoredPreference,
  type StoredPreference,
} from "./preferences";
export { getDevice, getDeviceType } from "./getDevice";
export { gpu, cpu } from "./gpuCpu";
export { f32, f16, f64 } from "./precision";
export { type Eltype, type FloatDType, targetDType } from "./eltype";
export { DEVICE_ITERATOR, DeviceIterator } from "./deviceIterator";
export { DATALOADER, isLoader } from "./isLoader";
export type { TransferOptions } from "./transfer";
export {
  DevicesError,
  DeviceSelectionError,
  DeviceIdError,
  MixedDevicesError,
  InvalidBackendError,
  PreferencesFileError,
  DeviceDTypeError,
} from "./errors";

/** The version of this package. */
export const VERSION = "0.1.0";
