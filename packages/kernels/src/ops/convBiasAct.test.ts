import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withgradient } from "../autodiff/gradient.js";
import { cpuKernelsReady } from "../cpu/wasm/index.js";
import type { DType } from "../dtype.js";
import { ShapeError } from "../errors.js";
import { memory, tidy } from "../memory.js";
import { rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { conv, type ConvOpOptions } from "./conv.js";
import { convBiasAct } from "./convBiasAct.js";
import { randn } from "./creation.js";
import { mul } from "./elementwise.js";
import { biasAct, type FusedActivation } from "./fused.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";
import { tanh } from "./unary.js";

// The op's meaning: the composed expression a layer wrote before it existed.
function composed(x: Tensor, w: Tensor, b: Tensor | null, σ: FusedActivation, opts: ConvOpOptions): Tensor {
  const y = conv(x, w, opts);
  if (b === null) return σ === null ? y : biasAct(σ, y, null);
  return biasAct(σ, y, reshape(b, [1, 1, b.size, 1]));
}

// A weighted sum, so every output element's cotangent differs (and has either sign).
function loss(y: Tensor, weights: Tensor): Tensor {
  return sum(mul(y, weights));
}

const same = (got: Tensor | null, want: Tensor | null) => {
  expect(got?.shape).toEqual(want?.shape);
  if (got !== null && want !== null) expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
};

describe("convBiasAct (NNlib's conv_bias_act)", () => {
  const acts: [string, FusedActivation][] = [
    ["relu", "relu"],
    ["identity", null],
    ["tanh (fused forward, composed under gradient)", tanh],
  ];

  it.each(acts)("%s: values and every gradient equal the composed expression, bit for bit", async (_, σ) => {
    await cpuKernelsReady();
    // Batches of 1 to 40 images: 40 LeNet-sized images run in several chunks on the CPU.
    fc.assert(
      fc.property(
        fc.record({
          W: fc.integer({ min: 3, max: 14 }),
          C: fc.integer({ min: 1, max: 4 }),
          Cout: fc.integer({ min: 1, max: 5 }),
          N: fc.constantFrom(1, 3, 40),
          pad: fc.integer({ min: 0, max: 1 }),
          stride: fc.integer({ min: 1, max: 2 }),
          flipped: fc.boolean(),
          bias: fc.boolean(),
          dtype: fc.constantFrom<DType>("f32", "f64"),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        (p) => {
          tidy(() => {
            const g = rng(p.seed);
            const opts: ConvOpOptions = { pad: p.pad, stride: [1, p.stride], flipped: p.flipped };
            const x = randn([p.W, p.W, p.C, p.N], { rng: g, dtype: p.dtype });
            const w = randn([3, 3, p.C, p.Cout], { rng: g, dtype: p.dtype });
            const b = p.bias ? randn([p.Cout], { rng: g, dtype: p.dtype }) : null;
            const y = convBiasAct(x, w, b, σ, opts);
            const want = composed(x, w, b, σ, opts);
            same(y, want);
            const weights = randn(y.shape, { rng: g, dtype: p.dtype });
            const params = b === null ? [x, w] : [x, w, b];
            const fused = withgradient(
              (...ps: Tensor[]) => loss(convBiasAct(ps[0]!, ps[1]!, ps[2] ?? null, σ, opts), weights),
              ...params,
            );
            const ref = withgradient(
              (...ps: Tensor[]) => loss(composed(ps[0]!, ps[1]!, ps[2] ?? null, σ, opts), weights),
              ...params,
            );
            same(fused.val, ref.val);
            for (let i = 0; i < params.length; i++) same(fused.grad[i]!, ref.grad[i]!);
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it("leaves nothing behind: no tensor outlives the call but the result", async () => {
    await cpuKernelsReady();
    const x = randn([10, 10, 2, 3]);
    const w = randn([3, 3, 2, 4]);
    const b = randn([4]);
    const before = memory().liveTensors;
    // Fused, and composed (an activation that is no op of this package): the conv output in between is freed.
    for (const σ of ["relu", (z: Tensor) => mul(z, z)] as const) convBiasAct(x, w, b, σ).dispose();
    const { val, grad } = withgradient((ww: Tensor, bb: Tensor) => sum(convBiasAct(x, ww, bb, "relu")), w, b);
    val.dispose();
    for (const t of grad) t?.dispose();
    expect(memory().liveTensors).toBe(before);
  });

  it("refuses a bias that is not one value per output channel, naming the shapes", () => {
    const x = randn([5, 5, 1, 1]);
    const w = randn([3, 3, 1, 4]);
    expect(() => convBiasAct(x, w, randn([3]), "relu")).toThrow(ShapeError);
    expect(() => convBiasAct(x, w, randn([2, 2]), "relu")).toThrow(/\[4\] \(one value per output channel\)/);
    expect(() => convBiasAct(x, randn([3, 3, 2, 4]), null)).toThrow(/channels/);
  });
});
