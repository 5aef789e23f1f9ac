// The WebGPU backend: the same primitives as the CPU backend, as WGSL kernels recorded into few command
// buffers. Storage is a pooled GPUBuffer (see storage.ts); reads are asynchronous only, so `dataSync()` on
// a GPU tensor throws the core's SyncReadError.
import type {
  Backend,
  BackendMemoryInfo,
  Conv2dGeometry,
  MatmulOptions,
  Pool2dGeometry,
  TensorView,
} from "../backend.js";
import type { Device } from "../device.js";
import { arrayCtor, type DType, floatToHalf, isFloat, type TypedArray } from "../dtype.js";
import { DTypeError } from "../errors.js";
import {
  ARITHMETIC_OPS,
  type ArgReduceOp,
  type BinaryOp,
  COMPARISON_OPS,
  isComparison,
  type PoolOp,
  type ReduceOp,
  UNARY_OPS,
  type UnaryOp,
} from "../opNames.js";
import { broadcastStrides, type Shape, sizeOf, stridesOf } from "../shape.js";
import type { BufferPool, PoolStats } from "./bufferPool.js";
import { WebGPUDeviceLostError, WebGPUExecutionError } from "./errors.js";
import { type Executor, grid } from "./executor.js";
import type { MatmulTuner } from "./autotune.js";
import {
  chooseMatmulKernel,
  type MatmulKernel,
  type MatmulPreference,
  type MatmulProblem,
} from "./matmulPlan.js";
import { accumulatorType, type GpuStorage, storageBytes, wgslType } from "./storage.js";
import { coalesce, MAX_RANK, packDims, prodRange } from "./strides.js";

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

/** Workgroup size of the 1-D kernels. 64 keeps SwiftShader's per-invocation cost low and fits every GPU. */
const WG = 64;
const WG_VARIANT = "64u";

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const i32 = new Int32Array(f32.buffer);

/** The activation code of affine_act.wgsl / bias_act.wgsl: a UNARY_OPS index, or IDENTITY (all ones). */
function fusedActCode(act: UnaryOp | "identity"): number {
  return act === "identity" ? 0xffffffff : UNARY_OPS.indexOf(act);
}

function floatBits(v: number): number {
  f32[0] = v;
  return f32Bits[0]!;
}

function intBits(v: number): number {
  i32[0] = v;
  return f32Bits[0]!;
}

/**
 * A scalar's bits as the 32-bit uniform word kernels read it (integers wrap like the CPU's typed arrays;
 * f16 travels as f32 and is converted in the kernel).
 */
function scalarBits(v: number, dtype: DType): number {
  switch (accumulatorType(dtype)) {
    case "f32":
      return floatBits(v);
    case "i32":
      return intBits(Math.trunc(v) | 0);
    default:
      return dtype === "u32" ? Math.trunc(v) >>> 0 : (Math.trunc(v) & 255) >>> 0;
  }
}

