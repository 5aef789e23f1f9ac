// Finding the runtime's GPU object and enumerating its adapters. Dawn (and browsers) answer one adapter
// per request; asking with each power preference and with forceFallbackAdapter, then removing duplicates,
// lists what the machine has (e.g. an integrated and a discrete GPU, plus the software fallback).
import type { AutotuneCache } from "./autotuneCache.js";
import { WebGPUUnavailableError } from "./errors.js";
import { VULKAN_DRIVER_HINT, type WebGPUHostCheck } from "./host/vulkan.js";

export type { VulkanDriver, VulkanSurvey, WebGPUHostCheck, WebGPUHostProblem } from "./host/vulkan.js";

/** One adapter as `listAdapters()` reports it. */
export interface WebGPUAdapterEntry {
  /** The device id to pass to `getBackend("webgpu", id)` / `gpuDevice(id)`. */
  readonly id: number;
  /** A human-readable name: the description, else vendor and architecture. */
  readonly name: string;
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
  /**
   * Whether the adapter is a CPU renderer rather than a GPU: a fallback adapter, or a known software driver
   * (SwiftShader, llvmpipe/lavapipe, WARP / Microsoft Basic Render Driver). See `isSoftwareAdapter`.
   */
  readonly software: boolean;
  /** Whether the adapter offers `shader-f16`. */
  readonly shaderF16: boolean;
  /** The limits that matter for tensors. */
  readonly limits: {
    readonly maxBufferSize: number;
    readonly maxStorageBufferBindingSize: number;
    readonly maxComputeWorkgroupStorageSize: number;
    readonly maxComputeInvocationsPerWorkgroup: number;
  };
  /** The request options that return this adapter again. */
  readonly requestOptions: GPURequestAdapterOptions;
}

/** Options of `registerWebGPU`. */
export interface WebGPUOptions {
  /** A `GPU` object to use instead of discovering one (e.g. from a custom Dawn build, or a test double). */
  readonly gpu?: GPU;
  /** Bytes of freed buffers kept for reuse per device (default 256 MiB). */
  readonly poolCapBytes?: number;
  /**
   * Time the matmul kernels per shape class and keep the fastest (true), or always use the adapter
   * heuristic (false). Unset: the FLUX_WEBGPU_AUTOTUNE environment variable (1/0), else on for hardware
   * adapters and off for CPU-backed ones. Applies to devices created afterwards.
   */
  readonly autotune?: boolean;
  /** Where tuned kernels are kept (default: localStorage in browsers, a JSON file under the OS temp dir). */
  readonly autotuneCache?: AutotuneCache;
}

let options: WebGPUOptions = {};
let gpuPromise: Promise<GPU> | undefined;
let adaptersPromise: Promise<WebGPUAdapterEntry[]> | undefined;

/**
 * Configures the WebGPU backend before its first device is created: inject a `GPU` object, set the pool cap.
 *
 * Without it the backend finds WebGPU itself (`navigator.gpu`, or the `webgpu` package on Node and Bun).
 *
 * @example
 * import { create } from "webgpu";
 * registerWebGPU({ gpu: create([]) });
 */
export function registerWebGPU(opts: WebGPUOptions): void {
  options = { ...options, ...opts };
  if (opts.gpu !== undefined) {
    gpuPromise = Promise.resolve(opts.gpu);
    adaptersPromise = undefined;
  }
}

/** The configured options (internal). */
export function webgpuOptions(): WebGPUOptions {
  return options;
}

/**
 * Whether WebGPU can start here, answered without starting it (on Node and Bun, without loading Dawn: once
 * loaded, Dawn prints to stderr from C++ where no driver works). Checks the `webgpu` package and, on Linux,
 * the Vulkan loader and drivers; in browsers and Deno, `navigator.gpu`. An injected GPU is always ok.
 *
 * @example
 * const c = await webgpuHostCheck(); if (!c.ok) console.log(`${c.reason}. ${c.hint}`);
 */
export async function webgpuHostCheck(): Promise<WebGPUHostCheck> {
  if (options.gpu !== undefined) return { ok: true, softwareOnly: false };
  try {
    return await (await import("#flux-webgpu-host")).hostCheck();
  } catch {
    return { ok: true, softwareOnly: false }; // cannot tell: let findGpu try and report
  }
}

const SOFTWARE_NAMES =
  /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|microsoft basic render|basic render driver|software/i;

/**
 * Whether an adapter's info names a CPU renderer rather than a GPU: `isFallbackAdapter`, or a known
 * software driver in its vendor, architecture, device or description (SwiftShader, llvmpipe/lavapipe,
 * softpipe, WARP, "Microsoft Basic Render Driver").
 *
 * @example
 * isSoftwareAdapter({ description: "llvmpipe (LLVM 15.0.6, 256 bits)" }, false); // true
 */
