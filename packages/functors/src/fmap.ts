import { type FmapOptions, splitTreesAndOptions } from "./options.js";
import { mapTrees } from "./mapTrees.js";
import { DefaultWalk } from "./walks.js";

/**
 * Rebuilds `x` with `f` applied to every leaf (Functors' `fmap`).
 *
 * Containers (arrays, Maps, plain objects, class instances) are rebuilt like the original: same kind, same
 * prototype, non-child fields carried over; `x` is never mutated. With more trees `ys`, `f` receives the
 * matching leaves of each (`f(x, y1, y2)`) and the result takes its shape from `x`; a structure mismatch
 * throws `FunctorStructureError` with the key path. A leaf or container object met twice maps to ONE
 * result, so tied weights stay tied; a cycle throws `FunctorCycleError`. The last argument is read as
 * options (`exclude`, `walk`, `cache`, `prune`) by the rule in the README; wrap it in `fmapOptions` to be
 * explicit.
 *
 * @example
 * const w = new Float32Array([1, 2]);
 * const m = fmap((a: Float32Array) => a.map((v) => 2 * v), { layers: [{ w }, { w }] });
 * m.layers[0].w === m.layers[1].w; // true: still tied
 * fmap((a: number, b: number) => a + b, { x: 1, y: [2] }, { x: 10, y: [20] }); // { x: 11, y: [22] }
 */
export function fmap<T, R = T>(f: (x: any, ...ys: any[]) => unknown, x: T, ...rest: unknown[]): R {
  const { ys, options } = splitTreesAndOptions<FmapOptions>(x, rest);
  return mapTrees(
    (leaf, others) => f(leaf, ...others),
    options.exclude,
    options.walk ?? DefaultWalk(),
    x,
    ys,
    options,
  ) as R;
}
