import * as F from "@flux/functors";
import * as K from "@flux/kernels";
import * as L from "@flux/layers";
import * as O from "@flux/optim";
import { describe, expect, it } from "vitest";
import { allCells, modelCells } from "../workloads.mjs";
import { measureModelCell, runFlux } from "./flux.mjs";

const lib = { K, L, O, F };

// Runs our side of small cells against the sources (vitest resolves @flux/source): each must measure
// without errors and leave no tensor behind.
describe("runFlux", () => {
  it("measures matmul and the training step (public API) and frees every tensor it made", async () => {
    const cells = allCells().filter(
      (c: { id: string }) => c.id === "matmul-128" || c.id === "mlp-train-b128",
    );
    const before = K.memory().liveTensors;
    const r = await runFlux(lib, "cpu", cells, { budgetS: 0.01, maxReps: 3 }, () => {});
    for (const c of cells) expect(r.results[c.id]).toHaveProperty("medianS");
    expect(K.memory().liveTensors).toBe(before);
  });

  it("reports a missing layers/optim as a cell error, not a failed run", async () => {
    const cells = allCells().filter((c: { id: string }) => c.id === "mlp-train-b128");
    const r = await runFlux(
      { K, L: null, O: null, F: null },
      "cpu",
      cells,
      { budgetS: 0.01, maxReps: 3 },
      () => {},
    );
    expect(r.results["mlp-train-b128"]).toMatchObject({ error: expect.stringContaining("@flux/layers") });
  });
});

describe("measureModelCell", () => {
  it("times the CNN training step with its phases, through train too, and frees everything", async () => {
    const cell = modelCells().find((c: { id: string }) => c.id === "train-cnn-b64")!;
    const before = K.memory().liveTensors;
    const m = await measureModelCell(lib, { ...cell, batch: 2, work: 2 }, 1, {
      budgetS: 0.01,
      maxReps: 3,
      viaTrain: true,
    });
    expect(m.medianS).toBeGreaterThan(0);
    expect(m.profile).toMatchObject({ steps: expect.any(Number) });
    expect(m.profile!.forward).toBeGreaterThan(0);
    expect(m.profile!.update).toBeGreaterThan(0);
    expect(m.train).toBeGreaterThan(0);
    expect(K.memory().liveTensors).toBe(before);
  });

  it("times MLP inference", async () => {
    const cell = modelCells().find((c: { id: string }) => c.id === "infer-mlp-b128")!;
    const before = K.memory().liveTensors;
    const m = await measureModelCell(lib, cell, 1, { budgetS: 0.01, maxReps: 3 });
    expect(m.medianS).toBeGreaterThan(0);
    expect(m.profile).toBeUndefined();
    expect(K.memory().liveTensors).toBe(before);
  });
});
