import { describe, expect, it } from "vitest";
import { epochProgress, formatDuration, plural, progressText } from "./progress.mjs";

describe("progress", () => {
  it("says 1 epoch, 2 epochs", () => {
    expect([plural(1, "epoch"), plural(2, "epoch"), plural(0, "epoch"), plural(1000, "step")]).toEqual([
      "1 epoch",
      "2 epochs",
      "0 epochs",
      "1,000 steps",
    ]);
  });

  it("formats durations as m:ss and h:mm:ss", () => {
    expect(formatDuration(3)).toBe("0:03");
    expect(formatDuration(125)).toBe("2:05");
    expect(formatDuration(3725)).toBe("1:02:05");
  });

  it("draws the bar in proportion to the batches done", () => {
    const text = progressText(
      { epoch: 2, epochs: 8, batch: 5, batches: 10, loss: 0.5, samplesPerSec: 1234.4, eta: 7 },
      10,
    );
    expect(text).toBe("epoch 2/8 [#####.....]  5/10 loss 0.5000  1,234 samples/s  ETA 0:07");
  });

  it("redraws one line with \\r on a terminal and reports the epoch's rate", () => {
    let clock = 0;
    const out: string[] = [];
    const p = epochProgress({
      epoch: 1,
      epochs: 1,
      batches: 2,
      tty: true,
      write: (s: string) => out.push(s),
      now: () => clock,
    });
    clock = 500;
    p.update(1, 1.0, 64);
    clock = 1000;
    p.update(2, 0.5, 36);
    const summary = p.done();
    expect(out.slice(0, 2).every((s) => s.startsWith("\r"))).toBe(true);
    expect(out[1]).toContain("2/2 loss 0.7500");
    expect(out.at(-1)).toBe("\n");
    expect(summary).toEqual({ loss: 0.75, samplesPerSec: 100, seconds: 1 });
  });

  it("prints one plain line per epoch when not on a terminal", () => {
    const out: string[] = [];
    const p = epochProgress({
      epoch: 1,
      epochs: 1,
      batches: 3,
      tty: false,
      write: (s: string) => out.push(s),
      now: () => 0,
    });
    for (let i = 1; i <= 3; i++) p.update(i, 1, 10);
    p.done();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^epoch 1\/1 \[#+\] 3\/3 .*\n$/);
  });

  it("adds a plain line every 10 s during a slow epoch", () => {
    let clock = 0;
    const out: string[] = [];
    const p = epochProgress({
      epoch: 1,
      epochs: 1,
      batches: 4,
      tty: false,
      write: (s: string) => out.push(s),
      now: () => clock,
    });
    for (let i = 1; i <= 4; i++) {
      clock += 6_000;
      p.update(i, 1, 10);
    }
    expect(out.map((l) => l.split(" ")[3])).toEqual(["2/4", "4/4"]);
  });
});
