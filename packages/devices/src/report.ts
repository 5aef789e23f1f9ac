// The structured answer to "which device, and why?": what `gpuDevice()` saw (adapters, hardware or
// software), what it chose, and the reason in words and as a stable code. Apps show it instead of parsing
// the console warning.
import type { RuntimeName } from "./runtime.js";

/**
 * Why `gpuDevice()` chose what it chose, as a stable code:
 * - `"gpu"`: a hardware adapter; `"software-allowed"`: a software adapter, because it was allowed
 *   (`FLUX_ALLOW_SOFTWARE_GPU=1` or `{ allowSoftware: true }`);
 * - the CPU because: `"hidden"` (FLUX_VISIBLE_DEVICES), `"no-webgpu-package"` (Node/Bun without the
 *   `webgpu` package), `"no-webgpu-api"` (no `navigator.gpu`), `"no-vulkan-loader"`, `"no-vulkan-driver"`,
 *   `"no-usable-vulkan-driver"` (Linux: drivers but no GPU device node), `"no-adapter"` (WebGPU offers
 *   none), `"software-only"` (only software adapters or drivers, not allowed), `"probe-failed"` (the adapter
 *   could not run a test kernel), `"not-loaded"` (a backend's code did not load).
 */
export type SelectionCode =
  | "gpu"
  | "software-allowed"
  | "hidden"
  | "no-webgpu-package"
  | "no-webgpu-api"
  | "no-vulkan-loader"
  | "no-vulkan-driver"
  | "no-usable-vulkan-driver"
  | "no-adapter"
  | "software-only"
  | "probe-failed"
  | "not-loaded";

/** One adapter `gpuDevice()` saw. */
export interface AdapterReport {
  /** The backend (`"webgpu"`). */
  readonly backend: string;
  /** The visible id (`gpuDevice(id)`). */
  readonly id: number;
  /** The adapter's index before FLUX_VISIBLE_DEVICES renumbering. */
  readonly physicalId: number;
  /** A human-readable name (description, else vendor and architecture). */
  readonly name: string;
  readonly vendor: string;
  /** `"software"` for CPU renderers (SwiftShader, llvmpipe/lavapipe, WARP, fallback adapters). */
  readonly kind: "hardware" | "software";
}

/** What happened with one backend. */
export interface BackendAttempt {
  readonly backend: string;
  /** `"gpu"` / `"software-allowed"` when it was chosen, else why not. */
  readonly code: SelectionCode;
  readonly reason: string;
  /** What to do about it, where something can be done. */
  readonly hint?: string;
}

/** The report of one `gpuDevice()` selection (see `lastSelection`, `deviceReport`). */
export interface SelectionReport {
  /** Where the code ran: `"node"`, `"bun"`, `"deno"`, `"browser"`, `"other"`. */
  readonly runtime: RuntimeName;
  /** How the chosen device prints: `"GPUDevice(webgpu:0)"`, `"CPUDevice()"`. */
  readonly device: string;
  /** The chosen backend: `"webgpu"`, another GPU backend, or `"cpu"`. */
  readonly backend: string;
  /** The chosen visible adapter id, `null` on the CPU. */
  readonly id: number | null;
  /** The chosen adapter, `null` on the CPU. */
  readonly adapter: AdapterReport | null;
  /** Every adapter seen, chosen or not. */
  readonly adapters: readonly AdapterReport[];
  /** Why, as a stable code (the chosen backend's, or the main reason there is no GPU). */
  readonly code: SelectionCode;
  /** Why, in words (one line, no advice). */
  readonly reason: string;
  /** What to do to get a GPU, for this runtime; `null` when a hardware GPU was chosen. */
  readonly hint: string | null;
  /** Whether software adapters could be chosen (`FLUX_ALLOW_SOFTWARE_GPU=1` or `allowSoftware: true`). */
  readonly allowSoftware: boolean;
  /** Each backend tried, in order. */
  readonly attempts: readonly BackendAttempt[];
}

let last: SelectionReport | null = null;

/**
 * The report of the selection behind the current `gpuDevice()` choice, or `null` before the first one
 * (and after `resetGpuDevice()`). Synchronous; `deviceReport()` runs a selection when there is none.
 *
 * @example
 * await gpuDevice();
 * const r = lastSelection()!; if (r.backend === "cpu") console.log(`CPU: ${r.reason}`);
 */
export function lastSelection(): SelectionReport | null {
  return last;
}

/** @internal Records the report of a selection (null forgets it). */
export function setLastSelection(report: SelectionReport | null): void {
  last = report;
}
