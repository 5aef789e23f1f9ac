// The one constructor convention of every @flux package: a public class is called like a Julia
// constructor, without `new` (`Dense(2, 3)`, `Adam(1e-3)`, `DataLoader(data)`, `DefaultWalk()`), and `new`
// still works. JavaScript cannot call a `class` without `new`, so the exported value is a Proxy of the class
// whose call trap constructs it; `instanceof`, statics, `prototype` and subclassing see the class itself.
import { FunctorDefinitionError } from "./errors.js";

// Set (hidden) on every class made callable, so the convention test (packages/flux) can tell a wrapped class
// from a plain one through the Proxy.
const CALLABLE = Symbol.for("flux.callableClass");

/**
 * A class that can also be called as a function: `X(...args)` is `new X(...args)`.
 *
 * A generic class loses its type parameters in the call form (they default); give the constant an explicit
 * constructor interface where that matters (see `DataLoaderConstructor`).
 */
export type CallableClass<C extends abstract new (...args: any) => any> = C &
  ((...args: ConstructorParameters<C>) => InstanceType<C>);

/**
 * Makes a class callable without `new`, as Julia's constructors are (`DefaultWalk()`, `Leaf(rule, s)`).
 *
 * Export the result under the public name and the instance type beside it. `name` sets the class's `name`
 * when it is declared under another one (shown by `util.inspect` and summaries).
 *
 * @example
 * class LeafImpl { constructor(readonly rule: unknown, readonly state: unknown) {} }
 * export const Leaf = callableClass(LeafImpl, "Leaf");
 * export type Leaf = LeafImpl;
 * Leaf(rule, s) instanceof Leaf; // true, as is new Leaf(rule, s)
 */
export function callableClass<C extends new (...args: any[]) => object>(
  cls: C,
  name?: string,
): CallableClass<C> {
  if (typeof cls !== "function" || typeof cls.prototype !== "object" || cls.prototype === null) {
    throw new FunctorDefinitionError(
      `callableClass: expected a class, got ${typeof cls}. Pass the class itself, not an instance.`,
    );
  }
  if (name !== undefined) Object.defineProperty(cls, "name", { value: name, configurable: true });
  Object.defineProperty(cls, CALLABLE, { value: true, configurable: true });
  return new Proxy(cls, {
    apply: (target, _self, args: unknown[]) => new target(...args),
  }) as CallableClass<C>;
}
