// saveBytes refuses models whose key paths a file cannot hold unambiguously (it would write a file that
// cannot be loaded back), and the reader gives unknown dtypes the right code even when the name is one of
// Object.prototype's members.
import { tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import { Chain, Dense, loadBytes, parseSafetensors, SafetensorsError, saveBytes } from "../index.js";
import { encodeSafetensors } from "./safetensors/encode.js";

async function saveError(m: unknown): Promise<SafetensorsError> {
  try {
    await saveBytes(m);
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return e as SafetensorsError;
  }
  throw new Error("saveBytes did not throw");
}

describe("saveBytes refuses names it could not load back", () => {
  test('keys that flatten to the same name ({"a.b": t, a: {b: t2}})', async () => {
    const e = await saveError({ "a.b": tensor([1], [1]), a: { b: tensor([2], [1]) } });
    expect(e.code).toBe("ERR_SAFETENSORS_NAME");
    expect(e.message).toContain('"a.b"');
    expect(e.message).toContain('["a", "b"]');
  });

  test('a Map with keys 1 and "1"', async () => {
    const m = new Map<unknown, unknown>([
      [1, tensor([1], [1])],
      ["1", tensor([2], [1])],
    ]);
    const e = await saveError(m);
    expect(e.code).toBe("ERR_SAFETENSORS_NAME");
    expect(e.message).toMatch(/both become the name "1"/);
  });

  test("keys __proto__ and __metadata__", async () => {
    // An own key "__proto__" (JSON.parse makes one too); assignment would set the prototype instead.
    const proto = {};
    Object.defineProperty(proto, "__proto__", { value: tensor([1], [1]), enumerable: true });
    expect((await saveError(proto)).code).toBe("ERR_SAFETENSORS_NAME");
    const meta = { __metadata__: tensor([1], [1]) };
    const e = await saveError(meta);
    expect(e.code).toBe("ERR_SAFETENSORS_NAME");
    expect(e.message).toMatch(/reserves/);
  });

  test("ordinary dotted keys and ties still save and load", async () => {
    const w = tensor([1, 2], [2]);
    const m = { "a.b": tensor([3], [1]), c: w, d: w };
    const bytes = await saveBytes(m);
    const into = { "a.b": tensor([0], [1]), c: tensor([0, 0], [2]), d: tensor([0, 0], [2]) };
    into.d = into.c;
    loadBytes(bytes, into);
    expect(Array.from(into.c.dataSync())).toEqual([1, 2]);
    expect(Array.from(into["a.b"].dataSync())).toEqual([3]);
    // And a normal model is unaffected.
    await saveBytes(Chain(Dense(2, 2), Dense(2, 1)));
  });
});

describe("dtype names that are Object.prototype members", () => {
  for (const dtype of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
    test(`dtype "${dtype}" is an unknown dtype (ERR_SAFETENSORS_DTYPE)`, () => {
      const bytes = encodeSafetensors([{ name: "w", dtype, shape: [1], bytes: new Uint8Array(4) }], {});
      try {
        parseSafetensors(bytes);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(SafetensorsError);
        expect((e as SafetensorsError).code).toBe("ERR_SAFETENSORS_DTYPE");
      }
      expect(() => loadBytes(bytes, { w: tensor([0], [1]) })).toThrow(/unknown dtype/);
    });
  }
});
