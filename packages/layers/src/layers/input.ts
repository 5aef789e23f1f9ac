// The first check of a layer's forward pass: the input must be a tensor. Without it a number, a JS
// array, `undefined` or an un-awaited device move fails deep inside with "cannot read properties of
// undefined", which names neither the layer nor the fix.
import { checkNotPromise } from "@flux/functors";
import { type Tensor, isTensor } from "@flux/kernels";
import { LayerInputError } from "../errors.js";

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return `a JS array of length ${x.length}`;
  if (typeof x === "object") return `an object (${x.constructor?.name ?? "no prototype"})`;
  return `${typeof x} ${String(x).slice(0, 40)}`;
}

/**
 * Throws unless `x` is a tensor: `UnawaitedPromiseError` for a Promise (a missing `await` on a device
 * move), `LayerInputError` naming the layer (`who`, its compact form) otherwise.
 */
export function checkInputTensor(x: unknown, who: string, argument = "input"): asserts x is Tensor {
  checkNotPromise(x, who, argument);
  if (!isTensor(x))
    throw new LayerInputError(
      `${who} expects a Tensor as its ${argument}, got ${describe(x)}. Make one with tensor(data, shape) ` +
        "from @flux/kernels (observations along the last dim).",
    );
}
