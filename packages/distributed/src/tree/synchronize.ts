// synchronize: broadcast every leaf of a model (or optimiser state, or any tree) from root, as one flat
// buffer per dtype after one signature check for the whole tree.
import type { DistributedBackend } from "../backend.js";
import { checkRoot, type RootOptions } from "../collectives.js";
import { refuseUnawaited } from "../unawaited.js";
import { flatTreeCollective } from "./flatTree.js";
import { FluxDistributedModel } from "./fluxDistributedModel.js";

/**
 * Makes every worker's copy of `tree` equal to root's (Flux's `synchronize!!`), and returns it.
 *
 * Walks the tree with @flux/functors (plain objects, arrays, Maps, class instances; tensors are leaves).
 * Typed arrays are overwritten in place; tensors are replaced by new tensors; numbers are broadcast too
 * (Flux broadcasts bits scalars); other leaves (strings, functions...) are kept. Containers are rebuilt
 * where a leaf was replaced, and tied leaves stay tied. Every rank must pass a tree with the same leaves
 * (shapes and dtypes, in the same order; checked once for the whole tree, `DistributedMismatchError`
 * otherwise); the leaves of each dtype travel as one buffer. A {@link FluxDistributedModel} is unwrapped
 * (the result is the synchronized model).
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
  const root = opts.root ?? 0;
  refuseUnawaited(b, tree, "synchronize", "tree", "bcast", 0, root);
  const target = tree instanceof FluxDistributedModel ? tree.model : tree;
  refuseUnawaited(b, target, "synchronize", "tree.model", "bcast", 0, root);
  return b.serialize(() =>
    flatTreeCollective(b, target, {
      collective: "bcast",
      fn: "synchronize",
      opCode: 0,
      root,
      numbers: true,
      afterCheck: () => checkRoot(b, root, "synchronize"),
      transfer: (flat) => b.transport.bcast(flat, root, "synchronize"),
    }),
  );
}
