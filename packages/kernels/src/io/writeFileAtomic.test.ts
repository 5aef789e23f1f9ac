import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArgumentError } from "../errors.js";
import { writeFileAtomic, writeFileAtomicSync } from "./writeFileAtomic.js";

describe("writeFileAtomic", () => {
  it("replaces the content and leaves no temporary file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flux-atomic-"));
    const file = join(dir, "a.bin");
    writeFileSync(file, "old");
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    writeFileAtomicSync(file, "text");
    expect(readFileSync(file, "utf8")).toBe("text");
    expect(readdirSync(dir)).toEqual(["a.bin"]);
  });

  it("keeps an existing file's permission bits", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flux-atomic-"));
    const file = join(dir, "p.json");
    writeFileSync(file, "{}");
    chmodSync(file, 0o600);
    await writeFileAtomic(file, "{}\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("writes through a symbolic link: the linked file changes, the link stays a link", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flux-atomic-"));
    const real = join(dir, "run5.safetensors");
    const link = join(dir, "latest.safetensors");
    writeFileSync(real, "old");
    symlinkSync("run5.safetensors", link);
    await writeFileAtomic(link, "new");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toBe("new");
    writeFileAtomicSync(link, "newer");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toBe("newer");
    expect(readdirSync(dir).sort()).toEqual(["latest.safetensors", "run5.safetensors"]);
  });

  it("keeps the old file when the write fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flux-atomic-"));
    const file = join(dir, "missing-folder", "x.bin");
    await expect(writeFileAtomic(file, "x")).rejects.toThrow();
    const good = join(dir, "good.bin");
    writeFileSync(good, "good");
    // Renaming onto a folder fails after the temporary file was written: the target is untouched.
    await expect(writeFileAtomic(dir, "x")).rejects.toThrow();
    expect(readFileSync(good, "utf8")).toBe("good");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses a target that is not a non-empty path with ArgumentError", async () => {
    for (const bad of ["", 42, undefined]) {
      await expect(writeFileAtomic(bad as never, "x")).rejects.toThrow(ArgumentError);
      expect(() => writeFileAtomicSync(bad as never, "x")).toThrow(/target must be a non-empty file path/);
    }
  });

  it("names the file asked for, not the temporary one, and keeps the runtime's error code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flux-atomic-"));
    const file = join(dir, "missing-folder", "m.safetensors");
    const err = await writeFileAtomic(file, "x").catch((e: unknown) => e as NodeJS.ErrnoException);
    expect(err).toBeInstanceOf(Error);
    expect(err?.code).toBe("ENOENT");
    expect(err?.message).toContain(
      `Saving "${file}" failed: the folder "${join(dir, "missing-folder")}" does not exist`,
    );
    expect(() => writeFileAtomicSync(file, "x")).toThrow(
      /Saving ".*m\.safetensors" failed: the folder .* does not exist; create it first/,
    );
  });
});
