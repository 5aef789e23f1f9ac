// The WebGPU fused LSTM and GRU (lstm_*.wgsl / gru_*.wgsl through `lstmSequence` / `gruSequence`) against the CPU's,
// values and every gradient, with and without a bias, with the last cell state in the loss; and that the
// time loop is one dispatch per step.
import { beforeAll, describe, expect, it } from "vitest";
import * as k from "../index.js";
import type { WebGPUBackend } from "./backend.js";
import { webgpuAvailableForTests } from "./testing.js";
import { expectClose, seeded } from "./values.testing.js";

const available = await webgpuAvailableForTests();

/** The outputs of either cell: `lstmSequence` adds the last cell state c. */
type Result = { readonly y: k.Tensor; readonly h: k.Tensor; readonly c?: k.Tensor };

/** What differs between the two fused cells; everything else about the check is shared. */
interface Cell {
  readonly cell: "LSTM" | "GRU";
  /** Gate rows per hidden unit: Wi is [gates·n, in], Wh [gates·n, n], b [gates·n]. */
  readonly gates: number;
  /** The first input's seed; the others follow it (x, Wi, Wh, b, the initial states, the loss weights). */
  readonly seed: number;
  /** The initial states (h0, and the LSTM's c0), each [n, B]. */
  readonly states: number;
  readonly outputs: readonly ("y" | "h" | "c")[];
  run(x: k.Tensor, Wi: k.Tensor, Wh: k.Tensor, b: k.Tensor | null, states: k.Tensor[]): Result;
  /** The loss beyond sum(y .* wy): the LSTM weighs its last cell state by `wc` ([n, B]), the GRU sums h. */
  extra(r: Result, wc: k.Tensor): k.Tensor;
}

const CELLS: readonly Cell[] = [
  {
    cell: "LSTM",
    gates: 4,
    seed: 1,
    states: 2,
    outputs: ["y", "h", "c"],
    run: (x, Wi, Wh, b, [h0, c0]) => k.lstmSequence(x, Wi, Wh, b, h0!, c0!),
    extra: (r, wc) => k.sum(k.mul(r.c!, wc)),
  },
  {
    cell: "GRU",
    gates: 3,
    seed: 11,
    states: 1,
    outputs: ["y", "h"],
    run: (x, Wi, Wh, b, [h0]) => k.gruSequence(x, Wi, Wh, b, h0!),
    extra: (r) => k.sum(r.h),
  },
];

const SIZES = [
  { inn: 5, n: 6, T: 7, B: 3, withBias: true },
  { inn: 3, n: 16, T: 4, B: 9, withBias: false },
];

describe.skipIf(!available)("WebGPU fused LSTM and GRU", () => {
  let gpu: WebGPUBackend;
  beforeAll(async () => {
    gpu = (await k.getBackend("webgpu")) as WebGPUBackend;
  });

  it.each(CELLS.flatMap((c) => SIZES.map((s) => ({ ...c, ...s }))))(
    "$cell: in $inn, hidden $n, $T steps, batch $B, bias $withBias: values and gradients match the CPU",
    async ({ gates, seed, states, outputs, run, extra, inn, n, T, B, withBias }) => {
      // Arguments in gradient order: x, Wi, Wh, the initial states, b.
      const host = [
        seeded(inn * T * B, seed),
        seeded(gates * n * inn, seed + 1, 0.5),
        seeded(gates * n * n, seed + 2, 0.5),
        ...Array.from({ length: states }, (_, i) => seeded(n * B, seed + 4 + i)),
        seeded(gates * n, seed + 3),
      ];
      const shapes = [
        [inn, T, B],
        [gates * n, inn],
        [gates * n, n],
        ...Array(states).fill([n, B]),
        [gates * n],
      ];
      const wy = seeded(n * T * B, seed + 4 + states);
      const wc = seeded(n * B, seed + 5 + states);
      const on = (device?: k.DeviceDescriptor) => {
        const opts = device ? { device } : {};
        return {
          args: host.map((v, i) => k.tensor(v, shapes[i]!, opts)),
          wy: k.tensor(wy, [n, T, B], opts),
          wc: k.tensor(wc, [n, B], opts),
        };
      };
      const forward = (x: k.Tensor, Wi: k.Tensor, Wh: k.Tensor, ...rest: k.Tensor[]) =>
        run(x, Wi, Wh, withBias ? rest[states]! : null, rest.slice(0, states));
      const loss =
        (w: { wy: k.Tensor; wc: k.Tensor }) =>
        (...args: k.Tensor[]) => {
          const r = forward(...(args as [k.Tensor, k.Tensor, k.Tensor]));
          return k.add(k.sum(k.mul(r.y, w.wy)), extra(r, w.wc));
        };
      const cpu = on();
      const dev = on(gpu.device);
      const want = forward(...(cpu.args as [k.Tensor, k.Tensor, k.Tensor]));
      const got = forward(...(dev.args as [k.Tensor, k.Tensor, k.Tensor]));
      for (const key of outputs) await expectClose(got[key]!, want[key]!, 5e-5);
      const gw = k.gradient(loss(cpu), ...cpu.args) as (k.Tensor | null)[];
      const gg = k.gradient(loss(dev), ...dev.args) as (k.Tensor | null)[];
      const bias = host.length - 1;
      for (let i = 0; i < host.length; i++) {
        if (!withBias && i === bias) {
          expect(gg[i]).toBeNull();
          continue;
        }
        await expectClose(gg[i]!, gw[i]!, 5e-5);
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
