// Types for names.mjs (plain ESM so every runtime and bundler loads it as is; TypeScript reads these).

/** A package that owns a SPEC section (§1-§7); `@flux/flux` (§8) re-exports them all. */
export type SpecPackage =
  | "@flux/functors"
  | "@flux/kernels"
  | "@flux/devices"
  | "@flux/layers"
  | "@flux/optim"
  | "@flux/data"
  | "@flux/distributed";

/** One SPEC section: the package that owns it, the names it exports today, the names still to land. */
export interface SpecSection {
  readonly pkg: SpecPackage;
  /** SPEC names the package exports now: the umbrella must expose each (the test fails otherwise). */
  readonly present: readonly string[];
  /** SPEC names not exported yet; when one lands, move it to `present` (a test says so). */
  readonly pending: readonly string[];
  /** The `present` names that are values rather than functions or classes. */
  readonly constants: readonly string[];
}

/**
 * SPEC §1-§7 names, split into those that exist and those still to come.
 *
 * Kept honest by the umbrella's tests: a `present` name must exist in its package and in `@flux/flux`; a
 * `pending` name must not exist yet in its package.
 *
 * @example
 * SPEC_SECTIONS["§2 kernels"].present.includes("gradient"); // true
 */
export declare const SPEC_SECTIONS: Readonly<Record<string, SpecSection>>;

/**
 * What is wrong with `module`'s SPEC exports: one line per `present` name that is missing or of the wrong kind.
 *
 * Checks the sections owned by `pkg`, or every section when `pkg` is omitted (for the umbrella).
 *
 * @example
 * specExportProblems(await import("@flux/optim"), "@flux/optim"); // []
 */
export declare function specExportProblems(
  module: Readonly<Record<string, unknown>>,
  pkg?: SpecPackage,
): string[];