/** The identity of a reduction in a dtype, as bits (±Inf cannot be a WGSL constant). */
function reduceInit(op: ReduceOp | "lowest" | "highest", dtype: DType): number {
  const t = accumulatorType(dtype);
  switch (op) {
    case "sum":
      return 0;
    case "prod":
      return t === "f32" ? floatBits(1) : 1;
    case "max":
    case "lowest":
      return t === "f32" ? 0xff800000 : t === "i32" ? 0x80000000 : 0;
    default:
      return t === "f32" ? 0x7f800000 : t === "i32" ? 0x7fffffff : 0xffffffff;
  }
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
    return this.#fillLike(size, scalarBits(value, dtype), 0, dtype);
  }

  arange(start: number, step: number, size: number, dtype: DType): GpuStorage {
    if (!isFloat(dtype) && (!Number.isInteger(start) || !Number.isInteger(step))) {
      // An integer dtype with fractional steps: compute on the host exactly as the CPU does.
      const host = new (arrayCtor(dtype))(size);
      for (let i = 0; i < size; i++) host[i] = start + i * step;
      return this.upload(host, dtype);
    }
    return this.#fillLike(size, scalarBits(start, dtype), scalarBits(step, dtype), dtype);
  }

  cast(x: V, dtype: DType): GpuStorage {
    const n = x.storage.length;
    const out = this.#alloc(n, dtype);
    if (n === 0) return out;
    const mode = dtype === "bool" ? 2 : isFloat(dtype) ? 0 : 1;
    const mask = dtype === "u8" ? 0xff : 0xffffffff;
    this.#dispatch1d(
      "cast",
      { src: wgslType(x.dtype), dst: wgslType(dtype) },
      [n, mode, mask, 0],
      [x.storage.buffer, out.buffer],
      n,
    );
    return out;
  }

  write(dst: V, src: V): void {
    this.#alive();
    const bytes = storageBytes(src.storage.length, src.dtype);
    this.exec.copy(src.storage.buffer, 0, dst.storage.buffer, 0, bytes);
  }

  // ---- element-wise ----

  unary(op: UnaryOp, x: V, param: number): GpuStorage {
    const n = x.storage.length;
    const out = this.#alloc(n, x.dtype);
    if (n === 0) return out;
    const code = UNARY_OPS.indexOf(op);
    this.#dispatch1d(
      "unary",
      { dtype: wgslType(x.dtype) },
      [n, code, floatBits(param), 0],
      [x.storage.buffer, out.buffer],
      n,
    );
    return out;
  }

  unaryGrad(op: UnaryOp, x: V, y: V, dy: V, param: number): GpuStorage {
    const n = x.storage.length;
    const out = this.#alloc(n, x.dtype);
    if (n === 0) return out;
    this.#dispatch1d(
      "unary_grad",
      { dtype: wgslType(x.dtype) },
      [n, UNARY_OPS.indexOf(op), floatBits(param), 0],
      [x.storage.buffer, y.storage.buffer, dy.storage.buffer, out.buffer],
      n,
    );
    return out;
  }

  binary(op: BinaryOp, a: V, b: V, outShape: Shape): GpuStorage {
    const n = sizeOf(outShape);
    const out = this.#alloc(n, isComparison(op) ? "bool" : a.dtype);
    if (n === 0) return out;
    const space = coalesce(outShape, [
      broadcastStrides(a.shape, outShape),
      broadcastStrides(b.shape, outShape),
    ]);
    const words = new Uint32Array(4 + 3 * MAX_RANK);
    const cmp = isComparison(op);
    words.set([
      n,
      cmp ? COMPARISON_OPS.indexOf(op as never) : ARITHMETIC_OPS.indexOf(op as never),
      space.shape.length,
      0,
    ]);
    packDims(words, 4, space.shape);
    packDims(words, 4 + MAX_RANK, space.strides[0]!);
    packDims(words, 4 + 2 * MAX_RANK, space.strides[1]!);
    this.#dispatch1d(
      cmp ? "compare" : "binary",
      { dtype: wgslType(a.dtype) },
      words,
      [a.storage.buffer, b.storage.buffer, out.buffer],
      n,
    );
    return out;
  }

  where(cond: V, a: V, b: V, outShape: Shape): GpuStorage {
    const n = sizeOf(outShape);
    const out = this.#alloc(n, a.dtype);
    if (n === 0) return out;
    const space = coalesce(outShape, [
      broadcastStrides(cond.shape, outShape),
      broadcastStrides(a.shape, outShape),
      broadcastStrides(b.shape, outShape),
    ]);
    const words = new Uint32Array(4 + 4 * MAX_RANK);
    words.set([n, space.shape.length, 0, 0]);
    packDims(words, 4, space.shape);
    for (let k = 0; k < 3; k++) packDims(words, 4 + (k + 1) * MAX_RANK, space.strides[k]!);
    this.#dispatch1d(
      "where",
      { dtype: wgslType(a.dtype) },
      words,
      [cond.storage.buffer, a.storage.buffer, b.storage.buffer, out.buffer],
      n,
    );
    return out;
  }

  expand(x: V, outShape: Shape): GpuStorage {
    const n = sizeOf(outShape);
    const out = this.#alloc(n, x.dtype);
    this.#stridedCopy(
      x.storage.buffer,
      out.buffer,
      x.dtype,
      outShape,
      broadcastStrides(x.shape, outShape),
      stridesOf(outShape),
      0,
      0,
    );
    return out;
  }

  // ---- reductions ----

  reduce(op: ReduceOp, x: V, axes: readonly number[]): GpuStorage {
    const shape = x.shape;
    const xs = stridesOf(shape);
    const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const redShape = shape.map((d, i) => (axes.includes(i) ? d : 1));
    const nOut = sizeOf(keptShape);
    const nRed = sizeOf(redShape);
    const out = this.#alloc(nOut, x.dtype);
    if (nOut === 0) return out;
    const kept = coalesce(keptShape, [xs]);
    const red = coalesce(redShape, [xs]);
    const words = new Uint32Array(8 + 4 * MAX_RANK);
    words.set([nOut, nRed, ["sum", "prod", "max", "min"].indexOf(op), reduceInit(op, x.dtype)]);
    words.set([kept.shape.length, red.shape.length], 4);
    packDims(words, 8, kept.shape);
    packDims(words, 8 + MAX_RANK, kept.strides[0]!);
    packDims(words, 8 + 2 * MAX_RANK, red.shape);
    packDims(words, 8 + 3 * MAX_RANK, red.strides[0]!);
    const variant = { dtype: wgslType(x.dtype), acc: accumulatorType(x.dtype), wg: WG_VARIANT };
    const buffers = [x.storage.buffer, out.buffer];
    // Few reduced elements per output: one invocation each beats a mostly idle workgroup each.
    if (nRed <= 4 * WG && nOut >= WG) this.#dispatch1d("reduce_small", variant, words, buffers, nOut);
    else this.exec.dispatch("reduce", variant, words.buffer, buffers, grid(nOut));
    return out;
  }

  argReduce(op: ArgReduceOp, x: V, axis: number): GpuStorage {
    const len = x.shape[axis]!;
    const inner = prodRange(x.shape, 0, axis);
    const nLines = sizeOf(x.shape) / (len || 1);
    this.#noF16(op, x.dtype);
    const out = this.#alloc(nLines);
    if (nLines === 0) return out;
    const init = reduceInit(op === "argmax" ? "lowest" : "highest", x.dtype);
    this.exec.dispatch(
      "arg_reduce",
      { dtype: wgslType(x.dtype), wg: WG_VARIANT },
      new Uint32Array([nLines, len, inner, op === "argmax" ? 0 : 1, init, 0, 0, 0]).buffer,
      [x.storage.buffer, out.buffer],
      grid(nLines),
    );
    return out;
  }

  softmax(x: V, axis: number, log: boolean): GpuStorage {
    const n = x.storage.length;
    const out = this.#alloc(n, x.dtype);
    if (n === 0) return out;
    const len = x.shape[axis]!;
    const nLines = n / len;
    this.exec.dispatch(
      "softmax",
      { dtype: wgslType(x.dtype), wg: WG_VARIANT },
      new Uint32Array([nLines, len, prodRange(x.shape, 0, axis), log ? 1 : 0]).buffer,
      [x.storage.buffer, out.buffer],
      grid(nLines),
    );
    return out;
  }

  softmaxGrad(y: V, dy: V, axis: number, log: boolean): GpuStorage {
    const n = y.storage.length;
    const out = this.#alloc(n, y.dtype);
    if (n === 0) return out;
    const len = y.shape[axis]!;
    const nLines = n / len;
    this.exec.dispatch(
      "softmax_grad",
      { dtype: wgslType(y.dtype), wg: WG_VARIANT },
      new Uint32Array([nLines, len, prodRange(y.shape, 0, axis), log ? 1 : 0]).buffer,
      [y.storage.buffer, dy.storage.buffer, out.buffer],
      grid(nLines),
    );
    return out;
  }

  /**
   * Fused `act.(a .* x .+ b)` in one pass (affine_act.wgsl). f32 only: the op layer sends only float
   * tensors here, and f32 is this backend's only float dtype.
   */
  affineAct(act: UnaryOp | "identity", param: number, a: V, x: V, b: V, outShape: Shape): GpuStorage {
    this.#noF16("affineAct", x.dtype);
    const n = sizeOf(outShape);
    const out = this.#alloc(n);
    if (n === 0) return out;
    const space = coalesce(
      outShape,
      [a, x, b].map((v) => broadcastStrides(v.shape, outShape)),
    );
    const words = new Uint32Array(4 + 4 * MAX_RANK);
    words.set([n, space.shape.length, fusedActCode(act), floatBits(param)]);
    packDims(words, 4, space.shape);
    for (let k = 0; k < 3; k++) packDims(words, 4 + (k + 1) * MAX_RANK, space.strides[k]!);
    this.#dispatch1d(
      "affine_act",
      {},
      words,
      [a.storage.buffer, x.storage.buffer, b.storage.buffer, out.buffer],
      n,
    );
    return out;
  }

  /**
   * Fused dense layer `act.(w * x .+ b)`: the matmul, then ONE in-place epilogue pass (bias_act.wgsl)
   * instead of an add and an activation with an allocation each. f32 only, as for `affineAct`.
   */
  denseAct(act: UnaryOp | "identity", param: number, w: V, x: V, b: V | null, outShape: Shape): GpuStorage {
    this.#noF16("denseAct", w.dtype);
    const y = this.matmul(w, x, { transA: false, transB: false }, outShape);
    const n = sizeOf(outShape);
    if (n === 0) return y;
    // Without a bias (has_bias = 0) the shader never reads binding 1, but something must be bound there: a
    // 1-element stand-in (not y: one buffer may not be bound read-only and writable in one dispatch).
    const noBias = b === null ? this.#alloc(1) : null;
    this.#dispatch1d(
      "bias_act",
      {},
      [n, outShape[0]!, fusedActCode(act), floatBits(param), b === null ? 0 : 1, 0, 0, 0],
      [(b?.storage ?? noBias!).buffer, y.buffer],
      n,
    );
    if (noBias) this.dispose(noBias);
    return y;
  }

  // ---- linear algebra and layout ----

  matmul(a: V, b: V, opts: MatmulOptions, outShape: Shape): GpuStorage {
    const [ar, ac] = [a.shape[0]!, a.shape[1]!];
    const [br, bc] = [b.shape[0]!, b.shape[1]!];
    const M = opts.transA ? ac : ar;
    const K = opts.transA ? ar : ac;
    const N = opts.transB ? br : bc;
    const total = sizeOf(outShape);
    const batches = total / (M * N || 1);
    const out = this.#alloc(total, a.dtype);
    if (total === 0) return out;
    if (K === 0) {
      this.#fillInto(out, total, 0, 0, a.dtype);
      return out;
    }
    const batchA = a.storage.length > ar * ac ? ar * ac : 0;
    const batchB = b.storage.length > br * bc ? br * bc : 0;
    this.matmulInto(
      a.storage.buffer,
      b.storage.buffer,
      out.buffer,
      { M, N, K, ...opts },
      batchA,
      batchB,
      batches,
      a.dtype === "f16" ? "f16" : "f32",
    );
    return out;
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
    if (kernel === "matmul_vec4" && (batchA % 4 !== 0 || batchB % 4 !== 0)) {
      throw new Error("[@flux/kernels] webgpu: internal error: vec4 matmul with unaligned batch strides");
    }
    this.exec.dispatch(
      kernel,
      { transA: String(p.transA), transB: String(p.transB), dtype },
      new Uint32Array([p.M, p.N, p.K, batchA, batchB, 0, 0, 0]).buffer,
      [a, b, c],
      [Math.ceil(p.M / 32), Math.ceil(p.N / 32), batches],
    );
  }

  permute(x: V, perm: readonly number[]): GpuStorage {
    const outShape = perm.map((p) => x.shape[p]!);
    const xs = stridesOf(x.shape);
    const out = this.#alloc(x.storage.length, x.dtype);
    this.#stridedCopy(
      x.storage.buffer,
      out.buffer,
      x.dtype,
      outShape,
      perm.map((p) => xs[p]!),
      stridesOf(outShape),
      0,
      0,
    );
    return out;
  }

  gather(x: V, axis: number, indices: Int32Array): GpuStorage {
    const axisLen = x.shape[axis]!;
    const inner = prodRange(x.shape, 0, axis);
    this.#noF16("gather", x.dtype);
    const n = (x.storage.length / (axisLen || 1)) * indices.length;
    const out = this.#alloc(n);
    if (n === 0) return out;
    if (axisLen === 0) {
      this.#fillInto(out, n, 0, 0, x.dtype);
      return out;
    }
    const idx = this.upload(indices, "i32");
    this.#dispatch1d(
      "gather",
      { dtype: wgslType(x.dtype) },
      [n, inner, indices.length, axisLen],
      [x.storage.buffer, idx.buffer, out.buffer],
      n,
    );
    this.dispose(idx);
    return out;
  }

  scatterAdd(dy: V, axis: number, indices: Int32Array, outShape: Shape): GpuStorage {
    this.#noF16("scatterAdd", dy.dtype);
    const n = sizeOf(outShape);
    const out = this.#alloc(n);
    if (n === 0) return out;
    const axisLen = outShape[axis]!;
    // CSR inverse of the index list: starts[t]..starts[t+1] are the j with indices[j] == t, in order.
    const starts = new Uint32Array(axisLen + 1);
    for (const t of indices) starts[t + 1]!++;
    for (let t = 0; t < axisLen; t++) starts[t + 1]! += starts[t]!;
    const fillAt = starts.slice(0, axisLen);
    const sources = new Uint32Array(Math.max(indices.length, 1));
    indices.forEach((t, j) => {
      sources[fillAt[t]!++] = j;
    });
    const s = this.upload(starts, "u32");
    const src = this.upload(sources, "u32");
    this.#dispatch1d(
      "scatter_add",
      { dtype: wgslType(dy.dtype) },
      [n, prodRange(outShape, 0, axis), indices.length, axisLen],
      [dy.storage.buffer, s.buffer, src.buffer, out.buffer],
      n,
    );
    this.dispose(s);
    this.dispose(src);
    return out;
  }

  concat(xs: readonly V[], axis: number, outShape: Shape): GpuStorage {
    const out = this.#alloc(sizeOf(outShape), xs[0]?.dtype ?? "f32");
    const os = stridesOf(outShape);
    let offset = 0;
    for (const x of xs) {
      this.#stridedCopy(
        x.storage.buffer,
        out.buffer,
        x.dtype,
        x.shape,
        stridesOf(x.shape),
        os,
        0,
        offset * os[axis]!,
      );
      offset += x.shape[axis]!;
    }
    return out;
  }

  onehot(indices: Int32Array, nclasses: number, dtype: DType): GpuStorage {
    this.#noF16("onehot", dtype);
    const n = nclasses * indices.length;
    const out = this.#alloc(n);
    if (n === 0) return out;
    const idx = this.upload(indices, "i32");
    this.#dispatch1d("onehot", { dtype: wgslType(dtype) }, [n, nclasses, 0, 0], [idx.buffer, out.buffer], n);
    this.dispose(idx);
    return out;
  }

  // ---- convolution and pooling ----

  conv2d(x: V, w: V, g: Conv2dGeometry): GpuStorage {
    this.#noF16("conv2d", x.dtype);
    const { P, K, N, Cout } = convDims(g);
    const out = this.#alloc(P * Cout * N);
    if (P * Cout * N === 0) return out;
    const cols = this.#im2col(x.storage.buffer, g);
    // y_n[P×Cout] = cols_n[P×K] · w[K×Cout] for every image n (w reused: batch stride 0).
    this.matmulInto(
      cols.buffer,
      w.storage.buffer,
      out.buffer,
      { M: P, N: Cout, K, transA: false, transB: false },
      P * K,
      0,
      N,
    );
    this.dispose(cols);
    return out;
  }

  conv2dBackwardInput(dy: V, w: V, g: Conv2dGeometry): GpuStorage {
    this.#noF16("conv2d", dy.dtype);
    const { P, K, N, Cout } = convDims(g);
    const n = sizeOf(g.inShape);
    const out = this.#alloc(n);
    if (n === 0) return out;
    // dcols_n[P×K] = dy_n[P×Cout] · wᵀ, then each input element gathers the taps that read it.
    const dcols = this.#alloc(P * K * N);
    this.matmulInto(
      dy.storage.buffer,
      w.storage.buffer,
      dcols.buffer,
      { M: P, N: K, K: Cout, transA: false, transB: true },
      P * Cout,
      0,
      N,
    );
    this.#dispatch1d("col2im", { dtype: "f32" }, convWords(g, n), [dcols.buffer, out.buffer], n);
    this.dispose(dcols);
    return out;
  }

  conv2dBackwardFilter(x: V, dy: V, g: Conv2dGeometry): GpuStorage {
    this.#noF16("conv2d", x.dtype);
    const { P, K, N, Cout } = convDims(g);
    const out = this.#alloc(K * Cout);
    if (K * Cout === 0) return out;
    // dw[K×Cout] = Σ_n cols_nᵀ · dy_n = colsᵀ · dy once both are laid out as [P·N, ·].
    const cols = this.#im2col(x.storage.buffer, g);
    const colsPNK = this.#alloc(P * N * K);
    this.#stridedCopy(cols.buffer, colsPNK.buffer, "f32", [P, N, K], [1, P * K, P], [1, P, P * N], 0, 0);
    const dyPNC = this.#alloc(P * N * Cout);
    this.#stridedCopy(
      dy.storage.buffer,
      dyPNC.buffer,
      "f32",
      [P, N, Cout],
      [1, P * Cout, P],
      [1, P, P * N],
      0,
      0,
    );
    if (P * N === 0) this.#fillInto(out, K * Cout, 0, 0, "f32");
    else
      this.matmulInto(
        colsPNK.buffer,
        dyPNC.buffer,
        out.buffer,
        { M: K, N: Cout, K: P * N, transA: true, transB: false },
        0,
        0,
        1,
      );
    this.dispose(cols);
    this.dispose(colsPNK);
    this.dispose(dyPNC);
    return out;
  }

  pool2d(op: PoolOp, x: V, g: Pool2dGeometry): GpuStorage {
    this.#noF16(`${op}pool`, x.dtype);
    const n = sizeOf(g.outShape);
    const out = this.#alloc(n);
    if (n === 0) return out;
    this.#dispatch1d("pool", { dtype: "f32" }, poolWords(op, g, n), [x.storage.buffer, out.buffer], n);
    return out;
  }

  pool2dBackward(op: PoolOp, x: V, y: V, dy: V, g: Pool2dGeometry): GpuStorage {
    this.#noF16(`${op}pool`, x.dtype);
    const n = sizeOf(g.inShape);
    const out = this.#alloc(n);
    if (n === 0) return out;
    this.#dispatch1d(
      "pool_grad",
      { dtype: "f32" },
      poolWords(op, g, n),
      [x.storage.buffer, y.storage.buffer, dy.storage.buffer, out.buffer],
      n,
    );
    return out;
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

  /** f16 reaches only the elementwise, reduction, softmax, matmul and copy kernels; say so elsewhere. */
  #noF16(op: string, dtype: DType): void {
    if (dtype === "f16") {
      throw new DTypeError(
        `${op} has no f16 kernel on ${String(this.device)} (f16 covers elementwise ops, reductions, ` +
          'softmax, matmul, cast and copies). Cast to f32 first: cast(x, "f32").',
      );
    }
  }

  #dispatch1d(
    name: Parameters<Executor["dispatch"]>[0],
    variant: Record<string, string>,
    words: readonly number[] | Uint32Array,
    buffers: readonly GPUBuffer[],
    n: number,
  ): void {
    const u = words instanceof Uint32Array ? words : new Uint32Array(words);
    this.exec.dispatch(
      name,
      { ...variant, wg: WG_VARIANT },
      u.buffer as ArrayBuffer,
      buffers,
      grid(Math.ceil(n / WG)),
    );
  }

  #fillLike(size: number, startBits: number, stepBits: number, dtype: DType): GpuStorage {
    const out = this.#alloc(size, dtype);
    this.#fillInto(out, size, startBits, stepBits, dtype);
    return out;
  }

  #fillInto(out: GpuStorage, size: number, startBits: number, stepBits: number, dtype: DType): void {
    if (size === 0) return;
    this.#dispatch1d(
      "fill",
      { dtype: wgslType(dtype), word: accumulatorType(dtype) },
      [size, startBits, stepBits, 0],
      [out.buffer],
      size,
    );
  }

  #stridedCopy(
    src: GPUBuffer,
    dst: GPUBuffer,
    dtype: DType,
    shape: Shape,
    srcStrides: readonly number[],
    dstStrides: readonly number[],
    srcBase: number,
    dstBase: number,
  ): void {
    const n = sizeOf(shape);
    if (n === 0) return;
    const space = coalesce(shape, [srcStrides, dstStrides]);
    const words = new Uint32Array(4 + 3 * MAX_RANK);
    words.set([n, space.shape.length, srcBase, dstBase]);
    packDims(words, 4, space.shape);
    packDims(words, 4 + MAX_RANK, space.strides[0]!);
    packDims(words, 4 + 2 * MAX_RANK, space.strides[1]!);
    this.#dispatch1d("copy", { dtype: wgslType(dtype) }, words, [src, dst], n);
  }

  #im2col(x: GPUBuffer, g: Conv2dGeometry): GpuStorage {
    const { P, K, N } = convDims(g);
    const n = P * K * N;
    const cols = this.#alloc(n);
    if (n > 0) this.#dispatch1d("im2col", { dtype: "f32" }, convWords(g, n), [x, cols.buffer], n);
    return cols;
  }
}

function convDims(g: Conv2dGeometry): { P: number; K: number; N: number; Cout: number } {
  const [kW, kH, C, Cout] = g.weightShape;
  return { P: g.outShape[0] * g.outShape[1], K: kW * kH * C, N: g.inShape[3], Cout };
}

function convWords(g: Conv2dGeometry, n: number): number[] {
  const [W, H, C] = g.inShape;
  const [kW, kH] = g.weightShape;
  const [oW, oH] = g.outShape;
  return [
    n,
    W,
    H,
    C,
    kW,
    kH,
    oW,
    oH,
    g.stride[0],
    g.stride[1],
    g.dilation[0],
    g.dilation[1],
    g.pad[0],
    g.pad[2],
    g.flipped ? 1 : 0,
    0,
  ];
}

function poolWords(op: PoolOp, g: Pool2dGeometry, n: number): number[] {
  const [W, H] = g.inShape;
  const [oW, oH] = g.outShape;
  return [
    n,
    W,
    H,
    oW,
    oH,
    g.window[0],
    g.window[1],
    g.stride[0],
    g.stride[1],
    g.pad[0],
    g.pad[2],
    op === "max" ? 1 : 0,
  ];
}
