// FluxDistributedModel: the wrapper Flux asks for before synchronize!! (kept for parity).

/**
 * Marks a model for {@link synchronize} (Flux's `FluxDistributedModel`).
 *
 * Flux needs the wrapper because `synchronize!!` dispatches on type; ours walks any tree, so the wrapper is
 * optional. `synchronize(b, new FluxDistributedModel(model))` returns the synchronized model, unwrapped.
 *
 * @example
 * model = await synchronize(b, new FluxDistributedModel(model), { root: 0 });
 */
export class FluxDistributedModel<M> {
  constructor(
    /** The wrapped model. */
    readonly model: M,
  ) {}
}
