import { describe, expect, it } from "vitest";
import type { ConformanceCheck, ConformanceSuite } from "./checks.js";
import { reportSkipped, runSuite, SUMMARY_PREFIX } from "./runner.js";

function suite(checks: ConformanceCheck[], setup: () => Promise<void> = async () => {}): ConformanceSuite {
  return { title: "fake", setup, checks };
}
const pass = (name: string): ConformanceCheck => ({ group: "values", name, run: async () => {} });
const fail = (name: string): ConformanceCheck => ({
  group: "gradients",
  name,
  run: async () => {
    throw new Error(`${name} is off`);
  },
});

describe("runSuite", () => {
  it("runs every check, counts failures without stopping, and ends with the summary line", async () => {
    const lines: string[] = [];
    const r = await runSuite(suite([pass("a"), fail("b"), pass("c")]), {
      runtime: "test",
      log: (l) => lines.push(l),
    });
    expect(r).toMatchObject({ passed: 2, failed: 1, skipped: 0, failures: ["gradients: b"] });
    expect(lines.some((l) => l.includes("FAIL gradients: b") && l.includes("b is off"))).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^${SUMMARY_PREFIX}test: 2 passed, 1 failed`));
  });

  it("reports a failing setup as one failure and runs nothing", async () => {
    let ran = false;
    const check: ConformanceCheck = { group: "values", name: "x", run: async () => void (ran = true) };
    const lines: string[] = [];
    const r = await runSuite(
      suite([check], async () => {
        throw new Error("no adapter");
      }),
      { runtime: "test", log: (l) => lines.push(l) },
    );
    expect(r).toMatchObject({ passed: 0, failed: 1, failures: ["setup"] });
    expect(ran).toBe(false);
  });

  it("filters checks by `group: name`", async () => {
    const r = await runSuite(suite([pass("matmul"), fail("exp")]), {
      runtime: "test",
      log: () => {},
      filters: ["matmul"],
    });
    expect(r).toMatchObject({ passed: 1, failed: 0 });
  });

  it("reports a skipped suite as skipped, never as passed", () => {
    const lines: string[] = [];
    const r = reportSkipped("no adapter", { runtime: "test", log: (l) => lines.push(l) });
    expect(r).toMatchObject({ passed: 0, failed: 0, skipped: 1 });
    expect(lines).toEqual([`${SUMMARY_PREFIX}test: 0 passed, 0 failed, 1 skipped (no adapter)`]);
  });
});
