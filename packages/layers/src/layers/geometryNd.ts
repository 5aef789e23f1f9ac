// Flux's stride/pad/dilation arguments for convolutions and pools of any number N of spatial dims (1, 2 or
// 3): a number applies to every dim, an N-tuple gives one per dim, a 2N-tuple gives (low, high) per dim.
import { LayerArgumentError } from "../errors.js";
import { isSamePad, type SamePadMarker } from "./samePad.js";

/** A size per spatial dim, or one number for all. */
export type Dims = number | readonly number[];
/** Flux's `pad`: a number, an N-tuple, a 2N-tuple of (low, high) per dim, or `SamePad()`. */
export type PadSpecN = number | readonly number[] | SamePadMarker;

/** @internal `x` as N numbers (a number repeats), each an integer >= min. */
export function tupleN(x: Dims, n: number, what: string, min: number): number[] {
  const t = typeof x === "number" ? new Array<number>(n).fill(x) : [...x];
  if (t.length !== n || t.some((v) => !Number.isInteger(v) || v < min)) {
    throw new LayerArgumentError(
      `${what} must be an integer >= ${min} or ${n} of them, got ${JSON.stringify(x)}.`,
    );
  }
  return t;
}

/** @internal The padding as Flux stores it (SamePad resolved): a number, N or 2N numbers. */
export function resolvePadN(
  pad: PadSpecN,
  kernel: readonly number[],
  dilation: readonly number[],
  what: string,
): number | readonly number[] {
  const n = kernel.length;
  if (isSamePad(pad)) {
    // Flux's calc_padding(::SamePad): the dilated kernel size minus one, split with the extra one low.
    return kernel.flatMap((k, i) => {
      const amount = k + (k - 1) * (dilation[i]! - 1) - 1;
      return [Math.ceil(amount / 2), Math.floor(amount / 2)];
    });
  }
  const list = typeof pad === "number" ? [pad] : [...pad];
  if (
    (typeof pad !== "number" && list.length !== n && list.length !== 2 * n) ||
    list.some((v) => !Number.isInteger(v) || v < 0)
  ) {
    throw new LayerArgumentError(
      `${what}: pad must be a non-negative integer, ${n} or ${2 * n} of them, or SamePad(); got ${JSON.stringify(pad)}.`,
    );
  }
  return typeof pad === "number" ? pad : list;
}

/** @internal Stored padding expanded to `[low1, high1, low2, high2, ...]`. */
export function fullPad(pad: number | readonly number[], n: number): number[] {
  if (typeof pad === "number") return new Array<number>(2 * n).fill(pad);
  if (pad.length === 2 * n) return [...pad];
  return pad.flatMap((p) => [p, p]);
}
