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
export { VERSION } from "./version.js";
// Calling a layer (Flux's `m(x)`) is the user-facing meaning; optim's `apply` (a rule's step, for rule
// authors, Optimisers.jl's unexported `apply!`) stays on `@flux/optim`.
export { apply } from "@flux/layers";
// The same Symbol.for key in both; devices owns DeviceIterator, the protocol's reference implementation.
export { DEVICE_ITERATOR } from "@flux/devices";
// Types collide too (tsc reports TS2308 for each one, so `npm run typecheck` catches a new one).
// Distributed's `ReduceOp` is the public one of `allreduce`/`reduce` ("sum" | "avg" | "max" | "min"); kernels' is the
// backend op-name union, still reachable from `@flux/kernels`.
export type { ReduceOp } from "@flux/distributed";
// A device in `using Flux` is MLDataDevices' callable device object, not kernels' descriptor.
export type { Device } from "@flux/devices";
// Users of the umbrella build layers (Conv, MaxPool, Dropout); the op-level option types stay on kernels.
export type { Activation, ConvOptions, DropoutOptions, Pair, PoolOptions } from "@flux/layers";
// MLUtils' observation container; distributed's is the same idea for its data container.
export type { ObsContainer } from "@flux/data";
