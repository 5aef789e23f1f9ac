// The GPU report's rows in quick mode (small sizes, a 20 s budget): on SwiftShader here and in CI, so the
// report (`npm run gpu:report`, meant for machines with a real GPU) keeps working where no GPU is lent.
// FLUX_GPU_REPORT_FULL=1 runs the full sizes instead (what tooling/scripts/gpu-report.mjs does).
import { getBackend } from "@flux/flux";
import type { WebGPUBackend } from "@flux/kernels/webgpu";
import { describe, expect, it } from "vitest";
import { webgpuAvailableForTests } from "../../../packages/kernels/src/webgpu/testing.js";
import { adapterLines, formatRows, gpuReportRows } from "./rows.js";

const available = await webgpuAvailableForTests();
const full = process.env.FLUX_GPU_REPORT_FULL === "1";
const budgetMs = Number(process.env.FLUX_GPU_REPORT_BUDGET_MS ?? (full ? 300_000 : 20_000));

describe.skipIf(!available)("GPU report rows", () => {
  it(
    full ? "measures every row (full sizes)" : "measures every row in quick mode",
    async () => {
      const b = (await getBackend("webgpu")) as unknown as WebGPUBackend;
      const lines = adapterLines(b);
      expect(lines[0]).toMatch(/^adapter: /);
      const rows = await gpuReportRows({ quick: !full, budgetMs });
      console.log(`${lines.join("\n")}\n\n${formatRows(rows)}`);
      const names = rows.map((r) => r.name);
      expect(names.some((n) => n.startsWith("matmul f32"))).toBe(true);
      expect(names.some((n) => n.startsWith("MLP"))).toBe(true);
      expect(names.some((n) => n.startsWith("CNN"))).toBe(true);
      expect(names.some((n) => n.startsWith("matmul f16"))).toBe(b.dtypes.includes("f16"));
      // Quick mode fits its budget: every row measured, with a positive, finite rate.
      if (!full) {
        for (const r of rows) {
          expect(r.value, r.name).toBeGreaterThan(0);
          expect(Number.isFinite(r.value)).toBe(true);
        }
      }
    },
    budgetMs + 120_000,
  );
});
