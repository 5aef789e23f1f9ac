// Test fixtures: the devices the device-iterator suite runs on. "cpu2:0" is a real second device backed by
// the CPU kernels (always there); "webgpu:0" joins when kernels' WebGPU test gate
// (packages/kernels/src/webgpu/testing.ts) says it works.
import { isTensor, registerBackend, cpuBackendProvider, type Tensor, toDevice } from "@flux/kernels";

registerBackend("cpu2", cpuBackendProvider("cpu2"));

/**
 * A device function like @flux/devices' device objects: moves every tensor leaf of arrays/objects to
 * `device`, returning a tensor already there as the same object. Counts its transfers.
 */
export function deviceFn(device: string): ((x: unknown) => Promise<unknown>) & { transfers: number } {
  const move = async (x: unknown): Promise<unknown> => {
    if (isTensor(x)) {
      if (String((x as Tensor).device) === device) return x;
      fn.transfers++;
      return toDevice(x as Tensor, device);
    }
    if (Array.isArray(x)) return Promise.all(x.map(move));
    if (typeof x === "object" && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
      const entries = await Promise.all(Object.entries(x).map(async ([k, v]) => [k, await move(v)] as const));
      return Object.fromEntries(entries);
    }
    return x;
  };
  const fn = Object.assign(move, { transfers: 0 });
  return fn;
}
