// What the op families need from the backend: its executor, its allocator and a few of its own methods.
// The backend builds one of these over its private state, so the ops can live in plain functions.
import type { MatmulOptions, TensorView } from "../../backend.js";
import type { DeviceDescriptor } from "../../device.js";
import type { DType, TypedArray } from "../../dtype.js";
import { DTypeError } from "../../errors.js";
import type { Shape } from "../../shape.js";
import type { Executor } from "../executor.js";
import type { MatmulProblem } from "../matmul/plan.js";
import type { GpuStorage } from "../storage.js";

/** A tensor view whose storage is a GPU buffer. */
export type V = TensorView<GpuStorage>;

/**
 * The backend's services the op functions record work through (internal).
 *
 * Methods go back through the backend instance, so the ops behave exactly as when they were its methods.
 */
export interface KernelContext {
  readonly exec: Executor;
  readonly device: DeviceDescriptor;
  /** A pooled buffer for `length` elements of `dtype` (f32 when omitted); throws once the device is lost. */
  alloc(length: number, dtype?: DType): GpuStorage;
  upload(data: TypedArray, dtype: DType): GpuStorage;
  dispose(storage: GpuStorage): void;
  matmul(a: V, b: V, opts: MatmulOptions, outShape: Shape): GpuStorage;
  matmulInto(...args: MatmulIntoArgs): void;
}

/**
 * One batched matmul into an existing C, as the backend and the matmul recorder take it: C = op(A)·op(B)
 * for each of `batches` batch indices, A and B advancing `batchA` and `batchB` elements a batch (0: the
 * same operand for every batch); `dtype` is A's, B's and C's (f32 when omitted).
 */
export type MatmulIntoArgs = [
  a: GPUBuffer,
  b: GPUBuffer,
  c: GPUBuffer,
  p: MatmulProblem,
  batchA: number,
  batchB: number,
  batches: number,
  dtype?: "f32" | "f16",
];

/**
 * Throws for f16: it reaches only the elementwise, reduction, softmax, matmul and copy kernels; say so elsewhere.
 */
export function noF16(ctx: KernelContext, op: string, dtype: DType): void {
  if (dtype === "f16") {
    throw new DTypeError(
      `${op} has no f16 kernel on ${String(ctx.device)} (f16 covers elementwise ops, reductions, ` +
        'softmax, matmul, cast and copies). Cast to f32 first: cast(x, "f32").',
    );
  }
}
