// `setGpuBackend(name)` (MLDataDevices' `gpu_backend!`) and `GPU_BACKEND` (Flux's constant). Unlike Julia,
// the new preference holds from the next gpuDevice() call on, in this process and later ones: no restart.
import type { Device } from "./device";
import { InvalidBackendError } from "./errors";
import { resetGpuDevice } from "./gpuDevice";
import { supportedGpuBackends } from "./gpuBackends";
import { readStoredPreference, readStoredPreferenceSync, writePreference } from "./preferences";
import { readEnv } from "./runtime";
import { info } from "./warnOnce";

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
 * The GPU backend preference read when this module was loaded: `FLUX_GPU_BACKEND` if set, else the stored
 * value, else `null` (automatic selection). Flux's `GPU_BACKEND`. A later `setGpuBackend` does not change
 * this constant (read `await readStoredPreference()` for the current value) but does affect `gpuDevice()`.
 *
 * @example
 * GPU_BACKEND; // "webgpu" or null
 */
export const GPU_BACKEND: string | null = preferenceAtStart();

function preferenceAtStart(): string | null {
  const env = readEnv("FLUX_GPU_BACKEND");
  if (env !== undefined) return env;
  const s = readStoredPreferenceSync();
  return s.status === "set" ? s.value : null;
}
