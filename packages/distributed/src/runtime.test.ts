import { describe, expect, it } from "vitest";
import { pauseSync } from "./runtime.js";

describe("pauseSync", () => {
  it("blocks for about the time asked (the fatal path relies on it to let stderr through)", () => {
    const started = performance.now();
    pauseSync(60);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});
