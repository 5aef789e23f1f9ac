// @flux/flux: one import for everything, the way `using Flux` brings Flux, NNlib, Functors, Optimisers,
// MLUtils and MLDataDevices into scope together.
//
// `export *` silently DROPS a name that two packages export from different bindings (ES modules call it
// ambiguous; TypeScript reports TS2308). Each such name is therefore re-exported explicitly below from the
// package that owns it; ./canonical.ts lists those choices and the tests check that the list and this file
// agree and that no collision is left unresolved. README.md explains each choice.
export * from "@flux/functors";
export * from "@flux/kernels";
export * from "@flux/devices";
export * from "@flux/layers";
export * from "@flux/optim";
export * from "@flux/data";
export * from "@flux/distributed";

// Collisions, resolved (see ./canonical.ts and README.md).
export { VERSION } from "./version";
// Types collide too (tsc reports TS2308 for each one, so `npm run typecheck` catches a new one).
// Distributed's `ReduceOp` is the SPEC §7 public one ("sum" | "avg" | "max" | "min"); kernels' is the
// backend op-name union, still reachable from `@flux/kernels`.
export type { ReduceOp } from "@flux/distributed";
