// Normalising Flux's stride/pad/dilation arguments for 2-D layers.
import { LayerArgumentError } from "../errors.js";
import { isSamePad, type SamePadMarker, samePadding } from "./samePad.js";

/** A number for both spatial dims, or `[w, h]`. */
export type Pair = number | readonly [number, number];
/** Flux's `pad`: a number, `[w, h]`, `[wLow, wHigh, hLow, hHigh]`, or `SamePad()`. */
export type PadSpec =
  | number
  | readonly [number, number]
  | readonly [number, number, number, number]
  | SamePadMarker;

/** @internal `[w, h]` from a Pair, checked. */
export function pair(x: Pair, what: string, min: number): [number, number] {
  const p: [number, number] = typeof x === "number" ? [x, x] : [x[0], x[1]];
  if (!Array.isArray(p) || p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < min)) {
    throw new LayerArgumentError(
      `${what} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(x)}.`,
    );
  }
  return p;
}

/** @internal The padding as Flux stores it: a number, a pair or a 4-tuple (SamePad resolved). */
export function resolvePad(
  pad: PadSpec,
  kernel: readonly [number, number],
  dilation: readonly [number, number],
): number | readonly number[] {
  if (isSamePad(pad)) return samePadding(kernel, dilation);
  const list = typeof pad === "number" ? [pad] : [...pad];
  if (![1, 2, 4].includes(list.length) || list.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new LayerArgumentError(
      `pad must be a non-negative integer, a pair, a 4-tuple or SamePad(), got ${JSON.stringify(pad)}.`,
    );
  }
  return typeof pad === "number" ? pad : list;
}

/** @internal Stored padding in the form kernels' ops take. */
export function padArg(
  pad: number | readonly number[],
): number | readonly [number, number] | readonly [number, number, number, number] {
  return pad as number | readonly [number, number] | readonly [number, number, number, number];
}
