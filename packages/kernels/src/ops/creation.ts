// Tensor creation: from JS data, constants, ranges and random numbers.
import type { Backend } from "../backend.js";
import { type DeviceDescriptor, parseDevice } from "../device.js";
import { arrayCtor, type DType, integerRange, isDType, type TypedArray } from "../dtype.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import { cpuBackend, getBackendSync } from "../registry.js";
import { defaultRng, type Rng } from "../rng.js";
import { checkShape, type Shape, sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { requireSupported, wrap } from "./core.js";
import { checkOpOptions } from "./options.js";

const CREATION_KEYS = ["dtype", "device"] as const;
const RANDOM_KEYS = ["dtype", "device", "rng"] as const;

/** Where and as what to create a tensor. */
export interface CreationOptions {
  /** Element type; default `"f32"` (or the typed array's type for `tensor`). */
  dtype?: DType;
  /** A device descriptor or its text (`"cpu"`, `"webgpu:0"`); its backend must be loaded. Default CPU. */
  device?: DeviceDescriptor | string;
}

/** Options of the random creators. */
export interface RandomOptions extends CreationOptions {
  /** The generator; default `defaultRng()`. */
  rng?: Rng;
}

/** Nested JS arrays of numbers or booleans, first index outermost. */
export type NestedData = number | boolean | readonly NestedData[];

/** @internal The backend for creation options. */
export function backendFor(opts: CreationOptions | undefined): Backend {
  return opts?.device === undefined ? cpuBackend() : getBackendSync(parseDevice(opts.device));
}

function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return "f32";
  if (data instanceof Float64Array) return "f64";
  if (data instanceof Int32Array) return "i32";
  if (data instanceof Uint32Array) return "u32";
  if (data instanceof Uint16Array) return "f16";
  return "u8";
}

/** @internal Uploads host values (already in column-major order) as a tensor. */
export function fromHost(
  values: ArrayLike<number>,
  shape: Shape,
  dtype: DType,
  backend: Backend,
  op: string,
): Tensor {
  if (!isDType(dtype)) throw new DTypeError(`${op}: unknown dtype ${String(dtype)}.`);
  requireSupported(op, backend, dtype);
  const Ctor = arrayCtor(dtype);
  let arr: TypedArray;
  if (dtype === "bool") {
    arr = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) arr[i] = values[i] ? 1 : 0;
  } else {
    if (isIntegerDType(dtype) && !(values instanceof Ctor)) checkIntegerValues(op, values, dtype);
    arr = values instanceof Ctor ? values.slice() : new Ctor(values);
  }
  return wrap(backend, backend.upload(arr, dtype), shape, dtype);
}

/**
 * A tensor from JS data.
 *
 * `data` is either FLAT values in column-major order with `shape` (Julia's `reshape(data, shape...)`), a
 * typed array (its type picks the dtype), a number (0-d), or nested arrays where `a[i][j]` is element
 * (i, j): the first index is outermost, so `[[1, 2], [3, 4]]` is the matrix with rows [1 2] and [3 4].
 *
 * @example
 * tensor([1, 2, 3, 4, 5, 6], [3, 2]);   // 3×2, columns [1,2,3] and [4,5,6]
 * tensor([[1, 2], [3, 4]]);             // 2×2, rows [1 2] and [3 4]
 * tensor([true, false], [2], { dtype: "bool" });
 */
export function tensor(data: NestedData | TypedArray, shape?: Shape, opts?: CreationOptions): Tensor {
  checkTensorData(data, opts?.dtype);
  checkOpOptions("tensor", opts, CREATION_KEYS, '{ dtype: "i32" }');
  const backend = backendFor(opts);
  if (ArrayBuffer.isView(data)) {
    const dtype = opts?.dtype ?? dtypeOfArray(data);
    const s = checkShape(shape ?? [data.length]);
    if (sizeOf(s) !== data.length) {
      throw new ShapeError(
        `tensor: ${data.length} values do not fill shape [${s.join(", ")}] (${sizeOf(s)} elements).`,
      );
    }
    return fromHost(data, s, dtype, backend, "tensor");
  }
  const inferred = inferShape(data);
  const flat = flattenColumnMajor(data, inferred);
  const isBool = flat.length > 0 && typeof flat[0] === "boolean";
  const dtype = opts?.dtype ?? (isBool ? "bool" : "f32");
  let s: Shape;
  if (shape === undefined) s = inferred;
  else {
    s = checkShape(shape);
    if (sizeOf(s) !== flat.length) {
      throw new ShapeError(
        `tensor: ${flat.length} values do not fill shape [${s.join(", ")}] (${sizeOf(s)} elements).`,
      );
    }
  }
  return fromHost(flat.map(Number), s, dtype, backend, "tensor");
}

