// The CPU backend: storage is a typed array of exactly `size` elements (bool as Uint8Array). It is the
// numeric reference every other backend is tested against.
import type {
  Backend,
  BackendMemoryInfo,
  Conv2dGeometry,
  MatmulOptions,
  Pool2dGeometry,
  TensorView,
} from "../backend.js";
import { type DeviceDescriptor, deviceOf } from "../device.js";
import { arrayCtor, bytesPerElement, type DType, type TypedArray } from "../dtype.js";
import { AllocationError } from "../errors.js";
import type { ArgReduceOp, BinaryOp, PoolOp, ReduceOp, UnaryOp } from "../opNames.js";
import type { PackedOptimiserOp } from "../optimiserOps.js";
import { isComparison } from "../opNames.js";
import { reducedShape, type Shape, sizeOf } from "../shape.js";
import { CpuBufferPool } from "./bufferPool.js";
import { affineActInto, type FusedAct } from "./affine.js";
import { denseInto } from "./dense.js";
import { binaryInto, expandInto, whereInto } from "./binary.js";
import { conv2dBackwardFilterInto, conv2dBackwardInputInto, conv2dInto, forgetConvInput } from "./conv.js";
import { concatInto, gatherInto, onehotInto, permuteInto, scatterAddInto } from "./layout.js";
import { matmulInto } from "./matmul.js";
import { optimiserStepInto } from "./optimiserStep.js";
import { pool2dBackwardInto, pool2dInto } from "./pool.js";
import { argReduceInto, reduceInto, softmaxGradInto, softmaxInto } from "./reduce.js";
import { unaryGradInto, unaryInto } from "./unary.js";

type V = TensorView<TypedArray>;

const pool = new CpuBufferPool();

// `zeroed` = false only where the kernel writes every element of its output.
function alloc(dtype: DType, n: number, zeroed = true): TypedArray {
  try {
    return pool.take(arrayCtor(dtype) as never, n, zeroed);
  } catch (err) {
    // The runtime's own words ("Array buffer allocation failed", "Invalid array buffer length") name neither
    // the size nor a way out.
    if (!(err instanceof RangeError)) throw err;
    const bytes = n * bytesPerElement(dtype);
    throw new AllocationError(
      `cannot allocate ${n.toLocaleString("en-US")} ${dtype} elements (${formatGiB(bytes)}) on the CPU: ${err.message}. ` +
        "Use a smaller shape or batch, free tensors you no longer need (dispose, tidy), or raise the runtime's memory limit.",
    );
  }
}

