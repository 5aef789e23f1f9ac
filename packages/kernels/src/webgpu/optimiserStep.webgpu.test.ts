// The WebGPU fused optimiser step (optimiser_step.wgsl) against the CPU's, op by op; one dispatch per call;
// a gradient that shares the parameter's buffer; and the per-call limits.
import { beforeAll, describe, expect, it } from "vitest";
import * as k from "../index.js";
import { OPTIMISER_STEP_KINDS, OPTIMISER_STEP_OPS, type OptimiserStepOp } from "../optimiserOps.js";
import type { WebGPUBackend } from "./backend.js";
import { webgpuAvailableForTests } from "./testing.js";
import { seeded } from "./values.testing.js";

const available = await webgpuAvailableForTests();

/** An op of `kind` with plausible f32 scalars. */
function opOf(kind: (typeof OPTIMISER_STEP_KINDS)[number]): OptimiserStepOp {
  const f = Math.fround;
  const named: Record<string, number> = {
    eta: f(0.01),
    rho: f(0.9),
    oneMinusRho: f(0.1),
    epsilon: f(1e-6),
    negRho2: -f(0.81),
    gain: f(0.019),
    beta1: f(0.9),
    beta2: f(0.999),
    oneMinusBeta1: f(0.1),
    oneMinusBeta2: f(0.001),
    correction1: f(0.271),
    correction2: f(0.003),
    nextCorrection1: f(0.3439),
    lambda: f(0.01),
    couple: 1,
    rectified: 1,
    r: f(0.7),
    beta2MinusBeta1: f(0.099),
    delta: f(0.5),
  };
  const op: Record<string, unknown> = { kind };
  for (const name of OPTIMISER_STEP_OPS[kind].scalars) op[name] = named[name];
  return op as unknown as OptimiserStepOp;
}

describe.skipIf(!available)("WebGPU optimiserStep", () => {
  let gpu: WebGPUBackend;
  beforeAll(async () => {
    gpu = (await k.getBackend("webgpu")) as WebGPUBackend;
  });

  it.each(OPTIMISER_STEP_KINDS)("%s matches the CPU in one dispatch", async (kind) => {
    const n = 1037;
    const dev = { device: gpu.device };
    const op = opOf(kind);
    const stateHost = OPTIMISER_STEP_OPS[kind].state.map((_, j) =>
      kind === "scale" ? Float32Array.of(0.75) : seeded(n, 10 + j, 0.1).map(Math.abs),
    );
    const shapeOf = (a: Float32Array) => [a.length];
    const cpu = { x: k.tensor(seeded(n, 1), [n]), g: k.tensor(seeded(n, 2, 3), [n]) };
    const cpuState = stateHost.map((a) => k.tensor(a, shapeOf(a)));
    const dx = k.tensor(seeded(n, 1), [n], dev);
    const dg = k.tensor(seeded(n, 2, 3), [n], dev);
    const gpuState = stateHost.map((a) => k.tensor(a, shapeOf(a), dev));
    k.optimiserStep(cpu.x, cpu.g, [op], cpuState);
    gpu.flush();
    const before = gpu.stats().dispatches;
    k.optimiserStep(dx, dg, [op], gpuState);
    expect(gpu.stats().dispatches - before).toBe(1);
    const pairs: [k.Tensor, k.Tensor][] = [
      [dx, cpu.x],
      ...gpuState.map((t, j): [k.Tensor, k.Tensor] => [t, cpuState[j]!]),
    ];
    for (const [got, want] of pairs) {
      const g = await got.data();
      const w = want.dataSync();
      for (let i = 0; i < w.length; i++) {
        // Both NaN matches too (centred RMSProp's sqrt(q - l²) on state that no real run would hold).
        if (Number.isNaN(w[i]!) && Number.isNaN(g[i]!)) continue;
        const err = Math.abs(g[i]! - w[i]!);
        expect(err, `${kind} element ${i}: ${g[i]} vs ${w[i]}`).toBeLessThanOrEqual(
          2e-6 * (1 + Math.abs(w[i]!)),
        );
      }
    }
    for (const t of [cpu.x, cpu.g, dx, dg, ...cpuState, ...gpuState]) t.dispose();
  });

  it("copies a gradient that shares the parameter's buffer (WebGPU refuses the aliasing)", async () => {
    const x = k.tensor([1, 2, 4], [3], { device: gpu.device });
    k.optimiserStep(x, x, [{ kind: "descent", eta: 0.5 }]);
    expect(Array.from(await x.data())).toEqual([0.5, 1, 2]);
    x.dispose();
  });

  it("takes at most 6 ops and 4 state tensors per step, and says so", () => {
    const x = k.zeros([2], { device: gpu.device });
    const g = k.zeros([2], { device: gpu.device });
    const seven = Array.from({ length: 7 }, (): OptimiserStepOp => ({ kind: "descent", eta: 1 }));
    expect(k.optimiserStepSupported(x, seven)).toBe(false);
    expect(() => k.optimiserStep(x, g, seven)).toThrow(/at most 6 ops and 4 state tensors/);
    const adams = [opOf("adam"), opOf("adam"), opOf("adam")];
    expect(k.optimiserStepSupported(x, adams)).toBe(false);
    expect(k.optimiserStepSupported(x, adams.slice(0, 2))).toBe(true);
    x.dispose();
    g.dispose();
  });
});
