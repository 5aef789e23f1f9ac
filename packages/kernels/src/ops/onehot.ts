// Flux's `onehotbatch` / `onecold`, with 0-based class positions.
import { ArgumentError } from "../errors.js";
import { checkShape } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { backendOf, reshapeRaw, wrap } from "./core.js";
import { backendFor, type CreationOptions } from "./creation.js";

/** Options of `onehotbatch`. */
export interface OnehotOptions extends CreationOptions {
  /** A label to use for values not in `classes` (Flux's `default`); otherwise they throw. */
  default?: unknown;
}

/**
 * Flux's `onehotbatch(labels, classes)`: a `[classes.length, labels.length]` matrix with a 1 in each
 * column at the position of that label in `classes`. dtype f32 by default (Flux's is a Bool matrix; pass
 * `{ dtype: "bool" }` for that).
 *
 * @example
 * onehotbatch([1, 0, 2], [0, 1, 2]); // 3×3: columns e2, e1, e3
 * onehotbatch(["cat", "dog"], ["dog", "cat"], { dtype: "bool" });
 */
export function onehotbatch<L>(
  labels: ArrayLike<L>,
  classes: ArrayLike<L>,
  opts: OnehotOptions = {},
): Tensor {
  const position = new Map<unknown, number>();
  for (let i = 0; i < classes.length; i++) if (!position.has(classes[i])) position.set(classes[i], i);
  const dflt = opts.default === undefined ? undefined : position.get(opts.default);
  if (opts.default !== undefined && dflt === undefined) {
    throw new ArgumentError(
      `onehotbatch: the default label ${String(opts.default)} is not one of the classes.`,
    );
  }
  const idx = new Int32Array(labels.length);
  for (let j = 0; j < labels.length; j++) {
    const p = position.get(labels[j]) ?? dflt;
    if (p === undefined) {
      throw new ArgumentError(
        `onehotbatch: label ${String(labels[j])} (at ${j}) is not one of the ${classes.length} classes; pass { default } to map unknown labels.`,
      );
    }
    idx[j] = p;
  }
  const b = backendFor(opts);
  const dtype = opts.dtype ?? "f32";
  const shape = checkShape([classes.length, labels.length]);
  return wrap(b, b.onehot(idx, classes.length, dtype), shape, dtype);
}

/**
 * Flux's `onecold(y)`: the 0-BASED position of the largest entry in each column (dim 1 dropped), dtype i32,
 * on y's device. Compare with `eq` and average with `mean` for accuracy. Read positions with `await
 * t.data()` and index your labels array to get labels.
 *
 * @example
 * const acc = mean(eq(onecold(yhat), onecold(y)));
 */
export function onecold(y: Tensor): Tensor {
  const b = backendOf("onecold", y);
  if (y.rank === 0) throw new ArgumentError("onecold: needs at least a vector.");
  const idx = wrap(b, b.argReduce("argmax", y.view("onecold"), 0), [1, ...y.shape.slice(1)], "i32");
  const out = reshapeRaw(idx, y.shape.slice(1), "onecold");
  if (out !== idx) idx.dispose();
  return out;
}
