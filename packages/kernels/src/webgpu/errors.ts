// Errors of the WebGPU backend. They extend the package's KernelsError, so `code` switches work the same.
import { KernelsError } from "../errors.js";

/**
 * Thrown when no WebGPU implementation or adapter can be found on this runtime.
 *
 * On Node and Bun WebGPU comes from the optional peer package `webgpu` (Dawn); in Deno and browsers from
 * `navigator.gpu`. The message says which was tried and what to install or enable.
 *
 * @example
 * try { await getBackend("webgpu"); } catch (e) { if (e.code === "ERR_WEBGPU_UNAVAILABLE") useCpu(); }
 */
export class WebGPUUnavailableError extends KernelsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_WEBGPU_UNAVAILABLE", message, options);
  }
}

/**
 * Thrown by every operation of a WebGPU backend whose device was lost (driver reset, `destroy()`, ...).
 *
 * The backend stays non-functional: tensors on it are gone. Create a new one with a fresh device id, or
 * fall back to the CPU. `reason` is what the implementation reported.
 *
 * @example
 * try { await t.data(); } catch (e) { if (e instanceof WebGPUDeviceLostError) console.log(e.reason); }
 */
export class WebGPUDeviceLostError extends KernelsError {
  readonly reason: string;
  constructor(device: string, reason: string) {
    super(
      "ERR_WEBGPU_DEVICE_LOST",
      `${device}: the GPU device was lost (${reason}); its tensors are gone. ` +
        "Move work to another device (e.g. the CPU) or reload the page/process to get a new device.",
    );
    this.reason = reason;
  }
}

/**
 * Thrown when the GPU reported a validation or out-of-memory error for earlier work (WebGPU reports them
 * asynchronously); the next read surfaces it instead of returning wrong values.
 *
 * @example
 * await t.data(); // WebGPUExecutionError: ... Out of memory
 */
export class WebGPUExecutionError extends KernelsError {
  constructor(device: string, message: string) {
    super(
      "ERR_WEBGPU_EXECUTION",
      `${device}: the GPU rejected earlier work: ${message}. Results read from it would be wrong; ` +
        "reduce sizes if it is out of memory, otherwise please report it with the shapes involved.",
    );
  }
}
