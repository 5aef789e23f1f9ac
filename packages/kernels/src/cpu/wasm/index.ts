import {
  canBlockOnAtomics,
  hardwareThreads,
  relaxedSimdSupported,
  sharedMemorySupported,
} from "./features.js";
import { ArgumentError } from "../../errors.js";
import { jsSgemm } from "./jsSgemm.js";
import { checkSgemmOperands, type SgemmEpilogue, type SgemmOperands } from "./sgemmArgs.js";
import { type SystemBlasKind, systemBlas } from "./systemBlas.js";
import { GemmThreadPool } from "./threadPool.js";
import type { WasmBuildName } from "./wasmBinaries.js";
import { WasmGemm } from "./wasmGemm.js";

export { SgemmArgumentError, type SgemmEpilogue } from "./sgemmArgs.js";

/** Which implementation serves `sgemm`. */
export type CpuKernelKind = "wasm-relaxed-simd" | "wasm-simd" | SystemBlasKind | "js";

/**
 * Products with fewer multiply-adds than this stay on one thread: waking a worker costs 15-40 us here, and
 * at 64³ two threads were 2x slower than one. Measured with scripts/bench-sgemm.mjs (Node 20 and
 * Bun, 2 threads): two threads lose up to 128³ and win from 160³ on, so the split starts at 144³ ≈ 3 M.
 */
const MIN_SPLIT_MULTIPLY_ADDS = 144 * 144 * 144;

/**
 * Products at least this big go to the system BLAS when one is loaded (`systemBlas.ts`). Measured through
 * `matmul` (2-core Xeon, Node 20, OpenBLAS 0.3.21 via koffi vs the wasm-simd kernel, best of 7):
 * 8³ 1.4-1.6 vs 1.5-1.7 us (a tie), 16³ 1.4-1.6 vs 1.9, 64³ 5 vs 16, 256x784 * 784x1 12 vs 94,
 * 256x784 * 784x128 355-370 vs 1300-1900. It never lost, so it serves everything from 16³ on.
 */
const MIN_BLAS_MULTIPLY_ADDS = 16 * 16 * 16;

/**
 * Products smaller than this run on ONE of the system BLAS's threads, whatever `setCpuThreads` says.
 * OpenBLAS splits almost every product over all its threads, and below this size the wake-up and
 * hand-over cost more than the second core gives. Measured through `sgemm` (2-core EPYC, OpenBLAS
 * 0.3.21, best of 30, 1 vs 2 threads): 128³ 0.047 vs 0.057 ms, 192³ 0.145 vs 0.157, 256³ 0.34 vs 0.36,
 * 320³ 0.65 vs 0.37-0.41, 384³ 1.2-1.3 vs 0.65-0.76; a dense layer's 128x800x64 product 0.14 vs 0.18-0.26.
 * So the split starts between 256³ and 320³, at 24 M multiply-adds. (With the machine busy, load well
 * above its two cores, the second thread lost at every size, 320³ and a LeNet conv layer's 35.7M products
 * included: `setCpuThreads(1)` is the better choice on a shared machine.)
 */
const MIN_BLAS_SPLIT_MULTIPLY_ADDS = 24 * 1024 * 1024;

interface CpuKernelState {
  gemm: WasmGemm | undefined;
  pool: GemmThreadPool | undefined;
  threads: number;
  /** Set once loading was tried (sync), so a failed runtime is not retried on every call. */
  tried: boolean;
  /** Pending async compile where a synchronous one was refused (a browser's main thread). */
  loading: Promise<void> | undefined;
}

const state: CpuKernelState = {
  gemm: undefined,
  pool: undefined,
  threads: Math.max(1, Math.min(hardwareThreads(), 4)),
  tried: false,
  loading: undefined,
};

// Relaxed SIMD where the runtime validates it; shared memory only where workers can use it (shared memory
// and a thread that may block in Atomics.wait).
function chooseBuild(): WasmBuildName {
  const relaxed = relaxedSimdSupported();
  const shared = sharedMemorySupported() && canBlockOnAtomics();
  if (relaxed) return shared ? "relaxedShared" : "relaxed";
  return shared ? "simdShared" : "simd";
}

function adopt(gemm: WasmGemm): void {
  state.gemm = gemm;
  state.pool = gemm.shared ? new GemmThreadPool(gemm) : undefined;
}

function loadKernel(): WasmGemm | undefined {
  if (state.tried) return state.gemm;
  state.tried = true;
  const build = chooseBuild();
  try {
    adopt(WasmGemm.create(build));
  } catch {
    // A runtime without wasm SIMD, or a browser main thread refusing a synchronous compile: try the async
    // compile (which fails the same way where SIMD is missing) and serve with the js kernel meanwhile.
    state.loading = WasmGemm.createAsync(build).then(adopt, () => undefined);
  }
  return state.gemm;
}

