// The CPU backend: storage is a typed array of exactly `size` elements (bool as Uint8Array). It is the
// numeric reference every other backend is tested against.
import type {
  AttentionGrads,
  AttentionOperands,
  AttentionOutput,
  Backend,
  BackendMemoryInfo,
  Conv2dGeometry,
  GruSequenceGrads,
  GruSequenceOperands,
  GruSequenceOutput,
  LstmSequenceGrads,
  LstmSequenceOperands,
  LstmSequenceOutput,
  LstmSequenceWants,
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
import { attentionBackwardInto, attentionDims, attentionForwardInto } from "./attention.js";
import { denseInto } from "./dense.js";
import { binaryInto, expandInto, whereInto } from "./binary.js";
import {
  conv2dBackwardFilterInto,
  conv2dBackwardInputInto,
  conv2dInto,
  forgetConvInput,
  trimConvScratch,
} from "./conv.js";
import { concatInto, gatherInto, onehotInto, permuteInto, scatterAddInto } from "./layout.js";
import { gemmFor } from "./gemm.js";
import { type GruOperands, gruBackwardInto, gruForwardInto } from "./gru.js";
import { type LstmDims, type LstmOperands, lstmBackwardInto, lstmForwardInto } from "./lstm.js";
import { matmulInto } from "./matmul.js";
import { optimiserStepInto } from "./optimiserStep.js";
import { pool2dBackwardInto, pool2dInto } from "./pool.js";
import {
  layernormAffineGradInto,
  layernormAffineInto,
  layernormGradInto,
  layernormInto,
} from "./layernorm.js";
import { argReduceInto, reduceInto, softmaxGradInto, softmaxInto } from "./reduce.js";
import { reluBiasGradInto } from "./reluBiasGrad.js";
import { unaryGradInto, unaryInto } from "./unary.js";

type V = TensorView<TypedArray>;

const pool = new CpuBufferPool();

// `zeroed` = false only where the kernel writes every element of its output.
/** A buffer of `n` elements, not zero-filled, that `write` fills in full. */
function filled(dtype: DType, n: number, write: (out: TypedArray) => void): TypedArray {
  const out = alloc(dtype, n, false);
  write(out);
  return out;
}

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

// The sizes and arrays of a fused LSTM call (shapes checked by the op layer).
function lstmDims(ops: LstmSequenceOperands<TypedArray>): LstmDims {
  const [input, T, B] = ops.x.shape as [number, number, number];
  return { input, n: ops.wh.shape[1]!, steps: T, batch: B };
}
function lstmArrays(ops: LstmSequenceOperands<TypedArray>): LstmOperands {
  const { x, wi, wh, b, h0, c0 } = ops;
  return {
    x: x.storage,
    wi: wi.storage,
    wh: wh.storage,
    b: b?.storage ?? null,
    h0: h0.storage,
    c0: c0.storage,
  };
}

function gruArrays(ops: GruSequenceOperands<TypedArray>): GruOperands {
  const { x, wi, wh, b, h0 } = ops;
  return { x: x.storage, wi: wi.storage, wh: wh.storage, b: b?.storage ?? null, h0: h0.storage };
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
    trimConvScratch();
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

  conv2dBiasAct(act: FusedAct, param: number, x: V, w: V, b: V | null, g: Conv2dGeometry): TypedArray {
    const out = alloc(x.dtype, sizeOf(g.outShape), false);
    const [oW, oH, Cout] = g.outShape;
    const one = alloc(x.dtype, 1, false).fill(1);
    const bias = b?.storage ?? alloc(x.dtype, 1, true);
    const biasShape = b === null ? [1] : [1, Cout, 1];
    conv2dInto(x.storage, w.storage, g, out, x.dtype, undefined, (y, count) => {
      const shape = [oW * oH, Cout, count];
      affineActInto(act, param, one, [1], y, shape, bias, biasShape, y, shape);
    });
    return out;
  }
  reluBiasGrad(y: V, dy: V, biasShape: Shape): [TypedArray, TypedArray] {
    const dx = alloc(y.dtype, y.storage.length, false);
    const db = alloc(y.dtype, sizeOf(biasShape), false);
    reluBiasGradInto(y.storage, dy.storage, y.shape, biasShape, dx, db);
    return [dx, db];
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
  layernorm(x: V, len: number, eps: number): TypedArray {
    const out = alloc(x.dtype, x.storage.length, false);
    layernormInto(x.storage, len, eps, out);
    return out;
  }
  layernormGrad(x: V, dy: V, len: number, eps: number): TypedArray {
    const out = alloc(x.dtype, x.storage.length, false);
    layernormGradInto(x.storage, dy.storage, len, eps, out);
    return out;
  }
  layernormAffine(x: V, scale: V, bias: V | null, len: number, eps: number): TypedArray {
    const out = alloc(x.dtype, x.storage.length, false);
    layernormAffineInto(x.storage, scale.storage, bias?.storage ?? null, len, eps, out);
    return out;
  }
  layernormAffineGrad(
    x: V,
    scale: V,
    dy: V,
    len: number,
    eps: number,
    wants: { readonly x: boolean; readonly scale: boolean; readonly bias: boolean },
  ): { dx: TypedArray | null; dscale: TypedArray | null; dbias: TypedArray | null } {
    const dt = x.dtype;
    const out = {
      dx: wants.x ? alloc(dt, x.storage.length, false) : null,
      dscale: wants.scale ? alloc(dt, len, false) : null,
      dbias: wants.bias ? alloc(dt, len, false) : null,
    };
    layernormAffineGradInto(x.storage, scale.storage, dy.storage, len, eps, out);
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
    return filled(x.dtype, sizeOf(g.outShape), (out) => conv2dInto(x.storage, w.storage, g, out, x.dtype));
  }
  conv2dBackwardInput(dy: V, w: V, g: Conv2dGeometry): TypedArray {
    const write = (out: TypedArray) => conv2dBackwardInputInto(dy.storage, w.storage, g, out, dy.dtype);
    return filled(dy.dtype, sizeOf(g.inShape), write);
  }
  conv2dBackwardFilter(x: V, dy: V, g: Conv2dGeometry): TypedArray {
    const write = (out: TypedArray) => conv2dBackwardFilterInto(x.storage, dy.storage, g, out, x.dtype);
    return filled(x.dtype, sizeOf(g.weightShape), write);
  }
  pool2d(op: PoolOp, x: V, g: Pool2dGeometry): TypedArray {
    return filled(x.dtype, sizeOf(g.outShape), (out) => pool2dInto(op, x.storage, g, out));
  }
  pool2dBackward(op: PoolOp, x: V, y: V, dy: V, g: Pool2dGeometry): TypedArray {
    const write = (out: TypedArray) => pool2dBackwardInto(op, x.storage, y.storage, dy.storage, g, out);
    return filled(x.dtype, sizeOf(g.inShape), write);
  }
  // Every buffer below is written in full by the recurrence, so none is zero-filled first.
  lstmSequence(ops: LstmSequenceOperands<TypedArray>): LstmSequenceOutput<TypedArray> {
    const dims = lstmDims(ops);
    const { input, n, steps: T, batch: B } = dims;
    const dt = ops.x.dtype;
    const saved = {
      xt: alloc(dt, input * T * B, false),
      gates: alloc(dt, 4 * n * T * B, false),
      cells: alloc(dt, n * T * B, false),
      tanhCells: alloc(dt, n * T * B, false),
      hs: alloc(dt, n * (T + 1) * B, false),
    };
    const y = alloc(dt, n * T * B, false);
    const cLast = alloc(dt, n * B, false);
    lstmForwardInto(gemmFor(dt), dims, lstmArrays(ops), y, cLast, saved);
    const list = [saved.xt, saved.gates, saved.cells, saved.tanhCells, saved.hs];
    return { y, cLast, saved: list.map((storage) => ({ storage, size: storage.length })) };
  }
  lstmSequenceBackward(
    ops: LstmSequenceOperands<TypedArray>,
    saved: readonly TypedArray[],
    dy: V,
    dcLast: V | null,
    wants: LstmSequenceWants,
  ): LstmSequenceGrads<TypedArray> {
    const dims = lstmDims(ops);
    const { input, n, steps: T, batch: B } = dims;
    const dt = dy.dtype;
    const grads = {
      dx: wants.x ? alloc(dt, input * T * B, false) : null,
      dwi: wants.wi ? alloc(dt, 4 * n * input, false) : null,
      dwh: wants.wh ? alloc(dt, 4 * n * n, false) : null,
      db: wants.b ? alloc(dt, 4 * n, false) : null,
      dh0: alloc(dt, n * B, false),
      dc0: alloc(dt, n * B, false),
    };
    const scratch = {
      dgates: alloc(dt, 4 * n * T * B, false),
      wht: alloc(dt, 4 * n * n, false),
      dxt: wants.x ? alloc(dt, input * T * B, false) : null,
      ones: wants.b ? alloc(dt, T * B, false).fill(1) : null,
    };
    const [xt, gates, cells, tanhCells, hs] = saved as [
      TypedArray,
      TypedArray,
      TypedArray,
      TypedArray,
      TypedArray,
    ];
    const fwd = { xt, gates, cells, tanhCells, hs };
    lstmBackwardInto(
      gemmFor(dt),
      dims,
      lstmArrays(ops),
      fwd,
      dy.storage,
      dcLast?.storage ?? null,
      grads,
      scratch,
    );
    for (const s of [scratch.dgates, scratch.wht, scratch.dxt, scratch.ones]) if (s !== null) pool.give(s);
    return grads;
  }
  gruSequence(ops: GruSequenceOperands<TypedArray>): GruSequenceOutput<TypedArray> {
    const [input, T, B] = ops.x.shape as [number, number, number];
    const n = ops.wh.shape[1]!;
    const dt = ops.x.dtype;
    const saved = {
      xt: alloc(dt, input * T * B, false),
      gates: alloc(dt, 3 * n * T * B, false),
      gh: alloc(dt, 3 * n * T * B, false),
      hs: alloc(dt, n * (T + 1) * B, false),
    };
    const y = alloc(dt, n * T * B, false);
    gruForwardInto(gemmFor(dt), { input, n, steps: T, batch: B }, gruArrays(ops), y, saved);
    const list = [saved.xt, saved.gates, saved.gh, saved.hs];
    return { y, saved: list.map((storage) => ({ storage, size: storage.length })) };
  }
  gruSequenceBackward(
    ops: GruSequenceOperands<TypedArray>,
    saved: readonly TypedArray[],
    dy: V,
    wants: LstmSequenceWants,
  ): GruSequenceGrads<TypedArray> {
    const [input, T, B] = ops.x.shape as [number, number, number];
    const n = ops.wh.shape[1]!;
    const dt = dy.dtype;
    const grads = {
      dx: wants.x ? alloc(dt, input * T * B, false) : null,
      dwi: wants.wi ? alloc(dt, 3 * n * input, false) : null,
      dwh: wants.wh ? alloc(dt, 3 * n * n, false) : null,
      db: wants.b ? alloc(dt, 3 * n, false) : null,
      dh0: alloc(dt, n * B, false),
    };
    const scratch = {
      dgx: alloc(dt, 3 * n * T * B, false),
      dgh: alloc(dt, 3 * n * T * B, false),
      wht: alloc(dt, 3 * n * n, false),
      dxt: wants.x ? alloc(dt, input * T * B, false) : null,
      ones: wants.b ? alloc(dt, T * B, false).fill(1) : null,
    };
    const [xt, gates, gh, hs] = saved as [TypedArray, TypedArray, TypedArray, TypedArray];
    const dims = { input, n, steps: T, batch: B };
    gruBackwardInto(gemmFor(dt), dims, gruArrays(ops), { xt, gates, gh, hs }, dy.storage, grads, scratch);
    for (const s of Object.values(scratch)) if (s !== null) pool.give(s);
    return grads;
  }
  // Every output below is written in full (each head's rows of y, dq, dk, dv; every weight), so none is
  // zero-filled first.
  attention(ops: AttentionOperands<TypedArray>): AttentionOutput<TypedArray> {
    const dims = attentionDims(ops);
    const { heads, Dv, L, S, B } = dims;
    const dt = ops.q.dtype;
    const y = alloc(dt, Dv * L * B, false);
    const weights = alloc(dt, S * L * heads * B, false);
    attentionForwardInto(gemmFor(dt), dims, ops, y, weights);
    return { y, weights };
  }
  attentionBackward(
    ops: AttentionOperands<TypedArray>,
    weights: V,
    dy: V | null,
    dweights: V | null,
    wants: { readonly q: boolean; readonly k: boolean; readonly v: boolean },
  ): AttentionGrads<TypedArray> {
    const dims = attentionDims(ops);
    const dt = ops.q.dtype;
    const out = {
      dq: wants.q ? alloc(dt, ops.q.storage.length, false) : null,
      dk: wants.k ? alloc(dt, ops.k.storage.length, false) : null,
      dv: wants.v ? alloc(dt, ops.v.storage.length, false) : null,
    };
    const scratch = alloc(dt, weights.storage.length, false);
    attentionBackwardInto(
      gemmFor(dt),
      dims,
      ops,
      weights.storage,
      dy?.storage ?? null,
      dweights?.storage ?? null,
      out,
      scratch,
    );
    pool.give(scratch);
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
