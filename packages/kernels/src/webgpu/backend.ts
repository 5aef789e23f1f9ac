// The WebGPU backend: the same primitives as the CPU backend, as WGSL kernels recorded into few command
// buffers. Storage is a pooled GPUBuffer (see storage.ts); reads are asynchronous only, so `dataSync()` on
// a GPU tensor throws the core's SyncReadError. The kernels' host side lives in ops/, one family per file;
// this class owns the device state and hands those functions a KernelContext over it.
import type {
  Backend,
  BackendMemoryInfo,
  Conv2dGeometry,
  MatmulOptions,
  Pool2dGeometry,
  TensorView,
} from "../backend.js";
import type { Device } from "../device.js";
import { arrayCtor, type DType, floatToHalf, type TypedArray } from "../dtype.js";
import type { ArgReduceOp, BinaryOp, PoolOp, ReduceOp, UnaryOp } from "../opNames.js";
import type { PackedOptimiserOp } from "../optimiserOps.js";
import type { Shape } from "../shape.js";
import type { MatmulTuner } from "./autotune.js";
import type { BufferPool, PoolStats } from "./bufferPool.js";
import { WebGPUDeviceLostError, WebGPUExecutionError } from "./errors.js";
import type { Executor } from "./executor.js";
import {
  chooseMatmulKernel,
  type MatmulKernel,
  type MatmulPreference,
  type MatmulProblem,
} from "./matmulPlan.js";
import type { KernelContext } from "./ops/context.js";
import * as conv from "./ops/conv.js";
import * as creation from "./ops/creation.js";
import * as elementwise from "./ops/elementwise.js";
import * as layout from "./ops/layout.js";
import * as matmulOps from "./ops/matmul.js";
import * as optimiser from "./ops/optimiserStep.js";
import * as pool from "./ops/pool.js";
import * as reduction from "./ops/reduce.js";
import { type GpuStorage, storageBytes, wgslType } from "./storage.js";

