// averageGradients: the data-parallel step's one collective. A whole gradient tree is averaged over the
// workers as ONE flat buffer per dtype, after ONE signature check for the tree (not one per tensor).
import type { DistributedBackend } from "../backend.js";
import { checkAverage, finishAverage, opCode } from "../ops.js";
import { refuseUnawaited } from "../unawaited.js";
import { flatTreeCollective } from "./flatTree.js";

/**
 * Averages every gradient in `grad` over all workers and returns a tree of the same structure: the
 * gradient of the global batch when every rank's loss is a mean over an equal share.
 *
 * `grad` is what kernels' `gradient` / `withgradient` returns for the model (plain objects, arrays, Maps;
 * `null` where there is no gradient), or any @flux/functors tree, or a single tensor. Tensor leaves (CPU or
 * GPU) are read back, packed into one flat buffer per dtype, averaged with ONE allreduce, and returned as
 * NEW tensors on their device (the input tensors are left as they were: free both when done); typed-array
 * leaves are averaged in place; other leaves (`null`, numbers, strings) are kept. A tensor met twice (tied)
 * is averaged once and stays tied. Every rank must pass a tree with the same leaves (shapes and dtypes, in
 * the same order): a difference throws `DistributedMismatchError` on every rank before any data moves.
 * Float data only (an average of integers would truncate: `DistributedArgumentError`).
 *
 * @example
 * const state = setup(Adam(1e-3), model);
 * const { val, grad } = withgradient((m) => logitcrossentropy(m.forward(x), y), model);
 * const avg = await averageGradients(b, grad[0]);
 * updateInPlace(state, model, avg);
 * dispose([val, grad, avg]);
 */
export function averageGradients<G>(b: DistributedBackend, grad: G): Promise<G> {
  refuseUnawaited(b, grad, "averageGradients", "grad", "allreduce", opCode("avg"), 0);
  return b.serialize(() =>
    flatTreeCollective(b, grad, {
      collective: "allreduce",
      fn: "averageGradients",
      opCode: opCode("avg"),
      root: 0,
      numbers: false,
      afterCheck: (dtypes) => {
        for (const d of dtypes) checkAverage("avg", d, "averageGradients");
      },
      transfer: (flat) => b.transport.allreduce(flat, "sum", "averageGradients"),
      allreduce: { op: "sum", label: "averageGradients", finish: (flat) => finishAverage(flat, b.size) },
    }),
  );
}
