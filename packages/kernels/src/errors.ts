// Named error classes with stable `code`s. Messages start with "[@flux/kernels]", say what was tried and
// what to do next, so a user can act on them without reading our source.

/**
 * Base class of every error thrown by `@flux/kernels`.
 *
 * Catch this to handle any kernels failure; switch on `code` (stable across versions) rather than on the
 * message text.
 *
 * @example
 * try { add(a, b); } catch (e) { if (e instanceof KernelsError) console.log(e.code); }
 */
export class KernelsError extends Error {
  /** A stable machine-readable identifier, e.g. `"ERR_SHAPE"`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[@flux/kernels] ${message}`, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Thrown when one op receives tensors that live on different devices.
 *
 * There is no silent copy between devices: move one operand first (e.g. with `@flux/devices`).
 *
 * @example
 * add(cpuTensor, gpuTensor); // DeviceMismatchError: ... cpu and webgpu:0
 */
export class DeviceMismatchError extends KernelsError {
  readonly devices: readonly [string, string];
  constructor(op: string, a: string, b: string) {
    super(
      "ERR_DEVICE_MISMATCH",
      `${op}: its tensors live on different devices, ${a} and ${b}. Move them to one device first ` +
        "(e.g. `await gpuDevice()(x)` or `await cpu(x)` from @flux/devices); tensors are never copied silently.",
    );
    this.devices = [a, b];
  }
}

/**
 * Thrown when a tensor is used after `dispose()` (or after `tidy` freed it).
 *
 * @example
 * const t = ones([2]); t.dispose(); t.dataSync(); // DisposedTensorError
 */
export class DisposedTensorError extends KernelsError {
  constructor(op: string, description: string) {
    super(
      "ERR_DISPOSED",
      `${op}: the ${description} was already disposed (dispose() or tidy() freed it). ` +
        "Keep it alive with keep(t) inside tidy, or stop using it after dispose().",
    );
  }
}

/**
 * Thrown when shapes do not fit an op (broadcasting, matmul inner dims, reshape sizes...).
 *
 * @example
 * matmul(zeros([2, 3]), zeros([4, 5])); // ShapeError
 */
export class ShapeError extends KernelsError {
  constructor(message: string) {
    super("ERR_SHAPE", message);
  }
}

/**
 * Thrown when an element type does not fit an op or a device (e.g. f64 on a GPU, `log` of a bool tensor).
 *
 * @example
 * exp(tensor([true], [1], { dtype: "bool" })); // DTypeError
 */
export class DTypeError extends KernelsError {
  constructor(message: string) {
    super("ERR_DTYPE", message);
  }
}

/**
 * Thrown when a backend name is neither registered nor a lazy built-in, or is not loaded yet where a
 * synchronous answer was needed.
 *
 * @example
 * getBackendSync("webgpu"); // BackendNotFoundError unless `await getBackend("webgpu")` ran first
 */
export class BackendNotFoundError extends KernelsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_BACKEND_NOT_FOUND", message, options);
  }
}

/**
 * Thrown when an argument is outside what an op accepts (a dim out of range, a negative size, p > 1 ...).
 *
 * @example
 * sum(zeros([2, 3]), { dims: 3 }); // ArgumentError: dims must be in 1..2
 */
export class ArgumentError extends KernelsError {
  constructor(message: string) {
    super("ERR_ARGUMENT", message);
  }
}

/**
 * Thrown when the runtime cannot allocate a tensor's storage: the shape holds more elements than a typed
 * array may have, or the memory is not there. Names the shape, the element count and the bytes asked for.
 *
 * @example
 * zeros([2 ** 40]); // AllocationError: zeros: [1099511627776] f32 needs 4 TiB ...
 */
export class AllocationError extends KernelsError {
  constructor(message: string) {
    super("ERR_ALLOCATION", message);
  }
}

/**
 * Thrown by `gradient` when it cannot differentiate the call: the function did not return a scalar
 * tensor, or returned a Promise.
 *
 * @example
 * gradient((x) => x, zeros([3])); // GradientError: must return a scalar
 */
export class GradientError extends KernelsError {
  constructor(message: string) {
    super("ERR_GRADIENT", message);
  }
}

/**
 * Thrown when a synchronous read (`dataSync`) is asked of a device that can only read asynchronously.
 *
 * @example
 * gpuTensor.dataSync(); // SyncReadError: use `await t.data()`
 */
export class SyncReadError extends KernelsError {
  constructor(device: string) {
    super(
      "ERR_SYNC_READ",
      `dataSync(): a tensor on ${device} can only be read asynchronously. Use \`await t.data()\` or ` +
        "`await t.array()`, or move it to the CPU first.",
    );
  }
}
