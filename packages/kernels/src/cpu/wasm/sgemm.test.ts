import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArgumentError } from "../../errors.js";
import { relaxedSimdSupported } from "./features.js";
import { cpuKernelInfo, cpuKernelsReady, SgemmArgumentError, sgemm, setCpuThreads } from "./index.js";
import { jsSgemm } from "./jsSgemm.js";
import { systemBlas } from "./systemBlas.js";
import type { SgemmOperands } from "./sgemmArgs.js";
import { GemmThreadPool } from "./threadPool.js";
import { WasmGemm } from "./wasmGemm.js";

// Every kernel kind runs the same property against a float64 reference loop. Adding a kind = one line here.
type Kernel = (op: SgemmOperands) => void;
const threadedGemm = WasmGemm.create(relaxedSimdSupported() ? "relaxedShared" : "simdShared");
const threadedPool = new GemmThreadPool(threadedGemm);
const KERNELS: [string, Kernel][] = [
  ["js", jsSgemm],
  ["wasm-simd (unshared memory)", (op) => simdGemm.run(op)],
  ["wasm-simd (shared memory)", (op) => simdSharedGemm.run(op)],
  // Three chunks for two threads: chunks are claimed dynamically, so one thread takes two.
  ["threaded (2 threads, 3 chunks)", (op) => threadedGemm.run(op, threadedPool, 3)],
  ["public sgemm", (op) => sgemmFromRecord(op)],
];
const simdGemm = WasmGemm.create("simd");
const simdSharedGemm = WasmGemm.create("simdShared");
if (relaxedSimdSupported()) {
  const relaxedGemm = WasmGemm.create("relaxed");
  KERNELS.push(["wasm-relaxed-simd", (op) => relaxedGemm.run(op)]);
}

// The system BLAS (OpenBLAS through koffi) runs the same properties where the library is installed.
const blas = systemBlas();
if (blas) KERNELS.push([`${blas.kind} (system cblas_sgemm)`, (op) => blas.sgemm(op)]);

function sgemmFromRecord(op: SgemmOperands): void {
  sgemm(op.transA, op.transB, op.m, op.n, op.k, op.alpha, op.a, op.lda, op.b, op.ldb, op.beta, op.c, op.ldc);
}

// Deterministic values in [-1, 1) from a seed (fast-check shrinks the seed, not 10^4 floats).
function filled(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

interface Case {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  /** Extra rows in each leading dimension, and elements before each operand's first one (subarrays). */
  pad: number;
  offset: number;
  seed: number;
}

function operandsOf(t: Case): SgemmOperands {
  const rowsA = t.transA ? t.k : t.m;
  const rowsB = t.transB ? t.n : t.k;
  const lda = Math.max(1, rowsA + t.pad);
  const ldb = Math.max(1, rowsB + t.pad);
  const ldc = Math.max(1, t.m + t.pad);
  const a = filled(t.offset + lda * (t.transA ? t.m : t.k), t.seed).subarray(t.offset);
  const b = filled(t.offset + ldb * (t.transB ? t.k : t.n), t.seed + 1).subarray(t.offset);
  const c = filled(t.offset + ldc * t.n, t.seed + 2).subarray(t.offset);
  return { ...t, a, lda, b, ldb, c, ldc };
}

// Runs `kernel` on a copy of the case and compares C (including the gap rows between columns, which must be
// untouched) with a float64 reference, within a bound on float32 rounding error.
function checkCase(kernel: Kernel, t: Case): void {
  const op = operandsOf(t);
  const { m, n, k, alpha, beta, a, lda, b, ldb, c, ldc } = op;
  const before = c.slice();
  const out = c.slice();
  kernel({ ...op, c: out });
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < ldc && j * ldc + i < c.length; i++) {
      const at = j * ldc + i;
      if (i >= m) {
        expect(out[at]).toBe(before[at]);
        continue;
      }
      let sum = 0;
      let magnitude = 0;
      for (let p = 0; p < k; p++) {
        const x = (t.transA ? a[p + i * lda] : a[i + p * lda]) * (t.transB ? b[j + p * ldb] : b[p + j * ldb]);
        sum += x;
        magnitude += Math.abs(x);
      }
      const expected = alpha * sum + (beta === 0 ? 0 : beta * before[at]);
      const tolerance = 2e-6 * (k + 2) * (Math.abs(alpha) * magnitude + Math.abs(beta * before[at])) + 1e-6;
      if (!(Math.abs(out[at] - expected) <= tolerance)) {
        throw new Error(`C[${i},${j}] = ${out[at]}, expected ${expected} ± ${tolerance}`);
      }
    }
  }
}

const caseArbitrary = (maxSide: number) =>
  fc.record({
    transA: fc.boolean(),
    transB: fc.boolean(),
    m: fc.integer({ min: 1, max: maxSide }),
    n: fc.integer({ min: 1, max: maxSide }),
    k: fc.integer({ min: 1, max: maxSide }),
    alpha: fc.constantFrom(1, -0.5, 2.25, 0),
    beta: fc.constantFrom(0, 1, 0.5, -1),
    pad: fc.integer({ min: 0, max: 3 }),
    offset: fc.integer({ min: 0, max: 3 }),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  });

beforeAll(async () => {
  threadedPool.ensureWorkers(1);
  expect(await threadedPool.whenReady(1)).toBe(1);
});

