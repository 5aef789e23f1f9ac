import { FunctorDefinitionError } from "./errors.js";
import { FUNCTOR, LEAF, TRAINABLE } from "./symbols.js";

// biome-ignore lint/complexity/noBannedTypes: any class (or constructor function) qualifies
type AnyClass = Function & { prototype: object };

/** Options of `functor(Class, fields, options)`. */
export interface FunctorOptions {
  /** The fields an optimiser may change (a subset of `fields`); see `trainableFields`. */
  trainable?: readonly string[];
}

/**
 * Declares which fields of a class are its children (Functors' `@functor T (fields...)`).
 *
 * Stores `fields` under the `FUNCTOR` symbol on `Class.prototype` (subclasses inherit it). Walks visit only
 * those fields, in that order; a rebuilt instance keeps the prototype and every other field unchanged.
 * An empty list makes a container without children (not a leaf). Returns `Class`.
 *
 * @example
 * class Dense { constructor(public weight: number[], public bias: number[], public act = "relu") {} }
 * functor(Dense, ["weight", "bias"]);
 * fmap((v) => v, new Dense([1], [0])).act; // "relu", carried over
 */
export function functor<C extends AnyClass>(
  Class: C,
  fields: readonly string[],
  options: FunctorOptions = {},
): C {
  const names = checkFields("functor", Class, fields);
  defineHidden(Class.prototype, FUNCTOR, names);
  if (options.trainable !== undefined) trainableFields(Class, options.trainable);
  return Class;
}

/**
 * Makes every instance of a class a leaf (Functors' `@leaf T`).
 *
 * Sets the `LEAF` symbol on `Class.prototype`: `fmap` applies its function to instances instead of walking
 * inside them, and `fleaves` lists them. Returns `Class`.
 *
 * @example
 * class Rng { state = 1 }
 * leaf(Rng);
 * isleaf(new Rng()); // true
 */
export function leaf<C extends AnyClass>(Class: C): C {
  checkClass("leaf", Class);
  defineHidden(Class.prototype, LEAF, true);
  return Class;
}

/**
 * Declares the fields of a class that an optimiser may change (Optimisers.jl's `trainable`).
 *
 * Stores `fields` under the `TRAINABLE` symbol on `Class.prototype`; `trainable(x)` then returns only those
 * children. When the class also has `functor` fields, `fields` must be among them. Returns `Class`.
 *
 * @example
 * functor(BatchNorm, ["beta", "gamma", "mean", "variance"]);
 * trainableFields(BatchNorm, ["beta", "gamma"]);
 */
export function trainableFields<C extends AnyClass>(Class: C, fields: readonly string[]): C {
  const names = checkFields("trainableFields", Class, fields);
  const children = (Class.prototype as { [FUNCTOR]?: readonly string[] })[FUNCTOR];
  const stray = children === undefined ? [] : names.filter((n) => !children.includes(n));
  if (stray.length > 0) {
    throw new FunctorDefinitionError(
      `trainableFields(${Class.name || "anonymous class"}): ${stray.join(", ")} ${stray.length === 1 ? "is" : "are"} ` +
        `not among its functor fields (${children!.join(", ")}). Trainable fields must be children; add them ` +
        "with functor(Class, fields) first.",
    );
  }
  defineHidden(Class.prototype, TRAINABLE, names);
  return Class;
}

function checkClass(op: string, Class: unknown): asserts Class is AnyClass {
  const proto = typeof Class === "function" ? (Class as AnyClass).prototype : undefined;
  if (proto === null || typeof proto !== "object") {
    throw new FunctorDefinitionError(
      `${op}: expected a class (a constructor with a prototype), got ${typeof Class}. Pass the class itself, ` +
        "e.g. functor(Dense, [...]), not an instance or an arrow function.",
    );
  }
}

function checkFields(op: string, Class: AnyClass, fields: readonly string[]): readonly string[] {
  checkClass(op, Class);
  if (!Array.isArray(fields) || fields.some((f) => typeof f !== "string")) {
    throw new FunctorDefinitionError(
      `${op}(${Class.name || "anonymous class"}): fields must be an array of field-name strings, got ` +
        `${Array.isArray(fields) ? "an array with non-strings" : typeof fields}.`,
    );
  }
  const dup = fields.find((f, i) => fields.indexOf(f) !== i);
  if (dup !== undefined) {
    throw new FunctorDefinitionError(
      `${op}(${Class.name || "anonymous class"}): field "${dup}" is listed twice.`,
    );
  }
  return Object.freeze([...fields]);
}

// Non-enumerable, so protocol keys never show up as children or in JSON; configurable, so a later call can
// redeclare them (e.g. in a hot-reloaded module).
function defineHidden(target: object, key: symbol, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, configurable: true, writable: false });
}
