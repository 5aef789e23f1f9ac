import { FASHION_MNIST_CLASSES } from "@flux/data";
import { describe, expect, it } from "vitest";
import { niceTicks, trainingChartSvg } from "./chart.mjs";
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

  it("writes the full class names, each column as wide as its name", () => {
    const names = FASHION_MNIST_CLASSES;
    const m = names.map((_, i) => names.map((__, j) => (i === j ? 90 : 1)));
    const lines = confusionText(m, names).split("\n");
    for (const n of names) expect(lines[0]).toContain(` ${n}`);
    // every count sits under the end of its column's name
    const header = lines[0]!;
    const ends = names.map((n) => header.indexOf(` ${n}`) + n.length + 1);
    for (const line of lines.slice(1)) for (const e of ends) expect(line[e - 1]).toMatch(/\d/);
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

describe("axis ticks", () => {
  it("fall on round numbers: 1, 2, 2.5 or 5 times a power of ten, covering the data", () => {
    expect(niceTicks(0, 0.93, 4)).toMatchObject({
      lo: 0,
      hi: 1,
      step: 0.25,
      labels: ["0.00", "0.25", "0.50", "0.75", "1.00"],
    });
    expect(niceTicks(0.79, 0.912, 4)).toMatchObject({
      ticks: [0.75, 0.8, 0.85, 0.9, 0.95],
      labels: ["0.75", "0.80", "0.85", "0.90", "0.95"],
    });
    expect(niceTicks(0, 2.31, 4).ticks).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 0.0003, 4).labels).toEqual(["0.0000", "0.0001", "0.0002", "0.0003"]);
    expect(niceTicks(1, 10, 9, true).ticks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(niceTicks(1, 100, 10, true).step).toBe(10);
  });

  it("label the chart's axes", () => {
    const svg = trainingChartSvg([
      { epoch: 1, loss: 0.62, accuracy: 0.811 },
      { epoch: 2, loss: 0.41, accuracy: 0.862 },
      { epoch: 3, loss: 0.33, accuracy: 0.874 },
    ]);
    const labels = [...svg.matchAll(/>(\d+(?:\.\d+)?)<\/text>/g)].map((m) => m[1]);
    // loss 0.0 .. 0.8 by 0.2; accuracy 0.80 .. 0.88 by 0.02; epochs 1 2 3
    expect(labels).toEqual([
      "0.0",
      "0.2",
      "0.4",
      "0.6",
      "0.8",
      "0.80",
      "0.82",
      "0.84",
      "0.86",
      "0.88",
      "1",
      "2",
      "3",
    ]);
  });
});
