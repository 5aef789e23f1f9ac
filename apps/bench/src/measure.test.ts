import { describe, expect, it } from "vitest";
import { measure, median } from "./measure.mjs";

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe("median", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("measure", () => {
  it("reports about the time one call takes, repeating short calls inside a sample", async () => {
    // A 0.2 ms call against a 20 ms sample: even a busy machine that stretches one call tenfold leaves
    // room for several calls per sample, so the repetition logic is what this checks, not the clock.
    const m = await measure(() => spin(0.2), { budgetS: 0.1, minSampleS: 0.02 });
    expect(m.medianS).toBeGreaterThan(0.00015);
    expect(m.medianS).toBeLessThan(0.02);
    expect(m.inner).toBeGreaterThan(1);
    expect(m.reps).toBeGreaterThanOrEqual(3);
  });

  it("awaits async calls", async () => {
    const m = await measure(() => new Promise((r) => setTimeout(r, 5)), { budgetS: 0.03 });
    expect(m.medianS).toBeGreaterThan(0.004);
  });

  it("reports a call slower than slowS from that single run", async () => {
    let calls = 0;
    const m = await measure(
      () => {
        calls++;
        spin(30);
      },
      { budgetS: 0.01, slowS: 0.02 },
    );
    expect(calls).toBe(1);
    expect(m.reps).toBe(1);
    expect(m.note).toBe("one run (slow)");
  });

  it("measures one call after a warm-up slower than the budget, never reporting the warm-up", async () => {
    let calls = 0;
    const m = await measure(() => spin(++calls === 1 ? 40 : 5), { budgetS: 0.01, slowS: 1 });
    expect(calls).toBe(2);
    expect(m.medianS).toBeLessThan(0.02);
  });
});
