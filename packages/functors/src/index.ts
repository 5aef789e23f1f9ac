// @flux/functors: structure walking for @flux, a port of Functors.jl. See README.md for the cross-package
// protocol (the LEAF / FUNCTOR / TRAINABLE symbols) that lets other packages take part without importing us.
export { LEAF, FUNCTOR, TRAINABLE } from "./symbols";
export { functor, leaf, trainableFields, type FunctorOptions } from "./functor";
export { isLeaf } from "./isLeaf";
export { children, rebuild, type Children } from "./children";
export { trainable } from "./trainable";
export { checkNotPromise } from "./checkNotPromise";
export { fmap } from "./fmap";
export { fmapStructure } from "./fmapStructure";
export { fmapWithPath } from "./fmapWithPath";
export { fmapOptions, type CommonMapOptions, type FmapOptions, type FmapWithPathOptions } from "./options";
export { fleaves, fleavesWithPath, type FleavesOptions } from "./fleaves";
export { fcollect, type FcollectOptions } from "./fcollect";
export { getKeyPath, hasKeyPath, setKeyPath, type Key, type KeyPath } from "./keyPath";
export { keyPathString } from "./keyPathString";
export { execute, type ExecuteOptions, type Recurse, type Walk } from "./execute";
export {
  CachedWalk,
  type CachedWalkOptions,
  CollectWalk,
  DefaultWalk,
  ExcludeWalk,
  mapChildren,
  StructuralWalk,
} from "./walks";
export {
  FunctorCycleError,
  FunctorDefinitionError,
  FunctorsError,
  FunctorStructureError,
  KeyPathError,
  UnawaitedPromiseError,
} from "./errors";

/** The version of this package. */
export const VERSION = "0.1.0";
