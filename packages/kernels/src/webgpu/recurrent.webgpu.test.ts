// The WebGPU fused LSTM and GRU (lstm_*.wgsl / gru_*.wgsl through `lstmSequence` / `gruSequence`) against the CPU's,
// values and every gradient, with and without a bias, with the last cell state in the loss; and that the
// time loop is one dispatch per step.
import { beforeAll, describe, expect, it } from "vitest";
import * as k from "../index.js";
import type { WebGPUBackend } from "./backend.js";
import { webgpuAvailableForTests } from "./testing.js";

const available = await webgpuAvailableForTests();

function seeded(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return scale * ((2 * s) / 2 ** 32 - 1);
  });
}

async function close(got: k.Tensor, want: k.Tensor): Promise<void> {
  const g = await got.data();
  const w = want.dataSync();
  expect([...got.shape]).toEqual([...want.shape]);
  let worst = 0;
  for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(g[i]! - w[i]!) / (1 + Math.abs(w[i]!)));
  expect(worst).toBeLessThan(5e-5);
}

describe.skipIf(!available)("WebGPU fused LSTM and GRU", () => {
  let gpu: WebGPUBackend;
  beforeAll(async () => {
    gpu = (await k.getBackend("webgpu")) as WebGPUBackend;
  });

  it.each([
    [5, 6, 7, 3, true],
    [3, 16, 4, 9, false],
  ] as const)(
    "in %i, hidden %i, %i steps, batch %i, bias %s: values and gradients match the CPU",
    async (inn, n, T, B, withBias) => {
      const host = {
        x: seeded(inn * T * B, 1),
        Wi: seeded(4 * n * inn, 2, 0.5),
        Wh: seeded(4 * n * n, 3, 0.5),
        b: seeded(4 * n, 4),
        h0: seeded(n * B, 5),
        c0: seeded(n * B, 6),
        wy: seeded(n * T * B, 7),
        wc: seeded(n * B, 8),
      };
      const shapes = { x: [inn, T, B], Wi: [4 * n, inn], Wh: [4 * n, n], b: [4 * n], h0: [n, B], c0: [n, B] };
      const on = (device?: k.DeviceDescriptor) => {
        const t = (key: keyof typeof shapes) => k.tensor(host[key], shapes[key], device ? { device } : {});
        return {
          args: [t("x"), t("Wi"), t("Wh"), t("h0"), t("c0"), t("b")] as const,
          wy: k.tensor(host.wy, [n, T, B], device ? { device } : {}),
          wc: k.tensor(host.wc, [n, B], device ? { device } : {}),
        };
      };
      const cpu = on();
      const dev = on(gpu.device);
      const loss =
        (w: { wy: k.Tensor; wc: k.Tensor }) =>
        (x: k.Tensor, Wi: k.Tensor, Wh: k.Tensor, h0: k.Tensor, c0: k.Tensor, b: k.Tensor) => {
          const r = k.lstmSequence(x, Wi, Wh, withBias ? b : null, h0, c0);
          return k.add(k.sum(k.mul(r.y, w.wy)), k.sum(k.mul(r.c, w.wc)));
        };
      const want = k.lstmSequence(
        cpu.args[0],
        cpu.args[1],
        cpu.args[2],
        withBias ? cpu.args[5] : null,
        cpu.args[3],
        cpu.args[4],
      );
      const got = k.lstmSequence(
        dev.args[0],
        dev.args[1],
        dev.args[2],
        withBias ? dev.args[5] : null,
        dev.args[3],
        dev.args[4],
      );
      for (const key of ["y", "h", "c"] as const) await close(got[key], want[key]);
      const gw = k.gradient(loss(cpu), ...cpu.args) as (k.Tensor | null)[];
      const gg = k.gradient(loss(dev), ...dev.args) as (k.Tensor | null)[];
      for (let i = 0; i < 6; i++) {
        if (!withBias && i === 5) {
          expect(gg[i]).toBeNull();
          continue;
        }
        await close(gg[i]!, gw[i]!);
      }
      k.dispose([cpu, dev, want, got, gw, gg]);
    },
  );

  it.each([
    [5, 6, 7, 3, true],
    [3, 16, 4, 9, false],
  ] as const)(
    "GRU: in %i, hidden %i, %i steps, batch %i, bias %s: values and gradients match the CPU",
    async (inn, n, T, B, withBias) => {
      const host = {
        x: seeded(inn * T * B, 11),
        Wi: seeded(3 * n * inn, 12, 0.5),
        Wh: seeded(3 * n * n, 13, 0.5),
        b: seeded(3 * n, 14),
        h0: seeded(n * B, 15),
        wy: seeded(n * T * B, 16),
      };
      const shapes = { x: [inn, T, B], Wi: [3 * n, inn], Wh: [3 * n, n], b: [3 * n], h0: [n, B] };
      const on = (device?: k.DeviceDescriptor) => {
        const t = (key: keyof typeof shapes) => k.tensor(host[key], shapes[key], device ? { device } : {});
        return {
          args: [t("x"), t("Wi"), t("Wh"), t("h0"), t("b")] as const,
          wy: k.tensor(host.wy, [n, T, B], device ? { device } : {}),
        };
      };
      const cpu = on();
      const dev = on(gpu.device);
      const loss =
        (w: { wy: k.Tensor }) => (x: k.Tensor, Wi: k.Tensor, Wh: k.Tensor, h0: k.Tensor, b: k.Tensor) => {
          const r = k.gruSequence(x, Wi, Wh, withBias ? b : null, h0);
          return k.add(k.sum(k.mul(r.y, w.wy)), k.sum(r.h));
        };
      const want = k.gruSequence(
        cpu.args[0],
        cpu.args[1],
        cpu.args[2],
        withBias ? cpu.args[4] : null,
        cpu.args[3],
      );
      const got = k.gruSequence(
        dev.args[0],
        dev.args[1],
        dev.args[2],
        withBias ? dev.args[4] : null,
        dev.args[3],
      );
      for (const key of ["y", "h"] as const) await close(got[key], want[key]);
      const gw = k.gradient(loss(cpu), ...cpu.args) as (k.Tensor | null)[];
      const gg = k.gradient(loss(dev), ...dev.args) as (k.Tensor | null)[];
      for (let i = 0; i < 5; i++) {
        if (!withBias && i === 4) {
          expect(gg[i]).toBeNull();
          continue;
        }
        await close(gg[i]!, gw[i]!);
      }
      k.dispose([cpu, dev, want, got, gw, gg]);
    },
  );

  it("runs the time loop as one dispatch per step, forward and backward", async () => {
    const [inn, n, T, B] = [4, 8, 10, 2];
    const x = k.rand([inn, T, B], { device: gpu.device });
    const Wi = k.rand([4 * n, inn], { device: gpu.device });
    const Wh = k.rand([4 * n, n], { device: gpu.device });
    const b = k.rand([4 * n], { device: gpu.device });
    const s = k.zeros([n, B], { device: gpu.device });
    gpu.flush();
    const before = gpu.stats().dispatches;
    const r = k.lstmSequence(x, Wi, Wh, b, s, s);
    // A permute, the projection matmul, T steps; the copies of the initial state are not dispatches.
    const forward = gpu.stats().dispatches - before;
    expect(forward).toBeGreaterThanOrEqual(T);
    expect(forward).toBeLessThanOrEqual(T + 4);
    k.dispose([x, Wi, Wh, b, s, r]);
  });
});
