// Automatic backend selection (SPEC §3, MLDataDevices' `get_gpu_device`): the preference if it is a valid,
// loaded and functional backend (else one warning and on); then every supported backend in order; then the
// CPU with one warning, or DeviceSelectionError under `force`.
import { DeviceSelectionError } from "./errors";
import { functional, loaded, probeFailure, supportedGpuBackends } from "./gpuBackends";
import { effectivePreference } from "./preferences";
import { readEnv } from "./runtime";
import { warnOnce } from "./warnOnce";

/** How to get a GPU, listed in the no-GPU warning and error. */
export const HOW_TO_GET_A_GPU =
  "  1. If this machine has no GPU, nothing needs to be done; set FLUX_SILENCE_WARN_NO_GPU=1 to silence this warning.\n" +
  "  2. Node and Bun: install the optional peer package `webgpu` (npm i webgpu), which brings Dawn.\n" +
  "  3. Deno: navigator.gpu is built in; make sure a Vulkan/Metal/D3D12 driver is installed.\n" +
  "  4. Browsers: use one with WebGPU enabled (Chrome/Edge 113+, Safari 18+, Firefox 141+).\n" +
  "  5. Check that FLUX_VISIBLE_DEVICES is not -1, and call resetGpuDevice() after fixing anything.";

/**
 * Picks the backend `gpuDevice()` uses: a GPU backend name, or `"cpu"` for the fallback.
 *
 * @example
 * await chooseBackend({ force: false }); // "webgpu" or "cpu"
 */
export async function chooseBackend(opts: { force: boolean }): Promise<string> {
  const supported = supportedGpuBackends();
  const pref = await effectivePreference(readEnv("FLUX_GPU_BACKEND"));
  if (pref.corrupt !== undefined) {
    warnOnce(
      `pref-corrupt:${pref.source}`,
      `[@flux/devices] the GPU backend preference in ${pref.source} cannot be read: ${pref.corrupt}. ` +
        'Using automatic selection. Fix the file, or run `await setGpuBackend("webgpu")` (or "" to delete).',
    );
  } else if (pref.value !== null) {
    const name = pref.value;
    if (!supported.includes(name)) {
      warnOnce(
        `pref-invalid:${name}`,
        `[@flux/devices] the GPU backend preference "${name}" (from ${pref.source}) is not a valid backend. ` +
          `Valid backends are ${list(supported)}. Using automatic selection; fix it with ` +
          '`await setGpuBackend(name)` (or "" to delete).',
      );
    } else if (!(await loaded(name))) {
      warnOnce(
        `pref-not-loaded:${name}`,
        `[@flux/devices] the GPU backend preference is "${name}" (from ${pref.source}), but its code could not ` +
          `be loaded${because(name)}. Ignoring the preference and using automatic selection. ` +
          `${name === "webgpu" ? "On Node and Bun, install the optional peer package `webgpu`, then " : "Make it loadable, then "}` +
          "call resetGpuDevice() to honour the preference.",
      );
    } else if (!(await functional(name))) {
      warnOnce(
        `pref-not-functional:${name}`,
        `[@flux/devices] the GPU backend "${name}" set in ${pref.source} is loaded but not functional` +
          `${because(name)}. Using automatic selection.`,
      );
    } else return name;
  }
  for (const name of supported) {
    if ((await loaded(name)) && (await functional(name))) return name;
  }
  const tried = supported.map((n) => `${n}${because(n)}`).join("; ");
  if (opts.force) {
    throw new DeviceSelectionError(
      `no functional GPU device found (force: true). Tried: ${tried}.\n${HOW_TO_GET_A_GPU}`,
    );
  }
  if (readEnv("FLUX_SILENCE_WARN_NO_GPU") !== "1") {
    warnOnce(
      "no-gpu",
      `[@flux/devices] No functional GPU backend found! Defaulting to the CPU. Tried: ${tried}.\n${HOW_TO_GET_A_GPU}`,
    );
  }
  return "cpu";
}

function because(name: string): string {
  const why = probeFailure(name);
  return why === undefined ? "" : ` (${why})`;
}

function list(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}
