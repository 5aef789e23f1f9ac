// Optional access to @flux/kernels' WebGPU module (`@flux/kernels/webgpu`) for what the backend interface does
// not carry: its host check (can WebGPU start here, answered without loading Dawn), its functional probe and
// its adapter list (names, software or hardware, limits). A dynamic import, so nothing loads it before a WebGPU
// question is asked; written literally, so that a bundle (an app's, or a test's) holds the same module instance
// as the kernels registry it bundles (an injected GPU, registerWebGPU, is then seen here too). `null` where it
// cannot be imported.

/** What kernels' `webgpuHostCheck()` answers (see `WebGPUHostCheck` there). */
export type HostCheckLike =
  | { readonly ok: true; readonly softwareOnly: boolean; readonly survey?: SurveyLike }
  | {
      readonly ok: false;
      readonly code: string;
      readonly reason: string;
      readonly hint: string;
      readonly survey?: SurveyLike;
    };

/** The parts of kernels' Vulkan survey we report. */
export interface SurveyLike {
  readonly drivers: readonly { manifest: string; software: boolean; usable: boolean }[];
}

/** One adapter as kernels' `listAdapters()` reports it. */
export interface AdapterEntryLike {
  id: number;
  name: string;
  vendor?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  software?: boolean;
  limits: Record<string, number>;
}

/** The parts of `@flux/kernels/webgpu` we use. */
export interface WebGPUModuleLike {
  webgpuFunctional?(id: number): Promise<{ ok: boolean; reason?: string }>;
  listAdapters?(): Promise<AdapterEntryLike[]>;
  webgpuHostCheck?(): Promise<HostCheckLike>;
}

let cached: Promise<WebGPUModuleLike | null> | null = null;

/** The kernels WebGPU module, or `null` when it (or its peer) cannot be imported. */
export function loadWebGPUModule(): Promise<WebGPUModuleLike | null> {
  cached ??= (async () => {
    try {
      return (await import("@flux/kernels/webgpu")) as WebGPUModuleLike;
    } catch {
      return null;
    }
  })();
  return cached;
}
