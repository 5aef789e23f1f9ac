// Test fixtures (not exported, not published): GPU-like backends made of the CPU backend under other names,
// so selection, transfers between distinct devices and mixed-device errors run on any machine. The CPU backend
// is the fake (no mocks): tensors really live in another backend instance with its own device descriptor.
import { type BackendProvider, CpuBackend, type DType, deviceOf } from "@flux/kernels";
import type { AdapterDescription } from "./gpuBackends.js";

/** A CPU-backed backend that stores only what a WebGPU adapter stores (no f64). */
class GpuLikeBackend extends CpuBackend {
  override readonly dtypes: readonly DType[] = ["f32", "i32", "u32", "u8", "bool"];
}

/**
 * A provider of `count` adapters named `name`. `probe: false` makes its probe fail (loaded, not functional);
 * `software` lists the adapter ids that describe themselves as software renderers.
 *
 * @example
 * registerGpuBackend("fakegpu", fakeGpuProvider("fakegpu", 2));
 */
export function fakeGpuProvider(
  name: string,
  count = 1,
  options: { probe?: boolean; software?: readonly number[] } = {},
): BackendProvider & { probe?(id: number): boolean; describe(id: number): AdapterDescription } {
  const software = options.software ?? [];
  const provider: BackendProvider & {
    probe?(id: number): boolean;
    describe(id: number): AdapterDescription;
  } = {
    create: (id) => {
      if (id >= count) throw new Error(`${name} has no adapter ${id}`);
      return new GpuLikeBackend(deviceOf(name, id));
    },
    deviceCount: () => count,
    describe: (id) =>
      software.includes(id)
        ? { name: `${name} SwiftShader-like adapter ${id}`, vendor: "test", software: true }
        : { name: `${name} adapter ${id}`, vendor: "test" },
  };
  if (options.probe === false) provider.probe = () => false;
  return provider;
}