// A value that is not a number, a boolean, a (nested) array of them or a typed array would become NaN
// without a word (`Number("a")`, `Number(undefined)`, `Number({})`): refuse it, naming what was given.
function checkTensorData(data: unknown, dtype: DType | undefined): void {
  if (ArrayBuffer.isView(data)) {
    checkTypedArray(data, dtype);
    return;
  }
  if (typeof data === "number" || typeof data === "boolean") return;
  if (!Array.isArray(data)) {
    const got =
      data === null
        ? "null"
        : typeof data === "object"
          ? `an object (${describe(data)})`
          : `${typeof data} ${describe(data)}`;
    throw new ArgumentError(
      `tensor: the data must be a number, a boolean, a (nested) array of them or a typed array; got ${got}.`,
    );
  }
  const check = (x: unknown, path: string): void => {
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) check(x[i], `${path}[${i}]`);
      return;
    }
    if (typeof x !== "number" && typeof x !== "boolean") {
      throw new ArgumentError(
        `tensor: element data${path} is ${x === null ? "null" : `${typeof x} ${describe(x)}`}; tensors hold numbers or booleans (convert labels with onehotbatch, strings with a lookup table).`,
      );
    }
  };
  check(data, "");
}

// The typed arrays whose type names a dtype; any other view needs an explicit dtype (its values are then
// converted), and 64-bit integer arrays cannot be converted at all (BigInt does not mix with numbers).
const VIEW_DTYPES: readonly [new (n: number) => ArrayBufferView, DType][] = [
  [Float32Array, "f32"],
  [Float64Array, "f64"],
  [Int32Array, "i32"],
  [Uint32Array, "u32"],
  [Uint16Array, "f16"],
  [Uint8Array, "u8"],
  [Uint8ClampedArray, "u8"],
];

function checkTypedArray(data: ArrayBufferView, dtype: DType | undefined): void {
  const name = data.constructor?.name ?? "ArrayBufferView";
  if (data instanceof BigInt64Array || data instanceof BigUint64Array || data instanceof DataView)
    throw new ArgumentError(
      `tensor: a ${name} cannot be a tensor's data (tensors hold f32, f64, i32, u32, f16, u8 or bool); ` +
        "convert it first, e.g. Int32Array.from(data, Number) or Float64Array.from(data, Number).",
    );
  if (dtype === undefined && !VIEW_DTYPES.some(([C]) => data instanceof C))
    throw new ArgumentError(
      `tensor: a ${name} has no matching dtype (its values would be reinterpreted); pass one, e.g. ` +
        'tensor(data, shape, { dtype: "i32" }), or use a Float32Array, Float64Array, Int32Array, Uint32Array or Uint8Array.',
    );
}

/**
 * Integer dtypes cannot hold fractions, NaN or values outside their range; a typed-array conversion would
 * truncate or wrap them without a word (Julia's `Int32(1.5)` is an InexactError). Throws naming the
 * first such value.
 */
function checkIntegerValues(op: string, values: ArrayLike<number>, dtype: DType): void {
  const [lo, hi] = integerRange(dtype)!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new ArgumentError(
        `${op}: element ${i} is ${v}, which a ${dtype} tensor cannot hold (integers ${lo}..${hi}); ` +
          "round it first (Math.round) or use a float dtype.",
      );
  }
}

function isIntegerDType(dtype: DType): boolean {
  return integerRange(dtype) !== undefined;
}

function describe(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x.length > 20 ? `${x.slice(0, 20)}...` : x);
  if (typeof x === "object" && x !== null) return x.constructor?.name ?? "Object";
  return String(x);
}

function inferShape(data: NestedData): number[] {
  const shape: number[] = [];
  let cur: NestedData = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0] as NestedData;
    if (cur === undefined) break;
  }
  return shape;
}

// Nested arrays are indexed a[i][j][k] = element (i, j, k); storage is column-major (i fastest).
function flattenColumnMajor(data: NestedData, shape: readonly number[]): (number | boolean)[] {
  if (!Array.isArray(data)) return [data as number | boolean];
  const n = sizeOf(shape);
  const out = new Array<number | boolean>(n);
  const strides: number[] = [];
  let acc = 1;
  for (const d of shape) {
    strides.push(acc);
    acc *= d;
  }
  const walk = (x: NestedData, dim: number, offset: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(x)) throw new ShapeError("tensor: nested arrays are ragged (deeper in some places).");
      out[offset] = x as number | boolean;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(
        `tensor: nested arrays are ragged at depth ${dim + 1} (expected length ${shape[dim]}).`,
      );
    }
    for (let i = 0; i < x.length; i++) walk(x[i] as NestedData, dim + 1, offset + i * strides[dim]!);
  };
  walk(data, 0, 0);
  return out;
}

/**
 * A tensor of `shape` filled with `value` (Julia's `fill(value, dims...)`).
 *
 * @example
 * fill(0.5, [2, 3]);
 */
