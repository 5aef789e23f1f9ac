// Train/test mode (Flux's trainmode!/testmode!). Layers whose behaviour differs (Dropout, BatchNorm) keep
// an `active` field: true, false, or null = automatic (active exactly while a gradient is being taken).
import { withinGradient } from "@flux/kernels";
import { children, isleaf } from "@flux/functors";
import { LayerArgumentError } from "./errors.js";

/** Flux's mode values: `true`/`false`, or `null`/`"auto"` for automatic. */
export type Mode = boolean | null | "auto";

/** @internal Layers that have a train/test mode carry this method. */
export const SET_ACTIVE = Symbol.for("flux.layers.setActive");

interface HasMode {
  [SET_ACTIVE](active: boolean | null): void;
}

function walkModes(m: unknown, active: boolean | null): void {
  const seen = new Set<unknown>();
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== "object" || seen.has(x) || isleaf(x)) return;
    seen.add(x);
    if (typeof (x as Partial<HasMode>)[SET_ACTIVE] === "function") (x as HasMode)[SET_ACTIVE](active);
    const kids = children(x);
    for (const c of kids instanceof Map ? kids.values() : Object.values(kids)) visit(c);
  };
  visit(m);
}

function tidyMode(mode: Mode, op: string): boolean | null {
  if (mode === "auto" || mode === null) return null;
  if (mode === true || mode === false) return mode;
  throw new LayerArgumentError(
    `${op}: mode ${String(mode)} is not accepted; use true, false, null or "auto".`,
  );
}

/**
 * Puts every Dropout/BatchNorm in `m` into training mode (Flux's `trainmode!`); mutates and returns `m`.
 *
 * `trainmode(m, false)` is `testmode(m)`; `trainmode(m, "auto")` restores automatic mode (train inside
 * `gradient`, test outside).
 *
 * @example
 * trainmode(model); // dropout active, batchnorm uses and updates batch statistics
 */
export function trainmode<T>(m: T, mode: Mode = true): T {
  const t = tidyMode(mode, "trainmode");
  walkModes(m, t);
  return m;
}

/**
 * Puts every Dropout/BatchNorm in `m` into test mode (Flux's `testmode!`); mutates and returns `m`.
 *
 * @example
 * testmode(model); // dropout off, batchnorm uses running statistics
 */
export function testmode<T>(m: T, mode: Mode = true): T {
  const t = tidyMode(mode, "testmode");
  walkModes(m, t === null ? null : !t);
  return m;
}

/** @internal Resolves a layer's `active` field (null = automatic). */
export function isActive(active: boolean | null): boolean {
  return active ?? withinGradient();
}
