// Per-adapter matmul autotune: the first time a matmul of a new shape class runs, the candidate kernels are
// timed on that problem (in the background: backend ops are synchronous, so that one call, and any until
// tuning finishes, use the heuristic), the fastest is kept for the class and saved per adapter, so later
// processes on the same adapter and driver skip the tuning. The timing itself is injected (`MeasureMatmul`),
// which keeps the selection logic testable without a GPU.
import type { AutotuneCache, TunedKernels } from "./autotuneCache.js";
import { type MatmulKernel, type MatmulProblem, vec4Eligible } from "./matmul/plan.js";

/** The coarse classes one tuned choice covers. */
export type ShapeClass = "small" | "skinny" | "large";

/** Storage dtypes the matmul kernels have. */
export type MatmulDType = "f32" | "f16";

/**
 * The shape class of a problem: `small` under 2^18 multiply-adds (launch cost dominates), `skinny` when
 * the output has a side of at most 16 (matrix-vector-like), `large` otherwise.
 *
 * @example
 * shapeClass({ M: 512, N: 4, K: 512, transA: false, transB: false }); // "skinny"
 */
export function shapeClass(p: MatmulProblem): ShapeClass {
  if (p.M * p.N * p.K <= 1 << 18) return "small";
  if (Math.min(p.M, p.N) <= 16) return "skinny";
  return "large";
}

/**
 * The cache key of a problem: dtype, shape class and whether the vec4 kernel may run it (the candidate set
 * differs), e.g. `"f32/large/aligned"`.
 *
 * @example
 * tuneKey({ M: 64, N: 64, K: 64, transA: false, transB: false }, "f32"); // "f32/small/aligned"
 */
export function tuneKey(p: MatmulProblem, dtype: MatmulDType): string {
  return `${dtype}/${shapeClass(p)}/${vec4Eligible(p) ? "aligned" : "unaligned"}`;
}

/**
 * The kernels that can run a problem, in tie-break order.
 */
export function matmulCandidates(p: MatmulProblem): MatmulKernel[] {
  const out: MatmulKernel[] = ["matmul_reg", "matmul_tiled"];
  if (vec4Eligible(p)) out.unshift("matmul_vec4");
  return out;
}

/**
 * The fastest kernel from measured times (milliseconds per dispatch, several per kernel): each kernel's
 * best time counts (noise only ever adds time); ties go to the earlier kernel. Kernels without a finite
 * time are ignored.
 */
export function pickFastest(timings: ReadonlyMap<MatmulKernel, readonly number[]>): MatmulKernel | undefined {
  let best: MatmulKernel | undefined;
  let bestTime = Number.POSITIVE_INFINITY;
  for (const [kernel, times] of timings) {
    const t = Math.min(...times.filter(Number.isFinite));
    if (t < bestTime) {
      best = kernel;
      bestTime = t;
    }
  }
  return best;
}

/** Times `reps` dispatches of one kernel on one problem; resolves their durations in milliseconds. */
export type MeasureMatmul = (
  kernel: MatmulKernel,
  problem: MatmulProblem,
  dtype: MatmulDType,
  reps: number,
) => Promise<number[]>;

/**
 * The adapter key tuned results are stored under: vendor, architecture, device and driver description
 * (a driver update may change which kernel wins, so it gets a fresh tuning).
 */
export function adapterKey(info: {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}): string {
  return [info.vendor, info.architecture, info.device, info.description].map((s) => s ?? "").join("|");
}

/**
 * Chooses matmul kernels per shape class for one adapter from timings, cached in memory and in `cache`.
 *
 * `kernelFor` never waits: it answers a known class at once and otherwise starts one tuning for the class
 * and answers `undefined` (the caller uses its heuristic meanwhile). `idle()` waits for running tunings.
 *
 * @example
 * const tuner = new MatmulTuner("nvidia|ada||drv", memoryCache(), measure);
 * await tuner.load(); tuner.kernelFor(problem, "f32"); await tuner.idle();
 */
export class MatmulTuner {
  #known: TunedKernels = {};
  readonly #running = new Map<string, Promise<void>>();
  /** Classes whose tuning failed (e.g. device lost): not retried in this process. */
  readonly #failed = new Set<string>();
  #loaded: Promise<void> | undefined;

  /** @internal Made by the WebGPU provider, one per adapter (see `registerWebGPU({ autotune })`). */
  constructor(
    readonly adapter: string,
    private readonly cache: AutotuneCache,
    private readonly measure: MeasureMatmul,
    private readonly reps = 3,
  ) {}

  /** Reads earlier results of this adapter from the cache (once). */
  load(): Promise<void> {
    this.#loaded ??= this.cache.load(this.adapter).then(
      (entries) => {
        this.#known = { ...entries, ...this.#known };
      },
      () => {},
    );
    return this.#loaded;
  }

  /** The tuned choices so far, by `tuneKey`. */
  results(): Readonly<TunedKernels> {
    return { ...this.#known };
  }

  /** The tuned kernel for a problem, or `undefined` while its class is not tuned (tuning starts). */
  kernelFor(p: MatmulProblem, dtype: MatmulDType): MatmulKernel | undefined {
    const key = tuneKey(p, dtype);
    const known = this.#known[key];
    // A cached kernel that cannot run this problem (a hand-edited file) is ignored.
    if (known !== undefined && matmulCandidates(p).includes(known)) return known;
    if (!this.#running.has(key) && !this.#failed.has(key)) {
      const run = this.tune(p, dtype).then(
        () => {},
        () => {
          this.#failed.add(key);
        },
      );
      this.#running.set(key, run);
      run.finally(() => this.#running.delete(key));
    }
    return undefined;
  }

  /** Times every candidate on `p` now, records and saves the fastest; resolves to it. */
  async tune(p: MatmulProblem, dtype: MatmulDType): Promise<MatmulKernel> {
    await this.load();
    const timings = new Map<MatmulKernel, number[]>();
    for (const kernel of matmulCandidates(p))
      timings.set(kernel, await this.measure(kernel, p, dtype, this.reps));
    const best = pickFastest(timings);
    if (best === undefined)
      throw new Error(`[@flux/kernels] webgpu autotune: no kernel timed for ${tuneKey(p, dtype)}`);
    this.#known[tuneKey(p, dtype)] = best;
    await this.cache.save(this.adapter, { [tuneKey(p, dtype)]: best }).catch(() => {});
    return best;
  }

  /** Resolves when no tuning is running. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running.values());
  }
}

/**
 * Whether to autotune: `option` (registerWebGPU({ autotune })) wins, then the environment variable
 * FLUX_WEBGPU_AUTOTUNE (`1`/`true`/`on` force it, `0`/`false`/`off` disable it), then the default: on for
 * hardware adapters, off for CPU-backed ones (SwiftShader, llvmpipe, WARP), where the heuristic was measured
 * and timings on a shared CPU mostly measure the neighbours.
 */
export function autotuneEnabled(
  option: boolean | undefined,
  env: string | undefined,
  cpuBacked: boolean,
): boolean {
  if (option !== undefined) return option;
  const v = env?.trim().toLowerCase();
  if (v === "1" || v === "true" || v === "on") return true;
  if (v === "0" || v === "false" || v === "off") return false;
  return !cpuBacked;
}
