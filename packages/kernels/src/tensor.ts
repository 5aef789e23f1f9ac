// The Tensor class: a shape, a dtype and a reference to backend storage. Tensors are immutable from the
// public API's point of view (ops return new tensors); `reshape` shares storage, counted once.
import type { Backend, TensorView } from "./backend.js";
import type { DeviceDescriptor } from "./device.js";
import { type DType, halfToFloat, type TypedArray } from "./dtype.js";
import { DisposedTensorError, SyncReadError } from "./errors.js";
import { trackAlloc, trackFree, trackTensorCreated, trackTensorDisposed } from "./memory.js";
import { formatShape, type Shape, sizeOf } from "./shape.js";
import { formatTensorValues } from "./format.js";

/** @internal Backend storage shared by a tensor and its reshapes; freed when the last one is disposed. */
export class StorageHandle {
  refs = 1;
  constructor(
    readonly backend: Backend,
    readonly storage: unknown,
    readonly bytes: number,
  ) {
    trackAlloc(backend.device, bytes);
  }
  release(): void {
    if (--this.refs === 0) {
      trackFree(this.backend.device, this.bytes);
      this.backend.dispose(this.storage);
    }
  }
}

/** Nested JS arrays of a tensor's values: `a[i][j]` is element (i, j) (first index outermost). */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array on a device (the role of Julia's `Array` / `CuArray`).
 *
 * Shapes are Julia's (column-major, features first, observations last). Create tensors with `tensor`,
 * `zeros`, `randn`...; compute with the ops (`matmul`, `add`, `relu`...); read with `await t.data()`;
 * free with `dispose()` or `tidy`.
 *
 * @example
 * const x = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
 * console.log(String(x)); // 3×2 Tensor{f32} on cpu: ...
 * x.dispose();
 */
export class Tensor {
  /** Dims in Julia order. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** Where the values live (interned: compare with ===). */
  readonly device: DeviceDescriptor;
  /** Number of elements. */
  readonly size: number;
  #handle: StorageHandle | null;

  /** @internal Use the creation functions (`tensor`, `zeros`...) instead. */
  constructor(handle: StorageHandle, shape: Shape, dtype: DType) {
    this.#handle = handle;
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.dtype = dtype;
    this.device = handle.backend.device;
    this.size = sizeOf(this.shape);
    trackTensorCreated(this);
  }

  /** Number of dims (`ndims` in Julia). */
  get rank(): number {
    return this.shape.length;
  }

  /** Whether `dispose()` was called (or a `tidy` freed it). */
  get isDisposed(): boolean {
    return this.#handle === null;
  }

  /** @internal The backend that owns the storage. */
  get backend(): Backend {
    return this.#live("backend").backend;
  }

  /** @internal The storage handle, for ops that share storage (reshape). Throws if disposed. */
  handle(op: string): StorageHandle {
    return this.#live(op);
  }

  /** @internal What a backend primitive receives; throws DisposedTensorError naming `op` if freed. */
  view(op: string): TensorView {
    return { storage: this.#live(op).storage, shape: this.shape, dtype: this.dtype };
  }

  /**
   * A copy of the values as a typed array (column-major; bool as Uint8Array; f16 as raw half bits).
   *
   * @example
   * await tensor([1, 2], [2]).data(); // Float32Array [1, 2]
   */
  async data(): Promise<TypedArray> {
    const h = this.#live("data");
    return h.backend.read({ storage: h.storage, shape: this.shape, dtype: this.dtype });
  }

  /**
   * A copy of the values, synchronously: CPU tensors only (a GPU tensor throws SyncReadError).
   *
   * @example
   * ones([2]).dataSync(); // Float32Array [1, 1]
   */
  dataSync(): TypedArray {
    const h = this.#live("dataSync");
    if (h.backend.readSync === undefined) throw new SyncReadError(String(this.device));
    return h.backend.readSync({ storage: h.storage, shape: this.shape, dtype: this.dtype });
  }

  /**
   * The values as nested JS arrays in Julia index order: `a[i][j]` is element (i, j) (first index
   * outermost); a 0-d tensor gives a number; bools give booleans.
   *
   * @example
   * await tensor([1, 2, 3, 4, 5, 6], [3, 2]).array(); // [[1, 4], [2, 5], [3, 6]]
   */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  /** `array()` synchronously (CPU tensors only). */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  /**
   * The single value of a 1-element tensor as a number (e.g. a loss).
   *
   * @example
   * await sum(ones([3])).item(); // 3
   */
  async item(): Promise<number> {
    return scalarOf(await this.data(), this.size, this.dtype);
  }

  /** `item()` synchronously (CPU tensors only). */
  itemSync(): number {
    return scalarOf(this.dataSync(), this.size, this.dtype);
  }

  /**
   * Frees the storage now (like Julia's `unsafe_free!`). Idempotent; later use throws
   * DisposedTensorError naming the op.
   *
   * @example
   * const t = zeros([3]); t.dispose(); t.isDisposed; // true
   */
  dispose(): void {
    const h = this.#handle;
    if (h === null) return;
    this.#handle = null;
    h.release();
    trackTensorDisposed(this);
  }

  /** Julia-style printing: a header like `3×2 Tensor{f32} on cpu` and, for CPU tensors, the values. */
  toString(): string {
    const header = `${formatShape(this.shape)} Tensor{${this.dtype}} on ${String(this.device)}`;
    if (this.#handle === null) return `${header} (disposed)`;
    if (this.#handle.backend.readSync === undefined) return header;
    return `${header}:\n${formatTensorValues(this.dataSync(), this.shape, this.dtype)}`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  #live(op: string): StorageHandle {
    const h = this.#handle;
    if (h === null) {
      throw new DisposedTensorError(
        op,
        `${formatShape(this.shape)} Tensor{${this.dtype}} on ${String(this.device)}`,
      );
    }
    return h;
  }
}

// The cross-package functors protocol: a tensor is a leaf, found by a Symbol.for key so that @flux/functors
// needs no import of ours (and two installed copies agree).
Object.defineProperty(Tensor.prototype, Symbol.for("flux.leaf"), { value: true, enumerable: false });

/**
 * Whether `x` is a Tensor of this package (or of another installed copy: checked by the leaf symbol and
 * the Tensor surface, not by `instanceof`).
 *
 * @example
 * isTensor(zeros([1])); // true
 */
export function isTensor(x: unknown): x is Tensor {
  return (
    x instanceof Tensor ||
    (typeof x === "object" &&
      x !== null &&
      (x as Record<symbol, unknown>)[Symbol.for("flux.leaf")] === true &&
      "shape" in x &&
      "dtype" in x &&
      "view" in x)
  );
}

function hostValue(data: TypedArray, i: number, dtype: DType): number {
  return dtype === "f16" ? halfToFloat(data[i]!) : data[i]!;
}

function scalarOf(data: TypedArray, size: number, dtype: DType): number {
  if (size !== 1) {
    throw new TypeError(`[@flux/kernels] item(): the tensor has ${size} elements; item() needs exactly one.`);
  }
  return hostValue(data, 0, dtype);
}

function toNested(data: TypedArray, shape: Shape, dtype: DType): NestedArray {
  const strides: number[] = [];
  let acc = 1;
  for (const d of shape) {
    strides.push(acc);
    acc *= d;
  }
  const value = (i: number): number | boolean =>
    dtype === "bool" ? data[i] !== 0 : hostValue(data, i, dtype);
  const build = (dim: number, offset: number): NestedArray => {
    if (dim === shape.length) return value(offset);
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[dim]!; i++) out.push(build(dim + 1, offset + i * strides[dim]!));
    return out;
  };
  return build(0, 0);
}
