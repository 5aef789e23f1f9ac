import { describe, expect, it } from "vitest";
import { parseSummaryLine, skippedLines } from "./summary-line.mjs";

describe("parseSummaryLine", () => {
  it("reads the counts of the last matching line", () => {
    const out = "SMOKE node: 1 passed, 0 failed\n  FAIL x\nSMOKE node: 12 passed, 3 failed\n";
    expect(parseSummaryLine(out, "SMOKE ")).toEqual({ passed: 12, failed: 3 });
  });

  it("ignores lines without the prefix", () => {
    expect(parseSummaryLine("  ok 5 passed, 0 failed\n", "SMOKE ")).toBeUndefined();
  });

  it("is undefined when the runner died before its summary", () => {
    expect(parseSummaryLine("Segmentation fault\n", "SMOKE ")).toBeUndefined();
  });
});

describe("skippedLines", () => {
  it("names each skipped test under its suite, and counts the ones a suite left unnamed", () => {
    const rows = [
      { name: "build", skipped: 0 },
      { name: "vitest", skipped: 2, skippedNames: ["/a.test.ts > gpu > runs", "/b.test.ts > mpi"] },
      { name: "conformance deno", skipped: 1, skippedNames: ["op conformance on deno, webgpu (no adapter)"] },
      { name: "mpi", skipped: 3 },
    ];
    expect(skippedLines(rows)).toEqual([
      "",
      "skipped (6):",
      "  vitest: /a.test.ts > gpu > runs",
      "  vitest: /b.test.ts > mpi",
      "  conformance deno: op conformance on deno, webgpu (no adapter)",
      "  mpi: 3 more, not named by the suite (see its output above)",
    ]);
  });

  it("says nothing when nothing was skipped", () => {
    expect(skippedLines([{ name: "vitest", skipped: 0, skippedNames: [] }])).toEqual([]);
  });
});
