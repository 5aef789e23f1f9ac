// The camelCase names these functions had before they took Functors.jl's own spelling (a Julia name written
// as one word keeps it: `isleaf`, `fmapstructure`, `getkeypath`; see docs/ARCHITECTURE.md, "Names").
// Deprecated: kept for one minor version, then removed.
import { fmapstructure } from "./fmapstructure.js";
import { isleaf } from "./isleaf.js";
import { getkeypath, haskeypath, setkeypath } from "./keyPath.js";

/** @deprecated Renamed `isleaf`, Functors.jl's spelling. */
export const isLeaf: typeof isleaf = isleaf;
/** @deprecated Renamed `fmapstructure`, Functors.jl's spelling. */
export const fmapStructure: typeof fmapstructure = fmapstructure;
/** @deprecated Renamed `getkeypath`, Functors.jl's spelling. */
export const getKeyPath: typeof getkeypath = getkeypath;
/** @deprecated Renamed `haskeypath`, Functors.jl's spelling. */
export const hasKeyPath: typeof haskeypath = haskeypath;
/** @deprecated Renamed `setkeypath`, Functors.jl's `setkeypath!`. */
export const setKeyPath: typeof setkeypath = setkeypath;
