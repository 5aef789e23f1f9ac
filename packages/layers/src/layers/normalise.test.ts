import {
  gradient,
  mean,
  ones,
  randn,
  rng,
  setDefaultRng,
  sum,
  type Tensor,
  tanh,
  tensor,
  zeros,
} from "@flux/kernels";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  AlphaDropout,
  Bilinear,
  Dense,
  Embedding,
  GroupNorm,
  InstanceNorm,
  LayerArgumentError,
  LayerInputError,
  Maxout,
  save,
  state,
  testmode,
  trainables,
  trainmode,
} from "../index.js";

const arr = (t: Tensor) => Array.from(t.dataSync() as Float32Array);
const std = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

describe("GroupNorm, InstanceNorm, AlphaDropout, Maxout, Bilinear (Flux 0.16)", () => {
  test("printing and parameter counts as Flux", () => {
    expect(String(GroupNorm(4, 2))).toBe("GroupNorm(4, 2)     # 8 parameters");
    expect(String(InstanceNorm(3))).toBe("InstanceNorm(3, affine=false)");
    expect(String(InstanceNorm(3, undefined, { affine: true, trackStats: true }))).toBe(
      "InstanceNorm(3)     # 6 parameters, plus 6 non-trainable",
    );
    expect(String(AlphaDropout(0.2))).toBe("AlphaDropout(0.2)");
    expect(String(Bilinear([5, 5], 7))).toBe("Bilinear(5 => 7)    # 182 parameters");
    expect(String(Bilinear(randn([4, 8, 16]), tanh, { bias: false }))).toBe(
      "Bilinear((8, 16) => 4, tanh; bias=false)  # 512 parameters",
    );
    expect(String(Maxout(() => Dense(5, 7, tanh), 3))).toBe(
      [
        "Maxout(",
        "  Dense(5 => 7, tanh),                  # 42 parameters",
        "  Dense(5 => 7, tanh),                  # 42 parameters",
        "  Dense(5 => 7, tanh),                  # 42 parameters",
        ")                   # Total: 6 arrays, 126 parameters, 504 bytes.",
      ].join("\n"),
    );
    expect(() => GroupNorm(5, 2)).toThrow(LayerArgumentError);
    expect(() => GroupNorm(4, 2).forward(randn([3, 3, 3, 2]))).toThrow(LayerInputError);
    expect(() => InstanceNorm(3).forward(randn([3, 2]))).toThrow(LayerInputError);
  });

  test("GroupNorm normalises each group of each observation (Flux's docstring check)", () => {
    setDefaultRng(rng(2));
    const x = randn([3, 3, 4, 2]);
    const y = arr(GroupNorm(4, 2).forward(x));
    // group 2 of observation 2: channels 3 and 4 (0-based 2, 3), elements 9*2 + 36 .. 9*4 + 36
    const g = y.slice(36 + 18, 36 + 36);
    expect(Math.abs(g.reduce((a, b) => a + b, 0) / 18)).toBeLessThan(1e-5);
    expect(std(g) * Math.sqrt(17 / 18)).toBeCloseTo(1, 3);
    expect(trainables(GroupNorm(4, 2)).length).toBe(2);
  });

  test("InstanceNorm tracks running statistics in training and uses them in testing", () => {
    const m = trainmode(InstanceNorm(2, undefined, { trackStats: true, momentum: 0.5 }));
    // channel 0 holds [1, 3] in both observations, channel 1 [0, 4]: means 2 and 2, biased variances 1 and 4
    const x = tensor([1, 3, 0, 4, 1, 3, 0, 4], [2, 2, 2]);
    m.forward(x);
    expect(arr(m.mean!)).toEqual([1, 1]); // 0.5 * 0 + 0.5 * 2
    // 0.5 * 1 + 0.5 * (m/(m-1) = 2) * var
    expect(arr(m.var!)).toEqual([0.5 + 0.5 * 2 * 1, 0.5 + 0.5 * 2 * 4]);
    testmode(m);
    const y = arr(m.forward(x));
    expect(y[0]).toBeCloseTo((1 - 1) / Math.sqrt(1.5 + 1e-5), 5);
    expect(Object.keys(state(m))).toContain("mean");
  });

  test("AlphaDropout keeps the mean and spread of selu activations, and is the identity in testing", () => {
    const x = randn([1000, 1], { rng: rng(4) });
    const d = AlphaDropout(0.2, { rng: rng(9) });
    expect(d.forward(x)).toBe(x); // automatic mode outside gradient: testing
    trainmode(d);
    const y = arr(d.forward(x));
    expect(Math.abs(std(y) - std(arr(x)))).toBeLessThan(0.2);
    expect(arr(AlphaDropout(1, { active: true }).forward(ones([3])))).toEqual([0, 0, 0]);
    expect(() => AlphaDropout(1.5)).toThrow(LayerArgumentError);
  });

  test("Maxout takes the element-wise maximum; Bilinear takes one or two inputs, or a pair", () => {
    const m = Maxout(
      (x: Tensor) => x,
      (x: Tensor) => zeros([...x.shape]),
    );
    expect(arr(m.forward(tensor([-2, -1, 0, 1, 2], [1, 5])))).toEqual([0, 0, 0, 1, 2]);
    const B = Bilinear([5, 5], 7);
    const x = randn([5, 32]);
    const y = randn([5, 32]);
    expect(B.forward(x).shape).toEqual([7, 32]);
    expect(arr(B.forward(x, y))).toEqual(arr(B.forward([x, y])));
    expect(B.forward(randn([5]), randn([5])).shape).toEqual([7]);
    expect(() => B.forward(x, randn([5, 3]))).toThrow(LayerInputError);
    expect(arr(sum(mean(B.forward(zeros([5, 2])))))).toEqual([0]);
  });
});

