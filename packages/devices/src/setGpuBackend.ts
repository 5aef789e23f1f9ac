// `setGpuBackend(name)` (MLDataDevices' `gpu_backend!`), `gpuBackend()` and `GPU_BACKEND` (Flux's constant). Unlike Julia,
// the new preference holds from the next gpuDevice() call on, in this process and later ones: no restart.
import { type Device, isDevice } from "./device.js";
import { InvalidBackendError } from "./errors.js";
import { resetGpuDevice } from "./gpuDevice.js";
import { supportedGpuBackends } from "./gpuBackends.js";
import {
  memoryPreference,
  readStoredPreference,
  readStoredPreferenceSync,
  writePreference,
} from "./preferences.js";
import { readEnv } from "./runtime.js";
import { info } from "./warnOnce.js";

/**
 * Persists the GPU backend preference (`""` deletes it). Valid names are `supportedGpuBackends()`; an
 * invalid one throws `InvalidBackendError` listing them; setting the current value just says so. The file is
 * `flux.config.json` at the project root (browsers: `localStorage`); see README. Takes effect at the next
 * `gpuDevice()` call (the cached choice is reset). `FLUX_GPU_BACKEND`, when set, still overrides it.
 *
 * @example
 * await setGpuBackend("webgpu"); // [@flux/devices] GPU backend preference set to "webgpu" in .../flux.config.json
 * await setGpuBackend("");       // deleted: automatic selection again
 */
export async function setGpuBackend(backend: string | Device): Promise<void> {
  if (typeof backend !== "string" && !isDevice(backend))
    throw new InvalidBackendError(
      `setGpuBackend(backend): backend must be a backend name such as "webgpu", a GPU device, or "" to delete ` +
        `the preference; got ${backend === null ? "null" : typeof backend}.`,
    );
  const name = typeof backend === "string" ? backend : backend.kind;
  const stored = await readStoredPreference();
  const current = stored.status === "set" ? stored.value : null;
  const where = "where" in stored ? stored.where : "memory";
  if (name === "") {
    if (current === null && stored.status !== "corrupt") {
      info(`[@flux/devices] no GPU backend preference is set (${where}); nothing to delete.`);
      return;
    }
    const w = await writePreference(null);
    resetGpuDevice();
    info(
      `[@flux/devices] deleted the GPU backend preference (${w.where}); gpuDevice() selects automatically.`,
    );
    return;
  }
  const valid = supportedGpuBackends();
  if (!valid.includes(name)) {
    throw new InvalidBackendError(
      `setGpuBackend(${JSON.stringify(name)}): not a supported GPU backend. Valid backends are ` +
        `${valid.map((v) => `"${v}"`).join(", ")} (or "" to delete the preference).`,
    );
  }
  if (current === name) {
    info(
      `[@flux/devices] the GPU backend preference is already "${name}" (${where}); no action is required.`,
    );
    return;
  }
  const w = await writePreference(name);
  resetGpuDevice();
  const env = readEnv("FLUX_GPU_BACKEND");
  const note =
    env !== undefined && env !== name ? ` Note: FLUX_GPU_BACKEND="${env}" overrides it while set.` : "";
  info(
    `[@flux/devices] GPU backend preference set to "${name}" (${w.where}). It takes effect at the next ` +
      `gpuDevice() call${w.persisted ? ", in this process and later ones (no restart needed)" : " of this process"}.${note}`,
  );
}

/**
 * The GPU backend preference in effect now: `FLUX_GPU_BACKEND` if set, else a value kept in memory for this
 * process (where nothing could be stored), else the stored one (`flux.config.json` or `localStorage`), else
 * `null` (automatic selection). Reads the file each call, synchronously, and never throws (an unreadable
 * file gives `null`; `readStoredPreference()` says why).
 *
 * @example
 * await setGpuBackend("webgpu"); gpuBackend(); // "webgpu"
 */
export function gpuBackend(): string | null {
  const env = readEnv("FLUX_GPU_BACKEND");
  if (env !== undefined) return env;
  const mem = memoryPreference();
  if (mem !== undefined) return mem;
  const s = readStoredPreferenceSync();
  return s.status === "set" ? s.value : null;
}

/**
 * Flux's `GPU_BACKEND`: the `FLUX_GPU_BACKEND` environment variable when this module was loaded, else
 * `null`. Loading the package never reads a file (a hand-made `flux.config.json` that is a FIFO or a link to
 * /dev/zero must not hang an import), so the stored preference is read by `gpuBackend()` and by every
 * `gpuDevice()` selection instead.
 *
 * @example
 * GPU_BACKEND; // "webgpu" when started with FLUX_GPU_BACKEND=webgpu, else null
 */
export const GPU_BACKEND: string | null = readEnv("FLUX_GPU_BACKEND") ?? null;
