// Automatic device selection (MLDataDevices' `get_gpu_device`): the preference if it is a valid,
// loaded and working backend (else one warning and on); then every supported backend in order; then the CPU
// with one warning, or DeviceSelectionError under `force`. Software adapters (SwiftShader, llvmpipe, WARP...)
// are passed over unless allowed. Every selection leaves a structured report (./report.ts).
import { DeviceIdError, DeviceSelectionError } from "./errors.js";
import {
  type BackendProblem,
  backendProblem,
  inspectBackend,
  probeAdapter,
  SOFTWARE_HINT,
  supportedGpuBackends,
} from "./gpuBackends.js";
import { effectivePreference } from "./preferences.js";
import type { AdapterReport, BackendAttempt, SelectionCode, SelectionReport } from "./report.js";
import { type RuntimeName, readEnv, runtimeName } from "./runtime.js";
import { warnOnce } from "./warnOnce.js";

/** What the selection was asked for. */
export interface SelectionRequest {
  readonly id: number | undefined;
  readonly force: boolean;
  readonly allowSoftware: boolean;
  /** Where `allowSoftware` came from, for the report's words. */
  readonly allowSoftwareSource: string;
  readonly warn: boolean;
}

/** What the selection chose: a backend and adapter, or the CPU; and the report. */
export interface SelectionOutcome {
  readonly backend: string;
  readonly adapter: AdapterReport | null;
  readonly report: Omit<SelectionReport, "device">;
}

/**
 * How to get a GPU where this code runs (the tail of the no-GPU warning and of `DeviceSelectionError`).
 */
function howToGetAGpu(runtime: RuntimeName): string {
  switch (runtime) {
    case "browser":
      return (
        "Use a browser with WebGPU (Chrome or Edge 113+, Safari 26+, Firefox 141+) on an https:// or localhost " +
        "page; chrome://gpu shows whether WebGPU is on and the GPU not blocklisted."
      );
    case "deno":
      return "Deno has WebGPU built in: it needs a GPU driver (Vulkan on Linux, Metal on macOS, D3D12 on Windows).";
    case "node":
    case "bun":
      return (
        "Node and Bun get WebGPU from the optional package `webgpu` (Dawn), which needs a GPU driver " +
        "(Vulkan on Linux, Metal on macOS, D3D12 on Windows)."
      );
    default:
      return "WebGPU needs a browser with WebGPU, Deno 2, or Node/Bun with the `webgpu` package.";
  }
}

const SILENCE =
  "No GPU on this machine? Set FLUX_SILENCE_WARN_NO_GPU=1 to silence this warning. After a fix, " +
  "resetGpuDevice() selects again.";

/**
 * Chooses the backend and adapter `gpuDevice()` uses, or the CPU, and reports why.
 */
export async function chooseDevice(req: SelectionRequest): Promise<SelectionOutcome> {
  const supported = supportedGpuBackends();
  const attempts: BackendAttempt[] = [];
  const seen: AdapterReport[] = [];
  const pref = await effectivePreference(readEnv("FLUX_GPU_BACKEND"));
  let first: string | null = null;
  if (pref.corrupt !== undefined) {
    warnOnce(
      `pref-corrupt:${pref.source}`,
      `[@flux/devices] the GPU backend preference in ${pref.source} cannot be read: ${pref.corrupt}. ` +
        "Using automatic selection. Fix the file (setGpuBackend refuses to overwrite a file it cannot parse).",
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
    } else {
      first = name;
      const r = await tryBackend(name, req, seen);
      attempts.push(r.attempt);
      if (r.adapter !== null) return done(name, r.adapter, req, attempts, seen);
      const p = r.attempt;
      if (p.code === "not-loaded" || p.code === "no-webgpu-package" || p.code === "no-webgpu-api") {
        warnOnce(
          `pref-not-loaded:${name}`,
          `[@flux/devices] the GPU backend preference is "${name}" (from ${pref.source}), but its code could not ` +
            `be loaded (${p.reason}). Ignoring the preference and using automatic selection. ` +
            `${p.hint ? `${p.hint} Then ` : "Make it loadable, then "}call resetGpuDevice() to honour the preference.`,
        );
      } else {
        warnOnce(
          `pref-not-functional:${name}`,
          `[@flux/devices] the GPU backend "${name}" set in ${pref.source} is loaded but not functional ` +
            `(${p.reason}). Using automatic selection.`,
        );
      }
    }
  }
  for (const name of supported) {
    if (name === first) continue;
    const r = await tryBackend(name, req, seen);
    attempts.push(r.attempt);
    if (r.adapter !== null) return done(name, r.adapter, req, attempts, seen);
  }
  // The CPU: the main reason is the preferred backend's, else the first built-in's (webgpu).
  const main = attempts[0]!;
  const reason =
    new Set(attempts.map((a) => a.reason)).size === 1
      ? main.reason
      : attempts.map((a) => `${a.backend}: ${a.reason}`).join("; ");
  const runtime = runtimeName();
  const hint = main.hint ?? howToGetAGpu(runtime);
  const report = {
    runtime,
    backend: "cpu",
    id: null,
    adapter: null,
    adapters: seen,
    code: main.code,
    reason,
    hint,
    allowSoftware: req.allowSoftware,
    attempts,
  };
  const tried = reason === main.reason ? `${attempts.map((a) => a.backend).join(", ")}: ${reason}` : reason;
  if (req.force) {
    throw new DeviceSelectionError(
      `no usable GPU device found (force: true). ${tried}.\n  ${hint}` +
        (main.hint !== undefined ? `\n  ${howToGetAGpu(runtime)}` : ""),
    );
  }
  if (req.warn && readEnv("FLUX_SILENCE_WARN_NO_GPU") !== "1") {
    warnOnce(
      "no-gpu",
      `[@flux/devices] No functional GPU backend found! Defaulting to the CPU. ${tried}.\n  ${hint}\n  ${SILENCE}`,
    );
  }
  return { backend: "cpu", adapter: null, report };
}