const hasTorch = spawnSync("python3", ["-c", "import torch"]).status === 0;

describe("Embedding's paddingIdx (Flux's padding_idx)", () => {
  test("the padding token embeds to zeros, gets no gradient, and prints", () => {
    const e = Embedding(5, 2, { paddingIdx: 0 });
    expect(String(e)).toBe("Embedding(5 => 2, padding_idx=0)  # 10 parameters");
    const zeroed = (t: Tensor) => arr(t).map((v) => v + 0); // -0 (a negative times the mask) reads as 0
    expect(zeroed(e.weight).slice(0, 2)).toEqual([0, 0]);
    e.weight = randn([2, 5]); // trained away from zero: the output is still masked
    expect(zeroed(e.forward([0, 3])).slice(0, 2)).toEqual([0, 0]);
    const [g] = gradient((m) => sum(m.forward([0, 0, 3])), e);
    expect(zeroed(g.weight).slice(0, 2)).toEqual([0, 0]);
    expect(arr(g.weight).slice(6, 8)).toEqual([1, 1]);
    const onehot = tensor([1, 0, 0, 0, 0, 0, 0, 0, 1, 0], [5, 2]);
    expect(zeroed(e.forward(onehot)).slice(0, 2)).toEqual([0, 0]);
    expect(() => Embedding(5, 2, { paddingIdx: 5 })).toThrow(LayerArgumentError);
  });
});

describe("PyTorch reads our Bilinear weight [optional: skipped when python3 cannot import torch]", () => {
  test.skipIf(!hasTorch)(
    "nn.functional.bilinear with the file's [out, in1, in2] weight gives our output",
    async () => {
      setDefaultRng(rng(12));
      const B = Bilinear([3, 2], 4, undefined, { bias: randn([4]) });
      const dir = mkdtempSync(join(tmpdir(), "flux-bilinear-py-"));
      await save(join(dir, "b.safetensors"), B);
      const x = randn([3, 5]);
      const y = randn([2, 5]);
      const rows = (t: Tensor, n: number) =>
        Array.from({ length: 5 }, (_, s) => arr(t).slice(n * s, n * (s + 1)));
      writeFileSync(join(dir, "xy.json"), JSON.stringify([rows(x, 3), rows(y, 2)]));
      const py = `
import json, struct, sys
import numpy as np, torch
b = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", b[:8])[0]
h = json.loads(b[8:8+n])
t = {k: torch.tensor(np.frombuffer(b[8+n+v["data_offsets"][0]:8+n+v["data_offsets"][1]], dtype="<f4").reshape(v["shape"]).copy())
     for k, v in h.items() if k != "__metadata__"}
x, y = (torch.tensor(a) for a in json.load(open(sys.argv[2])))
print(json.dumps(torch.nn.functional.bilinear(x, y, t["weight"], t["bias"]).tolist()))
`;
      const run = spawnSync("python3", ["-c", py, join(dir, "b.safetensors"), join(dir, "xy.json")], {
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      const theirs = JSON.parse(run.stdout) as number[][]; // [sample][out]
      const ours = arr(B.forward(x, y)); // [out, sample] column-major
      for (const [s, row] of theirs.entries())
        for (const [o, v] of row.entries()) expect(ours[o + 4 * s]).toBeCloseTo(v, 5);
    },
  );
});
