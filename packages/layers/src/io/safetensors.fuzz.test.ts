// Fuzzing the reader: whatever the bytes, loadBytes either loads correctly or throws a SafetensorsError,
// and in the second case the model is exactly as it was. Seeded, so a failure reproduces; a few thousand
// cases in a few seconds: mutated valid files (ours and PyTorch-named), rewritten headers, random bytes.
import fc from "fast-check";
import type { Tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  BatchNorm,
  Chain,
  Dense,
  loadBytes,
  parseSafetensors,
  SafetensorsError,
  saveBytes,
} from "../index.js";
import { headerOf, withHeader } from "./safetensors.testing.js";
import type { TensorNames } from "./torchNames.js";

const model = () => Chain(Dense(3, 4), BatchNorm(4), Dense(4, 2));
const snapshot = (m: ReturnType<typeof model>) => {
  const bn = m.get(1) as BatchNorm;
  return [m.get(0) as Dense, m.get(2) as Dense]
    .flatMap((d) => [
      ...(d.weight.dataSync() as Float32Array),
      ...((d.bias as Tensor).dataSync() as Float32Array),
    ])
    .concat([...(bn.mean!.dataSync() as Float32Array), ...(bn.var!.dataSync() as Float32Array)]);
};

const runs = (numRuns: number) => ({ numRuns, seed: 424242 });

function check(bytes: Uint8Array, names: TensorNames = "flux"): void {
  const m = model();
  const before = snapshot(m);
  try {
    loadBytes(bytes, m, { names });
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    expect(e.code).toMatch(/^ERR_SAFETENSORS_[A-Z_]+$/);
    expect(e.message).toMatch(/^\[@flux\/layers\] safetensors: /);
    expect(snapshot(m)).toEqual(before);
    return;
  }
  // It loaded: then it must equal what an honest parse of the same bytes says (values land where named).
  const file = parseSafetensors(bytes);
  const w = file.tensors.get(names === "flux" ? "layers.2.bias" : "2.bias")!;
  const raw =
    w.dtype === "F64" ? new Float64Array(w.bytes.slice().buffer) : new Float32Array(w.bytes.slice().buffer);
  expect(Array.from(((m.get(2) as Dense).bias as Tensor).dataSync() as Float32Array)).toEqual(
    Array.from(new Float32Array(raw)),
  );
}

describe("loadBytes under corruption", async () => {
  const files: Record<TensorNames, Uint8Array> = {
    flux: await saveBytes(model()),
    pytorch: await saveBytes(model(), { names: "pytorch" }),
  };
  const namesArb = fc.constantFrom<TensorNames>("flux", "pytorch");

  test("random truncations", () => {
    fc.assert(
      fc.property(namesArb, fc.double({ min: 0, max: 1, noNaN: true }), (names, cut) => {
        const good = files[names];
        check(good.slice(0, Math.floor((good.length - 1) * cut)), names);
      }),
      runs(400),
    );
  });

  test("random byte flips anywhere", () => {
    fc.assert(
      fc.property(
        namesArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (names, flips) => {
          const b = files[names].slice();
          for (const [i, x] of flips) b[i % b.length] ^= x;
          check(b, names);
        },
      ),
      runs(1200),
    );
  });

  test("lying header lengths", () => {
    fc.assert(
      fc.property(namesArb, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (names, n) => {
        const b = files[names].slice();
        new DataView(b.buffer).setBigUint64(0, n, true);
        check(b, names);
      }),
      runs(300),
    );
  });

  test("rewritten offsets, shapes and dtypes in the header", () => {
    fc.assert(
      fc.property(
        namesArb,
        fc.nat(),
        fc.oneof(
          fc.record({
            data_offsets: fc.tuple(fc.integer({ min: -5, max: 400 }), fc.integer({ min: -5, max: 400 })),
          }),
          fc.record({ shape: fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 3 }) }),
          fc.record({
            dtype: fc.constantFrom(
              "F64",
              "I32",
              "I64",
              "BF16",
              "X9",
              "F16",
              "__proto__",
              "constructor",
              "toString",
            ),
          }),
          fc.record({ dtype: fc.string({ maxLength: 8 }) }),
        ),
        (names, which, patch) => {
          const h = headerOf(files[names]);
          const keys = Object.keys(h).filter((k) => k !== "__metadata__");
          Object.assign(h[keys[which % keys.length]!]!, patch);
          check(withHeader(files[names], h), names);
        },
      ),
      runs(1000),
    );
  });

  test("random JSON headers around valid data", () => {
    fc.assert(
      fc.property(namesArb, fc.jsonValue({ maxDepth: 3 }), (names, junk) => {
        check(withHeader(files[names], junk), names);
        // The same junk as one entry, or as the metadata, beside the genuine entries.
        const h: Record<string, unknown> = headerOf(files[names]);
        h[String(Object.keys(h).length)] = junk;
        check(withHeader(files[names], h), names);
        check(withHeader(files[names], { ...headerOf(files[names]), __metadata__: junk }), names);
      }),
      runs(500),
    );
  });

  test("random bytes", () => {
    fc.assert(
      fc.property(namesArb, fc.uint8Array({ maxLength: 400 }), (names, b) => check(b, names)),
      runs(400),
    );
  });

  test("the uncorrupted files load", () => {
    check(files.flux, "flux");
    check(files.pytorch, "pytorch");
  });
});
