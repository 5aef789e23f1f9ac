import { relu, tanh, tensor, zeros } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import { BatchNorm, Chain, Dense, LoadModelError, loadmodel, state } from "../index.js";

const vals = (t: unknown) => Array.from((t as { dataSync(): Float32Array }).dataSync());

describe("state and loadmodel (Flux's checks)", () => {
  test("state holds the model's own tensors and settings; functions become null", () => {
    const m = Chain(Dense(1, 2, tanh), BatchNorm(2));
    const s = state(m);
    expect(s.layers[0].weight).toBe((m.get(0) as Dense).weight);
    expect(s.layers[0].σ).toBeNull();
    expect(s.layers[1].mean).toBe((m.get(1) as BatchNorm).mean);
    expect(s.layers[1].momentum).toBe(0.1);
  });

  test("loads values into another model, in place", () => {
    const src = Chain(Dense(5, 2, relu), Dense(2, 1));
    const dst = Chain(Dense(5, 2, tanh), Dense(2, 1));
    const w = (dst.get(0) as Dense).weight;
    expect(loadmodel(dst, state(src))).toBe(dst);
    expect((dst.get(0) as Dense).weight).toBe(w);
    expect(vals(w)).toEqual(vals((src.get(0) as Dense).weight));
  });

  test("size and structure mismatches throw naming the key path, and change nothing", () => {
    const dst = Chain(Dense(2, 3), Dense(3, 1));
    const before = vals((dst.get(0) as Dense).weight);
    try {
      loadmodel(dst, state(Chain(Dense(2, 3), Dense(4, 1))));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LoadModelError);
      expect((e as LoadModelError).code).toBe("ERR_LOAD_SIZE");
      expect((e as LoadModelError).path).toBe("layers.1.weight");
    }
    expect(vals((dst.get(0) as Dense).weight)).toEqual(before);
    expect(() => loadmodel(dst, state(Chain(Dense(2, 3))))).toThrow(/structures do not match/);
    expect(() => loadmodel(dst, { layers: [{ weight: 1, bias: 2, σ: null }, {}] })).toThrow(LoadModelError);
  });

  test("bias=false: zeros load into it, false zeroes an array, non-zero arrays are refused", () => {
    const nob = Dense(2, 2, undefined, { bias: false });
    loadmodel(nob, state(Dense(2, 2)));
    expect(() => loadmodel(nob, { weight: zeros([2, 2]), bias: tensor([1, 0], [2]), σ: null })).toThrow(
      /copy an array to boolean false/,
    );
    const withb = Dense(2, 2, undefined, { bias: tensor([5, 5], [2]) });
    loadmodel(withb, state(nob));
    expect(vals(withb.bias)).toEqual([0, 0]);
  });

  test("ties: a tied destination takes equal sources, refuses different ones", () => {
    const d = Dense(2, 2);
    const tied = Chain(d, d);
    const src = Chain(Dense(2, 2), Dense(2, 2));
    expect(() => loadmodel(tied, state(src))).toThrow(/tied/);
    const same = Dense(2, 2);
    loadmodel(tied, state(Chain(same, same)));
    expect(vals(d.weight)).toEqual(vals(same.weight));
  });
});
