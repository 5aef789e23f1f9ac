// The shared base of the built-in layers: printing. Fields are declared by each subclass and registered
// with @flux/functors through `layerConstructor`.
import { show } from "../show/show.js";

/**
 * The base class of @flux/layers' layers: `toString()` and Node's `util.inspect` print Flux's summary.
 *
 * Subclasses implement `forward` (the layer applied to its input) and `showCompact` (the one-line form).
 *
 * @example
 * String(Dense(2, 3)); // "Dense(2 => 3)       # 9 parameters"
 */
export abstract class AbstractLayer {
  /** The layer applied to its input(s): Flux's `m(x)`. */
  abstract forward(...xs: never[]): unknown;
  /** The one-line form (Julia's `show(io, m)`), e.g. `Dense(2 => 3)`. */
  abstract showCompact(): string;
  /** Flux's multi-line summary (see `show`). */
  toString(): string {
    return show(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return show(this);
  }
}
