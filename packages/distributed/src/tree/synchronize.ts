// synchronize: broadcast every leaf of a model (or optimiser state, or any tree) from root.
import { fmap } from "@flux/functors";
import type { DistributedBackend } from "../backend.js";
import { isCollectiveArray } from "../buffers.js";
import { bcast, type RootOptions } from "../collectives.js";
import { isTensorLike } from "../tensorLike.js";
import { FluxDistributedModel } from "./fluxDistributedModel.js";

/**
 * Makes every worker's copy of `tree` equal to root's (Flux's `synchronize!!`), and returns it.
 *
 * Walks the tree with @flux/functors (plain objects, arrays, Maps, class instances; tensors are leaves).
 * Typed arrays are overwritten in place; tensors are replaced by new tensors; numbers are broadcast too
 * (Flux broadcasts bits scalars); other leaves (strings, functions...) are kept. Containers are rebuilt
 * where a leaf was replaced, and tied leaves stay tied. Every rank must pass a tree of the same structure.
 * A {@link FluxDistributedModel} is unwrapped (the result is the synchronized model).
 *
 * @example
 * model = await synchronize(b, model, { root: 0 }); // every rank now starts from rank 0's weights
 */
export async function synchronize<M>(
  b: DistributedBackend,
  tree: FluxDistributedModel<M>,
  opts?: RootOptions,
): Promise<M>;
export async function synchronize<T>(b: DistributedBackend, tree: T, opts?: RootOptions): Promise<T>;
export async function synchronize(
  b: DistributedBackend,
  tree: unknown,
  opts: RootOptions = {},
): Promise<unknown> {
  const target = (tree instanceof FluxDistributedModel ? tree.model : tree) as unknown;
  // Pass 1 records the leaves in the order fmap visits them (objects once, thanks to its identity cache);
  // pass 2 walks the same tree the same way and hands back each leaf's synchronized value in that order.
  const leaves: unknown[] = [];
  fmap((x: unknown) => {
    leaves.push(x);
    return x;
  }, target);
  const synced: unknown[] = [];
  for (const leaf of leaves) synced.push(await synchronizeLeaf(b, leaf, opts));
  let next = 0;
  return fmap(() => synced[next++], target);
}

async function synchronizeLeaf(b: DistributedBackend, x: unknown, opts: RootOptions): Promise<unknown> {
  if (isCollectiveArray(x) || isTensorLike(x)) return bcast(b, x, opts);
  if (typeof x === "number") return (await bcast(b, new Float64Array([x]), opts))[0];
  return x;
}