type V = TensorView<GpuStorage>;

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

  constructor(
    readonly device: Device,
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
      matmulInto: (a, b, c, p, batchA, batchB, batches, dtype) =>
        this.matmulInto(a, b, c, p, batchA, batchB, batches, dtype),
    };
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

  /** Buffer counts and bytes (live = held by tensors or temporaries). */
  stats(): PoolStats & { dispatches: number; submits: number; pipelines: number } {
    return {
      ...this.pool.stats(),
      dispatches: this.exec.dispatches,
      submits: this.exec.submits,
      pipelines: this.exec.pipelineCount,
    };
  }

  /** Submits recorded work now (reads do this themselves). */
  flush(): void {
    this.exec.flush();
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
    return { pooledBytes: this.pool.stats().pooledBytes };
  }

  trimPool(): void {
    this.exec.flush();
    this.pool.trim();
  }

  // ---- creation and copies ----

  fill(size: number, value: number, dtype: DType): GpuStorage {
    return creation.fill(this.#ctx, size, value, dtype);
  }

  arange(start: number, step: number, size: number, dtype: DType): GpuStorage {
    return creation.arange(this.#ctx, start, step, size, dtype);
  }

  cast(x: V, dtype: DType): GpuStorage {
    return creation.cast(this.#ctx, x, dtype);
  }

  write(dst: V, src: V): void {
    this.#alive();
    const bytes = storageBytes(src.storage.length, src.dtype);
    this.exec.copy(src.storage.buffer, 0, dst.storage.buffer, 0, bytes);
  }

  // ---- element-wise ----

  unary(op: UnaryOp, x: V, param: number): GpuStorage {
    return elementwise.unary(this.#ctx, op, x, param);
  }

  unaryGrad(op: UnaryOp, x: V, y: V, dy: V, param: number): GpuStorage {
    return elementwise.unaryGrad(this.#ctx, op, x, y, dy, param);
  }

  binary(op: BinaryOp, a: V, b: V, outShape: Shape): GpuStorage {
    return elementwise.binary(this.#ctx, op, a, b, outShape);
  }

  where(cond: V, a: V, b: V, outShape: Shape): GpuStorage {
    return elementwise.where(this.#ctx, cond, a, b, outShape);
  }

  expand(x: V, outShape: Shape): GpuStorage {
    return layout.expand(this.#ctx, x, outShape);
  }

  // ---- reductions ----

  reduce(op: ReduceOp, x: V, axes: readonly number[]): GpuStorage {
    return reduction.reduce(this.#ctx, op, x, axes);
  }

  argReduce(op: ArgReduceOp, x: V, axis: number): GpuStorage {
    return reduction.argReduce(this.#ctx, op, x, axis);
  }

  softmax(x: V, axis: number, log: boolean): GpuStorage {
    return reduction.softmax(this.#ctx, x, axis, log);
  }

  softmaxGrad(y: V, dy: V, axis: number, log: boolean): GpuStorage {
    return reduction.softmaxGrad(this.#ctx, y, dy, axis, log);
  }

  /**
   * Fused `act.(a .* x .+ b)` in one pass (affine_act.wgsl). f32 only: the op layer sends only float
   * tensors here, and f32 is this backend's only float dtype.
   */
  affineAct(act: UnaryOp | "identity", param: number, a: V, x: V, b: V, outShape: Shape): GpuStorage {
    return elementwise.affineAct(this.#ctx, act, param, a, x, b, outShape);
  }

  /**
   * Fused dense layer `act.(w * x .+ b)`: the matmul, then ONE in-place epilogue pass (bias_act.wgsl)
   * instead of an add and an activation with an allocation each. f32 only, as for `affineAct`.
   */
  denseAct(act: UnaryOp | "identity", param: number, w: V, x: V, b: V | null, outShape: Shape): GpuStorage {
    return matmulOps.denseAct(this.#ctx, act, param, w, x, b, outShape);
  }

  // ---- linear algebra and layout ----

  matmul(a: V, b: V, opts: MatmulOptions, outShape: Shape): GpuStorage {
    return matmulOps.matmul(this.#ctx, a, b, opts, outShape);
  }

  /** Records C = op(A)·op(B) for `batches` batch indices into `c` (internal; conv uses it too). */
  matmulInto(
    a: GPUBuffer,
    b: GPUBuffer,
    c: GPUBuffer,
    p: { M: number; N: number; K: number; transA: boolean; transB: boolean },
    batchA: number,
    batchB: number,
    batches: number,
    dtype: "f32" | "f16" = "f32",
  ): void {
    this.recordMatmul(this.matmulKernelFor(p, dtype), a, b, c, p, batchA, batchB, batches, dtype);
  }

  /**
   * The kernel a problem runs with: the tuned one for its class when the autotuner has it, else the
   * adapter heuristic (also while the class is still being tuned).
   */
  matmulKernelFor(p: MatmulProblem, dtype: "f32" | "f16" = "f32"): MatmulKernel {
    return this.tuner?.kernelFor(p, dtype) ?? chooseMatmulKernel(p, this.matmulPreference);
  }

  /** Records one matmul with a given kernel (internal: the autotuner times candidates with it). */
  recordMatmul(
    kernel: MatmulKernel,
    a: GPUBuffer,
    b: GPUBuffer,
    c: GPUBuffer,
    p: MatmulProblem,
    batchA: number,
    batchB: number,
    batches: number,
    dtype: "f32" | "f16" = "f32",
  ): void {
    matmulOps.recordMatmul(this.exec, kernel, a, b, c, p, batchA, batchB, batches, dtype);
  }

  permute(x: V, perm: readonly number[]): GpuStorage {
    return layout.permute(this.#ctx, x, perm);
  }

  gather(x: V, axis: number, indices: Int32Array): GpuStorage {
    return layout.gather(this.#ctx, x, axis, indices);
  }

  scatterAdd(dy: V, axis: number, indices: Int32Array, outShape: Shape): GpuStorage {
    return layout.scatterAdd(this.#ctx, dy, axis, indices, outShape);
  }

  concat(xs: readonly V[], axis: number, outShape: Shape): GpuStorage {
    return layout.concat(this.#ctx, xs, axis, outShape);
  }

  onehot(indices: Int32Array, nclasses: number, dtype: DType): GpuStorage {
    return layout.onehot(this.#ctx, indices, nclasses, dtype);
  }

  // ---- convolution and pooling ----

  conv2d(x: V, w: V, g: Conv2dGeometry): GpuStorage {
    return conv.conv2d(this.#ctx, x, w, g);
  }

  conv2dBackwardInput(dy: V, w: V, g: Conv2dGeometry): GpuStorage {
    return conv.conv2dBackwardInput(this.#ctx, dy, w, g);
  }

  conv2dBackwardFilter(x: V, dy: V, g: Conv2dGeometry): GpuStorage {
    return conv.conv2dBackwardFilter(this.#ctx, x, dy, g);
  }

  pool2d(op: PoolOp, x: V, g: Pool2dGeometry): GpuStorage {
    return pool.pool2d(this.#ctx, op, x, g);
  }

  pool2dBackward(op: PoolOp, x: V, y: V, dy: V, g: Pool2dGeometry): GpuStorage {
    return pool.pool2dBackward(this.#ctx, op, x, y, dy, g);
  }

  readonly optimiserStepLimits = optimiser.OPTIMISER_STEP_LIMITS;
  optimiserStep(ops: readonly PackedOptimiserOp[], x: V, g: V, state: readonly V[]): void {
    optimiser.optimiserStep(this.#ctx, ops, x, g, state);
  }

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
