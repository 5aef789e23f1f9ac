// Hostile inputs that used to be accepted with a silently different result (a truncated index, a NaN-length
// range, an ignored option) or to fail inside with a bare TypeError: each is now a named error.
import { describe, expect, it } from "vitest";
import { ArgumentError, GradientError, KernelsError, ShapeError } from "./errors.js";
import { conv, maxpool } from "./ops/conv.js";
import { convBiasAct } from "./ops/convBiasAct.js";
import { arange, fill, rand, randn, tensor, zeros } from "./ops/creation.js";
import { matmul } from "./ops/matmul.js";
import { mean, sum } from "./ops/reduce.js";
import { cat, reshape, selectdim } from "./ops/shape.js";
import { softmax } from "./ops/softmax.js";
import { withgradient } from "./autodiff/gradient.js";

describe("tensor data that would be reinterpreted", () => {
  it("refuses BigInt arrays and DataViews with a conversion hint", () => {
    expect(() => tensor(new BigInt64Array(2) as never)).toThrow(ArgumentError);
    expect(() => tensor(new BigInt64Array(2) as never)).toThrow(
      /BigInt64Array cannot be a tensor's data.*Int32Array\.from/,
    );
    expect(() => tensor(new DataView(new ArrayBuffer(4)) as never)).toThrow(ArgumentError);
  });
  it("asks for a dtype for typed arrays without one (Int8Array -1 would have become u8 255)", () => {
    expect(() => tensor(new Int8Array([-1, 2]) as never)).toThrow(/Int8Array has no matching dtype/);
    expect([...tensor(new Int8Array([-1, 2]) as never, [2], { dtype: "i32" }).dataSync()]).toEqual([-1, 2]);
    expect(tensor(new Uint8ClampedArray([0, 255]) as never).dtype).toBe("u8");
  });
  it("refuses values an integer dtype cannot hold instead of truncating or wrapping them", () => {
    expect(() => tensor([1.5], [1], { dtype: "i32" })).toThrow(
      /element 0 is 1\.5, which a i32 tensor cannot hold/,
    );
    expect(() => tensor([Number.NaN], [1], { dtype: "i32" })).toThrow(ArgumentError);
    expect(() => tensor([300], [1], { dtype: "u8" })).toThrow(/integers 0\.\.255/);
    expect(() => tensor([-1], [1], { dtype: "u32" })).toThrow(ArgumentError);
    expect(() => tensor(new Float32Array([0.5]), [1], { dtype: "i32" })).toThrow(ArgumentError);
    expect(() => fill(2.5, [2], { dtype: "i32" })).toThrow(ArgumentError);
    expect([...tensor([1, -2], [2], { dtype: "i32" }).dataSync()]).toEqual([1, -2]);
  });
  it("fill refuses a value that is not a number or boolean (it became NaN)", () => {
    expect(() => fill("a" as never, [2])).toThrow(
      /fill: the value must be a number or a boolean, got string "a"/,
    );
    expect(() => fill(undefined as never, [2])).toThrow(ArgumentError);
  });
});

describe("options that were ignored", () => {
  it("a number where the options object belongs", () => {
    expect(() => sum(zeros([2, 3]), 1 as never)).toThrow(
      /sum: the options must be an object such as \{ dims: 1 \}, got number 1/,
    );
    expect(() => mean(zeros([2, 3]), 2 as never)).toThrow(ArgumentError);
    expect(() => softmax(zeros([2, 3]), 1 as never)).toThrow(ArgumentError);
    expect(() => tensor([1], [1], "f32" as never)).toThrow(ArgumentError);
    expect(() => zeros([2], "i32" as never)).toThrow(ArgumentError);
  });
  it("misspelt keys, with the near name", () => {
    const x = zeros([5, 5, 1, 1]);
    const w = zeros([3, 3, 1, 1]);
    expect(() => conv(x, w, { strides: 2 } as never)).toThrow(
      /conv: unknown option "strides" \(did you mean "stride"\?\)/,
    );
    expect(() => maxpool(x, 2, { padding: 1 } as never)).toThrow(/maxpool: unknown option "padding"/);
    expect(() => sum(x, { dim: 1 } as never)).toThrow(/did you mean "dims"/);
    expect(() => tensor([1], [1], { dtpye: "i32" } as never)).toThrow(/unknown option "dtpye"/);
    expect(() => randn([2], { seed: 1 } as never)).toThrow(/randn: unknown option "seed"/);
    expect(() => convBiasAct(x, w, null, "relu", { strides: 2 } as never)).toThrow(
      /convBiasAct: unknown option "strides"/,
    );
    expect(conv(x, w, { stride: 2 }).shape).toEqual([2, 2, 1, 1]);
  });
});

describe("shapes, indices and ranges", () => {
  it("arange with a non-finite end (gave a tensor of shape [NaN])", () => {
    expect(() => arange(0, Number.NaN)).toThrow(/arange: start and stop must be finite numbers/);
    expect(() => arange(Number.POSITIVE_INFINITY)).toThrow(ArgumentError);
  });
  it("selectdim with a fractional, NaN or non-number index (picked element 0 or 1)", () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => selectdim(x, 2, 1.5)).toThrow(/indices are 0-based integers, got 1\.5/);
    expect(() => selectdim(x, 2, Number.NaN)).toThrow(ArgumentError);
    expect(() => selectdim(x, 2, [0, 0.5])).toThrow(ArgumentError);
    expect(() => selectdim(x, 2, ["1"] as never)).toThrow(/got string 1/);
    expect(() => selectdim(x, 2, null as never)).toThrow(/a range \{ start, stop \}, got null/);
    expect([...selectdim(x, 2, 1).dataSync()]).toEqual([3, 4]);
  });
  it("reshape to something that is not an array", () => {
    expect(() => reshape(zeros([2, 3]), 6 as never)).toThrow(ShapeError);
    expect(() => reshape(zeros([2, 3]), 6 as never)).toThrow(/must be an array of dims such as \[6\]/);
  });
  it("a non-tensor operand is a KernelsError with a code, not a bare TypeError", () => {
    for (const f of [
      () => matmul([[1]] as never, zeros([1, 1])),
      () => cat([zeros([2]), [1, 2] as never], 1),
    ]) {
      expect(f).toThrow(ArgumentError);
      expect(f).toThrow(KernelsError);
      expect(f).toThrow(/expected a Tensor, got an array/);
    }
  });
});

describe("random numbers and gradients", () => {
  it("a generator that is not an Rng", () => {
    expect(() => randn([2], { rng: {} as never })).toThrow(
      /randn: opts\.rng must be a generator from rng\(seed\)/,
    );
    expect(() => rand([2], { rng: 42 as never })).toThrow(ArgumentError);
  });
  it("withgradient of something that is not a function", () => {
    expect(() => withgradient(3 as never)).toThrow(GradientError);
    const w = zeros([2]);
    expect(() => withgradient(w as never, w)).toThrow(/got a Tensor \(the arguments come after f\)/);
  });
});
