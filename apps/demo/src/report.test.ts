import { describe, expect, it } from "vitest";
import { trainingChartSvg } from "./chart.mjs";
import { confusionMatrix, confusionSvg, confusionText } from "./confusion.mjs";

describe("confusion matrix", () => {
  it("counts [truth][predicted]", () => {
    expect(confusionMatrix(Uint8Array.of(0, 1, 1, 2), Uint8Array.of(0, 1, 0, 2), 3)).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
  });

  it("prints rows with recall", () => {
    const text = confusionText(
      [
        [3, 1],
        [0, 4],
      ],
      ["cat", "dog"],
    );
    const lines = text.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^cat\s+3\s+1\s+0\.75$/);
    expect(lines[2]).toMatch(/^dog\s+0\s+4\s+1\.00$/);
  });

  it("draws one cell per entry and escapes the class names", () => {
    const svg = confusionSvg(
      [
        [3, 1],
        [0, 4],
      ],
      ["T-shirt/top", "a<b"],
    );
    expect(svg.match(/<rect x=/g)).toHaveLength(4);
    expect(svg).toContain("a&#60;b");
    expect(svg).not.toContain("a<b");
  });
});

describe("training chart", () => {
  it("plots one point per epoch for loss and accuracy", () => {
    const svg = trainingChartSvg([
      { epoch: 1, loss: 0.6, accuracy: 0.8 },
      { epoch: 2, loss: 0.4, accuracy: 0.85 },
      { epoch: 3, loss: 0.3, accuracy: 0.87 },
    ]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(6);
    expect(svg).not.toContain("NaN");
  });

  it("puts a lower loss higher on the chart's y axis scale (smaller y is up)", () => {
    const svg = trainingChartSvg([
      { epoch: 1, loss: 1, accuracy: 0.5 },
      { epoch: 2, loss: 0.1, accuracy: 0.9 },
    ]);
    const loss = /<polyline[^>]*#2c6fbb[^>]*points="([^"]+)"/
      .exec(svg)![1]!
      .split(" ")
      .map((p) => Number(p.split(",")[1]));
    expect(loss[1]).toBeGreaterThan(loss[0]!);
  });
});
