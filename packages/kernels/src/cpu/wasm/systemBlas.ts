// The system BLAS as an optional CPU GEMM: `cblas_sgemm` from OpenBLAS (Linux), a generic libcblas, or
// Apple's Accelerate, called through the optional peer package `koffi` (a foreign-function interface for
// Node and Bun). Nothing here is required: without koffi, without the library, in a browser, or with
// FLUX_CPU_BLAS=0, `systemBlas()` is undefined and the WebAssembly GEMM serves every product.
import { nodeBuiltin } from "./features.js";
import type { SgemmOperands } from "./sgemmArgs.js";
import { readEnv } from "../../env.js";

/** Which system library serves `sgemm`. */
export type SystemBlasKind = "openblas" | "cblas" | "accelerate";

/** A loaded system BLAS. */
export interface SystemBlas {
  readonly kind: SystemBlasKind;
  /**
   * C = alpha op(A) op(B) + beta C on the caller's arrays (no copies; subarrays allowed), on at most
   * `threads` of the library's threads where it can say (OpenBLAS; the others decide for themselves).
   */
  sgemm(op: SgemmOperands, threads?: number): void;
  /** The library's own thread count, where it can say (OpenBLAS), else undefined. */
  threads(): number | undefined;
  /** Sets the library's thread count, where it can (OpenBLAS). */
  setThreads(n: number): void;
}

// Tried in order: OpenBLAS first (the fast, threaded one), then a generic CBLAS (which may be the slow
// reference BLAS, so only its explicit cblas name), then macOS Accelerate.
const CANDIDATES: readonly [string, SystemBlasKind][] = [
  ["libopenblas.so.0", "openblas"],
  ["libopenblas.so", "openblas"],
  ["libcblas.so.3", "cblas"],
  ["/System/Library/Frameworks/Accelerate.framework/Accelerate", "accelerate"],
];

const COL_MAJOR = 102;
const NO_TRANS = 111;
const TRANS = 112;

interface Koffi {
  load(path: string): { func(signature: string): (...args: unknown[]) => unknown };
}

let cached: SystemBlas | undefined | null = null;

/** FLUX_CPU_BLAS=0 turns the system BLAS off (to compare kernels, or if a library misbehaves). */
function disabledByEnv(): boolean {
  return readEnv("FLUX_CPU_BLAS") === "0";
}

// koffi is an optional peer: required by a name in a variable so that bundlers leave it alone and a
// missing package is a caught error, never a failed import.
function loadKoffi(): Koffi | undefined {
  const moduleApi = nodeBuiltin<{ createRequire(from: string): (id: string) => unknown }>("node:module");
  if (!moduleApi) return undefined;
  const name = "koffi";
  try {
    return moduleApi.createRequire(import.meta.url)(name) as Koffi;
  } catch {
    return undefined;
  }
}

function open(koffi: Koffi, path: string, kind: SystemBlasKind): SystemBlas | undefined {
  let lib: ReturnType<Koffi["load"]>;
  try {
    lib = koffi.load(path);
  } catch {
    return undefined;
  }
  const gemm = lib.func(
    "void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, " +
      "int lda, const float *b, int ldb, float beta, float *c, int ldc)",
  );
  const optional = (signature: string) => {
    try {
      return lib.func(signature);
    } catch {
      return undefined;
    }
  };
  const getThreads = optional("int openblas_get_num_threads()");
  const setThreads = optional("void openblas_set_num_threads(int n)");
  // The count last given to the library (0: never), so a run of products of one kind sets it once.
  let current = 0;
  const useThreads = (n: number) => {
    if (setThreads === undefined || n === current) return;
    setThreads(n);
    current = n;
  };
  return {
    kind,
    sgemm(op, threads) {
      if (threads !== undefined) useThreads(threads);
      // koffi passes a typed array as a pointer to its first element (its byteOffset included), no copy.
      gemm(
        COL_MAJOR,
        op.transA ? TRANS : NO_TRANS,
        op.transB ? TRANS : NO_TRANS,
        op.m,
        op.n,
        op.k,
        op.alpha,
        op.a,
        op.lda,
        op.b,
        op.ldb,
        op.beta,
        op.c,
        op.ldc,
      );
    },
    threads: () => (getThreads ? (getThreads() as number) : undefined),
    setThreads: (n) => useThreads(n),
  };
}

/**
 * The system BLAS, loaded on first call (synchronously), or undefined where there is none (see the file
 * comment). The answer is cached.
 *
 * @example
 * systemBlas()?.kind; // "openblas" on Debian with libopenblas0 and koffi installed
 */
export function systemBlas(): SystemBlas | undefined {
  if (cached !== null) return cached;
  cached = undefined;
  if (disabledByEnv()) return cached;
  const koffi = loadKoffi();
  if (!koffi) return cached;
  for (const [path, kind] of CANDIDATES) {
    cached = open(koffi, path, kind);
    if (cached) break;
  }
  return cached;
}
