// The argument checks every layer constructor shares: how a bad argument reads in a message, the activation
// argument, the trailing options object (plain, with known keys only) and the number of positional arguments.
// Each throws the package's LayerArgumentError, naming what was wrong and what the layer takes.
import { checkOptionKeys } from "@flux/functors";
import { LayerArgumentError } from "../errors.js";

/** @internal How an argument reads in a LayerArgumentError: `undefined`, `null`, `string "3"`, `an object`. */
export function describeArg(x: unknown): string {
  if (x === undefined || x === null) return String(x);
  if (typeof x === "object") return Array.isArray(x) ? "an array" : "an object";
  return `${typeof x} ${JSON.stringify(x) ?? String(x)}`;
}

/**
 * @internal A layer's activation argument: a function (`relu`, `σ`...), or `undefined`/`null` for none.
 * Anything else (a name such as `"relu"`, a number) is refused here instead of failing at the first forward.
 */
export function checkActivation(layer: string, σ: unknown): void {
  if (σ === undefined || σ === null || typeof σ === "function") return;
  throw new LayerArgumentError(
    `${layer}: the activation must be a function such as relu (or omitted), got ${describeArg(σ)}.`,
  );
}

/**
 * @internal The option names of a layer's options interface, written as `{ name: true }` so that the compiler
 * checks the list against the interface: a missing or extra name does not type-check.
 */
export function optionNames<T extends object>(
  names: { readonly [K in keyof Required<T>]: true },
): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/**
 * @internal A layer's trailing options argument: a plain object whose keys are all in `known`, or `undefined`
 * (no options). Returns the object to read (`{}` for `undefined`), so `null` or a number never reaches a
 * property read, and a misspelt key (`{ bais: false }`) is refused instead of silently ignored.
 */
export function optionsArg<T extends object>(
  layer: string,
  opts: T | undefined,
  known: readonly string[],
): T {
  if (opts === undefined) return {} as T;
  const proto = opts !== null && typeof opts === "object" ? Object.getPrototypeOf(opts) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new LayerArgumentError(
      `${layer}: options must be a plain object such as { ${known[0] ?? "bias"}: ... }, got ${describeArg(opts)}.`,
    );
  }
  return checkOptionKeys<T>(layer, opts, known, (message) => new LayerArgumentError(message));
}

/**
 * @internal Refuses positional arguments past the `max` that `usage` (the call form, e.g.
 * `Dense(in, out, σ?, opts?)`) takes, naming the first extra one; trailing `undefined`s do not count, as
 * they do not in a Julia call with fewer arguments. Constructors pass their `arguments` object (biome's
 * noArguments is off for the layers folder): a rest parameter would loosen their typed signatures, and
 * `Dense(2, 3, relu, 99)` should stay a type error as well as a runtime one.
 */
export function checkArgCount(layer: string, args: ArrayLike<unknown>, max: number, usage: string): void {
  let n = args.length;
  while (n > max && args[n - 1] === undefined) n--;
  if (n <= max) return;
  throw new LayerArgumentError(
    `${layer}: too many arguments: ${usage} takes at most ${max}, got ${n}; the first extra one is ${describeArg(args[max])}.`,
  );
}
