import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./report.mjs";
import { evaluateTargets } from "./targets.mjs";
import { allCells } from "./workloads.mjs";

const cell = (id: string) => allCells().find((c: { id: string }) => c.id === id)!;
const timing = (medianS: number) => ({ medianS, reps: 3, inner: 1, minS: medianS, maxS: medianS });

describe("evaluateTargets", () => {
  it("asks 3x tfjs-wasm for large matmuls, 4x with relaxed SIMD; numpy only with a system BLAS", () => {
    const c = cell("matmul-1024");
    const plain = evaluateTargets(
      c,
      36,
      { "tfjs-wasm": 10, numpy: 80 },
      { kernelKind: "wasm-simd, 2 threads" },
    );
    expect(plain.map((v: { status: string }) => v.status)).toEqual(["pass", "n/a"]);
    const relaxed = evaluateTargets(
      c,
      36,
      { "tfjs-wasm": 10, numpy: 80 },
      { kernelKind: "wasm-relaxed-simd" },
    );
    expect(relaxed[0]).toMatchObject({ text: "≥4x tfjs-wasm", status: "miss" });
    const blas = evaluateTargets(c, 70, { "tfjs-wasm": 10, numpy: 80 }, { kernelKind: "blas" });
    expect(blas[1]).toMatchObject({ status: "pass", value: 70 / 80 });
  });

  it("checks elementwise speed absolutely and says n/a when a side is missing", () => {
    expect(evaluateTargets(cell("axpb-relu-1M"), 8.5, {}, { kernelKind: "" })[0].status).toBe("pass");
    expect(evaluateTargets(cell("mlp-train-b128"), 5000, {}, { kernelKind: "" })[0]).toMatchObject({
      status: "n/a",
      why: "tfjs-wasm did not run",
    });
    expect(evaluateTargets(cell("matmul-128"), 1, { "tfjs-wasm": 1 }, { kernelKind: "" })).toEqual([]);
  });
});

describe("renderMarkdown", () => {
  it("prints speeds, ours / peer ratios, the verdicts and the errors", () => {
    const cells = [cell("matmul-512"), cell("axpb-relu-1M")];
    const gflop = cells[0].work;
    const md = renderMarkdown({
      date: "2026-01-01T00:00:00.000Z",
      header: ["machine: test"],
      cells,
      systems: {
        "flux-cpu": {
          label: "flux",
          info: {},
          results: {
            "matmul-512": { ...timing(gflop / 40), minS: 0.001, maxS: 0.005 },
            "axpb-relu-1M": { error: "boom" },
          },
        },
        "tfjs-wasm": {
          label: "tfjs-wasm",
          info: {},
          results: { "matmul-512": timing(gflop / 10), "axpb-relu-1M": timing(cells[1].work / 5) },
        },
      },
      tables: [{ title: "CPU", subject: "flux-cpu", others: ["tfjs-wasm", "numpy"], targets: true }],
      targetContext: { kernelKind: "" },
    });
    expect(md).toContain("| workload | unit | flux | tfjs-wasm | ÷ tfjs-wasm | target (issue) |");
    expect(md).toContain(
      "| matmul f32 n=512 | GFLOPS | 40 | 10 | 4x | ≥3x tfjs-wasm: **pass** (4x); ≥0.85x numpy: **n/a** |",
    );
    expect(md).toContain("| relu(a*x+b), 1M f32 | GB/s | — | 5 | — | ≥8 GB/s: **n/a** |");
    expect(md).toContain("- flux / axpb-relu-1M: error: boom");
    expect(md).toContain("- flux / matmul-512: noisy, median 6.71 ms per call but fastest 1 ms");
    expect(md).not.toContain("tfjs-wasm / matmul-512: noisy");
  });
});
