// Shapes, strides and broadcasting in Julia's order: column-major, the FIRST dim varies fastest.
import { ArgumentError, ShapeError } from "./errors.js";

/** A tensor shape, dims listed in Julia order (features first, observations last). */
export type Shape = readonly number[];

/**
 * The number of elements of a shape (1 for the 0-d shape `[]`).
 *
 * @example
 * sizeOf([3, 4]); // 12
 */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Column-major strides: `strides[0] = 1`, `strides[i] = strides[i-1] * shape[i-1]`.
 *
 * @example
 * stridesOf([3, 4]); // [1, 3]
 */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = 0; i < shape.length; i++) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Whether two shapes are equal dim by dim. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks that a shape is a list of non-negative integers and returns a frozen copy.
 */
export function checkShape(shape: Shape, what = "shape"): Shape {
  if (!Array.isArray(shape)) throw new ShapeError(`${what} must be an array of dims, got ${String(shape)}.`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${what} [${shape.join(", ")}] has a dim that is not a non-negative integer.`);
    }
  }
  let n = 1;
  for (const d of shape) n *= d;
  if (!Number.isSafeInteger(n)) {
    throw new ShapeError(
      `${what} [${shape.join(", ")}] holds ${n.toExponential(2)} elements, more than any tensor can (at most 2^53 - 1 can even be counted); use a smaller shape.`,
    );
  }
  return Object.freeze([...shape]);
}

/**
 * The broadcast shape of two shapes, as Julia broadcasting: dims are compared from the FIRST one;
 * a missing trailing dim counts as 1; each pair must be equal or contain a 1.
 *
 * @example
 * broadcastShapes([3, 4], [3]); // [3, 4]   (a column vector spreads over the columns)
 */
export function broadcastShapes(a: Shape, b: Shape, op = "broadcast"): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < a.length ? a[i]! : 1;
    const db = i < b.length ? b[i]! : 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(
        `${op}: shapes [${a.join(", ")}] and [${b.join(", ")}] do not broadcast: dim ${i + 1} is ${da} vs ${db} ` +
          "(dims are compared from the first, Julia-style; each pair must match or one must be 1).",
      );
    }
  }
  return out;
}

/**
 * The strides to read `shape` as if broadcast to `outShape`: stride 0 along dims of size 1 (or missing).
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const s = stridesOf(shape);
  const out = new Array<number>(outShape.length);
  for (let i = 0; i < outShape.length; i++) out[i] = i < shape.length && shape[i] !== 1 ? s[i]! : 0;
  return out;
}

/**
 * Converts public 1-based dims (Julia/NNlib `dims`) to sorted unique 0-based axes, checking the range.
 */
export function normalizeDims(dims: number | readonly number[], rank: number, op: string): number[] {
  const list = typeof dims === "number" ? [dims] : [...dims];
  const out = new Set<number>();
  for (const d of list) {
    if (!Number.isInteger(d) || d < 1) {
      throw new ArgumentError(`${op}: dims are 1-based like Julia's (dims=1 is the first dim), got ${d}.`);
    }
    // Julia allows dims beyond ndims (size 1 there); reducing over them is a no-op, so they are dropped.
    if (d <= rank) out.add(d - 1);
  }
  return [...out].sort((x, y) => x - y);
}

/** The shape after reducing `axes` (kept as size-1 dims, as Julia's `sum(x; dims)`). */
export function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Formats a shape as Julia prints sizes: `3×2`, `5-element`, `0-dimensional`. */
export function formatShape(shape: Shape): string {
  if (shape.length === 0) return "0-dimensional";
  if (shape.length === 1) return `${shape[0]}-element`;
  return shape.join("×");
}
