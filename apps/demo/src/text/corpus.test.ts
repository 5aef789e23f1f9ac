// The text job's corpus file: a missing file, a folder, a binary file or a text without the prompt's
// characters is named before any training starts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus, promptTokens } from "./corpus.mjs";

const dir = mkdtempSync(join(tmpdir(), "flux-corpus-"));

describe("loadCorpus", () => {
  it("names a missing file and the --data option", () => {
    expect(() => loadCorpus(join(dir, "none.txt"))).toThrow(
      /cannot read the text .*none\.txt \(ENOENT\).*--data FILE/,
    );
  });
  it("names a folder", () => {
    expect(() => loadCorpus(dir)).toThrow(/\(EISDIR: it is a folder\)/);
  });
  it("refuses bytes that are not UTF-8 instead of training on U+FFFD", () => {
    const file = join(dir, "binary.txt");
    writeFileSync(file, Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 131) % 256)));
    expect(() => loadCorpus(file)).toThrow(/is not UTF-8 text/);
  });
  it("reads a real text", () => {
    const file = join(dir, "ok.txt");
    writeFileSync(file, "ROMEO: to be, or not to be\n".repeat(100));
    const c = loadCorpus(file);
    expect(c.train.length + c.val.length).toBe(2700);
    expect(Array.from(promptTokens("ROMEO:\n", c))).toHaveLength(7);
  });
});

describe("promptTokens", () => {
  it("names the prompt characters the text lacks", () => {
    const file = join(dir, "lower.txt");
    writeFileSync(file, "to be, or not to be\n".repeat(100));
    expect(() => promptTokens("ROMEO:\n", loadCorpus(file))).toThrow(
      /uses "R", "O", "M", "E", ":", which the text does not contain/,
    );
  });
});
