import { relu, sigmoid, tanh, vcat, add, softmax } from "@flux/kernels";
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import {
  BatchNorm,
  Chain,
  Conv,
  Dense,
  Dropout,
  Embedding,
  flatten,
  LayerNorm,
  MaxPool,
  MeanPool,
  PairwiseFusion,
  Parallel,
  SamePad,
  SkipConnection,
} from "../index.js";
import { formatBytes, underscorise } from "./format.js";
import { showCompact } from "./show.js";

describe("printing like Flux's show.jl", () => {
  test("a single Dense pads the comment to column 20", () => {
    expect(String(Dense(10, 5, sigmoid))).toBe("Dense(10 => 5, σ)   # 55 parameters");
    expect(String(Dense(5, 2))).toBe("Dense(5 => 2)       # 12 parameters");
    expect(String(Dense(2, 3, relu, { bias: false }))).toBe(
      "Dense(2 => 3, relu; bias=false)  # 6 parameters",
    );
  });

  test("a Chain: one layer per line, comments at column 40, the total line", () => {
    const m = Chain(Dense(10, 32, relu), Dense(32, 10));
    expect(String(m)).toBe(
      [
        "Chain(",
        "  Dense(10 => 32, relu),                # 352 parameters",
        "  Dense(32 => 10),                      # 330 parameters",
        ")                   # Total: 4 arrays, 682 parameters, 2.664 KiB.",
      ].join("\n"),
    );
    expect(inspect(m)).toBe(String(m));
  });

  test("two arrays: no total line, Julia's rpad leaves a space after the parenthesis", () => {
    expect(String(Chain(Dense(2, 3)))).toBe(
      "Chain(\n  Dense(2 => 3),                        # 9 parameters\n) ",
    );
  });

  test("named and nested chains, BatchNorm's non-trainable counts", () => {
    const m = Chain({ enc: Chain(Dense(2, 3, tanh), BatchNorm(3, relu)), dec: Dense(3, 2) });
    expect(String(m)).toBe(
      [
        "Chain(",
        "  enc = Chain(",
        "    Dense(2 => 3, tanh),                # 9 parameters",
        "    BatchNorm(3, relu),                 # 6 parameters, plus 6",
        "  ),",
        "  dec = Dense(3 => 2),                  # 8 parameters",
        ")         # Total: 6 trainable arrays, 23 parameters,",
        "          # plus 2 non-trainable, 6 parameters, summarysize 116 bytes.",
      ].join("\n"),
    );
    expect(String(BatchNorm(64))).toBe("BatchNorm(64)       # 128 parameters, plus 128 non-trainable");
  });

  test("a Chain of functions only prints in one line", () => {
    expect(String(Chain(relu, softmax))).toBe("Chain(relu, softmax)");
    expect(showCompact(Chain(Dense(2, 3), relu))).toBe("Chain(Dense(2 => 3), relu)");
  });

  test("conv, pooling, dropout, norms, embedding, skip and parallel", () => {
    expect(showCompact(Conv([3, 3], 1, 16, relu))).toBe("Conv((3, 3), 1 => 16, relu)");
    expect(showCompact(Conv([3, 3], 2, 4, undefined, { pad: 1, stride: 2 }))).toBe(
      "Conv((3, 3), 2 => 4, pad=1, stride=2)",
    );
    expect(showCompact(Conv([4, 4], 2, 4, undefined, { pad: SamePad() }))).toBe(
      "Conv((4, 4), 2 => 4, pad=(2, 1, 2, 1))",
    );
    expect(showCompact(Conv([3, 1], 1, 1, undefined, { dilation: [2, 1], bias: false }))).toBe(
      "Conv((3, 1), 1 => 1, dilation=(2, 1), bias=false)",
    );
    expect(showCompact(MaxPool([2, 2]))).toBe("MaxPool((2, 2))");
    expect(showCompact(MeanPool([3, 3], { stride: 1, pad: 1 }))).toBe("MeanPool((3, 3), pad=1, stride=1)");
    expect(showCompact(Dropout(0.4))).toBe("Dropout(0.4)");
    expect(showCompact(Dropout(0.2, { dims: 3, active: true }))).toBe("Dropout(0.2, dims=3, active=true)");
    expect(String(LayerNorm(5))).toBe("LayerNorm(5)        # 10 parameters");
    expect(showCompact(LayerNorm([2, 3], relu, { affine: false }))).toBe(
      "LayerNorm(2, 3, relu, affine=false)",
    );
    expect(showCompact(Embedding(10, 3))).toBe("Embedding(10 => 3)");
    expect(String(SkipConnection(Dense(2, 2), add))).toBe(
      "SkipConnection(\n  Dense(2 => 2),                        # 6 parameters\n  add,\n) ",
    );
    expect(String(Parallel(vcat, Dense(1, 2), Dense(1, 3)))).toBe(
      [
        "Parallel(",
        "  vcat,",
        "  Dense(1 => 2),                        # 4 parameters",
        "  Dense(1 => 3),                        # 6 parameters",
        ")                   # Total: 4 arrays, 10 parameters, 40 bytes.",
      ].join("\n"),
    );
    expect(String(PairwiseFusion(add, Dense(2, 3), Dense(3, 3)))).toBe(
      [
        "PairwiseFusion(",
        "  add,",
        "  Dense(2 => 3),                        # 9 parameters",
        "  Dense(3 => 3),                        # 12 parameters",
        ")                   # Total: 4 arrays, 21 parameters, 84 bytes.",
      ].join("\n"),
    );
    expect(showCompact(PairwiseFusion(add, Dense(2, 3)))).toBe("PairwiseFusion(add, Dense(2 => 3))");
    expect(showCompact(Chain(Conv([3, 3], 1, 2), flatten))).toBe("Chain(Conv((3, 3), 1 => 2), flatten)");
  });

  test("tied weights count once", () => {
    const d = Dense(3, 3);
    expect(String(Chain(d, d, Dense(3, 1)))).toContain("# Total: 4 arrays, 16 parameters, 64 bytes.");
  });

  test("number formatting", () => {
    expect(underscorise(5130)).toBe("5_130");
    expect(underscorise(999)).toBe("999");
    expect(underscorise(1234567)).toBe("1_234_567");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(316)).toBe("316 bytes");
    expect(formatBytes(1024)).toBe("1024 bytes");
    expect(formatBytes(1025)).toBe("1.001 KiB");
    // Julia's unit is ceil(log(bytes) / log(1024)): exactly 1 MiB still prints in KiB.
    expect(formatBytes(1024 * 1024)).toBe("1024.000 KiB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.000 MiB");
  });
});
