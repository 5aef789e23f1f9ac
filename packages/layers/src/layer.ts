// The calling convention and registration shared by every layer. Layers are class instances with a
// `forward` method (not callable functions): @flux/functors treats functions as leaves and rebuilds
// containers with Object.create, so a callable layer would be invisible to fmap, devices and optimisers.
import { type CallableClass, callableClass, checkNotPromise, functor } from "@flux/functors";
import type { Tensor } from "@flux/kernels";
import { LayerArgumentError } from "./errors.js";
import { describeArg } from "./layers/arguments.js";

/**
 * What `apply` accepts as a layer: an object with `forward`, or a plain function (an activation, `flatten`).
 */
export type LayerLike = { forward(...xs: never[]): unknown } | ((...xs: never[]) => unknown);

/**
 * Applies a layer (or a plain function) to inputs: Flux's `m(x)`.
 *
 * Layers are objects with a `forward` method; functions such as `relu` or `flatten` sit in chains as they
 * are and are simply called. Use `apply` where the thing may be either.
 *
 * @example
 * const y = apply(Dense(2, 3), x);   // same as Dense(2, 3).forward(x)
 * const z = apply(relu, y);          // same as relu(y)
 */
export function apply(layer: LayerLike, ...xs: unknown[]): Tensor {
  // `gpu(model)` or `gpu(x)` without `await` is the commonest slip: say so before anything sees a Promise.
  checkNotPromise(layer, "apply", "model");
  for (const [i, x] of xs.entries()) checkNotPromise(x, "apply", i === 0 ? "x" : `xs[${i}]`);
  if (typeof layer === "function") return (layer as (...a: unknown[]) => Tensor)(...xs);
  if (layer !== null && typeof layer === "object" && typeof layer.forward === "function") {
    return (layer.forward as (...a: unknown[]) => Tensor)(...xs);
  }
  throw new LayerArgumentError(
    `apply: expected a layer (an object with forward) or a function, got ${describeArg(layer)}.`,
  );
}

/**
 * Makes a layer class callable without `new` (`Dense(2, 3)` as in Flux) and registers its functor fields:
 * @flux/functors' `functor` and `callableClass`, the constructor convention of every package.
 *
 * `children` are the fields @flux/functors walks (Flux's `@layer` fields, in Flux's order); `trainable`
 * is the subset an optimiser may change (all children when omitted). `instanceof` keeps working.
 *
 * @example
 * export const Dense = layerConstructor(DenseLayer, ["weight", "bias", "σ"]);
 * Dense(2, 3) instanceof Dense; // true
 */
export function layerConstructor<C extends new (...args: any[]) => object>(
  cls: C,
  children: readonly string[],
  trainable?: readonly string[],
): CallableClass<C> {
  functor(cls, children, trainable === undefined ? {} : { trainable });
  return callableClass(cls);
}
