// save/load/saveCheckpoint/loadCheckpoint name a path they cannot use (SafetensorsError ERR_SAFETENSORS_FILE
// with the path asked for and the errno), never a raw fs error about a hidden temporary file.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { SafetensorsError } from "../errors.js";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { load, save } from "./files.js";
import { saveBytes } from "./saveBytes.js";

const model = () => ({ w: tensor([1, 2, 3], [3]) });

async function failure(p: Promise<unknown>): Promise<SafetensorsError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SafetensorsError);
  return e as SafetensorsError;
}

describe("file errors name the path and the fix", () => {
  const dir = mkdtempSync(join(tmpdir(), "flux-file-errors-"));

  it("save into a folder that does not exist", async () => {
    const path = join(dir, "no", "such", "m.safetensors");
    const e = await failure(save(path, model()));
    expect(e.code).toBe("ERR_SAFETENSORS_FILE");
    expect(e.message).toContain(`cannot write "${path}" (ENOENT)`);
    expect(e.message).not.toMatch(/\.tmp/);
    expect((e.cause as { code: string }).code).toBe("ENOENT");
  });

  it("save where a part of the path is a file, and the file is left as it was", async () => {
    const file = join(dir, "plain.safetensors");
    const before = await saveBytes(model());
    writeFileSync(file, before);
    const e = await failure(save(join(file, "m.safetensors"), model()));
    expect(e.message).toMatch(/\(ENOTDIR\): a part of the path is a file/);
    expect(new Uint8Array(readFileSync(file))).toEqual(before);
  });

  it("save onto a folder leaves the folder and no temporary file", async () => {
    const sub = join(dir, "folder");
    mkdirSync(sub);
    const e = await failure(save(sub, model()));
    expect(e.message).toMatch(/\(EISDIR\): the path is a folder/);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("load of a missing file and of a folder", async () => {
    const missing = join(dir, "missing.safetensors");
    const e = await failure(load(missing, model()));
    expect(e.code).toBe("ERR_SAFETENSORS_FILE");
    expect(e.message).toContain(`load: cannot read "${missing}" (ENOENT)`);
    expect((await failure(load(dir, model()))).message).toMatch(/\(EISDIR\)/);
  });

  it("checkpoints too", async () => {
    const missing = join(dir, "none", "run.ckpt");
    expect((await failure(saveCheckpoint(missing, { model: model() }))).message).toMatch(
      /saveCheckpoint: cannot write .*\(ENOENT\)/,
    );
    expect((await failure(loadCheckpoint(missing, { model: model() }))).message).toMatch(
      /loadCheckpoint: cannot read .*\(ENOENT\)/,
    );
  });

  it.each([
    ["an empty string", ""],
    ["a number", 42],
    ["undefined", undefined],
  ])("a path that is %s", async (_name, path) => {
    const e = await failure(save(path as never, model()));
    expect(e.code).toBe("ERR_SAFETENSORS_PATH");
    expect((await failure(load(path as never, model()))).code).toBe("ERR_SAFETENSORS_PATH");
  });
});
