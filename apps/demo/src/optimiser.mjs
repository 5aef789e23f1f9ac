// The optimiser: Optimisers.jl's Adam through @flux/optim, its learning rate set per step from a schedule.
import { Adam, adjustInPlace, setup, updateInPlace } from "@flux/optim";

/**
 * Returns `{ step(model, grad), setLearningRate(eta), name }` for Adam with learning rate `lr`.
 *
 * @example
 * const opt = makeAdam(model, 1e-3); opt.step(model, grad); // Flux's update!(state, model, grad)
 * opt.setLearningRate(5e-4); // Optimisers.jl's adjust!(state, eta)
 *
 * @param {unknown} model
 * @param {number} lr
 */
export function makeAdam(model, lr) {
  const state = setup(Adam(lr), model);
  return {
    name: `Adam(${lr})`,
    step: (/** @type {unknown} */ m, /** @type {unknown} */ g) => updateInPlace(state, m, g),
    setLearningRate: (/** @type {number} */ eta) => adjustInPlace(state, { eta }),
  };
}