describe.each(KERNELS)("sgemm kernel %s", (_name, kernel) => {
  it("matches a float64 reference for m, n, k in 1..70, all trans, alpha, beta, ld > rows, subarrays", () => {
    fc.assert(
      fc.property(caseArbitrary(70), (t) => checkCase(kernel, t)),
      { numRuns: 60 },
    );
  });

  it("matches the reference on larger and edge-heavy shapes (257, blocks of 128/256, odd tails)", () => {
    const shapes = [
      [257, 257, 257],
      [129, 300, 260],
      [300, 33, 513],
      [8, 1025, 9],
      [1, 1, 600],
    ];
    for (const [m, n, k] of shapes) {
      for (const [transA, transB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        checkCase(kernel, {
          transA,
          transB,
          m,
          n,
          k,
          alpha: 1.5,
          beta: 0.5,
          pad: 1,
          offset: 1,
          seed: m + n + k,
        });
      }
    }
  });

  it("overwrites C with beta = 0 even where C holds NaN, and scales only with alpha = 0 or k = 0", () => {
    const c = new Float32Array(6).fill(Number.NaN);
    const a = Float32Array.of(1, 2, 3);
    const b = Float32Array.of(4, 5);
    kernel({
      transA: false,
      transB: false,
      m: 3,
      n: 2,
      k: 1,
      alpha: 1,
      a,
      lda: 3,
      b,
      ldb: 1,
      beta: 0,
      c,
      ldc: 3,
    });
    expect(Array.from(c)).toEqual([4, 8, 12, 5, 10, 15]);
    kernel({
      transA: false,
      transB: false,
      m: 3,
      n: 2,
      k: 0,
      alpha: 1,
      a,
      lda: 3,
      b,
      ldb: 1,
      beta: 2,
      c,
      ldc: 3,
    });
    expect(Array.from(c)).toEqual([8, 16, 24, 10, 20, 30]);
    kernel({
      transA: true,
      transB: true,
      m: 3,
      n: 2,
      k: 1,
      alpha: 0,
      a,
      lda: 1,
      b,
      ldb: 2,
      beta: -1,
      c,
      ldc: 3,
    });
    expect(Array.from(c)).toEqual([-8, -16, -24, -10, -20, -30]);
  });
});

describe("public sgemm", () => {
  afterAll(() => setCpuThreads(2));

  it("loads the system BLAS, else a wasm kernel, and splits large products over threads", async () => {
    setCpuThreads(2);
    await cpuKernelsReady();
    const info = cpuKernelInfo();
    expect(info.kind).toBe(blas?.kind ?? (relaxedSimdSupported() ? "wasm-relaxed-simd" : "wasm-simd"));
    expect(info.threads).toBe(2);
    checkCase(sgemmFromRecord, {
      transA: true,
      transB: false,
      m: 200,
      n: 190,
      k: 150,
      alpha: 1,
      beta: 0,
      pad: 0,
      offset: 0,
      seed: 7,
    });
    setCpuThreads(1);
    expect(cpuKernelInfo().threads).toBe(1);
  });

  it("applies an epilogue to C on every path (tiny: wasm; large: BLAS when present, else threads)", () => {
    for (const size of [3, 40, 180]) {
      const a = filled(size * size, size);
      const plain = new Float32Array(size * size);
      const mapped = new Float32Array(size * size);
      sgemm(false, false, size, size, size, 1, a, size, a, size, 0, plain, size);
      const bias = filled(size, 99);
      sgemm(false, false, size, size, size, 1, a, size, a, size, 0, mapped, size, (src, at, dst, length) => {
        for (let i = 0; i < length; i++) dst[i] = Math.max(src[at + i]! + bias[i % size]!, 0);
      });
      for (let i = 0; i < plain.length; i++) {
        expect(mapped[i]).toBeCloseTo(Math.max(Math.fround(plain[i]! + bias[i % size]!), 0), 5);
      }
    }
    const x = new Float32Array(8);
    expect(() => sgemm(false, false, 2, 2, 2, 1, x, 2, x, 2, 0, x, 3, () => {})).toThrow(/contiguous C/);
  });

  it.skipIf(blas === undefined)(
    "reports the system BLAS as the kind (FLUX_CPU_BLAS=0 would turn it off)",
    () => {
      expect(cpuKernelInfo().kind).toBe(blas!.kind);
      expect(["openblas", "cblas", "accelerate"]).toContain(blas!.kind);
    },
  );

  it.skipIf(blas?.threads() === undefined)(
    "runs small products on one of the system BLAS's threads and large ones on all it may use",
    () => {
      setCpuThreads(2);
      const product = (size: number) => {
        const a = filled(size * size, size);
        sgemm(false, false, size, size, size, 1, a, size, a, size, 0, new Float32Array(size * size), size);
      };
      product(64);
      expect(blas!.threads()).toBe(1);
      product(320);
      expect(blas!.threads()).toBe(2);
      product(64);
      expect(blas!.threads()).toBe(1);
      expect(cpuKernelInfo().threads).toBe(2);
    },
  );

  it("rejects sizes, leading dimensions and arrays that cannot hold the product", () => {
    const x = new Float32Array(4);
    expect(() => sgemm(false, false, 2, 2, 2, 1, x, 1, x, 2, 0, x, 2)).toThrow(SgemmArgumentError);
    expect(() => sgemm(false, false, 2, 2, 2, 1, x.subarray(1), 2, x, 2, 0, x, 2)).toThrow(/spans 4/);
    expect(() => sgemm(false, false, -1, 2, 2, 1, x, 2, x, 2, 0, x, 2)).toThrow(/non-negative integer/);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => setCpuThreads(bad)).toThrow(ArgumentError);
    try {
      sgemm(true, false, 2, 2, 2, 1, x, 1, x, 2, 0, x, 2);
    } catch (error) {
      expect((error as SgemmArgumentError).code).toBe("FLUX_SGEMM_ARGUMENT");
    }
  });
});
