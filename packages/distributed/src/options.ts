// The options `initialize` accepts, checked by name: a misspelt key must not be dropped in silence.
import { checkOptionKeys } from "@flux/functors";
import { DistributedArgumentError } from "./errors.js";

// One list for both backends: a script started by mpirun or by the threads launcher passes the same options
// (`initialize(detectBackend(), opts)`), and each backend ignores the keys that belong to the other.
const KNOWN = ["timeoutMs", "library", "koffi", "abortOnUncaught"] as const;

/**
 * Refuses anything but a plain options object with known keys, naming the unknown key and the known ones.
 */
export function checkBackendOptions(options: unknown, where: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new DistributedArgumentError(`${where}: options must be an object such as { timeoutMs: 60000 }.`);
  if ("gpuAware" in options)
    throw new DistributedArgumentError(
      `${where}: gpuAware is not supported: WebGPU buffers cannot be handed to MPI, so GPU tensors always ` +
        "travel through host memory (done for you). Remove the option.",
    );
  checkOptionKeys(where, options, KNOWN, (message) => new DistributedArgumentError(message));
}
