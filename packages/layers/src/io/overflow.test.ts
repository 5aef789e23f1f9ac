// F64 values too large for an f32 model would load as Infinity: refused by default, or warned or allowed.
import { tensor } from "@flux/kernels";
import { describe, expect, test, vi } from "vitest";
import { LayerArgumentError, loadBytes, SafetensorsError } from "../index.js";
import { encodeSafetensors } from "./safetensors/encode.js";

const f64File = (values: number[]) =>
  encodeSafetensors(
    [
      {
        name: "layer.w",
        dtype: "F64",
        shape: [values.length],
        bytes: new Uint8Array(new Float64Array(values).buffer),
      },
    ],
    {},
  );
const model = () => ({ layer: { w: tensor([7, 7, 7], [3]) } });

describe("F64 → f32 overflow", () => {
  test("refused by default, naming the tensor, and the model is untouched", () => {
    const m = model();
    try {
      loadBytes(f64File([1, 1e300, -1e300]), m);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SafetensorsError);
      expect((e as SafetensorsError).code).toBe("ERR_SAFETENSORS_OVERFLOW");
      expect((e as Error).message).toContain('"layer.w"');
      expect((e as Error).message).toMatch(/2 value\(s\).*1e\+300.*element 1/);
    }
    expect(Array.from(m.layer.w.dataSync())).toEqual([7, 7, 7]);
  });

  test("overflow: warn loads ±Infinity and warns once; allow loads silently", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const m = loadBytes(f64File([1, 1e300, -1e300]), model(), { overflow: "warn" });
    expect(Array.from(m.layer.w.dataSync())).toEqual([1, Infinity, -Infinity]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('"layer.w"');
    warn.mockClear();
    loadBytes(f64File([1, 1e300, 2]), model(), { overflow: "allow" });
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  test("values that fit, and Infinity or NaN already in the file, load without a word", () => {
    const m = loadBytes(f64File([3.4e38, Infinity, Number.NaN]), model());
    const v = Array.from(m.layer.w.dataSync());
    expect(v[0]).toBeCloseTo(3.4e38, -32);
    expect(v[1]).toBe(Infinity);
    expect(v[2]).toBeNaN();
  });

  test("a misspelt or bad option is refused", () => {
    expect(() => loadBytes(f64File([1, 2, 3]), model(), { overflw: "warn" } as never)).toThrow(
      /unknown option "overflw"; did you mean "overflow"/,
    );
    expect(() => loadBytes(f64File([1, 2, 3]), model(), { overflow: "ignore" } as never)).toThrow(
      LayerArgumentError,
    );
  });
});