export function fill(value: number | boolean, shape: Shape, opts?: CreationOptions): Tensor {
  checkOpOptions("fill", opts, CREATION_KEYS, '{ dtype: "f64" }');
  if (typeof value !== "number" && typeof value !== "boolean")
    throw new ArgumentError(
      `fill: the value must be a number or a boolean, got ${value === null ? "null" : `${typeof value} ${describe(value)}`}.`,
    );
  const backend = backendFor(opts);
  const s = checkShape(shape);
  const dtype = opts?.dtype ?? (typeof value === "boolean" ? "bool" : "f32");
  requireSupported("fill", backend, dtype);
  if (isIntegerDType(dtype)) checkIntegerValues("fill", [Number(value)], dtype);
  return wrap(backend, backend.fill(sizeOf(s), Number(value), dtype), s, dtype);
}

/** Zeros of `shape`. @example zeros([3, 2]); // 3×2 Tensor{f32} */
export function zeros(shape: Shape, opts?: CreationOptions): Tensor {
  checkOpOptions("zeros", opts, CREATION_KEYS, '{ dtype: "f64" }');
  return fill(0, shape, { dtype: "f32", ...opts });
}

/** Ones of `shape`. @example ones([2], { dtype: "f64" }); */
export function ones(shape: Shape, opts?: CreationOptions): Tensor {
  checkOpOptions("ones", opts, CREATION_KEYS, '{ dtype: "f64" }');
  return fill(1, shape, { dtype: "f32", ...opts });
}

/** Zeros with `x`'s shape, dtype and device. @example zerosLike(w); */
export function zerosLike(x: Tensor): Tensor {
  return fill(0, x.shape, { dtype: x.dtype, device: x.device });
}

/** Ones with `x`'s shape, dtype and device. @example onesLike(w); */
export function onesLike(x: Tensor): Tensor {
  return fill(1, x.shape, { dtype: x.dtype, device: x.device });
}

/**
 * `start, start + step, ...` up to but excluding `stop` (a 1-D tensor). With one argument, `0 .. n-1`.
 *
 * @example
 * arange(4);          // [0, 1, 2, 3]
 * arange(1, 2, 0.25); // [1, 1.25, 1.5, 1.75]
 */
export function arange(start: number, stop?: number, step = 1, opts?: CreationOptions): Tensor {
  checkOpOptions("arange", opts, CREATION_KEYS, '{ dtype: "i32" }');
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new ArgumentError(
      `arange: start and stop must be finite numbers, got ${String(start)} and ${String(stop)}.`,
    );
  if (step === 0 || !Number.isFinite(step))
    throw new ArgumentError(`arange: step must be a non-zero finite number, got ${step}.`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const backend = backendFor(opts);
  const dtype = opts?.dtype ?? "f32";
  requireSupported("arange", backend, dtype);
  return wrap(backend, backend.arange(lo, step, n, dtype), [n], dtype);
}

/**
 * Uniform random numbers in [0, 1) (Julia's `rand(rng, Float32, dims...)`).
 *
 * @example
 * rand([3, 4], { rng: rng(0) });
 */
export function rand(shape: Shape, opts?: RandomOptions): Tensor {
  checkOpOptions("rand", opts, RANDOM_KEYS, "{ rng: rng(42) }");
  const s = checkShape(shape);
  const r = randomSource("rand", opts?.rng, "uniform");
  const v = new Float64Array(sizeOf(s));
  for (let i = 0; i < v.length; i++) v[i] = r.uniform();
  return fromHost(v, s, opts?.dtype ?? "f32", backendFor(opts), "rand");
}

/**
 * Standard normal random numbers (Julia's `randn(rng, Float32, dims...)`).
 *
 * @example
 * randn([5, 10], { rng: rng(1) });
 */
export function randn(shape: Shape, opts?: RandomOptions): Tensor {
  checkOpOptions("randn", opts, RANDOM_KEYS, "{ rng: rng(42) }");
  const s = checkShape(shape);
  const r = randomSource("randn", opts?.rng, "normal");
  const v = new Float64Array(sizeOf(s));
  for (let i = 0; i < v.length; i++) v[i] = r.normal();
  return fromHost(v, s, opts?.dtype ?? "f32", backendFor(opts), "randn");
}

/** The generator of `rand`/`randn`: `defaultRng()`, or the given one if it is an `Rng`-like object. */
function randomSource(op: string, given: unknown, method: "uniform" | "normal"): Rng {
  if (given === undefined) return defaultRng();
  if (typeof given !== "object" || given === null || typeof (given as Rng)[method] !== "function")
    throw new ArgumentError(
      `${op}: opts.rng must be a generator from rng(seed) (an object with ${method}()), got ${
        given === null
          ? "null"
          : typeof given === "object"
            ? describe(given)
            : `${typeof given} ${String(given)}`
      }.`,
    );
  return given as Rng;
}
