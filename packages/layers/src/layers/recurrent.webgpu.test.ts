// The recurrent layers on WebGPU: the time loop queues GPU work only. A readback (the one thing that would
// stall the loop on a round trip to the host) is counted by wrapping the backend's read primitives.
import { getBackend, gradient, randn, sum, type Tensor, zeros } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import { webgpuAvailableForTests } from "../../../kernels/src/webgpu/testing.js";
import { GRU, LSTM, RNN } from "../index.js";

const available = await webgpuAvailableForTests();

describe.skipIf(!available)("recurrent layers on webgpu", () => {
  test("forward and backward over 32 steps read nothing back until the result is asked for", async () => {
    const be = await getBackend("webgpu");
    const device = be.device;
    const init = (s: readonly number[]) => randn([...s], { device });
    const layers = [
      LSTM(3, 8, { initKernel: init, initRecurrentKernel: init, bias: zeros([32], { device }) }),
      GRU(3, 8, { initKernel: init, initRecurrentKernel: init, bias: zeros([24], { device }) }),
      RNN(3, 8, undefined, { initKernel: init, initRecurrentKernel: init, bias: zeros([8], { device }) }),
    ];
    const x = randn([3, 32, 4], { device });
    const reads = { n: 0 };
    const target = be as unknown as {
      read: (...a: unknown[]) => unknown;
      readSync?: (...a: unknown[]) => unknown;
    };
    const read = target.read.bind(be);
    const readSync = target.readSync?.bind(be);
    target.read = (...a: unknown[]) => {
      reads.n++;
      return read(...a);
    };
    if (readSync) {
      target.readSync = (...a: unknown[]) => {
        reads.n++;
        return readSync(...a);
      };
    }
    try {
      for (const m of layers) {
        const y = m.forward(x);
        const [g] = gradient((mm) => sum((mm as typeof m).forward(x)), m);
        expect(reads.n).toBe(0);
        expect(y.device).toBe(device);
        const gw = (g as { cell: { Wh: Tensor } }).cell.Wh;
        const values = await gw.data();
        expect(reads.n).toBe(1);
        expect(Array.from(values).some((v) => v !== 0)).toBe(true);
        reads.n = 0;
      }
    } finally {
      target.read = read;
      if (readSync) target.readSync = readSync;
    }
  });
});
