// Shared plumbing of the public ops: wrapping backend storage into tensors, device and dtype checks,
// scalar operands, and un-broadcasting cotangents.
import { record } from "../autodiff/tape.js";
import type { Backend } from "../backend.js";
import { type DType, bytesPerElement, integerRange, isFloat } from "../dtype.js";
import { ArgumentError, DTypeError, DeviceMismatchError, KernelsError } from "../errors.js";
import { type Shape, shapesEqual, sizeOf } from "../shape.js";
import { StorageHandle, Tensor, isTensor } from "../tensor.js";
import { isThenable } from "../thenable.js";

/** @internal Wraps new backend storage as a tensor. */
export function wrap(backend: Backend, storage: unknown, shape: Shape, dtype: DType): Tensor {
  return new Tensor(
    new StorageHandle(backend, storage, sizeOf(shape) * bytesPerElement(dtype)),
    shape,
    dtype,
  );
}

/** @internal A tensor sharing `x`'s storage with another shape (same size). */
export function shareStorage(x: Tensor, shape: Shape, op: string): Tensor {
  const h = x.handle(op);
  h.refs++;
  return new Tensor(h, shape, x.dtype);
}

/** @internal The one backend of the tensors (DeviceMismatchError naming both devices otherwise). */
export function backendOf(op: string, ...ts: readonly Tensor[]): Backend {
  const first = ts[0]!;
  for (const t of ts) {
    if (!isTensor(t))
      throw new ArgumentError(
        `${op}: expected a Tensor, got ${describe(t)}. Make one with tensor(data, shape)` +
          (isThenable(t) ? " (or is it an un-awaited gpu(x)? device moves are async: `await gpu(x)`)." : "."),
      );
    if (t.device !== first.device) throw new DeviceMismatchError(op, String(first.device), String(t.device));
    t.view(op); // throws DisposedTensorError naming the op
  }
  return first.backend;
}

/** @internal Throws unless `dtype` is a float type. */
export function requireFloat(op: string, dtype: DType): void {
  if (!isFloat(dtype)) {
    throw new DTypeError(
      `${op} needs a float tensor (f32/f64/f16), got ${dtype}. Convert with cast(x, "f32").`,
    );
  }
}

/** @internal Throws unless the backend stores `dtype`. */
export function requireSupported(op: string, backend: Backend, dtype: DType): void {
  if (!backend.dtypes.includes(dtype)) {
    throw new DTypeError(
      `${op}: ${dtype} is not supported on ${String(backend.device)} (it stores ${backend.dtypes.join(", ")}).` +
        (dtype === "f16" ? ' f16 is not supported on cpu; use "f32" there.' : "") +
        (dtype === "f64" ? ' Use "f32" on GPUs.' : ""),
    );
  }
}

/** @internal A 0-d tensor holding `value`, on `backend`. */
export function scalarOn(backend: Backend, value: number, dtype: DType): Tensor {
  return wrap(backend, backend.fill(1, value, dtype), [], dtype);
}

/** @internal Converts storage dtype without autodiff (for temporaries). */
export function castRaw(x: Tensor, dtype: DType, op: string): Tensor {
  return wrap(x.backend, x.backend.cast(x.view(op), dtype), x.shape, dtype);
}

/** @internal `x` read as `shape` (same size; shares storage, no autodiff). */
export function reshapeRaw(x: Tensor, shape: Shape, op: string): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  return shareStorage(x, shape, op);
}

/** @internal Describes a value for error messages. */
export function describe(v: unknown): string {
  if (isTensor(v)) return `a ${v.shape.join("×")} Tensor{${v.dtype}}`;
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (isThenable(v)) return "a Promise";
  return `a ${typeof v}`;
}

/**
 * @internal An op's operand as a tensor of `dtype` on `backend`: a number (and, with `booleans`, a boolean)
 * becomes a scalar tensor, a tensor of another dtype a cast copy. Each tensor made here is pushed onto
 * `temps`, for the caller to free once the op has run.
 */
export function operandAs(op: string, backend: Backend, dtype: DType, temps: Tensor[], booleans = false) {
  return (v: unknown): Tensor => {
    if (!isTensor(v)) {
      if (typeof v !== "number" && !(booleans && typeof v === "boolean")) {
        throw new ArgumentError(`${op}: operands must be Tensors or numbers, got ${describe(v)}.`);
      }
      if (typeof v === "number") checkScalarFits(op, v, dtype);
      const s = scalarOn(backend, Number(v), dtype);
      temps.push(s);
      return s;
    }
    if (v.dtype === dtype) return v;
    const c = castRaw(v, dtype, op);
    // A float operand promoted to a wider float (f32 with f64) keeps its gradient: the cast is recorded,
    // its cotangent cast back (without it the narrower operand's gradient was silently null).
    if (isFloat(v.dtype) && isFloat(dtype)) {
      const from = v.dtype;
      record([v], c, (g) => [wrap(backend, backend.cast(g.view(op), from), v.shape, from)]);
    }
    temps.push(c);
    return c;
  };
}

/**
 * A JS number operand takes the tensor's dtype: an integer dtype would truncate or wrap a number it cannot
 * hold without a word (`add(i32Tensor, 0.5)` adding 0, `mul(u8Tensor, -1)` multiplying by 255), where Julia
 * would promote to a wider type. Refuse instead, as `tensor` and `fill` do.
 */
function checkScalarFits(op: string, v: number, dtype: DType): void {
  const range = integerRange(dtype);
  if (range === undefined || (Number.isInteger(v) && v >= range[0] && v <= range[1])) return;
  throw new ArgumentError(
    `${op}: the number ${v} cannot be an operand of a ${dtype} tensor (a JS number takes the tensor's dtype, ` +
      `and ${dtype} holds the integers ${range[0]}..${range[1]}). Pass an integer in that range, or cast the ` +
      'tensor to a float dtype first (cast(x, "f32")).',
  );
}

/** @internal Asserts a condition with a KernelsError. */
export function check(cond: boolean, code: string, message: () => string): asserts cond {
  if (!cond) throw new KernelsError(code, message());
}
