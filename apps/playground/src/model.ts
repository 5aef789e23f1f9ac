// The model the page trains: the Flux model zoo's Fashion-MNIST MLP, 784 pixels => hidden (relu) => 10 logits.
import { rng, setDefaultRng } from "@flux/kernels";
import { Chain, Dense, relu } from "@flux/layers";

/**
 * Builds `Chain(Dense(784 => hidden, relu), Dense(hidden => 10))` with weights drawn from `rng(seed)`, on
 * the CPU (move it with a device).
 *
 * @example
 * const model = await device(buildMlp(128, 1)); // then model.forward(x): [784, B] => [10, B]
 */
export function buildMlp(hidden: number, seed: number): Chain {
  setDefaultRng(rng(seed)); // Flux's layers draw their initial weights from the default generator
  return Chain(Dense(784, hidden, relu), Dense(hidden, 10));
}
