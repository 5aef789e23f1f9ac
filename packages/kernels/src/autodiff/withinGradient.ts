import { activeTape } from "./tape.js";

/**
 * Whether the caller runs inside `gradient`/`withgradient` (Zygote's `within_gradient`).
 *
 * Layers use it for automatic train/test mode: Dropout and BatchNorm behave as in training only while a
 * gradient is being taken, exactly as Flux's layers do.
 *
 * @example
 * withinGradient(); // false
 * gradient((x) => { console.log(withinGradient()); return sum(x); }, ones([2])); // logs true
 */
export function withinGradient(): boolean {
  return activeTape() !== null;
}
