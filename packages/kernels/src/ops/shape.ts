// Layout ops: reshape (free: shares storage), transpose, permutedims, slicing along a dim, concatenation.
import { record, releaseTemp } from "../autodiff/tape.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { checkShape, type Shape, sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { backendOf, shareStorage, wrap } from "./core.js";

/**
 * The same values read as another shape, column-major (Julia's `reshape`); one dim may be `-1` (Julia's
 * `:`) to be inferred. Shares storage with `x` (no copy).
 *
 * @example
 * reshape(arange(6), [2, 3]);   // columns [0,1], [2,3], [4,5]
 * reshape(x, [-1, batchSize]);  // Flux's flatten
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  backendOf("reshape", x);
  const s = inferShape(x, shape);
  const out = shareStorage(x, s, "reshape");
  record([x], out, (g) => [shareStorage(g, x.shape, "reshape")]);
  return out;
}

function inferShape(x: Tensor, shape: readonly number[]): Shape {
  if (!Array.isArray(shape))
    throw new ShapeError(
      `reshape: the new shape must be an array of dims such as [${x.size}] or [-1, 1], got ${typeof shape} ${String(shape)}.`,
    );
  const free = shape.indexOf(-1);
  if (free !== shape.lastIndexOf(-1)) throw new ShapeError("reshape: at most one dim may be -1.");
  let s = shape;
  if (free >= 0) {
    const known = sizeOf(shape.filter((_, i) => i !== free));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer -1 in [${shape.join(", ")}] for ${x.size} elements.`);
    }
    s = shape.map((d, i) => (i === free ? x.size / known : d));
  }
  const checked = checkShape(s, "reshape shape");
  if (sizeOf(checked) !== x.size) {
    throw new ShapeError(
      `reshape: [${x.shape.join(", ")}] has ${x.size} elements, [${checked.join(", ")}] has ${sizeOf(checked)}.`,
    );
  }
  return checked;
}

/**
 * Permutes dims with a 1-based permutation (Julia's `permutedims(x, perm)`): output dim i is input dim
 * `perm[i]`.
 *
 * @example
 * permutedims(zeros([2, 3, 4]), [3, 1, 2]).shape; // [4, 2, 3]
 */
export function permutedims(x: Tensor, perm: readonly number[]): Tensor {
  const b = backendOf("permutedims", x);
  const p = perm.map((d) => d - 1);
  if (p.length !== x.rank || [...p].sort((u, v) => u - v).some((d, i) => d !== i)) {
    throw new ArgumentError(
      `permutedims: [${perm.join(", ")}] is not a 1-based permutation of 1..${x.rank}.`,
    );
  }
  return permuteAxes(b, x, p);
}

function permuteAxes(b: ReturnType<typeof backendOf>, x: Tensor, p: readonly number[]): Tensor {
  const shape = p.map((d) => x.shape[d]!);
  const out = wrap(b, b.permute(x.view("permutedims"), p), shape, x.dtype);
  record([x], out, (g) => {
    const inv = new Array<number>(p.length);
    p.forEach((d, i) => {
      inv[d] = i;
    });
    return [wrap(b, b.permute(g.view("permutedims"), inv), x.shape, x.dtype)];
  });
  return out;
}

/**
 * The transpose of a matrix (a vector becomes a 1×n matrix), Julia's `transpose`.
 *
 * @example
 * transpose(zeros([2, 3])).shape; // [3, 2]
 */
export function transpose(x: Tensor): Tensor {
  const b = backendOf("transpose", x);
  if (x.rank === 1) return reshape(x, [1, x.shape[0]!]);
  if (x.rank !== 2)
    throw new ShapeError(`transpose: needs a vector or matrix, got ${x.rank} dims; use permutedims.`);
  return permuteAxes(b, x, [1, 0]);
}

/** @internal Gathers `indices` (0-based) along axis, with the scatter-add VJP. */
function gatherAxis(x: Tensor, axis: number, indices: Int32Array, op: string): Tensor {
  const b = backendOf(op, x);
  const len = x.shape[axis]!;
  for (const i of indices) {
    if (i < 0 || i >= len)
      throw new ArgumentError(`${op}: index ${i} is out of range 0..${len - 1} (indices are 0-based).`);
  }
  const shape = x.shape.map((d, i) => (i === axis ? indices.length : d));
  const out = wrap(b, b.gather(x.view(op), axis, indices), shape, x.dtype);
  record([x], out, (g) => [wrap(b, b.scatterAdd(g.view(op), axis, indices, x.shape), x.shape, x.dtype)]);
  return out;
}

/** A 0-based index, an array of them, or a half-open range `{ start, stop }`. */
export type Index = number | readonly number[] | { start: number; stop: number };

// Int32Array.from would truncate 1.5 to 1 and turn NaN or "2" into 0: a fractional index would silently
// pick another element. Every index must already be an integer.
function checkIndex(i: unknown, op: string): number {
  if (!Number.isInteger(i))
    throw new ArgumentError(
      `${op}: indices are 0-based integers, got ${typeof i === "number" ? i : `${typeof i} ${String(i)}`}.`,
    );
  return i as number;
}

