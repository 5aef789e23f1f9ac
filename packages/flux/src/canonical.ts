// Which package owns a name that several @flux/* packages export (see index.ts for why this is needed).

/** The packages the umbrella re-exports, in the order `index.ts` lists them. */
export const PACKAGES = [
  "@flux/functors",
  "@flux/kernels",
  "@flux/devices",
  "@flux/layers",
  "@flux/optim",
  "@flux/data",
  "@flux/distributed",
] as const;

/** A package the umbrella re-exports, or the umbrella itself. */
export type Source = (typeof PACKAGES)[number] | "@flux/flux";

/**
 * For every name exported by more than one package with different values: the source the umbrella uses.
 *
 * `index.ts` re-exports each of these explicitly from the source named here; the unit tests fail when a new
 * collision appears that is missing from this table, or when a choice here and `index.ts` disagree.
 *
 * @example
 * CANONICAL.VERSION; // "@flux/flux": the umbrella's own version
 */
export const CANONICAL: Readonly<Record<string, Source>> = {
  VERSION: "@flux/flux",
};
