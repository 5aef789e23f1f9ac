// How Node and Bun get WebGPU: the optional peer package `webgpu` (Google's Dawn). Selected by the
// package's `imports` conditions (bun, node) so browser bundles never contain it; imported with its name in
// a variable so bundlers for Node don't inline it (its native dawn.node must stay a file on disk).
//
// Dawn is loaded only when it can work: once loaded, Dawn and the Vulkan loader write to the process's
// stderr from C++ (no JavaScript can silence that), so `hostCheck` first looks, from the file system alone,
// for the package and (on Linux) for the Vulkan loader and a driver it could use (./vulkan.ts).
import { readEnv } from "../../env.js";
import { WebGPUUnavailableError } from "../errors.js";
import { surveyVulkan, vulkanCheck, type WebGPUHostCheck } from "./vulkan.js";

export type { WebGPUHostCheck } from "./vulkan.js";

const DAWN_PACKAGE = "webgpu";

// Dawn aborts the process if the GPU object returned by create() is garbage-collected while in use: keep
// it reachable for the life of the process.
let kept: GPU | undefined;

interface ProcessLike {
  platform?: string;
  arch?: string;
  versions?: Record<string, string | undefined>;
}
const proc = (globalThis as { process?: ProcessLike }).process;

/** The folder of the installed `webgpu` package; `null` when it is not installed, `undefined` if unknown. */
function dawnPackageDir(): string | null | undefined {
  const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
  if (typeof resolve !== "function") return undefined;
  let url: string;
  try {
    url = resolve.call(import.meta, DAWN_PACKAGE);
  } catch {
    return null;
  }
  if (!url.startsWith("file:")) return undefined;
  const path = decodeURIComponent(new URL(url).pathname);
  return path.slice(0, path.lastIndexOf("/"));
}

function installLine(): string {
  return proc?.versions?.bun !== undefined ? "`bun add webgpu`" : "`npm i webgpu`";
}

/**
 * Whether WebGPU can start in this process, answered WITHOUT loading Dawn: the `webgpu` package is
 * installed and, on Linux, the Vulkan loader and a usable Vulkan driver exist. `FLUX_WEBGPU_PREFLIGHT=0`
 * skips the Vulkan part (for a setup the survey does not understand).
 *
 * @example
 * const c = await hostCheck(); if (!c.ok) console.log(c.reason, c.hint);
 */
export async function hostCheck(): Promise<WebGPUHostCheck> {
  if ((globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu !== undefined || kept !== undefined)
    return { ok: true, softwareOnly: false };
  const dir = dawnPackageDir();
  if (dir === null) {
    return {
      ok: false,
      code: "no-webgpu-package",
      reason:
        "WebGPU on Node and Bun comes from the optional package `webgpu` (Dawn), which is not installed",
      hint: `Install it with ${installLine()}, or pass a GPU object with registerWebGPU({ gpu }).`,
    };
  }
  if (proc?.platform !== "linux" || readEnv("FLUX_WEBGPU_PREFLIGHT") === "0")
    return { ok: true, softwareOnly: false };
  let fs: Parameters<typeof surveyVulkan>[0];
  try {
    const spec = "node:fs";
    fs = (await import(/* @vite-ignore */ spec)) as typeof fs;
  } catch {
    return { ok: true, softwareOnly: false };
  }
  // Dawn looks for libvulkan.so.1 beside dawn.node first.
  const beside = dir === undefined ? [] : [`${dir}/dist/linux-${proc.arch ?? "x64"}`];
  return vulkanCheck(surveyVulkan(fs, readEnv, beside));
}

/**
 * The process's Dawn `GPU` object (created once). Honours `navigator.gpu` first where a runtime has one.
 * Throws `WebGPUUnavailableError` (with `problem` set to the `hostCheck` code) without loading Dawn when
 * `hostCheck` says it cannot work.
 *
 * @example
 * const gpu = await hostGpu(); await gpu.requestAdapter();
 */
export async function hostGpu(): Promise<GPU> {
  const builtin = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (builtin !== undefined) return builtin;
  if (kept !== undefined) return kept;
  const check = await hostCheck();
  if (!check.ok) {
    const err = new WebGPUUnavailableError(`webgpu: ${check.reason}. ${check.hint}`);
    Object.assign(err, { problem: check.code, reason: check.reason, hint: check.hint });
    throw err;
  }
  let mod: { create: (flags: string[]) => GPU };
  try {
    mod = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as typeof mod;
  } catch (cause) {
    throw new WebGPUUnavailableError(
      "webgpu: WebGPU on Node and Bun comes from the optional package `webgpu` (Dawn), which could not be " +
        `loaded (${(cause as Error)?.message ?? String(cause)}). Install it with ${installLine()}, or pass a GPU ` +
        "object with registerWebGPU({ gpu }).",
      { cause },
    );
  }
  kept = mod.create([]);
  return kept;
}
