import { describe, expect, it } from "vitest";
import { parseCli } from "../cli.mjs";
import { ALLREDUCE_SIZES, formatSpec, parseSpec } from "./scheme.mjs";
import {
  allreduceCells,
  bandwidthGBs,
  formatBytes,
  median,
  parseResultLines,
  renderAllreduceTable,
} from "./table.mjs";

describe("allreduce scheme", () => {
  it("round-trips the issue's sizes through the command-line form", () => {
    for (const s of ALLREDUCE_SIZES) expect(parseSpec(formatSpec(s))).toEqual(s);
    expect(ALLREDUCE_SIZES.map((s) => s.bytes)).toEqual([1 << 20, 64 << 20]);
  });

  it("rejects specs that are not whole f32 buffers", () => {
    expect(() => parseSpec("6:1:3")).toThrow(/multiple of 4/);
    expect(() => parseSpec("1024:1:0")).toThrow(/BYTES:WARMUP:REPS/);
    expect(() => parseSpec("1024")).toThrow(/BYTES:WARMUP:REPS/);
  });
});

describe("allreduce table", () => {
  const cells = allreduceCells([{ bytes: 1 << 20 }, { bytes: 64 << 20 }], [2, 4]);

  it("makes one cell per size and rank count, sizes outermost", () => {
    expect(cells.map((c) => c.label)).toEqual(["1 MiB ×2", "1 MiB ×4", "64 MiB ×2", "64 MiB ×4"]);
    expect(formatBytes(512 << 10)).toBe("512 KiB");
    expect(formatBytes(12)).toBe("12 B");
  });

  it("computes algorithm bandwidth from the median call", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const cell = cells[0];
    // 1 MiB in a median of 1 ms = 1.048576 GB/s; the 9 ms outlier does not move it.
    expect(bandwidthGBs(cell, { times: [0.001, 0.009, 0.0005] })).toBeCloseTo(1.048576, 6);
    expect(bandwidthGBs(cell, { error: "boom" })).toBeNull();
    expect(bandwidthGBs(cell, undefined)).toBeNull();
  });

  it("reads only the RESULT lines of a child's output", () => {
    const out = 'warming up\nRESULT {"impl":"c","bytes":1048576,"ranks":2,"times":[1.0e-3,2.0e-3]}\nbye\n';
    expect(parseResultLines(out)).toEqual([{ bytes: 1048576, ranks: 2, times: [0.001, 0.002] }]);
  });

  it("divides every row by the C row and notes errors and noisy cells", () => {
    const run = {
      cells: cells.slice(0, 2),
      systems: [
        { id: "c", label: "C" },
        { id: "node-mpi", label: "node MPIBackend" },
      ],
      reference: "c",
      results: {
        c: { "1048576x2": { times: [0.001, 0.001, 0.001] }, "1048576x4": { times: [0.002] } },
        "node-mpi": { "1048576x2": { times: [0.004, 0.002, 0.002] }, "1048576x4": { error: "exit 1" } },
      },
    };
    const { table, notes } = renderAllreduceTable(run);
    const rows = table.split("\n");
    expect(rows[0]).toBe("| allreduce f32 sum, GB/s | 1 MiB ×2 | 1 MiB ×4 | ÷ c 1 MiB ×2 | ÷ c 1 MiB ×4 |");
    expect(rows[2]).toBe("| C | 1.05 | 0.524 | 1x | 1x |");
    expect(rows[3]).toBe("| node MPIBackend | 0.524 | — | 0.5x | — |");
    expect(notes).toEqual(["- node MPIBackend / 1 MiB ×4: error: exit 1"]);
    run.results["node-mpi"]["1048576x2"] = { times: [0.004, 0.004, 0.002] };
    expect(renderAllreduceTable(run).notes[0]).toMatch(
      /node MPIBackend \/ 1 MiB ×2: noisy, median 4 ms .* fastest 2 ms/,
    );
  });
});

describe("--only allreduce", () => {
  it("is opt-in: not in the default run, alone when named, beside cells when asked", () => {
    expect(parseCli([]).allreduce).toBeNull();
    const alone = parseCli(["--only", "allreduce"]);
    expect(alone.cells).toEqual([]);
    expect(alone.allreduce).toEqual({ runtimes: ["node", "bun", "deno"] });
    const both = parseCli(["--only", "matmul-512,allreduce", "--allreduce-runtimes", "node,deno"]);
    expect(both.cells.map((c: { id: string }) => c.id)).toEqual(["matmul-512"]);
    expect(both.allreduce).toEqual({ runtimes: ["node", "deno"] });
  });

  it("rejects an unknown runtime", () => {
    expect(() => parseCli(["--only", "allreduce", "--allreduce-runtimes", "python"])).toThrow(
      /unknown runtime 'python'/,
    );
  });
});
