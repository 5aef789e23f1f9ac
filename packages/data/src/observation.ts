// numobs / getobs: MLUtils' observation interface over tensors, typed arrays, JS arrays, tuples/objects of
// them and custom containers. Indices are 0-based (JavaScript), observations sit along the LAST dim.
import { checkNotPromise } from "@flux/functors";
import { selectobs, type Tensor } from "@flux/kernels";
import { containerKind, type ObsContainer, type TypedArrayLike } from "./container.js";
import { DataArgumentError, NotADataContainerError, ObsCountMismatchError } from "./errors.js";

/** One 0-based observation index, or several (an array or typed array of them). */
export type ObsIndex = number | ArrayLike<number>;

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return `${typeof x} ${String(x)}`;
  return x.constructor?.name ? `a ${x.constructor.name}` : "an object";
}

/**
 * The number of observations in `data` (MLUtils' `numobs`).
 *
 * A tensor has `shape.at(-1)` observations; a typed array or JS array of observations one per element;
 * a tuple (array of containers) or object of containers the common count of its parts (they must agree,
 * else ObsCountMismatchError); a custom container whatever its `numobs()` says.
 *
 * @example
 * numobs(zeros([784, 100]));                         // 100
 * numobs({ x: zeros([4, 10]), y: new Int32Array(10) }); // 10
 */
export function numobs(data: unknown): number {
  checkNotPromise(data, "numobs", "data");
  switch (containerKind(data)) {
    case "tensor": {
      const t = data as Tensor;
      if (t.rank === 0)
        throw new DataArgumentError("numobs: a 0-d tensor has no observation dim; reshape it to [1] first.");
      return t.shape[t.rank - 1]!;
    }
    case "typed":
    case "vector":
      return (data as ArrayLike<unknown>).length;
    case "custom": {
      const n = (data as ObsContainer).numobs();
      if (!Number.isInteger(n) || n < 0)
        throw new DataArgumentError(`numobs: the container's numobs() returned ${n}, not a count.`);
      return n;
    }
    case "tuple":
      return commonCount((data as unknown[]).map((v, i) => [`[${i}]`, v] as const));
    case "named":
      return commonCount(Object.entries(data as object));
    default:
      throw new NotADataContainerError(`numobs: ${describe(data)}`);
  }
}

function commonCount(parts: readonly (readonly [string, unknown])[]): number {
  const counts = parts.map(([k, v]) => [k, numobs(v)] as const);
  const n = counts[0]![1];
  if (counts.some(([, c]) => c !== n)) throw new ObsCountMismatchError(counts);
  return n;
}

/**
 * Observation `i` of `data`, or the batch of observations `indices` (MLUtils' `getobs`; 0-based).
 *
 * A single index drops the observation dim (a column of a matrix is a vector; an element of a typed array
 * is a number); an index list keeps it (a matrix batch, a typed array of the same type). Tuples and objects
 * are sliced part by part. Tensors are sliced on their own device (no copy to the host). Without an index,
 * returns `data` itself (MLUtils' `getobs(data)`).
 *
 * @example
 * getobs(zeros([4, 10]), 3).shape;        // [4]
 * getobs(zeros([4, 10]), [0, 1, 2]).shape; // [4, 3]
 * getobs({ x: xs, y: ys }, [5, 7]);        // { x: 4×2 tensor, y: the two labels }
 */
export function getobs(data: unknown, index?: ObsIndex): unknown {
  checkNotPromise(data, "getobs", "data");
  if (index === undefined) return data;
  const n = numobs(data);
  const many = typeof index !== "number";
  const list = many ? checkIndices(index, n) : checkIndex(index, n);
  return slice(data, many ? list : list[0]!, many);
}

function checkIndex(i: number, n: number): number[] {
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new DataArgumentError(
      `getobs: index ${i} is out of range ${n === 0 ? "(the container is empty)" : `0..${n - 1}`}; indices are 0-based integers.`,
    );
  }
  return [i];
}

function checkIndices(index: ArrayLike<number>, n: number): number[] {
  const list = Array.from(index);
  for (const i of list) checkIndex(i, n);
  return list;
}

/** Slices an already-validated container: `index` is a number when `many` is false, else a list. */
function slice(data: unknown, index: number | number[], many: boolean): unknown {
  switch (containerKind(data)) {
    case "tensor":
      return selectobs(data as Tensor, index);
    case "typed": {
      const ta = data as TypedArrayLike;
      if (!many) return ta[index as number];
      const out = new (ta.constructor as new (n: number) => TypedArrayLike)((index as number[]).length);
      (index as number[]).forEach((k, j) => {
        out[j] = ta[k]!;
      });
      return out;
    }
    case "vector": {
      const v = data as unknown[];
      return many ? (index as number[]).map((k) => v[k]) : v[index as number];
    }
    case "custom": {
      const c = data as ObsContainer;
      if (!many) return c.getobs(index as number);
      const list = index as number[];
      return c.getobsBatch ? c.getobsBatch(list) : list.map((k) => c.getobs(k));
    }
    case "tuple":
      return (data as unknown[]).map((v) => slice(v, index, many));
    case "named":
      return Object.fromEntries(Object.entries(data as object).map(([k, v]) => [k, slice(v, index, many)]));
    default:
      throw new NotADataContainerError(`getobs: ${describe(data)}`);
  }
}