/**
 * Single-precision matrix multiply, column-major (Julia/BLAS order):
 * C[m×n] = alpha * op(A)[m×k] * op(B)[k×n] + beta * C, where op(X) is X' when `transX` is true.
 *
 * Synchronous, and works from its first call: it loads the fastest WebAssembly kernel this runtime supports
 * (relaxed SIMD, else SIMD; see `cpuKernelInfo`), else computes in plain TypeScript. Large products are split
 * over worker threads that share the kernel's memory (`setCpuThreads`). Transposed operands cost the same
 * as plain ones. `a`, `b` and `c` may be subarrays; lda, ldb and ldc are the column strides in elements
 * (at least the row count of A, B, C as stored). beta = 0 overwrites C without reading it. An `epilogue`
 * (contiguous C only) maps C on its way out of the kernel's memory, e.g. a dense layer's bias + activation.
 *
 * @example
 * // C (2×2) = A (2×3) * B' where B is 2×3: column-major data.
 * const a = Float32Array.of(1, 2, 3, 4, 5, 6);
 * const b = Float32Array.of(1, 0, 0, 1, 1, 1);
 * const c = new Float32Array(4);
 * sgemm(false, true, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2); // c = [6, 8, 8, 10]
 */
export function sgemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
  epilogue?: SgemmEpilogue,
): void {
  const op: SgemmOperands = { transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc };
  if (epilogue !== undefined) {
    if (ldc !== m) throw new RangeError("[@flux/kernels] sgemm: an epilogue needs a contiguous C (ldc = m).");
    op.epilogue = epilogue;
  }
  checkSgemmOperands(op);
  const blas = systemBlas();
  const work = m * n * k;
  if (blas && work >= MIN_BLAS_MULTIPLY_ADDS) {
    blas.sgemm(op, work >= MIN_BLAS_SPLIT_MULTIPLY_ADDS ? state.threads : 1);
    epilogue?.(c, 0, c, m * n);
    return;
  }
  const gemm = loadKernel();
  if (!gemm) {
    jsSgemm(op);
    epilogue?.(c, 0, c, m * n);
    return;
  }
  const pool = state.pool;
  if (pool && state.threads > 1 && work >= MIN_SPLIT_MULTIPLY_ADDS && Math.max(m, n) >= 16) {
    pool.ensureWorkers(state.threads - 1);
    const threads = 1 + Math.min(pool.ready, state.threads - 1);
    gemm.run(op, pool, threads);
    return;
  }
  gemm.run(op);
}

/**
 * @internal Whether `sgemm` of this size reads its operands where they lie (the system BLAS does; the wasm
 * kernel copies each operand's whole span, lda included, into its memory). Callers use it to decide whether
 * many small products over strided views of one large matrix are cheap.
 */
export function sgemmReadsInPlace(m: number, n: number, k: number): boolean {
  return m * n * k >= MIN_BLAS_MULTIPLY_ADDS && systemBlas() !== undefined;
}

/**
 * Which CPU kernel `sgemm` uses now, and how many threads a large product uses now.
 *
 * `kind` is the system BLAS (`"openblas"`, `"cblas"`, `"accelerate"`) when one is loaded through the optional
 * peer `koffi` (not with `FLUX_CPU_BLAS=0`); else `"js"` until the WebAssembly kernel is loaded (it loads on
 * the first `sgemm` or `cpuKernelsReady`). With a system BLAS, `threads` is how many of the library's threads a large product uses (smaller products use one). `threads` counts the calling thread plus the worker threads already running, capped by
 * `setCpuThreads`; workers start with the first large product or with `cpuKernelsReady`.
 *
 * @example
 * await cpuKernelsReady();
 * console.log(cpuKernelInfo()); // { kind: "wasm-relaxed-simd", threads: 2 }
 */
export function cpuKernelInfo(): { kind: CpuKernelKind; threads: number } {
  const blas = systemBlas();
  if (blas) return { kind: blas.kind, threads: state.threads };
  const gemm = state.gemm;
  if (!gemm) return { kind: "js", threads: 1 };
  const kind = gemm.build.startsWith("relaxed") ? "wasm-relaxed-simd" : "wasm-simd";
  const helpers = state.pool ? Math.min(state.pool.ready, state.threads - 1) : 0;
  return { kind, threads: 1 + helpers };
}

/**
 * Resolves when the best CPU kernel is loaded: the WebAssembly module compiled and, where threads are
 * possible, the worker threads started and ready.
 *
 * Never needed for correctness (`sgemm` works before), only so that the first large products already run
 * at full speed, e.g. before timing them. Workers that fail to start within 10 s are left out.
 *
 * @example
 * await cpuKernelsReady();
 * sgemm(false, false, 512, 512, 512, 1, a, 512, b, 512, 0, c, 512);
 */
export async function cpuKernelsReady(): Promise<void> {
  loadKernel();
  await state.loading;
  if (state.pool && state.threads > 1) {
    state.pool.ensureWorkers(state.threads - 1);
    await state.pool.whenReady(state.threads - 1);
  }
}

/**
 * Sets how many threads (the calling one included) large CPU matrix products may use.
 *
 * The default is min(hardware threads, 4). Lowering it takes effect at once; raising it starts more workers
 * with the next large product (or `cpuKernelsReady`). 1 disables worker threads.
 *
 * @example
 * setCpuThreads(1); // deterministic single-thread timings
 */
export function setCpuThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new ArgumentError(`setCpuThreads(${String(n)}): pass a whole number of threads, at least 1.`);
  }
  state.threads = n;
  systemBlas()?.setThreads(n);
}
