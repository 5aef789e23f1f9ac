// @flux/flux: one import for everything, the way `using Flux` brings Flux, NNlib, Functors, Optimisers,
// MLUtils and MLDataDevices into scope together.
//
// `export *` silently DROPS a name that two packages export from different bindings (ES modules call it
// ambiguous; TypeScript reports TS2308), so every name has ONE owning package; ./canonical.ts lists the
// only name re-exported explicitly, and the tests check that no other collision exists.
export * from "@flux/functors";
export * from "@flux/kernels";
export * from "@flux/devices";
export * from "@flux/layers";
export * from "@flux/optim";
export * from "@flux/data";
export * from "@flux/distributed";

// Every other name has one owner, so `export *` keeps it (the tests check that no two packages export one
// name with different meanings). Only VERSION is each package's own; the umbrella's is its own too.
export { VERSION } from "./version.js";
