// Inputs that used to give silently wrong results (NaN tensors, shapes of `undefined`, a bool holding 2,
// `[null]` gradients) or a bare RangeError: each is now a named error, or Julia's answer.
import { describe, expect, it } from "vitest";
import { AllocationError, ArgumentError, GradientError, ShapeError } from "./errors.js";
import { add, mul, sub } from "./ops/elementwise.js";
import { tensor, zeros } from "./ops/creation.js";
import type { Tensor } from "./tensor.js";
import { matmul } from "./ops/matmul.js";
import { sum } from "./ops/reduce.js";
import { gradient } from "./autodiff/gradient.js";
import { getBackend, getBackendSync } from "./registry.js";

describe("bad input to kernels", () => {
  it("tensor refuses data that is not numbers or booleans", () => {
    expect(() => tensor(["a", "b"] as never)).toThrow(ArgumentError);
    expect(() => tensor(["a", "b"] as never)).toThrow(/data\[0\] is string "a"/);
    expect(() => tensor(undefined as never)).toThrow(/got undefined/);
    expect(() => tensor({} as never)).toThrow(/an object \(Object\)/);
    expect(() => tensor(null as never)).toThrow(/got null/);
    expect(() =>
      tensor([
        [1, 2],
        [3, null],
      ] as never),
    ).toThrow(/data\[1\]\[1\] is null/);
    expect(tensor([1, 2]).dataSync()).toEqual(new Float32Array([1, 2]));
  });

  it("matmul refuses scalars instead of returning shape [undefined, undefined]", () => {
    expect(() => matmul(tensor(3), tensor(2))).toThrow(ShapeError);
    expect(() => matmul(tensor(3), tensor([1, 2]))).toThrow(
      /at least one dim.*use mul|multiply by a scalar with mul/,
    );
  });

  it("nested gradient is a named error, not [null]", () => {
    const x = tensor([1, 2]);
    expect(() => gradient((a) => sum(gradient((b) => sum(mul(b, b)), a)[0] as never), x)).toThrow(
      GradientError,
    );
    expect(() => gradient((a) => sum(gradient((b) => sum(mul(b, b)), a)[0] as never), x)).toThrow(/nested/);
  });

  it("arithmetic on booleans counts (Julia: true + true == 2)", () => {
    const t = tensor([true, false], [2], { dtype: "bool" });
    const s = add(t, t);
    expect(s.dtype).toBe("i32");
    expect([...s.dataSync()]).toEqual([2, 0]);
    expect([...sub(t, t).dataSync()]).toEqual([0, 0]);
  });

  it("shapes too large to allocate are named errors with the size", () => {
    expect(() => zeros([1e6, 1e6, 1e6])).toThrow(ShapeError);
    expect(() => zeros([2 ** 40])).toThrow(AllocationError);
    expect(() => zeros([2 ** 40])).toThrow(/1,099,511,627,776 f32 elements \(4096\.0 GiB\)/);
  });

  it("an op given a JS array or a Promise instead of a Tensor is an ArgumentError saying how to make one", () => {
    expect(() => matmul([[1, 2]] as never, tensor([1, 2]))).toThrow(ArgumentError);
    expect(() => matmul([[1, 2]] as never, tensor([1, 2]))).toThrow(
      /matmul: expected a Tensor, got an array of length 1\. Make one with tensor\(data, shape\)\./,
    );
    expect(() => matmul(Promise.resolve(tensor([1])) as never, tensor([1]))).toThrow(
      /got a Promise\. Make one with tensor\(data, shape\) \(or is it an un-awaited gpu\(x\)\?/,
    );
  });

  it("a device option holding a Promise or a backend says what to pass instead", async () => {
    const pending = getBackend("cpu");
    expect(() => zeros([2], { device: pending as never })).toThrow(ArgumentError);
    expect(() => zeros([2], { device: pending as never })).toThrow(/got a Promise: did you forget `await`\?/);
    const b = await pending;
    expect(() => zeros([2], { device: b as never })).toThrow(/got a backend .* where its `\.device` belongs/);
    expect(() => getBackendSync(pending as never)).toThrow(/did you forget `await`/);
    expect(zeros([2], { device: b.device }).device).toBe(b.device);
    expect(zeros([2], { device: "cpu" }).device).toBe(b.device);
  });

  it("gradient given a Promise for the model says `await`, not 'f returned a Promise'", () => {
    const pending = Promise.resolve({ w: tensor([1, 2]) });
    expect(() => gradient((m: { w: Tensor }) => sum(m.w), pending as never)).toThrow(GradientError);
    expect(() => gradient((m: { w: Tensor }) => sum(m.w), pending as never)).toThrow(
      /argument 1 after f is a Promise, not a value: did you forget `await`\?/,
    );
  });
});
