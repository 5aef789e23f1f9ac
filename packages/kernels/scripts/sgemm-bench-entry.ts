// Timing loop for scripts/bench-sgemm.mjs, which bundles this file and runs it on each runtime. Prints one
// JSON line per measurement: { runtime, kind, threads, n, trans, gflops }. Not a test: numbers, no asserts.
import { canBlockOnAtomics, relaxedSimdSupported } from "../src/cpu/wasm/features.js";
import { jsSgemm } from "../src/cpu/wasm/jsSgemm.js";
import type { SgemmOperands } from "../src/cpu/wasm/sgemmArgs.js";
import { GemmThreadPool } from "../src/cpu/wasm/threadPool.js";
import type { WasmBuildName } from "../src/cpu/wasm/wasmBinaries.js";
import { WasmGemm } from "../src/cpu/wasm/wasmGemm.js";

const g = globalThis as {
  Bun?: unknown;
  Deno?: unknown;
  process?: { env: Record<string, string | undefined> };
};
const runtime = g.Bun ? "bun" : g.Deno ? "deno" : "node";
const env = g.process?.env ?? {};
const sizes = (env.SGEMM_SIZES ?? "128,256,512,1024").split(",").map(Number);
const maxThreads = Number(env.SGEMM_THREADS ?? 2);
const seconds = Number(env.SGEMM_SECONDS ?? 0.4);

function operands(n: number, transA: boolean, transB: boolean): SgemmOperands {
  const random = (length: number) => Float32Array.from({ length }, () => Math.random() - 0.5);
  return {
    transA,
    transB,
    m: n,
    n,
    k: n,
    alpha: 1,
    a: random(n * n),
    lda: n,
    b: random(n * n),
    ldb: n,
    beta: 0,
    c: new Float32Array(n * n),
    ldc: n,
  };
}

// Best of a few timed batches, each at least `seconds / 3` long: the machine is shared, so the best batch is
// the least disturbed one.
function gflops(run: () => void, n: number): number {
  run();
  let best = Number.POSITIVE_INFINITY;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until || best === Number.POSITIVE_INFINITY) {
    let reps = 0;
    const start = performance.now();
    do {
      run();
      reps++;
    } while (performance.now() - start < (seconds * 1000) / 3);
    best = Math.min(best, (performance.now() - start) / reps);
  }
  return (2 * n ** 3) / (best * 1e6);
}

function report(kind: string, threads: number, n: number, trans: string, value: number): void {
  console.log(JSON.stringify({ runtime, kind, threads, n, trans, gflops: Number(value.toFixed(1)) }));
}

const relaxed = relaxedSimdSupported();
const kinds: [string, WasmBuildName][] = [["wasm-simd", "simdShared"]];
if (relaxed) kinds.push(["wasm-relaxed-simd", "relaxedShared"]);
const blocking = env.SGEMM_BLOCKING?.split(",").map(Number) as [number, number, number] | undefined;

for (const [kind, build] of kinds) {
  const gemm = WasmGemm.create(build, blocking);
  const pool = canBlockOnAtomics() ? new GemmThreadPool(gemm) : undefined;
  if (pool && maxThreads > 1) {
    pool.ensureWorkers(maxThreads - 1);
    await pool.whenReady(maxThreads - 1);
  }
  for (const n of sizes) {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
    ]) {
      const op = operands(n, transA, transB);
      const trans = `${transA ? "T" : "N"}${transB ? "T" : "N"}`;
      for (let threads = 1; threads <= (pool ? maxThreads : 1); threads++) {
        if (threads > 1 && trans !== "NN") continue;
        report(
          kind,
          threads,
          n,
          trans,
          gflops(() => gemm.run(op, pool, threads), n),
        );
      }
    }
  }
}
for (const n of sizes.filter((size) => size <= 256)) {
  const op = operands(n, false, false);
  report(
    "js",
    1,
    n,
    "NN",
    gflops(() => jsSgemm(op), n),
  );
}
