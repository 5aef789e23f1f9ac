// batch: MLUtils' `batch`, the collate function of `collate: true`. Stacks observations along a NEW last dim.
import { cat, isTensor, type Tensor, tensor } from "@flux/kernels";
import { isTypedArray } from "./container.js";
import { DataArgumentError } from "./errors.js";

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

// Typed arrays that map to a kernels dtype; others are left as an array of observations.
const STACKABLE = [Float32Array, Float64Array, Int32Array, Uint32Array, Uint8Array] as const;

function stackTensors(obs: readonly Tensor[]): Tensor {
  const first = obs[0]!;
  for (const t of obs) {
    if (t.shape.length !== first.shape.length || t.shape.some((d, i) => d !== first.shape[i]))
      throw new DataArgumentError(
        `batch: observations must share one shape to be stacked, got [${first.shape.join(", ")}] and [${t.shape.join(", ")}].`,
      );
  }
  // cat pads missing trailing dims with 1, so concatenating along rank+1 stacks along a new last dim.
  return cat(obs, first.rank + 1);
}

function stackTyped(obs: readonly ArrayBufferView[]): unknown {
  const first = obs[0]!;
  const Ctor = STACKABLE.find((C) => first instanceof C);
  if (Ctor === undefined || obs.some((o) => !(o instanceof Ctor))) return [...obs];
  const len = (first as Float32Array).length;
  const out = new Ctor(len * obs.length);
  obs.forEach((o, j) => {
    const v = o as Float32Array;
    if (v.length !== len)
      throw new DataArgumentError(
        `batch: typed-array observations differ in length (${len} and ${v.length}).`,
      );
    out.set(v, j * len);
  });
  return tensor(out, [len, obs.length]);
}

/**
 * Stacks a list of observations into one batch along a new last dim (MLUtils' `batch`).
 *
 * Tensors of one shape `s` become one tensor `[...s, n]` (on their device); equal-length typed arrays a CPU
 * tensor `[len, n]`; numbers an array of numbers; tuples (arrays) and objects are batched field by field,
 * recursively. Anything else is returned as the array of observations.
 *
 * @example
 * batch([ones([3]), zeros([3])]).shape;            // [3, 2]
 * batch([{ x: ones([3]), y: 1 }, { x: ones([3]), y: 0 }]); // { x: 3×2 tensor, y: [1, 0] }
 */
export function batch(observations: readonly unknown[]): unknown {
  if (observations.length === 0) return [];
  const first = observations[0];
  if (observations.every(isTensor)) return stackTensors(observations as Tensor[]);
  if (observations.every(isTypedArray)) return stackTyped(observations as readonly ArrayBufferView[]);
  if (observations.every((o) => typeof o === "number")) return [...observations];
  if (Array.isArray(first) && observations.every((o) => Array.isArray(o) && o.length === first.length)) {
    return first.map((_, k) => batch(observations.map((o) => (o as unknown[])[k])));
  }
  if (isPlainObject(first)) {
    const keys = Object.keys(first);
    const same = observations.every(
      (o) => isPlainObject(o) && Object.keys(o).length === keys.length && keys.every((k) => k in o),
    );
    if (same)
      return Object.fromEntries(
        keys.map((k) => [k, batch(observations.map((o) => (o as Record<string, unknown>)[k]))]),
      );
  }
  return [...observations];
}
