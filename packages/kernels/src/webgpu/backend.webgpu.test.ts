// Backend-level checks of the WebGPU primitives against the CPU backend on shapes the op-level suite does
// not reach (every matmul kernel × transpose × alignment, batching, many-axis reductions, integer dtypes),
// plus the execution machinery: buffer leaks, pool cap and trim, device loss.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TensorView } from "../backend.js";
import type { DType, TypedArray } from "../dtype.js";
import { getBackend, getBackendSync } from "../registry.js";
import type { WebGPUBackend } from "./backend.js";
import { WebGPUDeviceLostError } from "./errors.js";
import type { MatmulPreference } from "./matmul/plan.js";
import { createWebGPUBackend } from "./provider.js";
import type { GpuStorage } from "./storage.js";
import { webgpuAvailableForTests } from "./testing.js";

const available = await webgpuAvailableForTests();

function seeded(n: number, seed: number, int = false): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    return int ? Math.floor(u * 10) - 5 : 2 * u - 1;
  });
}

describe.skipIf(!available)("WebGPU backend vs CPU", () => {
  let gpu: WebGPUBackend;
  const cpu = getBackendSync("cpu");
  const baseline = 0;
  const made: GpuStorage[] = [];

  beforeAll(async () => {
    gpu = (await getBackend("webgpu")) as WebGPUBackend;
  });
  afterEach(() => {
    for (const s of made.splice(0)) gpu.dispose(s);
    // Leak check: every buffer a test made (temporaries included) is back in the pool.
    expect(gpu.stats().liveBuffers).toBe(baseline);
  });

  function both(data: TypedArray, shape: number[], dtype: DType = "f32") {
    const storage = gpu.upload(data, dtype);
    made.push(storage);
    return {
      g: { storage, shape, dtype } as TensorView<GpuStorage>,
      c: { storage: cpu.upload(data, dtype), shape, dtype } as TensorView,
    };
  }
  async function readGpu(s: GpuStorage, shape: number[], dtype: DType = "f32"): Promise<number[]> {
    made.push(s);
    return Array.from(await gpu.read({ storage: s, shape, dtype }));
  }
  function expectClose(got: number[], want: ArrayLike<number>, tol = 1e-4): void {
    expect(got.length).toBe(want.length);
    for (let i = 0; i < got.length; i++) {
      const w = want[i]!;
      expect(Math.abs(got[i]! - w), `element ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(
        tol * (1 + Math.abs(w)),
      );
    }
  }

  const prefs: [string, MatmulPreference][] = [
    ["vec4+reg", { general: "matmul_reg", useVec4: true }],
    ["reg", { general: "matmul_reg", useVec4: false }],
    ["tiled", { general: "matmul_tiled", useVec4: false }],
  ];
  for (const [label, pref] of prefs) {
    it(`matmul (${label}): transposes, aligned and ragged sizes, batches with a shared operand`, async () => {
      const saved = gpu.matmulPreference;
      gpu.matmulPreference = pref;
      try {
        for (const [m, k, n, batch, shareB] of [
          [8, 12, 4, 1, false],
          [5, 7, 3, 1, false],
          [33, 9, 35, 1, false],
          [16, 8, 12, 3, false],
          [6, 5, 4, 2, true],
        ] as const) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              const aShape = [transA ? k : m, transA ? m : k, ...(batch > 1 ? [batch] : [])];
              const bShape = [transB ? n : k, transB ? k : n, ...(batch > 1 && !shareB ? [batch] : [])];
              const outShape = [m, n, ...(batch > 1 ? [batch] : [])];
              const a = both(seeded(m * k * batch, m + k), aShape);
              const b = both(seeded(k * n * (shareB ? 1 : batch), n + 7), bShape);
              const opts = { transA, transB };
              const want = cpu.matmul(a.c, b.c, opts, outShape) as TypedArray;
              expectClose(await readGpu(gpu.matmul(a.g, b.g, opts, outShape), outShape), want);
            }
          }
        }
      } finally {
        gpu.matmulPreference = saved;
      }
    });
  }

  it("reductions over every axis subset of a rank-3 tensor, both reduce kernels", async () => {
    const shape = [70, 3, 5];
    const x = both(seeded(70 * 15, 3), shape);
    for (const axes of [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]) {
      for (const op of ["sum", "max", "min", "prod"] as const) {
        const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const want = cpu.reduce(op, x.c, axes) as TypedArray;
        expectClose(await readGpu(gpu.reduce(op, x.g, axes), outShape), want, op === "prod" ? 1e-3 : 1e-4);
      }
    }
  });

  it("integer dtypes: binary, reduce, cast, argmax", async () => {
    const a = both(Int32Array.from(seeded(24, 5, true)), [4, 6], "i32");
    const b = both(Int32Array.from(seeded(6, 9, true)), [1, 6], "i32");
    for (const op of ["add", "sub", "mul", "max", "min"] as const) {
      const want = cpu.binary(op, a.c, b.c, [4, 6]) as TypedArray;
      expect(await readGpu(gpu.binary(op, a.g, b.g, [4, 6]), [4, 6], "i32")).toEqual(Array.from(want));
    }
    expect(await readGpu(gpu.reduce("sum", a.g, [0]), [1, 6], "i32")).toEqual(
      Array.from(cpu.reduce("sum", a.c, [0]) as TypedArray),
    );
    expect(await readGpu(gpu.argReduce("argmax", a.g, 1), [4, 1], "i32")).toEqual(
      Array.from(cpu.argReduce("argmax", a.c, 1) as TypedArray),
    );
    const f = both(Float32Array.of(-1.5, 2.7, -0.2, 300.9), [4]);
    for (const to of ["i32", "u32", "u8", "bool"] as const) {
      expect(await readGpu(gpu.cast(f.g, to), [4], to), to).toEqual(
        Array.from(cpu.cast(f.c, to) as TypedArray),
      );
    }
  });

  it("layout: permute, expand, concat, gather, scatterAdd, onehot", async () => {
    const x = both(seeded(2 * 3 * 4, 11), [2, 3, 4]);
    expectClose(
      await readGpu(gpu.permute(x.g, [2, 0, 1]), [4, 2, 3]),
      cpu.permute(x.c, [2, 0, 1]) as TypedArray,
    );
    const v = both(seeded(3, 2), [1, 3]);
    expectClose(await readGpu(gpu.expand(v.g, [5, 3]), [5, 3]), cpu.expand(v.c, [5, 3]) as TypedArray);
    const y = both(seeded(2 * 2 * 4, 4), [2, 2, 4]);
    expectClose(
      await readGpu(gpu.concat([x.g, y.g], 1, [2, 5, 4]), [2, 5, 4]),
      cpu.concat([x.c, y.c], 1, [2, 5, 4]) as TypedArray,
    );
    const idx = Int32Array.of(2, 0, 2, 1, 2);
    expectClose(await readGpu(gpu.gather(x.g, 1, idx), [2, 5, 4]), cpu.gather(x.c, 1, idx) as TypedArray);
    const dy = both(seeded(2 * 5 * 4, 8), [2, 5, 4]);
    expectClose(
      await readGpu(gpu.scatterAdd(dy.g, 1, idx, [2, 3, 4]), [2, 3, 4]),
      cpu.scatterAdd(dy.c, 1, idx, [2, 3, 4]) as TypedArray,
    );
    const hot = Int32Array.of(1, -1, 0);
    expect(await readGpu(gpu.onehot(hot, 3, "f32"), [3, 3])).toEqual(
      Array.from(cpu.onehot(hot, 3, "f32") as TypedArray),
    );
  });

  it("softmax and pooling over large and odd lines", async () => {
    const x = both(seeded(300 * 3, 13), [300, 3]);
    for (const log of [false, true]) {
      for (const axis of [0, 1]) {
        expectClose(
          await readGpu(gpu.softmax(x.g, axis, log), [300, 3]),
          cpu.softmax(x.c, axis, log) as TypedArray,
        );
      }
    }
    const img = both(seeded(7 * 6 * 2 * 2, 17), [7, 6, 2, 2]);
    const g = {
      window: [3, 2],
      stride: [2, 2],
      pad: [1, 0, 1, 1],
      inShape: [7, 6, 2, 2],
      outShape: [4, 4, 2, 2],
    } as const;
    for (const op of ["max", "mean"] as const) {
      const y = gpu.pool2d(op, img.g, g);
      const yc = cpu.pool2d(op, img.c, g) as TypedArray;
      expectClose(await readGpu(y, [4, 4, 2, 2]), yc);
      const d = both(seeded(64, 19), [4, 4, 2, 2]);
      const dx = gpu.pool2dBackward(op, img.g, { storage: y, shape: [4, 4, 2, 2], dtype: "f32" }, d.g, g);
      const want = cpu.pool2dBackward(op, img.c, { storage: yc, shape: [4, 4, 2, 2], dtype: "f32" }, d.c, g);
      expectClose(await readGpu(dx, [7, 6, 2, 2]), want as TypedArray);
    }
  });

  it("pool: freed buffers are reused and trim() empties it", async () => {
    gpu.trimPool();
    const s = gpu.fill(1000, 1, "f32");
    gpu.dispose(s);
    const pooled = gpu.stats().pooledBytes;
    expect(pooled).toBe(s.buffer.size);
    const again = gpu.fill(1000, 2, "f32");
    expect(gpu.stats().pooledBytes).toBe(pooled - again.buffer.size);
    expect(await readGpu(again, [1000])).toEqual(new Array(1000).fill(2));
    gpu.trimPool();
    expect(gpu.stats().pooledBytes).toBe(0);
    expect(gpu.memoryInfo().pooledBytes).toBe(0);
  });
});

describe.skipIf(!available)("WebGPU device loss", () => {
  it("marks the backend non-functional and fails reads and ops instead of hanging", async () => {
    const b = await createWebGPUBackend(0);
    const x = b.upload(new Float32Array([1, 2]), "f32");
    b.destroy();
    await expect(b.read({ storage: x, shape: [2], dtype: "f32" })).rejects.toThrow();
    // device.lost resolves asynchronously after destroy().
    await new Promise((r) => setTimeout(r, 50));
    expect(b.functional).toBe(false);
    expect(() => b.fill(2, 0, "f32")).toThrow(WebGPUDeviceLostError);
  });
});
