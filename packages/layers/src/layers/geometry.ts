// The 2-D geometry argument types of the public API (the N-d normalising lives in ./geometryNd.ts).
import type { SamePadMarker } from "./samePad.js";

// A number for both spatial dims, or `[w, h]`: @flux/kernels' `Pair`, the type its conv and pool ops take.
export type { Pair } from "@flux/kernels";
/** Flux's `pad`: a number, `[w, h]`, `[wLow, wHigh, hLow, hHigh]`, or `SamePad()`. */
export type PadSpec =
  | number
  | readonly [number, number]
  | readonly [number, number, number, number]
  | SamePadMarker;
