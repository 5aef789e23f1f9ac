// Named errors of @flux/layers. Each has a stable `code` so callers can branch without parsing messages.
import { checkOptionKeys } from "@flux/functors";

/**
 * The base class of every error thrown by @flux/layers; `code` is stable across versions.
 *
 * Messages start with `[@flux/layers]`, say what was tried and what to do next.
 *
 * @example
 * try { Dense(2, 3).forward(x) } catch (e) { if (e instanceof LayersError) console.log(e.code); }
 */
export class LayersError extends Error {
  /** A stable machine-readable code, e.g. `"ERR_LAYER_INPUT"`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[@flux/layers] ${message}`, options);
    this.name = "LayersError";
    this.code = code;
  }
}

/**
 * An input whose shape or type a layer cannot take (Flux throws `DimensionMismatch` there).
 *
 * @example
 * Dense(2, 3).forward(zeros([4, 1])); // LayerInputError: Dense(2 => 3) expects size(input, 1) == 2 ...
 */
export class LayerInputError extends LayersError {
  constructor(message: string) {
    super("ERR_LAYER_INPUT", message);
    this.name = "LayerInputError";
  }
}

/**
 * A bad argument to a layer constructor or loss (Flux's `ArgumentError`).
 *
 * @example
 * Dropout(1.5); // LayerArgumentError: Dropout expects 0 <= p <= 1, got p = 1.5
 */
export class LayerArgumentError extends LayersError {
  constructor(message: string) {
    super("ERR_LAYER_ARGUMENT", message);
    this.name = "LayerArgumentError";
  }
}

/**
 * `loadmodel` found a source that does not fit the destination model; `path` names where.
 *
 * @example
 * loadmodel(Dense(2, 3), state(Dense(3, 3))); // LoadModelError at "weight": size [3, 3] into [3, 2]
 */
export class LoadModelError extends LayersError {
  /** The key path (joined with ".") where the mismatch is. */
  readonly path: string;
  constructor(code: string, path: string, message: string) {
    super(code, `loadmodel: at ${path === "" ? "the top level" : `"${path}"`}: ${message}`);
    this.name = "LoadModelError";
    this.path = path;
  }
}

/**
 * A safetensors file (or byte buffer) that is malformed, truncated, or does not fit the model. Nothing in
 * the model has been changed when this is thrown.
 *
 * @example
 * await loadBytes(new Uint8Array(3), model); // SafetensorsError ERR_SAFETENSORS_TRUNCATED
 */
export class SafetensorsError extends LayersError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, `safetensors: ${message}`, options);
    this.name = "SafetensorsError";
  }
}

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
