import { describe, expect, it } from "vitest";
import { BUDGET_S, DEFAULT_PEERS, parseCli } from "./cli.mjs";

/** The models table's cells, in table order (`--only models` selects exactly these). */
const MODEL_IDS = [
  "train-mlp-b64",
  "train-mlp-b128",
  "train-cnn-b64",
  "infer-mlp-b128",
  "infer-cnn-b64",
  "grad-lstm-b32",
  "grad-transformer-b16",
];

describe("parseCli", () => {
  it("defaults to every cell, the default peers and the normal budget", () => {
    const o = parseCli([]);
    expect(o.cells.map((c: { id: string }) => c.id)).toEqual([
      "matmul-128",
      "matmul-256",
      "matmul-512",
      "matmul-1024",
      "mlp-forward-b1",
      "mlp-forward-b128",
      "mlp-train-b128",
      "axpb-relu-1M",
      "axpb-relu-chain-1M",
      ...MODEL_IDS,
    ]);
    expect(o.peers).toEqual(DEFAULT_PEERS);
    expect(o.rounds).toBe(3);
    expect(o.budgetS).toBe(BUDGET_S.normal);
    expect(o.baseline).toBeUndefined();
  });

  it("selects groups and ids with --only, keeping table order", () => {
    const o = parseCli(["--only", "elementwise, matmul-512,train"]);
    expect(o.cells.map((c: { id: string }) => c.id)).toEqual([
      "matmul-512",
      "mlp-train-b128",
      "axpb-relu-1M",
      "axpb-relu-chain-1M",
    ]);
    expect(parseCli(["--only", "mlp"]).cells.map((c: { id: string }) => c.id)).toEqual([
      "mlp-forward-b1",
      "mlp-forward-b128",
      "mlp-train-b128",
    ]);
  });

  it("selects the models table with --only models (or torch)", () => {
    expect(parseCli(["--only", "models"]).cells.map((c: { id: string }) => c.id)).toEqual(MODEL_IDS);
    expect(parseCli(["--only", "torch"]).cells.map((c: { id: string }) => c.id)).toEqual(MODEL_IDS);
    expect(parseCli(["--only", "train-cnn-b64", "--rounds", "5"])).toMatchObject({ rounds: 5 });
    expect(parseCli(["--quick"]).rounds).toBe(2);
  });

  it("orders peers by column, adds tfjs-webgpu with --webgpu, accepts none", () => {
    expect(parseCli(["--peers", "numpy,tfjs-wasm"]).peers).toEqual(["tfjs-wasm", "numpy"]);
    expect(parseCli(["--peers", "numpy", "--webgpu"]).peers).toEqual(["tfjs-webgpu", "numpy"]);
    expect(parseCli(["--peers", "none"]).peers).toEqual([]);
    expect(parseCli(["--peers", "torch,numpy"]).peers).toEqual(["numpy", "torch"]);
  });

  it("--quick and --budget set the sampling time", () => {
    expect(parseCli(["--quick"]).budgetS).toBe(BUDGET_S.quick);
    expect(parseCli(["--quick", "--budget", "0.5"]).budgetS).toBe(0.5);
  });

  it("rejects unknown flags, peers, workloads and bad numbers with BAD_FLAG", () => {
    for (const argv of [
      ["--fast"],
      ["--peers", "pytorch"],
      ["--rounds", "0"],
      ["--only", "conv"],
      ["--budget", "-1"],
      ["--baseline", " "],
    ]) {
      expect(() => parseCli(argv)).toThrowError(
        expect.objectContaining({
          code: "BAD_FLAG",
          message: expect.stringMatching(/^\[@flux-apps\/bench\]/),
        }),
      );
    }
  });
});
