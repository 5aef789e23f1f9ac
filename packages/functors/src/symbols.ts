// The cross-package protocol. These are `Symbol.for` keys (the global symbol registry) on purpose: two
// installed copies of @flux/functors, and packages that never import us (@flux/kernels), all agree on them.

/**
 * Marks an object as a leaf: `fmap` applies its function to it instead of walking inside.
 *
 * Any object whose property under this key (own or inherited) is truthy is a leaf. Tensors set it on their
 * class prototype; `leaf(Class)` does the same for your classes. Equal to `Symbol.for("flux.leaf")`.
 *
 * @example
 * class Tensor { declare [LEAF]: true }
 * Object.defineProperty(Tensor.prototype, LEAF, { value: true });
 * isleaf(new Tensor()); // true
 */
export const LEAF: unique symbol = Symbol.for("flux.leaf") as never;

/**
 * Lists the child fields of a class: a readonly array of field names, normally on the class prototype.
 *
 * Fields not listed are carried over unchanged when `fmap` rebuilds an instance. Set it with
 * `functor(Class, fields)`. Equal to `Symbol.for("flux.functor")`.
 *
 * @example
 * functor(Dense, ["weight", "bias"]);
 * Dense.prototype[FUNCTOR]; // ["weight", "bias"]
 */
export const FUNCTOR: unique symbol = Symbol.for("flux.functor") as never;

/**
 * Lists the fields an optimiser may change: a readonly array of field names, normally on the prototype.
 *
 * Read by `trainable(x)`; when absent every child is trainable. Set it with `trainableFields(Class, fields)`
 * or `functor(Class, fields, { trainable })`. Equal to `Symbol.for("flux.trainable")`.
 *
 * @example
 * trainableFields(BatchNorm, ["beta", "gamma"]);
 * Object.keys(trainable(bn)); // ["beta", "gamma"]
 */
export const TRAINABLE: unique symbol = Symbol.for("flux.trainable") as never;
