// A Promise where a model belongs (a missing `await` on a device move) is refused by every entry point
// that walks a model, instead of writing an empty file or loading nothing.
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UnawaitedPromiseError } from "@flux/functors";
import { describe, expect, test } from "vitest";
import { Dense, load, loadBytes, loadmodel, save, saveBytes, state } from "../index.js";

describe("unawaited Promises", () => {
  test("save, saveBytes, load, loadBytes, state and loadmodel name the argument", async () => {
    const model = Dense(2, 2);
    const pending = Promise.resolve(model);
    const dir = mkdtempSync(join(tmpdir(), "flux-promise-"));
    const path = join(dir, "m.safetensors");
    await expect(save(path, pending)).rejects.toThrow(UnawaitedPromiseError);
    await expect(save(path, pending)).rejects.toThrow(/save: `model` is a Promise.*forget `await`/);
    expect(existsSync(path)).toBe(false); // no 64-byte empty file
    await expect(saveBytes(pending)).rejects.toThrow(UnawaitedPromiseError);
    const bytes = await saveBytes(model);
    await save(path, model);
    await expect(load(path, pending)).rejects.toThrow(/load: `model` is a Promise/);
    expect(() => loadBytes(bytes, pending)).toThrow(UnawaitedPromiseError);
    expect(() => loadBytes(Promise.resolve(bytes) as never, model)).toThrow(/`bytes` is a Promise/);
    expect(() => state(pending)).toThrow(/state: `model` is a Promise/);
    expect(() => loadmodel(pending, state(model))).toThrow(/loadmodel: `dst` is a Promise/);
    expect(() => loadmodel(model, pending)).toThrow(/loadmodel: `src` is a Promise/);
  });

  test("save options are checked too", async () => {
    await expect(saveBytes(Dense(1, 1), { name: "pytorch" } as never)).rejects.toThrow(
      /unknown option "name"; did you mean "names"/,
    );
    await expect(saveBytes(Dense(1, 1), { names: "torch" } as never)).rejects.toThrow(
      /names must be one of "flux", "pytorch"/,
    );
  });
});
