import { describe, expect, it } from "vitest";
import { SPEC_SECTIONS, specExportProblems } from "./names.mjs";

describe("SPEC_SECTIONS", () => {
  it("lists each name once across all sections, and never both present and pending", () => {
    const all = Object.values(SPEC_SECTIONS).flatMap((s) => [...s.present, ...s.pending]);
    expect(all.filter((n, i) => all.indexOf(n) !== i)).toEqual([]);
  });

  it("names as constants only names that are present", () => {
    for (const { present, constants } of Object.values(SPEC_SECTIONS))
      expect(constants.filter((n) => !present.includes(n))).toEqual([]);
  });
});

describe("specExportProblems", () => {
  const optimNames = SPEC_SECTIONS["§5 optim"]!.present;
  const allFunctions = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, () => {}]));

  it("is empty when every name of the package is a function", () => {
    expect(specExportProblems(allFunctions(optimNames), "@flux/optim")).toEqual([]);
  });

  it("reports a missing name and a name of the wrong kind, naming the section", () => {
    const mod = { ...allFunctions(optimNames), Adam: 3 } as Record<string, unknown>;
    delete mod.train;
    expect(specExportProblems(mod, "@flux/optim")).toEqual([
      "§5 optim: Adam should be a function or class, got number",
      "§5 optim: train is not exported",
    ]);
  });

  it("accepts any value for a constant, null included, but not its absence", () => {
    const names = SPEC_SECTIONS["§3 devices"]!.present;
    const mod: Record<string, unknown> = { ...allFunctions(names), GPU_BACKEND: null };
    expect(specExportProblems(mod, "@flux/devices")).toEqual([]);
    delete mod.GPU_BACKEND;
    expect(specExportProblems(mod, "@flux/devices")).toEqual(["§3 devices: GPU_BACKEND is not exported"]);
  });

  it("checks every section when no package is given", () => {
    const problems = specExportProblems(allFunctions(optimNames));
    expect(problems.some((p) => p.startsWith("§1 functors: fmap "))).toBe(true);
    expect(problems.some((p) => p.startsWith("§5 optim"))).toBe(false);
  });
});
