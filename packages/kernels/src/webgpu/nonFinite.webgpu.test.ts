// Non-finite values through WebGPU kernels that the CPU backend treats as Julia/NNlib do: the same answers on
// both backends, for softmax/logsoftmax of lines holding +Inf and for sign(NaN).
import { beforeAll, describe, expect, it } from "vitest";
import * as k from "../index.js";
import type { WebGPUBackend } from "./backend.js";
import { webgpuAvailableForTests } from "./testing.js";

const available = await webgpuAvailableForTests();
const I = Number.POSITIVE_INFINITY;

describe.skipIf(!available)("WebGPU on non-finite input agrees with the CPU", () => {
  let gpu: WebGPUBackend;
  beforeAll(async () => {
    gpu = (await k.getBackend("webgpu")) as WebGPUBackend;
  });
  const both = async (data: number[], shape: number[], f: (x: k.Tensor) => k.Tensor) => {
    const cpu = Array.from(f(k.tensor(data, shape)).dataSync());
    const onGpu = Array.from(await f(k.tensor(data, shape, { device: gpu.device })).data());
    return { cpu, onGpu };
  };

  // Lines along dim 1: [1, +Inf, 2], [+Inf, 0, +Inf], [3, -Inf, 4], [-Inf, -Inf, -Inf].
  const lines = [1, I, 2, I, 0, I, 3, -I, 4, -I, -I, -I];
  for (const log of [false, true]) {
    it(`${log ? "logsoftmax" : "softmax"} of lines holding +Inf is NNlib's limit`, async () => {
      const f = (x: k.Tensor) => (log ? k.logsoftmax(x, { dims: 1 }) : k.softmax(x, { dims: 1 }));
      const { cpu, onGpu } = await both(lines, [3, 4], f);
      const want = log ? [-I, 0, -I, -Math.log(2), -I, -Math.log(2)] : [0, 1, 0, 0.5, 0, 0.5];
      want.forEach((w, i) => {
        if (Number.isFinite(w)) expect(cpu[i]).toBeCloseTo(w, 6);
        else expect(cpu[i]).toBe(w);
      });
      for (let i = 0; i < 9; i++) {
        if (Number.isFinite(cpu[i])) expect(onGpu[i]).toBeCloseTo(cpu[i]!, 6);
        else expect(onGpu[i]).toBe(cpu[i]);
      }
      expect(onGpu.slice(9).every(Number.isNaN)).toBe(cpu.slice(9).every(Number.isNaN));
    });
  }

  it("sign(NaN) is NaN, sign(±Inf) is ±1", async () => {
    const { cpu, onGpu } = await both([Number.NaN, -I, I, -2, 0, 3], [6], k.sign);
    console.log("SIGN", JSON.stringify(cpu), JSON.stringify(onGpu));
    expect(cpu).toEqual([Number.NaN, -1, 1, -1, 0, 1]);
    expect(onGpu).toEqual(cpu);
  });
});
