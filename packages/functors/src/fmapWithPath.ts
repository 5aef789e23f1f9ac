import type { KeyPath } from "./keyPath.js";
import { type FmapWithPathOptions, splitTreesAndOptions } from "./options.js";
import { mapTrees } from "./mapTrees.js";
import { DefaultWalk } from "./walks.js";

/**
 * Like `fmap`, but `f` also receives the key path of each leaf: `f(path, leaf, ...ys)` (Functors'
 * `fmap_with_path`).
 *
 * Paths list keys from the root: field names, 0-based array indices, Map keys. Options as for `fmap`,
 * except `exclude(path, x)` takes the path first.
 *
 * @example
 * fmapWithPath((kp, v: number) => `${kp.join(".")}=${v}`, { a: [1, 2] }); // { a: ["a.0=1", "a.1=2"] }
 */
export function fmapWithPath<T, R = T>(
  f: (path: KeyPath, x: any, ...ys: any[]) => unknown,
  x: T,
  ...rest: unknown[]
): R {
  const { ys, options } = splitTreesAndOptions<FmapWithPathOptions>(x, rest);
  const exclude = options.exclude;
  return mapTrees(
    (leaf, others, path) => f(path, leaf, ...others),
    exclude === undefined ? undefined : (v, path) => exclude(path, v),
    options.walk ?? DefaultWalk(),
    x,
    ys,
    options,
  ) as R;
}
