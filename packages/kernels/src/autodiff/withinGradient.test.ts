import { describe, expect, it } from "vitest";
import { ones, rng, sum } from "../index.js";
import { gradient } from "./gradient.js";
import { withinGradient } from "./withinGradient.js";

describe("withinGradient", () => {
  it("is true only while a gradient is being taken", () => {
    expect(withinGradient()).toBe(false);
    const seen: boolean[] = [];
    const x = ones([2]);
    const [g] = gradient((t) => {
      seen.push(withinGradient());
      return sum(t);
    }, x);
    expect(seen).toEqual([true]);
    expect(withinGradient()).toBe(false);
    (g as { dispose(): void }).dispose();
    x.dispose();
  });
});

describe("Rng and the functors protocol", () => {
  it("is a leaf, so structure walks pass it through whole", () => {
    const r = rng(1) as unknown as Record<symbol, unknown>;
    expect(r[Symbol.for("flux.leaf")]).toBe(true);
  });
});
