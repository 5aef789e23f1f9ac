// FluxDistributedModel: the wrapper Flux asks for before synchronize!! (kept for parity).
import { callableClass } from "@flux/functors";

class FluxDistributedModelImpl<M> {
  constructor(
    /** The wrapped model. */
    readonly model: M,
  ) {}
}

/**
 * Marks a model for {@link synchronize} (Flux's `FluxDistributedModel`).
 *
 * Flux needs the wrapper because `synchronize!!` dispatches on type; ours walks any tree, so the wrapper is
 * optional. `synchronize(b, FluxDistributedModel(model))` returns the synchronized model, unwrapped.
 *
 * @example
 * model = await synchronize(b, FluxDistributedModel(model), { root: 0 });
 */
export const FluxDistributedModel = callableClass(
  FluxDistributedModelImpl,
  "FluxDistributedModel",
) as typeof FluxDistributedModelImpl & (<M>(model: M) => FluxDistributedModelImpl<M>);
/** An instance of `FluxDistributedModel`. */
export type FluxDistributedModel<M> = FluxDistributedModelImpl<M>;
