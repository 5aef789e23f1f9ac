// Optional access to @flux/kernels' WebGPU module (`@flux/kernels/webgpu`) for what the backend interface does
// not carry: its own functional probe and its adapter list (names, limits). Imported by a variable specifier
// so nothing loads it before a WebGPU question is asked; `null` where it cannot be imported.

/** The parts of `@flux/kernels/webgpu` we use. */
export interface WebGPUModuleLike {
  webgpuFunctional?(id: number): Promise<{ ok: boolean; reason?: string }>;
  listAdapters?(): Promise<{ id: number; name: string; limits: Record<string, number> }[]>;
}

let cached: Promise<WebGPUModuleLike | null> | null = null;

/** The kernels WebGPU module, or `null` when it (or its peer) cannot be imported. */
export function loadWebGPUModule(): Promise<WebGPUModuleLike | null> {
  cached ??= (async () => {
    try {
      const spec = "@flux/kernels/webgpu";
      return (await import(/* @vite-ignore */ spec)) as WebGPUModuleLike;
    } catch {
      return null;
    }
  })();
  return cached;
}
