import { describe, expect, it } from "vitest";
import { allCells } from "../workloads.mjs";
import { renderWebgpuTargets } from "./fluxWebgpu.mjs";

const cells = allCells().filter((c: { id: string }) =>
  ["matmul-256", "matmul-512", "mlp-train-b128"].includes(c.id),
);
const timing = (medianS: number) => ({ medianS, reps: 3, inner: 1, minS: medianS, maxS: medianS });

describe("renderWebgpuTargets", () => {
  it("asks ≥3x tfjs-webgpu on matmul 256/512 and the training step; n/a when a side did not run", () => {
    const run = {
      date: "",
      header: [],
      cells,
      tables: [],
      targetContext: { kernelKind: "" },
      systems: {
        "flux-webgpu": {
          label: "flux webgpu",
          info: {},
          results: { "matmul-256": timing(1), "matmul-512": timing(1), "mlp-train-b128": { error: "x" } },
        },
        "tfjs-webgpu": {
          label: "tfjs-webgpu",
          info: {},
          results: { "matmul-256": timing(4), "matmul-512": timing(2), "mlp-train-b128": timing(1) },
        },
      },
    };
    const md = renderWebgpuTargets(run as never, "flux-webgpu");
    expect(md).toContain("matmul f32 n=256: ≥3x tfjs-webgpu: **pass** (4x)");
    expect(md).toContain("matmul f32 n=512: ≥3x tfjs-webgpu: **miss** (2x)");
    expect(md).toMatch(/batch 128: ≥3x tfjs-webgpu: \*\*n\/a\*\* \(our cell did not run\)/);
  });

  it("is empty when no target cell ran", () => {
    const run = {
      date: "",
      header: [],
      cells: [],
      tables: [],
      targetContext: { kernelKind: "" },
      systems: {},
    };
    expect(renderWebgpuTargets(run as never, "flux-webgpu")).toBe("");
  });
});
