import { describe, expect, it } from "vitest";
import { parseSummaryLine } from "./summary-line.mjs";

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