function formatGiB(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * The CPU backend class. Obtain the instance with `getBackendSync("cpu")`; construct one yourself only to
 * register a second CPU-backed device (tests do, to exercise DeviceMismatchError).
 *
 * @example
 * registerBackend("cpu2", { create: (id) => new CpuBackend(deviceOf("cpu2", id)) });
 */
export class CpuBackend implements Backend<TypedArray> {
  readonly name: string;
  // f16 is not stored on the CPU: the op layer raises a DTypeError that suggests f32.
  readonly dtypes: readonly DType[] = ["f32", "f64", "i32", "u32", "u8", "bool"];

  /** @internal Made by the registry's CPU provider: `await getBackend("cpu")`. */
  constructor(readonly device: DeviceDescriptor = deviceOf("cpu", 0)) {
    this.name = device.backend;
  }

  upload(data: TypedArray, dtype: DType): TypedArray {
    const Ctor = arrayCtor(dtype);
    return data instanceof Ctor ? data : new Ctor(data);
  }
  async read(x: V): Promise<TypedArray> {
    return x.storage.slice();
  }
  readSync(x: V): TypedArray {
    return x.storage.slice();
  }
  dispose(storage: TypedArray): void {
    // A conv forward pass may have kept its col matrix for this input; the pool may hand the storage out
    // again with other values, so that entry must go first.
    forgetConvInput(storage);
    // Back to the pool (only buffers it handed out); accounting happens in the tensor layer.
    pool.give(storage);
  }
  memoryInfo(): BackendMemoryInfo {
    return { pooledBytes: pool.pooledBytes };
  }
  trimPool(): void {
    pool.trim();
  }

  fill(size: number, value: number, dtype: DType): TypedArray {
    return alloc(dtype, size, false).fill(value);
  }
  arange(start: number, step: number, size: number, dtype: DType): TypedArray {
    const out = alloc(dtype, size, false);
    for (let i = 0; i < size; i++) out[i] = start + i * step;
    return out;
  }
  cast(x: V, dtype: DType): TypedArray {
    const out = alloc(dtype, x.storage.length, false);
    const src = x.storage;
    if (dtype === "bool") for (let i = 0; i < src.length; i++) out[i] = +(src[i] !== 0);
    else if (dtype === "f32" || dtype === "f64") out.set(src);
    else for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]!);
    return out;
  }
  write(dst: V, src: V): void {
    forgetConvInput(dst.storage); // new values: a col matrix cached for the old ones is stale
    dst.storage.set(src.storage);
  }

  unary(op: UnaryOp, x: V, param: number): TypedArray {
    const out = alloc(x.dtype, x.storage.length, false);
    unaryInto(op, x.storage, out, param);
    return out;
  }
  unaryGrad(op: UnaryOp, x: V, y: V, dy: V, param: number): TypedArray {
    const out = alloc(x.dtype, x.storage.length, false);
    unaryGradInto(op, x.storage, y.storage, dy.storage, out, param);
    return out;
  }
  binary(op: BinaryOp, a: V, b: V, outShape: Shape): TypedArray {
    const out = alloc(isComparison(op) ? "bool" : a.dtype, sizeOf(outShape), false);
    binaryInto(op, a.storage, a.shape, b.storage, b.shape, out, outShape);
    return out;
  }
  where(cond: V, a: V, b: V, outShape: Shape): TypedArray {
    const out = alloc(a.dtype, sizeOf(outShape), false);
    whereInto(cond.storage, cond.shape, a.storage, a.shape, b.storage, b.shape, out, outShape);
    return out;
  }
  expand(x: V, outShape: Shape): TypedArray {
    const out = alloc(x.dtype, sizeOf(outShape), false);
    expandInto(x.storage, x.shape, out, outShape);
    return out;
  }

  affineAct(act: FusedAct, param: number, a: V, x: V, b: V, outShape: Shape): TypedArray {
    const out = alloc(x.dtype, sizeOf(outShape), false);
    affineActInto(act, param, a.storage, a.shape, x.storage, x.shape, b.storage, b.shape, out, outShape);
    return out;
  }
  denseAct(act: FusedAct, param: number, w: V, x: V, b: V | null, outShape: Shape): TypedArray {
    const out = alloc(x.dtype, sizeOf(outShape), false);
    denseInto(act, param, w.storage, w.shape, x.storage, x.shape, b?.storage ?? null, out, outShape);
    return out;
  }

  reduce(op: ReduceOp, x: V, axes: readonly number[]): TypedArray {
    const out = alloc(x.dtype, sizeOf(reducedShape(x.shape, axes)));
    reduceInto(op, x.storage, x.shape, axes, out);
    return out;
  }
  argReduce(op: ArgReduceOp, x: V, axis: number): TypedArray {
    const out = new Int32Array(sizeOf(reducedShape(x.shape, [axis])));
    argReduceInto(op, x.storage, x.shape, axis, out);
    return out;
  }
  softmax(x: V, axis: number, log: boolean): TypedArray {
    const out = alloc(x.dtype, x.storage.length, false);
    softmaxInto(x.storage, x.shape, axis, log, out);
    return out;
  }
  softmaxGrad(y: V, dy: V, axis: number, log: boolean): TypedArray {
    const out = alloc(y.dtype, y.storage.length, false);
    softmaxGradInto(y.storage, dy.storage, y.shape, axis, log, out);
    return out;
  }

  matmul(a: V, b: V, opts: MatmulOptions, outShape: Shape): TypedArray {
    // Every GEMM path writes all of C when beta = 0 (the k = 0 case fills zeros).
    const out = alloc(a.dtype, sizeOf(outShape), false);
    matmulInto(a.storage, a.shape, b.storage, b.shape, opts, out, outShape, a.dtype);
    return out;
  }
  permute(x: V, perm: readonly number[]): TypedArray {
    const out = alloc(x.dtype, x.storage.length, false);
    permuteInto(x.storage, x.shape, perm, out);
    return out;
  }
  gather(x: V, axis: number, indices: Int32Array): TypedArray {
    const out = alloc(x.dtype, (x.storage.length / (x.shape[axis] || 1)) * indices.length);
    if (x.shape[axis] !== 0) gatherInto(x.storage, x.shape, axis, indices, out);
    return out;
  }
  scatterAdd(dy: V, axis: number, indices: Int32Array, outShape: Shape): TypedArray {
    const out = alloc(dy.dtype, sizeOf(outShape));
    scatterAddInto(dy.storage, axis, indices, out, outShape);
    return out;
  }
  concat(xs: readonly V[], axis: number, outShape: Shape): TypedArray {
    const out = alloc(xs[0]!.dtype, sizeOf(outShape), false);
    concatInto(
      xs.map((x) => ({ data: x.storage, shape: x.shape })),
      axis,
      out,
      outShape,
    );
    return out;
  }
  onehot(indices: Int32Array, nclasses: number, dtype: DType): TypedArray {
    const out = alloc(dtype, nclasses * indices.length);
    onehotInto(indices, nclasses, out);
    return out;
  }

  // The conv and pool kernels write every element of their outputs (the backward-input kernels zero dx
  // themselves where windows do not cover it), so none of these buffers is zero-filled first: that fill was
  // a tenth of a CNN's inference time.
  conv2d(x: V, w: V, g: Conv2dGeometry): TypedArray {
    const out = alloc(x.dtype, sizeOf(g.outShape), false);
    conv2dInto(x.storage, w.storage, g, out, x.dtype);
    return out;
  }
  conv2dBackwardInput(dy: V, w: V, g: Conv2dGeometry): TypedArray {
    const out = alloc(dy.dtype, sizeOf(g.inShape), false);
    conv2dBackwardInputInto(dy.storage, w.storage, g, out, dy.dtype);
    return out;
  }
  conv2dBackwardFilter(x: V, dy: V, g: Conv2dGeometry): TypedArray {
    const out = alloc(x.dtype, sizeOf(g.weightShape), false);
    conv2dBackwardFilterInto(x.storage, dy.storage, g, out, x.dtype);
    return out;
  }
  pool2d(op: PoolOp, x: V, g: Pool2dGeometry): TypedArray {
    const out = alloc(x.dtype, sizeOf(g.outShape), false);
    pool2dInto(op, x.storage, g, out);
    return out;
  }
  pool2dBackward(op: PoolOp, x: V, y: V, dy: V, g: Pool2dGeometry): TypedArray {
    const out = alloc(x.dtype, sizeOf(g.inShape), false);
    pool2dBackwardInto(op, x.storage, y.storage, dy.storage, g, out);
    return out;
  }
  optimiserStep(ops: readonly PackedOptimiserOp[], x: V, g: V, state: readonly V[]): void {
    optimiserStepInto(
      ops,
      x.storage,
      g.storage,
      state.map((s) => s.storage),
    );
  }
}
