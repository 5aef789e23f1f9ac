// The WebGPU backend: the same primitives as the CPU backend, as WGSL kernels recorded into few command
// buffers. Storage is a pooled GPUBuffer (see storage.ts); reads are asynchronous only, so `dataSync()` on
// a GPU tensor throws the core's SyncReadError. The kernels' host side lives in ops/, one family per file;
// this class owns the device state (storage, reads, the matmul kernel choice) and is BUILT from the families:
// each family's `ops` become methods bound to a KernelContext over this instance (ops/family.ts). A new
// family is one entry in FAMILIES and one in the WebGPUBackend interface below.
import type { Backend, BackendMemoryInfo, TensorView } from "../backend.js";
import type { DeviceDescriptor } from "../device.js";
import { arrayCtor, type DType, floatToHalf, type TypedArray } from "../dtype.js";
import type { MatmulTuner } from "./autotune.js";
import type { BufferPool, PoolStats } from "./bufferPool.js";
import { WebGPUDeviceLostError, WebGPUExecutionError } from "./errors.js";
import { type Executor, MAX_IN_FLIGHT } from "./executor.js";
import {
  chooseMatmulKernel,
  type MatmulKernel,
  type MatmulPreference,
  type MatmulProblem,
} from "./matmul/plan.js";
import type { KernelContext, MatmulIntoArgs } from "./ops/context.js";
import * as conv from "./ops/conv.js";
import * as creation from "./ops/creation.js";
import * as elementwise from "./ops/elementwise.js";
import { type Bound, bindFamilies } from "./ops/family.js";
import * as layout from "./ops/layout.js";
import * as matmulOps from "./ops/matmul.js";
import * as optimiser from "./ops/optimiserStep.js";
import * as pool from "./ops/pool.js";
import * as recurrent from "./ops/recurrent.js";
import * as reduction from "./ops/reduce.js";
import { type GpuStorage, storageBytes, wgslType } from "./storage.js";

type V = TensorView<GpuStorage>;

/** The op families the backend is built from (ops/*.ts); their methods are bound in the constructor. */
const FAMILIES = [
  creation.ops,
  elementwise.ops,
  layout.ops,
  reduction.ops,
  matmulOps.ops,
  conv.ops,
  pool.ops,
  optimiser.ops,
  recurrent.ops,
] as const;

/** What a WebGPU backend knows about the adapter it runs on. */
export interface WebGPUAdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

/** Optional parts of a WebGPU backend. */
export interface WebGPUBackendOptions {
  /** Chooses matmul kernels from timings; without it the adapter heuristic (`matmulPreference`) decides. */
  readonly tuner?: MatmulTuner;
}

/** The methods the op families add to every WebGPU backend (see FAMILIES). */
type FamilyMethods = Bound<typeof creation.ops> &
  Bound<typeof elementwise.ops> &
  Bound<typeof layout.ops> &
  Bound<typeof reduction.ops> &
  Bound<typeof matmulOps.ops> &
  Bound<typeof conv.ops> &
  Bound<typeof pool.ops> &
  Bound<typeof optimiser.ops> &
  Bound<typeof recurrent.ops>;

// The class and this interface merge: the constructor defines the family methods (bindFamilies), the
// interface tells the compiler they exist, so `implements Backend` is checked against both.
export interface WebGPUBackend extends FamilyMethods {}

