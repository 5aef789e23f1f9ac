// The first check of a layer's forward: the input must be a Tensor. A plain JS array, a typed array, a
// Promise (an un-awaited `gpu(x)`) or `undefined` would otherwise fail deep inside the layer with a bare
// TypeError ("cannot read properties of undefined") that names neither the layer nor the fix.
import { checkNotPromise } from "@flux/functors";
import { isTensor, type Tensor } from "@flux/kernels";
import { LayerInputError } from "../errors.js";
import { describeArg } from "./arguments.js";

/**
 * @internal Throws unless `x` is a Tensor: @flux/functors' `UnawaitedPromiseError` for a Promise, else a
 * `LayerInputError` naming the layer (its compact form, `Dense(2 => 3)`, built only on failure: this runs on
 * every forward), what it got and how to make a tensor.
 */
export function checkTensorInput(layer: { showCompact(): string }, x: unknown): asserts x is Tensor {
  if (isTensor(x)) return;
  const name = layer.showCompact();
  checkNotPromise(x, `${name}.forward`, "x");
  const got = Array.isArray(x)
    ? `a JS array of length ${x.length}`
    : ArrayBuffer.isView(x)
      ? `a ${x.constructor.name} (a typed array has no shape)`
      : describeArg(x);
  throw new LayerInputError(
    `${name} expects a Tensor, got ${got}. Make one with tensor(data, shape) from @flux/kernels, ` +
      "observations along the LAST dim: tensor([1, 2, 3, 4, 5, 6], [2, 3]) is 3 observations of 2 features.",
  );
}
