import { checkNotPromise, fmapstructure } from "@flux/functors";
import { isTensor } from "@flux/kernels";

/**
 * Flux's `state(m)`: the model as plain objects and arrays, holding its tensors (trainable and not) and
 * plain settings (numbers, strings, booleans, null); functions and other objects become `null`.
 *
 * The tensors are the model's own (not copies), as in Flux; tied tensors appear as the same object at
 * each place. Pass the result to `loadmodel` to restore a model of the same structure.
 *
 * @example
 * const s = state(Chain(Dense(1, 2, tanh), Dense(2, 1)));
 * s.layers[0].weight; // the 2×1 weight tensor; s.layers[0].σ === null
 */
export function state(m: unknown): any {
  checkNotPromise(m, "state", "model");
  return fmapstructure((x: unknown) => {
    if (isTensor(x)) return x;
    if (x === null || x === undefined) return null;
    if (typeof x === "number" || typeof x === "string" || typeof x === "boolean") return x;
    return null;
  }, m);
}
