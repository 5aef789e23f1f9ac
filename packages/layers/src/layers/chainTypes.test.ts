// Chain's type follows its arguments (`tsc -p packages/layers` includes this file); the run-time lines check
// that the layers the types describe are the ones the Chain holds.
import { relu, type Tensor } from "@flux/kernels";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { LayerLike } from "../layer.js";
import { Chain } from "./chain.js";
import { Dense } from "./dense.js";

describe("Chain keeps its layers' types", () => {
  it("positional layers become a tuple: layers[i] is the i-th argument's type", () => {
    const first = Dense(2, 3, relu);
    const m = Chain(first, Dense(3, 1), relu);
    expectTypeOf(m.layers).toEqualTypeOf<readonly [Dense, Dense, typeof relu]>();
    expectTypeOf(m.layers[0].weight).toEqualTypeOf<Tensor>();
    expect(m.layers[0]).toBe(first);
    expect(m.layers[0].weight.shape).toEqual([3, 2]);
    expect(m).toBeInstanceOf(Chain);
  });

  it("named layers keep the record type, with or without new", () => {
    const m = new Chain({ enc: Dense(2, 4), dec: Dense(4, 2) });
    expectTypeOf(m.layers.enc).toEqualTypeOf<Dense>();
    expect(m.layers.dec.weight.shape).toEqual([2, 4]);
    const n = Chain({ only: Dense(1, 1) });
    expectTypeOf(n.layers).toEqualTypeOf<{ readonly only: Dense }>();
  });

  it("every typed Chain is still a Chain", () => {
    const chains: Chain[] = [Chain(Dense(1, 1)), Chain({ a: Dense(1, 1) })];
    expectTypeOf(chains[0]!.list).toEqualTypeOf<LayerLike[]>();
    expect(chains.map((c) => c.list.length)).toEqual([1, 1]);
  });
});
