// Flux's _match_eltype: layers with parameters convert f64 and integer input to their parameters' type
// (warning once when that loses precision), give the same values and gradients as converting by hand, and
// leave no copy alive.
import {
  cast,
  gradient,
  memory,
  randn,
  relu,
  rng,
  setDefaultRng,
  sum,
  type Tensor,
  tensor,
} from "@flux/kernels";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Bilinear } from "./bilinear.js";
import { Conv, ConvTranspose } from "./conv.js";
import { Dense } from "./dense.js";
import { GRU, LSTM, RNN } from "./recurrent.js";
import { LSTMCell } from "./recurrentCells.js";
import { resetMatchEltypeWarning } from "./matchEltype.js";

const read = (t: Tensor) => Array.from(t.dataSync());

describe("layers convert input to their parameters' element type (Flux's _match_eltype)", () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    setDefaultRng(rng(3));
    resetMatchEltypeWarning();
    warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  const cases: [string, () => { forward(x: Tensor): Tensor }, number[]][] = [
    ["Dense", () => Dense(3, 2, relu), [3, 4]],
    ["Conv", () => Conv([2, 2], 2, 3, relu), [5, 4, 2, 2]],
    ["ConvTranspose", () => ConvTranspose([2], 2, 3, undefined, { stride: 2 }), [5, 2, 3]],
  ];
  for (const [name, make, shape] of cases) {
    test(`${name}: f64 input gives the f32 result of converted input, warns once, leaves nothing alive`, () => {
      const layer = make();
      const x64 = cast(randn(shape), "f64");
      const x32 = cast(x64, "f32");
      const expected = read(layer.forward(x32));
      const before = memory().liveTensors;
      const y = layer.forward(x64);
      expect(y.dtype).toBe("f32");
      expect(read(y)).toEqual(expected);
      expect(memory().liveTensors).toBe(before + 1); // only y: the converted copy was freed
      layer.forward(x64).dispose();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/f32 parameters but got f64 input.*cast\(x, "f32"\)/);
    });
  }

  const recurrent: [string, () => { forward(x: Tensor): unknown }, number[]][] = [
    ["RNN", () => RNN(3, 2), [3, 4, 2]],
    ["LSTM", () => LSTM(3, 2), [3, 4, 2]],
    ["GRU", () => GRU(3, 2), [3, 5]],
    ["LSTMCell", () => LSTMCell(3, 2), [3, 2]],
  ];
  for (const [name, make, shape] of recurrent) {
    test(`${name}: f64 input gives the f32 result of converted input and frees the copy`, () => {
      const layer = make();
      const x64 = cast(randn(shape), "f64");
      const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : read(v as Tensor));
      const expected = flat(layer.forward(cast(x64, "f32")));
      const before = memory().liveTensors;
      const out = layer.forward(x64);
      expect(flat(out)).toEqual(expected);
      const tensors = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(tensors) : [v]);
      const results = new Set(tensors(out)).size; // an LSTMCell's output is its h
      expect(memory().liveTensors).toBe(before + results);
    });
  }

  test("integer input is converted silently", () => {
    const d = Dense(3, 2);
    const xi = tensor(new Int32Array([1, -2, 3, 0, 5, 1]), [3, 2]);
    const y = d.forward(xi);
    expect(y.dtype).toBe("f32");
    expect(read(y)).toEqual(read(d.forward(cast(xi, "f32"))));
    expect(warn).not.toHaveBeenCalled();
  });

  test("f32 input into f64 parameters computes in f64 without a warning (Julia promotes)", () => {
    const d = Dense(cast(randn([2, 3]), "f64"));
    const x = randn([3, 4]);
    const y = d.forward(x);
    expect(y.dtype).toBe("f64");
    expect(read(y)).toEqual(read(d.forward(cast(x, "f64"))));
    expect(warn).not.toHaveBeenCalled();
  });

  test("Bilinear converts both inputs", () => {
    const b = Bilinear([3, 2], 4);
    const x = cast(randn([3, 5]), "f64");
    const y = cast(randn([2, 5]), "f64");
    expect(read(b.forward(x, y))).toEqual(read(b.forward(cast(x, "f32"), cast(y, "f32"))));
  });

  test("gradients flow through the conversion, to the parameters and back to the f64 input", () => {
    const d = Dense(3, 2, relu);
    const x64 = cast(randn([3, 4]), "f64");
    const [gd, gx] = gradient((m, x) => sum(m.forward(x)), d, x64) as [{ weight: Tensor }, Tensor];
    const [gd32, gx32] = gradient((m, x) => sum(m.forward(x)), d, cast(x64, "f32")) as [
      { weight: Tensor },
      Tensor,
    ];
    expect(read(gd.weight)).toEqual(read(gd32.weight));
    expect(gx.dtype).toBe("f64");
    expect(read(gx)).toEqual(read(gx32));
  });
});