function done(
  backend: string,
  adapter: AdapterReport,
  req: SelectionRequest,
  attempts: BackendAttempt[],
  seen: AdapterReport[],
): SelectionOutcome {
  const software = adapter.kind === "software";
  const skipped = software ? [] : seen.filter((a) => a.kind === "software");
  const code: SelectionCode = software ? "software-allowed" : "gpu";
  const reason = software
    ? `${adapter.name} is a software renderer (its shaders run on the CPU), used because ${req.allowSoftwareSource}`
    : `${adapter.name} is a hardware GPU adapter` +
      (skipped.length > 0
        ? `; passed over the software adapter ${skipped.map((a) => a.name).join(", ")}`
        : "");
  attempts[attempts.length - 1] = { backend, code, reason };
  return {
    backend,
    adapter,
    report: {
      runtime: runtimeName(),
      backend,
      id: adapter.id,
      adapter,
      adapters: seen,
      code,
      reason,
      hint: software ? SOFTWARE_HINT.split(";")[0]! : null,
      allowSoftware: req.allowSoftware,
      attempts,
    },
  };
}

/** Tries one backend: its eligible adapters in order, the first that passes the probe wins. */
async function tryBackend(
  name: string,
  req: SelectionRequest,
  seen: AdapterReport[],
): Promise<{ adapter: AdapterReport | null; attempt: BackendAttempt }> {
  const fail = (p: BackendProblem) => ({ adapter: null, attempt: { backend: name, ...p } });
  const state = await inspectBackend(name, req.allowSoftware);
  seen.push(...state.adapters);
  if (!state.ok) return fail(state.problem);
  const adapters = state.adapters;
  let candidates = adapters;
  if (req.id !== undefined) {
    if (req.id >= adapters.length) {
      throw new DeviceIdError(
        "ERR_DEVICE_ID_OUT_OF_RANGE",
        `gpuDevice(${req.id}): backend "${name}" has ${adapters.length} visible adapter(s)` +
          `${adapters.length > 0 ? ` (ids 0 to ${adapters.length - 1})` : ""}. List them with gpuDevices(); ` +
          "FLUX_VISIBLE_DEVICES may hide some.",
      );
    }
    candidates = [adapters[req.id]!];
  }
  const eligible = candidates.filter((a) => req.allowSoftware || a.kind === "hardware");
  if (eligible.length === 0) {
    const names = candidates.map((a) => a.name).join(", ");
    return fail({
      code: "software-only",
      reason:
        req.id !== undefined
          ? `${name}:${req.id} is a software renderer (${names}), slower than the CPU backend`
          : `the only ${name} adapter${candidates.length > 1 ? "s are software renderers" : " is a software renderer"} ` +
            `(${names}), slower than the CPU backend`,
      hint: SOFTWARE_HINT,
    });
  }
  for (const a of eligible) {
    if (await probeAdapter(name, a.physicalId))
      return { adapter: a, attempt: { backend: name, code: "gpu", reason: "" } };
  }
  return fail(backendProblem(name) ?? { code: "probe-failed", reason: "the probe failed" });
}

function list(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}