export function isSoftwareAdapter(
  info: { vendor?: string; architecture?: string; device?: string; description?: string },
  isFallbackAdapter: boolean,
): boolean {
  return (
    isFallbackAdapter ||
    SOFTWARE_NAMES.test([info.vendor, info.architecture, info.device, info.description].join(" "))
  );
}

/**
 * The `GPU` object: injected, else `navigator.gpu`, else Dawn on Node/Bun.
 */
function findGpu(): Promise<GPU> {
  gpuPromise ??= import("#flux-webgpu-host").then((m) => m.hostGpu());
  // A failure is not cached: the user may install `webgpu` or inject a GPU and try again.
  gpuPromise.catch(() => {
    gpuPromise = undefined;
  });
  return gpuPromise;
}

const REQUESTS: readonly GPURequestAdapterOptions[] = [
  {},
  { powerPreference: "high-performance" },
  { powerPreference: "low-power" },
  { forceFallbackAdapter: true },
];

/**
 * Every distinct adapter of this runtime, the default one first (id 0).
 *
 * @example
 * const adapters = await listAdapters(); adapters.map((a) => `${a.id}: ${a.name}`);
 */
export function listAdapters(): Promise<WebGPUAdapterEntry[]> {
  adaptersPromise ??= (async () => {
    const gpu = await findGpu();
    const out: WebGPUAdapterEntry[] = [];
    const seen = new Set<string>();
    for (const requestOptions of REQUESTS) {
      let adapter: GPUAdapter | null = null;
      try {
        adapter = await gpu.requestAdapter(requestOptions);
      } catch {
        adapter = null;
      }
      if (adapter === null) continue;
      const entry = describe(adapter, out.length, requestOptions);
      const key = JSON.stringify([
        entry.vendor,
        entry.architecture,
        entry.description,
        entry.isFallbackAdapter,
      ]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(entry);
    }
    return out;
  })();
  adaptersPromise.catch(() => {
    adaptersPromise = undefined;
  });
  return adaptersPromise;
}

/**
 * The adapter behind a device id, requested afresh (an adapter yields one device).
 */
export async function requestAdapterById(
  id: number,
): Promise<{ adapter: GPUAdapter; entry: WebGPUAdapterEntry }> {
  const list = await listAdapters();
  const entry = list[id];
  if (entry === undefined) {
    throw new WebGPUUnavailableError(
      list.length === 0
        ? `webgpu: WebGPU is present but offers no adapter (no GPU, or its driver cannot run WebGPU). ${noAdapterHint()}`
        : `webgpu:${id} does not exist: this machine has ${list.length} adapter(s), ids 0..${list.length - 1}. ` +
            "See listAdapters().",
    );
  }
  const gpu = await findGpu();
  const adapter = await gpu.requestAdapter(entry.requestOptions);
  if (adapter === null) throw new WebGPUUnavailableError(`webgpu:${id}: the adapter is no longer available.`);
  return { adapter, entry };
}

/** What to do when WebGPU offers no adapter, for the runtime this runs in. */
function noAdapterHint(): string {
  const g = globalThis as { Deno?: unknown; document?: unknown; process?: { platform?: string } };
  if (g.Deno === undefined && g.document !== undefined)
    return "In the browser, check chrome://gpu (or about:support): the GPU may be blocklisted, or WebGPU turned off.";
  if (g.process?.platform === "linux" || (g.Deno !== undefined && g.process?.platform === "linux"))
    return VULKAN_DRIVER_HINT;
  return "Update the GPU driver (WebGPU needs Metal on macOS, D3D12 on Windows).";
}

/** Whether an adapter is a software fallback (the attribute moved from the adapter to its info). */
export function isFallback(adapter: GPUAdapter): boolean {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return Boolean(info?.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter);
}

function describe(
  adapter: GPUAdapter,
  id: number,
  requestOptions: GPURequestAdapterOptions,
): WebGPUAdapterEntry {
  const info = adapter.info ?? ({} as GPUAdapterInfo);
  const vendor = info.vendor ?? "";
  const architecture = info.architecture ?? "";
  const description = info.description ?? "";
  const l = adapter.limits;
  const fallback = isFallback(adapter);
  const device = (info as GPUAdapterInfo & { device?: string }).device ?? "";
  return {
    id,
    name: description || [vendor, architecture].filter(Boolean).join(" ") || "WebGPU adapter",
    vendor,
    architecture,
    description,
    isFallbackAdapter: fallback,
    software: isSoftwareAdapter({ vendor, architecture, device, description }, fallback),
    shaderF16: adapter.features.has("shader-f16"),
    limits: {
      maxBufferSize: l.maxBufferSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
    requestOptions,
  };
}
