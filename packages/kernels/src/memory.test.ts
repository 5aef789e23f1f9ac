import { describe, expect, it } from "vitest";
import { gradient } from "./autodiff/gradient.js";
import { keep, memory, tidy } from "./memory.js";
import { ones, tensor, zeros } from "./ops/creation.js";
import { add, mul } from "./ops/elementwise.js";
import { sum } from "./ops/reduce.js";
import { reshape } from "./ops/shape.js";
import { exp } from "./ops/unary.js";
import type { Tensor } from "./tensor.js";

describe("memory", () => {
  it("counts live tensors and bytes per device, and the peak", () => {
    const before = memory("cpu");
    const t = zeros([1000]);
    expect(memory("cpu").liveTensors).toBe(before.liveTensors + 1);
    expect(memory("cpu").liveBytes).toBe(before.liveBytes + 4000);
    expect(memory().peakBytes).toBeGreaterThanOrEqual(memory().liveBytes);
    t.dispose();
    expect(memory("cpu").liveBytes).toBe(before.liveBytes);
    expect(memory("cpu").pooledBytes).toBe(0);
  });

  it("counts storage shared by a reshape once, freeing it with the last user", () => {
    const before = memory().liveBytes;
    const t = zeros([4, 2]);
    const r = reshape(t, [8]);
    expect(memory().liveBytes).toBe(before + 32);
    t.dispose();
    expect(Array.from(r.dataSync())).toEqual(new Array(8).fill(0));
    expect(memory().liveBytes).toBe(before + 32);
    r.dispose();
    expect(memory().liveBytes).toBe(before);
  });
});

describe("tidy", () => {
  it("frees intermediates and keeps a returned tree", () => {
    const before = memory().liveTensors;
    const x = ones([3]);
    const out = tidy(() => {
      const a = exp(x);
      const b = add(a, 1);
      return { b, list: [mul(b, 2)], n: 3 };
    });
    expect(memory().liveTensors).toBe(before + 3);
    expect(Array.from(out.list[0]!.dataSync())[0]).toBeCloseTo(2 * (Math.E + 1), 5);
    out.b.dispose();
    out.list[0]!.dispose();
    x.dispose();
    expect(memory().liveTensors).toBe(before);
  });

  it("nests: an inner result belongs to the outer scope", () => {
    const before = memory().liveTensors;
    let inner: Tensor | undefined;
    const outer = tidy(() => {
      inner = tidy(() => add(ones([2]), 1));
      expect(inner.isDisposed).toBe(false);
      return mul(inner, 2);
    });
    expect(inner!.isDisposed).toBe(true);
    expect(Array.from(outer.dataSync())).toEqual([4, 4]);
    outer.dispose();
    expect(memory().liveTensors).toBe(before);
  });

  it("spares keep()-ed tensors and frees on throw", () => {
    const before = memory().liveTensors;
    let kept: Tensor | undefined;
    tidy(() => {
      kept = keep(ones([2]));
      zeros([2]);
    });
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
    expect(() =>
      tidy(() => {
        zeros([5]);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(memory().liveTensors).toBe(before);
  });

  it("refuses async functions", () => {
    expect(() => tidy(async () => 1)).toThrow(/Promise/);
  });

  it("does not free what a running gradient still needs", () => {
    const x = tensor([1, 2], [2]);
    // tidy inside f frees exp(x) at its end, but the tape needs it for the backward pass
    const [g] = gradient((v: Tensor) => sum(tidy(() => mul(exp(v), 1))), x) as [Tensor];
    expect(Array.from(g.dataSync())[1]).toBeCloseTo(Math.exp(2), 4);
    g.dispose();
    x.dispose();
  });
});
