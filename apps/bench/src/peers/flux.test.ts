import * as K from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { allCells } from "../workloads.mjs";
import { handAdam, runFlux } from "./flux.mjs";

// Runs our side of two small cells against the kernels source (vitest resolves @flux/source): it must
// measure without errors and leave no tensor behind.
describe("runFlux", () => {
  it("measures matmul and the training step and frees every tensor it made", async () => {
    const cells = allCells().filter(
      (c: { id: string }) => c.id === "matmul-128" || c.id === "mlp-train-b128",
    );
    const before = K.memory().liveTensors;
    const r = await runFlux(K, "cpu", cells, { budgetS: 0.01, maxReps: 3 }, () => {});
    for (const c of cells) expect(r.results[c.id]).toHaveProperty("medianS");
    expect(K.memory().liveTensors).toBe(before);
  });
});

describe("handAdam", () => {
  it("matches Adam computed in plain JS, updating the parameter in place", async () => {
    const p = K.tensor(new Float32Array([1, -2, 3]), [3]);
    const adam = handAdam(K, [p], { eta: 0.1 });
    const ref = [1, -2, 3];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    for (let t = 1; t <= 5; t++) {
      const [[g]] = K.gradient((ps: any[]) => K.sum(K.mul(ps[0], ps[0])), [p]) as any;
      adam.step([g]);
      g.dispose();
      for (let i = 0; i < 3; i++) {
        const gi = 2 * ref[i];
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        ref[i] -= (0.1 * m[i]) / (1 - 0.9 ** t) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
      }
    }
    const got = Array.from(await p.data());
    for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(ref[i], 4);
    adam.dispose();
    p.dispose();
  });
});
