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
 * @internal The `rng` option: `defaultRng()` when undefined, else it must be a generator from kernels'
 * `rng(seed)` (an object with `int`, `uniform` and `clone`).
 */
export function rngOption(fn: string, rng: unknown): Rng {
  if (rng === undefined) return defaultRng();
  const r = rng as Partial<Record<"int" | "uniform" | "clone", unknown>> | null;
  if (
    typeof r !== "object" ||
    r === null ||
    typeof r.int !== "function" ||
    typeof r.uniform !== "function" ||
    typeof r.clone !== "function"
  )
    throw new DataArgumentError(
      `${fn}: rng must be a generator from rng(seed) of @flux/kernels, got ${describe(rng)}; e.g. { rng: rng(42) }.`,
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
