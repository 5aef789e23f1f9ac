// Named error classes with stable `code`s. Messages start with "[@flux/devices]", say what was tried and what
// to do next (the error rule of every @flux package, docs/ARCHITECTURE.md), so a user can act on them without reading our source.

/**
 * Base class of the errors thrown by `@flux/devices` (except `DeviceIdError`, which is a `RangeError`).
 *
 * Switch on `code` (stable across versions) rather than on the message text.
 *
 * @example
 * try { await gpuDevice(undefined, { force: true }); } catch (e) { if (e instanceof DevicesError) e.code; }
 */
export class DevicesError extends Error {
  /** A stable machine-readable identifier, e.g. `"ERR_DEVICE_SELECTION"`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[@flux/devices] ${message}`, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Thrown by `gpuDevice(id, { force: true })` when no functional GPU backend was found (MLDataDevices'
 * `DeviceSelectionException`). Without `force`, the same situation falls back to the CPU with a warning.
 *
 * @example
 * await gpuDevice(undefined, { force: true }); // DeviceSelectionError on a machine without a GPU
 */
export class DeviceSelectionError extends DevicesError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_DEVICE_SELECTION", message, options);
  }
}

/**
 * Thrown for a device id that is negative, not an integer, or beyond the visible adapters. A `RangeError`,
 * so code that already catches range problems catches it too.
 *
 * @example
 * await gpuDevice(-1); // DeviceIdError (a RangeError): ids are 0-based
 */
export class DeviceIdError extends RangeError {
  /** `"ERR_DEVICE_ID"` (bad id) or `"ERR_DEVICE_ID_OUT_OF_RANGE"` (no such visible adapter). */
  readonly code: string;
  constructor(code: "ERR_DEVICE_ID" | "ERR_DEVICE_ID_OUT_OF_RANGE", message: string) {
    super(`[@flux/devices] ${message}`);
    this.name = "DeviceIdError";
    this.code = code;
  }
}

/**
 * Thrown by `getDevice` / `getDeviceType` when the tensors of one structure sit on different devices.
 * `devices` names both, `paths` gives where each was first met.
 *
 * @example
 * getDevice({ a: cpuTensor, b: gpuTensor }); // MixedDevicesError: ... cpu (at a) and webgpu:0 (at b)
 */
export class MixedDevicesError extends DevicesError {
  readonly devices: readonly [string, string];
  readonly paths: readonly [string, string];
  constructor(op: string, a: string, pathA: string, b: string, pathB: string) {
    super(
      "ERR_MIXED_DEVICES",
      `${op}: the structure holds tensors on different devices: ${a} (at ${pathA}) and ${b} (at ${pathB}). ` +
        "Move everything to one device first, e.g. `await (await gpuDevice())(x)` or `await cpu(x)`.",
    );
    this.devices = [a, b];
    this.paths = [pathA, pathB];
  }
}

/**
 * Thrown by `setGpuBackend` for a name that is not a supported GPU backend; the message lists valid ones.
 *
 * @example
 * await setGpuBackend("cuda"); // InvalidBackendError: ... valid: "webgpu" (or "" to delete)
 */
export class InvalidBackendError extends DevicesError {
  constructor(message: string) {
    super("ERR_INVALID_BACKEND", message);
  }
}

/**
 * Thrown when a transfer asks a device for an element type it cannot store (e.g. keeping `f64` on WebGPU
 * with `eltype: null`).
 *
 * @example
 * await (await gpuDevice(0, { eltype: null }))(zeros([2], { dtype: "f64" })); // on webgpu: DeviceDTypeError
 */
export class DeviceDTypeError extends DevicesError {
  constructor(message: string) {
    super("ERR_DEVICE_DTYPE", message);
  }
}

/**
 * Thrown when the preference file (`flux.config.json`) cannot be used: not valid JSON (`line` and `column`
 * say where), not a JSON object, not a regular file, larger than 1 MiB, or locked by another process for
 * too long. `setGpuBackend` throws it rather than overwrite or delete a file it cannot parse; selection only
 * warns and selects automatically.
 *
 * @example
 * await setGpuBackend("webgpu"); // PreferencesFileError: /app/flux.config.json: it is not valid JSON at line 3, column 1 ...
 */
export class PreferencesFileError extends DevicesError {
  /** The file. */
  readonly path: string;
  /** What is wrong with it, e.g. "it is not valid JSON at line 3, column 1 (...)". */
  readonly reason: string;
  /** 1-based line of the JSON error, when it is one. */
  readonly line?: number;
  /** 1-based column of the JSON error, when it is one. */
  readonly column?: number;
  constructor(path: string, why: string, where: { line?: number; column?: number } = {}) {
    super(
      "ERR_PREFERENCES_FILE",
      `${path}: ${why}. Fix the file by hand (or delete it); @flux/devices never overwrites or deletes a ` +
        "preference file it cannot read.",
    );
    this.path = path;
    this.reason = why;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
  }
}
