// The CPU backend's provider: one instance per id, created synchronously.
import { deviceOf } from "../device.js";
import type { BackendProvider } from "../registry.js";
import { CpuBackend } from "./backend.js";

/**
 * Makes a provider of CPU-backed devices under `name` (the built-in one is `"cpu"`). Registering a second
 * one under another name gives a real second device, e.g. to test device-mismatch handling.
 *
 * @example
 * registerBackend("cpu2", cpuBackendProvider("cpu2"));
 */
export function cpuBackendProvider(name = "cpu"): BackendProvider {
  return { create: (id) => new CpuBackend(deviceOf(name, id)), deviceCount: () => 1 };
}

/** The built-in `"cpu"` provider. */
export const cpuProvider: BackendProvider = cpuBackendProvider("cpu");
