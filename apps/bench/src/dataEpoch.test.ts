import { describe, expect, it } from "vitest";
import { parseCli } from "./cli.mjs";
import { median, prefetchVerdict, renderDataTable } from "./dataEpoch.mjs";

const epoch = (prefetch: number, seconds: number, leakedTensors = 0) => ({
  prefetch,
  seconds,
  steps: 10,
  lastLoss: 0.5,
  leakedTensors,
});

describe("data group", () => {
  it("takes medians of odd and even lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it("passes the target at 0.97 and above only", () => {
    expect(prefetchVerdict(0.97)).toBe("pass");
    expect(prefetchVerdict(0.969)).toBe("miss");
  });

  it("renders the ratio, the verdict, noise and leaks", () => {
    const md = renderDataTable({
      device: "cpu2:0",
      detail: "cpu2",
      options: { train: 1280, reps: 2, prefetch: 2, device: "cpu2", dir: "/x" },
      samples: 1280,
      epochs: [epoch(2, 1), epoch(0, 2, 3), epoch(2, 1), epoch(0, 2)],
      variants: [
        { prefetch: 2, medianS: 1, minS: 1, maxS: 1, samplesPerS: 1280 },
        { prefetch: 0, medianS: 2, minS: 1.5, maxS: 2, samplesPerS: 640 },
      ],
      ratio: 2,
    });
    expect(md).toContain("| samples/s | 1,280 | 640 | 2x | prefetch must not be slower");
    expect(md).toContain("**pass** (2x)");
    expect(md).toContain("noisy (median > 1.25x fastest epoch): prefetch 0");
    expect(md).toContain("changed in 1 epochs (3): a leak");
  });

  it("is selected by --only data alone or beside cells, never by default", () => {
    expect(parseCli(["--only", "data"]).cells).toEqual([]);
    expect(parseCli(["--only", "data", "--data-reps", "5"]).data?.reps).toBe(5);
    expect(parseCli(["--only", "matmul,data"]).cells.length).toBe(4);
    expect(parseCli([]).data).toBeNull();
    expect(() => parseCli(["--only", "data", "--data-train", "12"])).toThrow(/--data-train/);
  });
});
