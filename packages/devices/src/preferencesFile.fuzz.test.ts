// A seeded fuzzer of the preference file: whatever the file holds (objects with any keys, broken JSON,
// trailing commas, truncations, arrays, scalars, a byte-order mark), reading never throws, a parseable object
// keeps every key through an update, and a file that cannot be parsed is refused with its line and column
// and left byte for byte as it was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as nodeFs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { PreferencesFileError } from "./errors.js";
import { type PrefsFs, readPreferencesFile, updatePreferencesFile } from "./preferencesFile.js";

const fs = nodeFs as unknown as PrefsFs;
const dir = mkdtempSync(join(tmpdir(), "flux-prefs-fuzz-"));
const file = join(dir, "flux.config.json");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const objectText = fc
  .tuple(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), fc.nat(4))
  .map(([o, indent]) => JSON.stringify(o, null, indent));
// Valid JSON broken the ways hands break it: a trailing comma, a cut, a stray character, single quotes.
const brokenText = fc
  .tuple(objectText, fc.nat(), fc.constantFrom("trailing", "cut", "stray", "quotes"))
  .map(([t, n, how]) => {
    if (how === "trailing") return t.replace(/\}$/, ",}");
    if (how === "cut") return t.slice(0, n % Math.max(1, t.length));
    if (how === "stray") return `${t.slice(0, n % (t.length + 1))}#${t.slice(n % (t.length + 1))}`;
    return t.replaceAll('"', "'");
  });
const anyText = fc.oneof(
  objectText,
  brokenText,
  objectText.map((t) => `\uFEFF${t}`),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
  fc.string({ maxLength: 40 }),
);

function parsesToObject(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

describe("the preference file under fuzzing (fast-check, seeded)", () => {
  it("reads anything without throwing: an object, or a named error with the line and column", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        writeFileSync(file, text);
        const read = readPreferencesFile(fs, file);
        const want = parsesToObject(text);
        if (want === null) {
          expect(read.status).toBe("invalid");
          if (read.status !== "invalid") return;
          expect(read.error).toBeInstanceOf(PreferencesFileError);
          if (read.error.reason.includes("not valid JSON")) {
            const lines = text.replace(/^\uFEFF/, "").split("\n");
            expect(read.error.line).toBeGreaterThanOrEqual(1);
            expect(read.error.line).toBeLessThanOrEqual(lines.length);
            expect(read.error.column).toBeGreaterThanOrEqual(1);
            expect(read.error.column).toBeLessThanOrEqual(lines[read.error.line! - 1]!.length + 1);
          }
        } else {
          expect(read.status).toBe("ok");
          if (read.status === "ok") expect(read.data).toEqual(want);
        }
      }),
      { seed: 20261201, numRuns: 2000 },
    );
  });

  // Fewer runs: every update is a real crash-safe write (fsync), a few milliseconds each.
  it("updates keep unknown keys and never touch what cannot be parsed", () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom("webgpu", "fakeA", null), (text, value) => {
        writeFileSync(file, text);
        const read = readPreferencesFile(fs, file);
        const want = parsesToObject(text);
        let thrown: unknown;
        try {
          updatePreferencesFile(fs, file, (o) => {
            if (value === null) delete o.gpuBackend;
            else o.gpuBackend = value;
            return o;
          });
        } catch (e) {
          thrown = e;
        }
        if (want === null) {
          expect(thrown).toBeInstanceOf(PreferencesFileError);
          expect((thrown as PreferencesFileError).path).toBe(file);
          if (read.status === "invalid" && read.error.reason.includes("not valid JSON")) {
            expect((thrown as PreferencesFileError).line).toBeGreaterThanOrEqual(1);
            expect((thrown as PreferencesFileError).column).toBeGreaterThanOrEqual(1);
          }
          expect(readFileSync(file, "utf8")).toBe(text);
        } else {
          expect(thrown).toBeUndefined();
          const after = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
          const { gpuBackend: _, ...others } = want;
          const { gpuBackend, ...afterOthers } = after;
          expect(afterOthers).toEqual(others);
          expect(gpuBackend).toBe(value ?? undefined);
        }
      }),
      { seed: 20261202, numRuns: 300 },
    );
  }, 60_000);
});
