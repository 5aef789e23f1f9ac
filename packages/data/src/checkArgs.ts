// Checks of option values shared by the loaders and views: a generator that is not an `Rng` used to fail
// only at the first shuffled epoch ("rng.int is not a function"), and a flag given as a string
// (`shuffle: "no"`) was read as true.
import { type Rng, defaultRng } from "@flux/kernels";
import { DataArgumentError } from "./errors.js";

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return `an object (${x.constructor?.name ?? "no prototype"})`;
  return `${typeof x} ${String(x).slice(0, 40)}`;
}

/**
 * @internal The `rng` option: `defaultRng()` when undefined, else a generator from kernels' `rng(seed)`,
 * or any object with the methods the caller draws with (`uses`; a stub with `int` will do for a shuffle).
 */
export function rngOption(fn: string, rng: unknown, uses: readonly ("int" | "uniform")[] = ["int"]): Rng {
  if (rng === undefined) return defaultRng();
  const r = rng as Partial<Record<string, unknown>> | null;
  if (typeof r !== "object" || r === null || uses.some((m) => typeof r[m] !== "function"))
    throw new DataArgumentError(
      `${fn}: rng must be a generator from rng(seed) of @flux/kernels (an object with ${uses.join(" and ")}()), got ${describe(rng)}; e.g. { rng: rng(42) }.`,
    );
  return rng as Rng;
}

/** @internal A boolean option: its default when undefined, else it must be `true` or `false`. */
export function flagOption(fn: string, name: string, value: unknown, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (typeof value !== "boolean")
    throw new DataArgumentError(`${fn}: ${name} must be true or false, got ${describe(value)}.`);
  return value;
}
