// A model with a freed tensor in it: load, loadmodel and save refuse it by name before touching anything,
// instead of copying the tensors before the freed one and then failing (a half-loaded model).
import { type Tensor, relu } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  Chain,
  Dense,
  LoadModelError,
  loadBytes,
  loadmodel,
  SafetensorsError,
  saveBytes,
  state,
} from "../index.js";

type Net = { layers: { weight: Tensor; bias: Tensor }[] };
const net = () => Chain(Dense(2, 3, relu), Dense(3, 1)) as unknown as Net;
const vals = (t: Tensor) => Array.from(t.dataSync());

describe("disposed tensors in a model", () => {
  test("loadBytes names the freed tensor and leaves the others as they were", async () => {
    const bytes = await saveBytes(net());
    const m = net();
    const before = vals(m.layers[0]!.weight);
    m.layers[1]!.weight.dispose();
    let err: unknown;
    try {
      loadBytes(bytes, m);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SafetensorsError);
    expect((err as SafetensorsError).code).toBe("ERR_SAFETENSORS_DISPOSED");
    expect((err as Error).message).toMatch(/"layers\.1\.weight" \(1×3 f32\) was already disposed/);
    expect(vals(m.layers[0]!.weight)).toEqual(before);
  });

  test("saveBytes names the freed tensor", async () => {
    const m = net();
    m.layers[0]!.bias.dispose();
    await expect(saveBytes(m)).rejects.toThrow(SafetensorsError);
    await expect(saveBytes(m)).rejects.toThrow(/"layers\.0\.bias" \(3 f32\) was already disposed/);
  });

  test("loadmodel refuses a freed destination or source tensor before the first copy", () => {
    const src = net();
    const dst = net();
    const before = vals(dst.layers[0]!.weight);
    dst.layers[1]!.bias.dispose();
    expect(() => loadmodel(dst, state(src))).toThrow(LoadModelError);
    expect(() => loadmodel(dst, state(src))).toThrow(/"layers\.1\.bias".*destination.*already disposed/);
    expect(vals(dst.layers[0]!.weight)).toEqual(before);

    const dst2 = net();
    const before2 = vals(dst2.layers[0]!.weight);
    const freed = net();
    freed.layers[1]!.weight.dispose();
    let err: unknown;
    try {
      loadmodel(dst2, freed);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LoadModelError);
    expect((err as LoadModelError).code).toBe("ERR_LOAD_DISPOSED");
    expect((err as LoadModelError).path).toBe("layers.1.weight");
    expect(vals(dst2.layers[0]!.weight)).toEqual(before2);
  });
});
