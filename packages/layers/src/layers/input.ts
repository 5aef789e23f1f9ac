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
 * every forward; or a function's name such as `"flatten"`), what it got and how to make a tensor.
 * `argument` names an input other than the first (`"y"` of Bilinear).
 */
export function checkTensorInput(
  layer: { showCompact(): string } | string,
  x: unknown,
  argument = "x",
): asserts x is Tensor {
  if (isTensor(x)) return;
  const name = typeof layer === "string" ? layer : layer.showCompact();
  checkNotPromise(x, typeof layer === "string" ? name : `${name}.forward`, argument);
  const got = Array.isArray(x)
    ? `a JS array of length ${x.length}`
    : ArrayBuffer.isView(x)
      ? `a ${x.constructor.name} (a typed array has no shape)`
      : describeArg(x);
  throw new LayerInputError(
    `${name} expects a Tensor${argument === "x" ? "" : ` as ${argument}`}, got ${got}. Make one with tensor(data, shape) from @flux/kernels, ` +
      "observations along the LAST dim: tensor([1, 2, 3, 4, 5, 6], [2, 3]) is 3 observations of 2 features.",
  );
}
