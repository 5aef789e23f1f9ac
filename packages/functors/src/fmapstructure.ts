import { type FmapOptions, splitTreesAndOptions } from "./options.js";
import { mapTrees } from "./mapTrees.js";
import { StructuralWalk } from "./walks.js";

/**
 * Like `fmap`, but the result is made of plain arrays, Maps and plain objects (Functors' `fmapstructure`).
 *
 * Class instances become plain objects of their children (non-child fields are dropped), which makes the
 * result easy to serialise or compare. Takes the same trees and options as `fmap`; `walk` is ignored.
 *
 * @example
 * class Pair { constructor(public a: number, public b: number) {} }
 * fmapstructure((v: number) => v * 10, new Pair(1, 2)); // { a: 10, b: 20 }, a plain object
 */
export function fmapstructure<T = unknown>(
  f: (x: any, ...ys: any[]) => unknown,
  x: unknown,
  ...rest: unknown[]
): T {
  const { ys, options } = splitTreesAndOptions<FmapOptions>(x, rest);
  return mapTrees(
    (leaf, others) => f(leaf, ...others),
    options.exclude,
    StructuralWalk(),
    x,
    ys,
    options,
  ) as T;
}
