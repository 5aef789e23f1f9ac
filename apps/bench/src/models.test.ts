import { describe, expect, it } from "vitest";
import { evaluateModelTargets, modelRatio, modelSpeed, renderModelTable } from "./models.mjs";
import { modelCells } from "./workloads.mjs";

const m = (medianS: number, extra = {}) => ({
  medianS,
  reps: 3,
  inner: 1,
  minS: medianS,
  maxS: medianS,
  cpuMedianS: medianS / 2,
  ...extra,
});
const cells = modelCells();
const byId = (id: string) => cells.find((c: { id: string }) => c.id === id)!;

// Three rounds of made-up times: ours 10 ms per MLP b64 step on 1 thread, PyTorch 8 ms (ratio 0.8).
function run() {
  const results: any = { flux: {}, "flux-wasm": {}, torch: {} };
  for (const c of cells) {
    results.flux[c.id] = {
      1: [
        m(0.01, { profile: { forward: 2, backward: 3, update: 4, dispose: 0.1, steps: 9 }, train: 0.011 }),
        m(0.01),
        m(0.02),
      ],
      2: [m(0.008), m(0.008), m(0.008)],
    };
    results["flux-wasm"][c.id] = { 1: [m(0.02), m(0.02), m(0.02)], 2: [m(0.01), { error: "boom" }, m(0.01)] };
    results.torch[c.id] = { 1: [m(0.008), m(0.008), m(0.016)], 2: [m(0.004), m(0.004), m(0.004)] };
  }
  return {
    cells,
    threads: [1, 2],
    rounds: 3,
    systems: [
      { id: "flux", label: "flux", info: {} },
      { id: "flux-wasm", label: "flux, wasm GEMM", info: {} },
      { id: "torch", label: "PyTorch", info: {} },
    ],
    results,
    notes: [],
  };
}

describe("model table", () => {
  it("takes speeds from the median round and ratios from the rounds' ratios", () => {
    const r = run();
    expect(modelSpeed(r, byId("train-mlp-b64"), "flux", 1)).toBeCloseTo(6400);
    expect(modelRatio(r, "train-mlp-b64", ["flux", 1], ["torch", 1])).toEqual({
      ratio: 0.8,
      min: 0.8,
      max: 0.8,
    });
    expect(modelRatio(r, "train-mlp-b64", ["flux", 1], ["torch", 1], "cpu")!.ratio).toBeCloseTo(0.8);
    // A failed round is left out of the ratio.
    expect(modelRatio(r, "train-mlp-b64", ["flux-wasm", 2], ["flux", 2])!.ratio).toBeCloseTo(0.8);
  });

  it("checks the performance targets", () => {
    const v = evaluateModelTargets(run());
    const find = (cell: string, text: string) =>
      v.find((x: any) => x.cell === cell && x.target.text === text)!;
    expect(find("train-mlp-b64", "≥1x PyTorch, 1 thread")).toMatchObject({ status: "miss", value: 0.8 });
    expect(find("train-cnn-b64", "≥0.8x PyTorch, 1 thread")).toMatchObject({ status: "pass" });
    expect(find("train-mlp-b64", "2 threads faster than 1 (ours)")).toMatchObject({
      status: "pass",
      value: 1.25,
    });
    expect(find("train-mlp-b64", "wasm GEMM ≥0.7x the BLAS path, 1 thread")).toMatchObject({
      status: "miss",
      value: 0.5,
    });
  });

  it("renders the table, the step profile, the targets and the failed rounds", () => {
    const md = renderModelTable(run());
    expect(md).toContain(
      "| MLP 784-256-10 train step (logit CE + Adam), batch 64 | 1 | 6,400 | 3,200 | 8,000 | 0.8x | 0.8x | 0.5x |",
    );
    expect(md).toContain(
      "| MLP 784-256-10 train step (logit CE + Adam), batch 64 | 1 | 2 | 3 | 4 | 0.1 | 10 | 11 |",
    );
    expect(md).toContain("≥1x PyTorch, 1 thread: **miss** (0.8x; 0.8-0.8x over 3 rounds)");
    expect(md).toContain("- flux, wasm GEMM / train-mlp-b64 / 2 thread(s): error: boom");
  });

  it("renders one-thread-only rows (the sequence models) once, without a profile table of their own", () => {
    const r = run();
    const seq = cells.filter((c: { kind: string }) => c.kind === "model-grad");
    expect(seq.map((c: { id: string }) => c.id)).toEqual(["grad-lstm-b32", "grad-transformer-b16"]);
    const md = renderModelTable({ ...r, cells: seq });
    const lstmRows = md.split("\n").filter((l) => l.startsWith("| LSTM 256 => 256"));
    expect(lstmRows).toHaveLength(1);
    expect(lstmRows[0]).toMatch(
      /^\| LSTM 256 => 256 over 128 steps, forward \+ backward, batch 32 \| 1 \| 3,200 \|/,
    );
    expect(md).not.toContain("Our training step");
    expect(md).toContain("≥0.8x PyTorch, 1 thread: **pass**");
  });
});
