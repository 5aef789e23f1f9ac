// @flux/functors: structure walking for @flux, a port of Functors.jl. See README.md for the cross-package
// protocol (the LEAF / FUNCTOR / TRAINABLE symbols) that lets other packages take part without importing us.
export { LEAF, FUNCTOR, TRAINABLE } from "./symbols.js";
export { functor, leaf, trainableFields, type FunctorOptions } from "./functor.js";
export { isleaf } from "./isleaf.js";
export { children, rebuild, type Children } from "./children.js";
export { trainable } from "./trainable.js";
export { checkNotPromise } from "./checkNotPromise.js";
export { checkOptionKeys } from "./checkOptionKeys.js";
export { callableClass, type CallableClass } from "./callableClass.js";
export { fmap } from "./fmap.js";
export { fmapstructure } from "./fmapstructure.js";
export { fmapWithPath } from "./fmapWithPath.js";
export { fmapOptions, type CommonMapOptions, type FmapOptions, type FmapWithPathOptions } from "./options.js";
export { fleaves, fleavesWithPath, type FleavesOptions } from "./fleaves.js";
export { fcollect, type FcollectOptions } from "./fcollect.js";
export { getkeypath, haskeypath, setkeypath, type Key, type KeyPath } from "./keyPath.js";
export { keyPathString } from "./keyPathString.js";
export { execute, type ExecuteOptions, type Recurse, type Walk } from "./execute.js";
export {
  CachedWalk,
  type CachedWalkOptions,
  CollectWalk,
  DefaultWalk,
  ExcludeWalk,
  mapChildren,
  StructuralWalk,
} from "./walks.js";
export {
  FunctorCycleError,
  FunctorDefinitionError,
  FunctorsError,
  FunctorStructureError,
  KeyPathError,
  UnawaitedPromiseError,
} from "./errors.js";

// The names before they followed Functors.jl's spelling (docs/ARCHITECTURE.md, "Names"); deprecated.
export { fmapStructure, getKeyPath, hasKeyPath, isLeaf, setKeyPath } from "./deprecated.js";

/** The version of this package. */
export const VERSION = "0.1.0";