function indexList(index: Index, op: string): Int32Array {
  if (typeof index === "number") return Int32Array.of(checkIndex(index, op));
  if (Array.isArray(index)) return Int32Array.from(index, (i) => checkIndex(i, op));
  if (typeof index !== "object" || index === null || !("start" in index) || !("stop" in index))
    throw new ArgumentError(
      `${op}: an index is a 0-based integer, an array of them or a range { start, stop }, got ${
        index === null ? "null" : typeof index
      }.`,
    );
  const r = index as { start: number; stop: number };
  if (!Number.isInteger(r.start) || !Number.isInteger(r.stop) || r.stop < r.start) {
    throw new ArgumentError(
      `${op}: a range needs integers start <= stop, got {start: ${r.start}, stop: ${r.stop}}.`,
    );
  }
  return Int32Array.from({ length: r.stop - r.start }, (_, i) => r.start + i);
}

/**
 * Slices along one 1-based dim (Julia's `selectdim`). A number index (0-BASED) drops that dim, like
 * Julia; an array of indices or a `{ start, stop }` range (0-based, stop excluded) keeps it.
 *
 * @example
 * selectdim(x, 2, 0);                    // the first column, as a vector
 * selectdim(x, 2, { start: 0, stop: 2 }); // the first two columns
 */
export function selectdim(x: Tensor, dim: number, index: Index): Tensor {
  if (!Number.isInteger(dim) || dim < 1 || dim > x.rank) {
    throw new ArgumentError(`selectdim: dim must be a 1-based dim in 1..${x.rank}, got ${dim}.`);
  }
  const axis = dim - 1;
  const picked = gatherAxis(x, axis, indexList(index, "selectdim"), "selectdim");
  if (typeof index !== "number") return picked;
  const out = reshape(
    picked,
    x.shape.filter((_, i) => i !== axis),
  );
  releaseTemp(picked);
  return out;
}

/**
 * Observations along the LAST dim (MLUtils' `getobs` on an array): a number (0-based) drops the dim, an
 * array or range keeps it.
 *
 * @example
 * selectobs(images, [0, 5, 9]); // a batch of 3 observations
 */
export function selectobs(x: Tensor, index: Index): Tensor {
  if (x.rank === 0) throw new ArgumentError("selectobs: a 0-d tensor has no observation dim.");
  return selectdim(x, x.rank, index);
}

/**
 * Concatenates along a 1-based dim (Julia's `cat(xs...; dims)`). Missing trailing dims count as 1, so
 * vectors concatenated along dim 2 become the columns of a matrix.
 *
 * @example
 * cat([zeros([2, 3]), ones([2, 1])], 2).shape; // [2, 4]
 */
export function cat(xs: readonly Tensor[], dims: number): Tensor {
  if (xs.length === 0) throw new ArgumentError("cat: needs at least one tensor.");
  if (!Number.isInteger(dims) || dims < 1)
    throw new ArgumentError(`cat: dims is one 1-based dim, got ${dims}.`);
  const b = backendOf("cat", ...xs);
  const axis = dims - 1;
  const rank = Math.max(dims, ...xs.map((x) => x.rank));
  const padded = xs.map((x) => [...x.shape, ...new Array<number>(rank - x.rank).fill(1)]);
  const dtype = xs[0]!.dtype;
  for (let k = 0; k < xs.length; k++) {
    if (xs[k]!.dtype !== dtype)
      throw new ShapeError(`cat: tensors have dtypes ${dtype} and ${xs[k]!.dtype}; cast first.`);
    for (let d = 0; d < rank; d++) {
      if (d !== axis && padded[k]![d] !== padded[0]![d]) {
        throw new ShapeError(
          `cat: along dims=${dims}, shapes [${xs[0]!.shape.join(", ")}] and [${xs[k]!.shape.join(", ")}] differ in dim ${d + 1}.`,
        );
      }
    }
  }
  const shape = padded[0]!.map((d, i) => (i === axis ? padded.reduce((s, p) => s + p[axis]!, 0) : d));
  const views = xs.map((x, k) => ({ storage: x.view("cat").storage, shape: padded[k]!, dtype }));
  const out = wrap(b, b.concat(views, axis, shape), shape, dtype);
  record(xs, out, (g, needs) => {
    let at = 0;
    return xs.map((x, k) => {
      const len = padded[k]![axis]!;
      const idx = Int32Array.from({ length: len }, (_, i) => at + i);
      at += len;
      if (!needs[k]) return null;
      const piece = wrap(b, b.gather(g.view("cat"), axis, idx), padded[k]!, dtype);
      return piece.rank === x.rank ? piece : shareStorage(piece, x.shape, "cat");
    });
  });
  return out;
}

/** `cat(xs, 1)`: stacks along the first dim (Julia's `vcat`). @example vcat(ones([2]), zeros([3])).shape; // [5] */
export function vcat(...xs: Tensor[]): Tensor {
  return cat(xs, 1);
}

/** `cat(xs, 2)`: side by side (Julia's `hcat`); vectors become columns. @example hcat(ones([2]), zeros([2])).shape; // [2, 2] */
export function hcat(...xs: Tensor[]): Tensor {
  return cat(xs, 2);
}