/**
 * The WebGPU backend of one GPU device.
 *
 * Obtain it through the registry (`await getBackend("webgpu")`); every method records GPU work and
 * returns at once, `read` waits for it. `stats()` exposes buffer counts for leak checks.
 *
 * @example
 * const gpu = await getBackend("webgpu");
 * const x = tensor([1, 2, 3], [3], { device: "webgpu" });
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above
export class WebGPUBackend implements Backend<GpuStorage> {
  readonly name: string;
  /** The dtypes it stores: f16 only on a device created with the `shader-f16` feature. */
  readonly dtypes: readonly DType[];
  /** The matmul autotuner, when autotuning is on (see README, "Matmul autotune"). */
  readonly tuner: MatmulTuner | undefined;
  #lostReason: string | undefined;
  #executionError: string | undefined;
  readonly #lost: Promise<never>;
  /** What the ops/ functions record through; its methods call back into this instance. */
  readonly #ctx: KernelContext;

  /** @internal Made by the WebGPU provider: `await getBackend("webgpu")` or `createWebGPUBackend()`. */
  constructor(
    readonly device: DeviceDescriptor,
    readonly gpu: GPUDevice,
    readonly adapter: WebGPUAdapterSummary,
    private readonly exec: Executor,
    private readonly pool: BufferPool,
    /** Which matmul kernel to use when no autotune result applies (the adapter heuristic). */
    public matmulPreference: MatmulPreference,
    options: WebGPUBackendOptions = {},
  ) {
    this.name = device.backend;
    this.dtypes = gpu.features.has("shader-f16")
      ? ["f32", "f16", "i32", "u32", "u8", "bool"]
      : ["f32", "i32", "u32", "u8", "bool"];
    this.tuner = options.tuner;
    this.#ctx = {
      exec,
      device,
      alloc: (length, dtype) => this.#alloc(length, dtype),
      upload: (data, dtype) => this.upload(data, dtype),
      dispose: (storage) => this.dispose(storage),
      matmul: (a, b, opts, outShape) => this.matmul(a, b, opts, outShape),
      matmulInto: (...args) => this.matmulInto(...args),
    };
    bindFamilies(this, this.#ctx, FAMILIES);
    // Never resolves unless the device is lost: reads race against it so nothing waits forever.
    this.#lost = new Promise<never>((_, reject) => {
      gpu.lost.then((info) => {
        this.#lostReason = info.message || info.reason || "unknown reason";
        reject(new WebGPUDeviceLostError(String(device), this.#lostReason));
      });
    });
    this.#lost.catch(() => {});
    const onError = (ev: Event) => {
      const err = (ev as GPUUncapturedErrorEvent).error;
      this.#executionError ??= err?.message ?? String(err);
    };
    if (typeof gpu.addEventListener === "function") gpu.addEventListener("uncapturederror", onError);
    else (gpu as { onuncapturederror?: unknown }).onuncapturederror = onError;
  }

  /** Whether the device is usable; `lostReason` says why not. */
  get functional(): boolean {
    return this.#lostReason === undefined;
  }

  /** Why the device was lost, if it was. */
  get lostReason(): string | undefined {
    return this.#lostReason;
  }

  /**
   * Buffer counts and bytes (live = held by tensors or temporaries; pending = freed, destroyed after the
   * next submit), recorded work, and submits not yet known to have finished (`inFlight`).
   */
  stats(): PoolStats & { dispatches: number; submits: number; pipelines: number; inFlight: number } {
    return {
      ...this.pool.stats(),
      dispatches: this.exec.dispatches,
      submits: this.exec.submits,
      pipelines: this.exec.pipelineCount,
      inFlight: this.exec.inFlight,
    };
  }

  /** Submits recorded work now (reads do this themselves). */
  flush(): void {
    this.exec.flush();
  }

  /**
   * Waits while more than `maxInFlight` submits are unfinished on the GPU (at once when fewer are), so a
   * loop that moves data in every step but never reads anything back runs at the device's pace instead of
   * queueing work (and the driver's memory for it) without bound. `toDevice` calls it.
   */
  async backpressure(maxInFlight = MAX_IN_FLIGHT): Promise<void> {
    if (this.#lostReason !== undefined) return;
    this.exec.flush();
    await this.exec.backpressure(maxInFlight, this.#lost);
  }

  /** Waits until the GPU has finished everything submitted so far. */
  async sync(): Promise<void> {
    this.#alive();
    this.exec.flush();
    await Promise.race([this.gpu.queue.onSubmittedWorkDone(), this.#lost]);
  }

  /** Destroys the device (tests use this to exercise device loss). */
  destroy(): void {
    this.pool.trim();
    this.gpu.destroy();
  }

  // ---- storage ----

  upload(data: TypedArray, dtype: DType): GpuStorage {
    this.#alive();
    const out = this.#alloc(data.length, dtype);
    if (dtype === "f16") {
      // Halves arrive as their bits (Uint16Array); anything else holds values to round. An even length
      // keeps the copy a multiple of 4 bytes.
      const halves = new Uint16Array(data.length + (data.length % 2));
      if (data instanceof Uint16Array) halves.set(data);
      else for (let i = 0; i < data.length; i++) halves[i] = floatToHalf(data[i]!);
      this.exec.upload(out.buffer, halves);
      return out;
    }
    const t = wgslType(dtype);
    // The GPU holds 4 bytes per element: widen bytes; keep the other arrays' bits as they are.
    const view =
      data.BYTES_PER_ELEMENT === 4 ? data : t === "f32" ? Float32Array.from(data) : Uint32Array.from(data);
    this.exec.upload(out.buffer, view);
    return out;
  }

  async read(x: V): Promise<TypedArray> {
    this.#alive();
    const bytes = storageBytes(x.storage.length, x.dtype);
    const raw = await this.exec.readBuffer(x.storage.buffer, bytes, this.#lost);
    if (this.#executionError !== undefined) {
      throw new WebGPUExecutionError(String(this.device), this.#executionError);
    }
    if (x.dtype === "f16") return new Uint16Array(raw, 0, x.storage.length).slice();
    const Ctor = arrayCtor(x.dtype);
    if (Ctor.BYTES_PER_ELEMENT === 4)
      return new Ctor(raw as unknown as ArrayLike<number>).slice() as TypedArray;
    return new Ctor(new Uint32Array(raw));
  }

  dispose(storage: GpuStorage): void {
    if (this.#lostReason !== undefined) return;
    this.pool.release(storage.buffer);
  }

  memoryInfo(): BackendMemoryInfo {
    const s = this.pool.stats();
    return { pooledBytes: s.pooledBytes, pendingBuffers: s.pendingBuffers };
  }

  trimPool(): void {
    this.exec.flush();
    this.pool.trim();
  }

  // ---- copies (the op families add the rest, see FAMILIES) ----

  write(dst: V, src: V): void {
    this.#alive();
    const bytes = storageBytes(src.storage.length, src.dtype);
    this.exec.copy(src.storage.buffer, 0, dst.storage.buffer, 0, bytes);
  }

  // ---- matmul kernels (ops/matmul.ts records them; conv and the autotuner use them too) ----

  /** Records C = op(A)·op(B) for `batches` batch indices into `c` (internal; conv uses it too). */
  matmulInto(...args: MatmulIntoArgs): void {
    const [, , , p, , , , dtype] = args;
    this.recordMatmul(this.matmulKernelFor(p, dtype), ...args);
  }

  /**
   * The kernel a problem runs with: the tuned one for its class when the autotuner has it, else the
   * adapter heuristic (also while the class is still being tuned).
   */
  matmulKernelFor(p: MatmulProblem, dtype: "f32" | "f16" = "f32"): MatmulKernel {
    return this.tuner?.kernelFor(p, dtype) ?? chooseMatmulKernel(p, this.matmulPreference);
  }

  /** Records one matmul with a given kernel (internal: the autotuner times candidates with it). */
  recordMatmul(kernel: MatmulKernel, ...args: MatmulIntoArgs): void {
    matmulOps.recordMatmul(this.exec, kernel, ...args);
  }

  // ---- the fused optimiser step (ops/optimiserStep.ts; the method comes from its family) ----

  /** What one optimiser-step dispatch takes at most (ops per step, state tensors). */
  readonly optimiserStepLimits = optimiser.OPTIMISER_STEP_LIMITS;

  // ---- internals ----

  #alive(): void {
    if (this.#lostReason !== undefined)
      throw new WebGPUDeviceLostError(String(this.device), this.#lostReason);
  }

  #alloc(length: number, dtype: DType = "f32"): GpuStorage {
    this.#alive();
    return { buffer: this.pool.acquire(storageBytes(length, dtype)), length };
  }
}
