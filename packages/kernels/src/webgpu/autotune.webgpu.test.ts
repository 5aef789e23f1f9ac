// On the adapter: every matmul candidate the autotuner may pick computes the same values; the tuner runs
// end to end with the real stopwatch; and f16 is offered exactly when the device has `shader-f16` (refused
// with a DTypeError otherwise; on such a device, values are checked against f32).
import { beforeAll, describe, expect, it } from "vitest";
import * as k from "../index.js";
import { getBackend } from "../registry.js";
import { MatmulTuner, matmulCandidates } from "./autotune.js";
import { memoryCache } from "./autotuneCache.js";
import type { WebGPUBackend } from "./backend.js";
import type { MatmulProblem } from "./matmul/plan.js";
import { gpuMatmulTimer } from "./matmul/timing.js";
import { readEnv } from "../env.js";
import { webgpuAvailableForTests } from "./testing.js";

const available = await webgpuAvailableForTests();

/** Small integers: every product and sum is exact in f32, so all kernels must agree bit for bit. */
function ints(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 28) - 8;
  });
}

describe.skipIf(!available)("matmul autotune on the adapter", () => {
  let gpu: WebGPUBackend;
  beforeAll(async () => {
    gpu = (await getBackend("webgpu")) as WebGPUBackend;
  });

  const problems: MatmulProblem[] = [
    { M: 64, N: 48, K: 32, transA: false, transB: false },
    { M: 37, N: 5, K: 70, transA: false, transB: false },
    { M: 40, N: 36, K: 12, transA: true, transB: true },
    { M: 33, N: 65, K: 17, transA: true, transB: false },
    { M: 8, N: 100, K: 4, transA: false, transB: true },
  ];
  for (const p of problems) {
    it(`every candidate gives identical results: ${JSON.stringify(p)}`, async () => {
      const a = gpu.upload(ints(p.M * p.K, 1), "f32");
      const b = gpu.upload(ints(p.K * p.N, 2), "f32");
      const results: Float32Array[] = [];
      for (const kernel of matmulCandidates(p)) {
        const c = gpu.upload(new Float32Array(p.M * p.N).fill(Number.NaN), "f32");
        gpu.recordMatmul(kernel, a.buffer, b.buffer, c.buffer, p, 0, 0, 1);
        results.push((await gpu.read({ storage: c, shape: [p.M, p.N], dtype: "f32" })) as Float32Array);
        gpu.dispose(c);
      }
      gpu.dispose(a);
      gpu.dispose(b);
      // Reference on the host (column-major, op(A)·op(B)).
      const A = ints(p.M * p.K, 1);
      const B = ints(p.K * p.N, 2);
      const want = new Float32Array(p.M * p.N);
      for (let j = 0; j < p.N; j++)
        for (let i = 0; i < p.M; i++) {
          let s = 0;
          for (let q = 0; q < p.K; q++)
            s += A[p.transA ? q + i * p.K : i + q * p.M]! * B[p.transB ? j + q * p.N : q + j * p.K]!;
          want[i + j * p.M] = s;
        }
      for (const got of results) expect(Array.from(got)).toEqual(Array.from(want));
    });
  }

  it("tunes a class with the real stopwatch and then answers from its result", async () => {
    const tuner = new MatmulTuner("test-adapter", memoryCache(), gpuMatmulTimer(gpu), 2);
    const p: MatmulProblem = { M: 64, N: 64, K: 64, transA: false, transB: false };
    const before = gpu.stats().liveBuffers;
    expect(tuner.kernelFor(p, "f32")).toBeUndefined();
    await tuner.idle();
    const chosen = tuner.kernelFor(p, "f32");
    expect(matmulCandidates(p)).toContain(chosen);
    expect(gpu.stats().liveBuffers).toBe(before); // the timing operands were freed
  });

  it("tuning is off by default on a CPU-backed adapter (the heuristic decides)", () => {
    if (gpu.adapter.isFallbackAdapter || /swiftshader|llvmpipe/i.test(JSON.stringify(gpu.adapter))) {
      if (readEnv("FLUX_WEBGPU_AUTOTUNE") === undefined) expect(gpu.tuner).toBeUndefined();
    }
  });
});

describe.skipIf(!available)("f16 on WebGPU", () => {
  let gpu: WebGPUBackend;
  let hasF16 = false;
  beforeAll(async () => {
    gpu = (await getBackend("webgpu")) as WebGPUBackend;
    hasF16 = gpu.gpu.features.has("shader-f16");
  });

  it("reports f16 among its dtypes exactly when the device has shader-f16", () => {
    expect(gpu.dtypes.includes("f16")).toBe(hasF16);
    expect(gpu.dtypes).toContain("f32");
  });

  it("without shader-f16, refuses f16 tensors with a DTypeError that says what to do", () => {
    if (hasF16) return;
    const expectRefused = (f: () => unknown) => {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(k.DTypeError);
      expect((err as k.DTypeError).code).toBe("ERR_DTYPE");
      expect((err as Error).message).toMatch(/f16 is not supported on webgpu:0/);
    };
    expectRefused(() =>
      k.tensor(new Uint16Array([0x3c00, 0x4000]), [2], { dtype: "f16", device: gpu.device }),
    );
    expectRefused(() => k.zeros([3], { dtype: "f16", device: gpu.device }));
    const x = k.tensor([1, 2, 3], [3], { device: gpu.device });
    expectRefused(() => k.cast(x, "f16"));
    x.dispose();
  });

  // Runs only on hardware with shader-f16 (not on SwiftShader): see PARITY.md.
  it("with shader-f16, computes in f16 storage close to f32", async () => {
    if (!hasF16) return;
    const host = Float32Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) / 4 - 1);
    const x32 = k.tensor(host, [4, 6], { device: gpu.device });
    const x16 = k.cast(x32, "f16");
    const back = async (t: k.Tensor) => Array.from(await k.cast(t, "f32").data());
    const close = (got: number[], want: number[], tol: number) => {
      for (let i = 0; i < got.length; i++)
        expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!)));
    };
    close(await back(x16), Array.from(host), 1e-3);
    close(await back(k.exp(x16)), Array.from(await k.exp(x32).data()), 2e-3);
    close(await back(k.sum(x16, { dims: 1 })), Array.from(await k.sum(x32, { dims: 1 }).data()), 2e-3);
    close(await back(k.softmax(x16)), Array.from(await k.softmax(x32).data()), 2e-3);
    const w32 = k.tensor(host.slice(0, 12), [3, 4], { device: gpu.device });
    close(await back(k.matmul(k.cast(w32, "f16"), x16)), Array.from(await k.matmul(w32, x32).data()), 5e-3);
  });
});
