import type { Tensor } from "@flux/kernels";

/**
 * Julia's `identity`: returns its argument; the default activation of layers.
 *
 * Layers compare their activation with this function to skip work and to print as Flux does
 * (`Dense(2 => 3)` rather than `Dense(2 => 3, identity)`).
 *
 * @example
 * identity(x) === x; // true
 */
export function identityFn(x: Tensor): Tensor {
  return x;
}
export { identityFn as identity };
