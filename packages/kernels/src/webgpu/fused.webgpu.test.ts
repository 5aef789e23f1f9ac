// The WebGPU backend's optional fused primitives (affineAct: affine_act.wgsl; denseAct: matmul + the
// bias_act.wgsl epilogue) through the public ops, against the CPU, on shapes and activations the shared
// conformance cases do not reach: no bias, every fused activation; and that each is one pass.
import { beforeAll, describe, expect, it } from "vitest";
import type { FusedActivation } from "../ops/fused.js";
import * as k from "../index.js";
import type { WebGPUBackend } from "./backend.js";
import { webgpuAvailableForTests } from "./testing.js";
import { expectClose, seeded } from "./values.testing.js";

const available = await webgpuAvailableForTests();
const ACTS = [
  "identity",
  "relu",
  "sigmoid",
  "tanh",
  "leakyrelu",
  "elu",
  "gelu",
  "softplus",
  "swish",
] as const;

const close = (got: k.Tensor, want: k.Tensor) => expectClose(got, want, 2e-5);

describe.skipIf(!available)("WebGPU fused primitives", () => {
  let gpu: WebGPUBackend;
  beforeAll(async () => {
    gpu = (await k.getBackend("webgpu")) as WebGPUBackend;
  });
  const act = (a: (typeof ACTS)[number]): FusedActivation => (a === "identity" ? null : a);

  it.each(ACTS)("dense with %s, with and without a bias, matches the CPU", async (name) => {
    const [i, o, n] = [37, 19, 11];
    const host = { W: seeded(o * i, 1), x: seeded(i * n, 2), b: seeded(o, 3) };
    const W = k.tensor(host.W, [o, i]);
    const x = k.tensor(host.x, [i, n]);
    const b = k.tensor(host.b, [o, 1]);
    const gW = k.tensor(host.W, [o, i], { device: gpu.device });
    const gx = k.tensor(host.x, [i, n], { device: gpu.device });
    const gb = k.tensor(host.b, [o, 1], { device: gpu.device });
    for (const [bias, gbias] of [
      [b, gb],
      [null, null],
    ] as const) {
      const want = k.dense(x, W, bias, act(name));
      const got = k.dense(gx, gW, gbias, act(name));
      await close(got, want);
      want.dispose();
      got.dispose();
    }
    for (const t of [W, x, b, gW, gx, gb]) t.dispose();
  });

  it("dense is two dispatches (matmul + epilogue), not four", async () => {
    const W = k.rand([64, 32], { device: gpu.device });
    const x = k.rand([32, 16], { device: gpu.device });
    const b = k.rand([64], { device: gpu.device });
    gpu.flush();
    const before = gpu.stats().dispatches;
    const y = k.dense(x, W, b, "relu");
    expect(gpu.stats().dispatches - before).toBe(2);
    for (const t of [W, x, b, y]) t.dispose();
  });

  it.each(ACTS)(
    "muladd with %s over broadcast operands is one dispatch and matches the CPU",
    async (name) => {
      const host = { a: seeded(5, 4), x: seeded(5 * 7, 5), b: seeded(7, 6) };
      const want = k.muladd(k.tensor(host.a, [5]), k.tensor(host.x, [5, 7]), k.tensor(host.b, [1, 7]), {
        activation: act(name),
      });
      const dev = { device: gpu.device };
      const [a, x, b] = [
        k.tensor(host.a, [5], dev),
        k.tensor(host.x, [5, 7], dev),
        k.tensor(host.b, [1, 7], dev),
      ];
      gpu.flush();
      const before = gpu.stats().dispatches;
      const got = k.muladd(a, x, b, { activation: act(name) });
      expect(gpu.stats().dispatches - before).toBe(1);
      await close(got, want);
      for (const t of [want, a, x, b, got]) t.dispose();
    },
  );
});
