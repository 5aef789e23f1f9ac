// Fuzzing the reader: whatever the bytes, loadBytes either loads correctly or throws a SafetensorsError,
// and in the second case the model is exactly as it was.
import fc from "fast-check";
import type { Tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import { BatchNorm, Chain, Dense, loadBytes, parseSafetensors, SafetensorsError, saveBytes } from "../index";

const model = () => Chain(Dense(3, 4), BatchNorm(4), Dense(4, 2));
const snapshot = (m: ReturnType<typeof model>) =>
  [m.get(0) as Dense, m.get(2) as Dense].flatMap((d) => [
    ...(d.weight.dataSync() as Float32Array),
    ...((d.bias as Tensor).dataSync() as Float32Array),
  ]);

function check(bytes: Uint8Array): void {
  const m = model();
  const before = snapshot(m);
  try {
    loadBytes(bytes, m);
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    expect(e.code).toMatch(/^ERR_SAFETENSORS_/);
    expect(e.message).toMatch(/^\[@flux\/layers\] safetensors: /);
    expect(snapshot(m)).toEqual(before);
    return;
  }
  // It loaded: then it must equal what an honest parse of the same bytes says (values land where named).
  const file = parseSafetensors(bytes);
  const w = file.tensors.get("layers.2.bias")!;
  expect(Array.from(((m.get(2) as Dense).bias as Tensor).dataSync() as Float32Array)).toEqual(
    Array.from(new Float32Array(w.bytes.slice().buffer)),
  );
}

describe("loadBytes under corruption", async () => {
  const good = await saveBytes(model());
  const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));

  test("random truncations", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), (n) => check(good.slice(0, n))),
      { numRuns: 150 },
    );
  });

  test("random byte flips anywhere", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (flips) => {
          const b = good.slice();
          for (const [i, x] of flips) b[i] = b[i]! ^ x;
          check(b);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("lying header lengths", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (n) => {
        const b = good.slice();
        new DataView(b.buffer).setBigUint64(0, n, true);
        check(b);
      }),
      { numRuns: 200 },
    );
  });

  test("rewritten offsets, shapes and dtypes in the header", () => {
    const text = new TextDecoder().decode(good.subarray(8, 8 + headerLength));
    const header = JSON.parse(text) as Record<
      string,
      { data_offsets?: number[]; shape?: number[]; dtype?: string }
    >;
    const names = Object.keys(header).filter((k) => k !== "__metadata__");
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.oneof(
          fc.record({
            data_offsets: fc.tuple(fc.integer({ min: -5, max: 400 }), fc.integer({ min: -5, max: 400 })),
          }),
          fc.record({ shape: fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 3 }) }),
          fc.record({ dtype: fc.constantFrom("F64", "I32", "BF16", "X9", "F16") }),
        ),
        (name, patch) => {
          const h = structuredClone(header);
          Object.assign(h[name]!, patch);
          const json = new TextEncoder().encode(JSON.stringify(h));
          const out = new Uint8Array(8 + json.length + good.length - 8 - headerLength);
          new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
          out.set(json, 8);
          out.set(good.subarray(8 + headerLength), 8 + json.length);
          check(out);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("the uncorrupted file loads", () => {
    check(good);
  });
});
