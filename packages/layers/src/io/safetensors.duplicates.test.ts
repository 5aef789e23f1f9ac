// A header naming a tensor, or a field of one, twice: JSON.parse keeps the last, other readers the first,
// so such a file loads differently in different tools. The reader refuses it, by name.
import { describe, expect, test } from "vitest";
import { Dense, loadBytes, parseSafetensors, SafetensorsError } from "../index.js";

function file(headerText: string, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}
const w = (range: string) => `{"dtype":"F32","shape":[1,1],"data_offsets":${range}}`;
const b = '{"dtype":"F32","shape":[1],"data_offsets":[4,8]}';

describe("duplicate keys in the header", () => {
  test.each([
    [
      "a tensor named twice, same bytes",
      `{"weight":${w("[0,4]")},"weight":${w("[0,4]")},"bias":${b}}`,
      /"weight" twice/,
    ],
    [
      "a tensor named twice, other bytes",
      `{"weight":${w("[0,4]")},"bias":${b},"weight":${w("[0,4]")}}`,
      /"weight" twice/,
    ],
    [
      "a field named twice in one entry",
      `{"weight":{"dtype":"I32","dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"bias":${b}}`,
      /"dtype" twice inside one entry/,
    ],
    [
      "__metadata__ twice",
      `{"__metadata__":{"a":"1"},"__metadata__":{"a":"2"},"weight":${w("[0,4]")},"bias":${b}}`,
      /"__metadata__" twice/,
    ],
    [
      "an escaped spelling of the same key",
      `{"weight":${w("[0,4]")},"w\\u0065ight":${w("[0,4]")},"bias":${b}}`,
      /"weight" twice/,
    ],
  ])("%s is refused and the model is unchanged", (_, header, pattern) => {
    const bytes = file(header, 8);
    expect(() => parseSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => parseSafetensors(bytes)).toThrow(pattern);
    const m = Dense(1, 1);
    const before = Array.from(m.weight.dataSync());
    expect(() => loadBytes(bytes, m)).toThrow(pattern);
    expect(Array.from(m.weight.dataSync())).toEqual(before);
  });

  test("equal keys in different entries, and braces or quotes inside names and values, are fine", () => {
    const header = `{"__metadata__":{"dtype":"x","k{\\"}":"v:]\\"[","shape":"s"},"weight":${w("[0,4]")},"bias":${b}}`;
    const parsed = parseSafetensors(file(header, 8));
    expect([...parsed.tensors.keys()]).toEqual(["weight", "bias"]);
    expect(parsed.metadata).toEqual({ dtype: "x", 'k{"}': 'v:]"[', shape: "s" });
  });
});
