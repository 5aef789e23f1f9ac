import { type Rng, defaultRng, dropout, type Tensor } from "@flux/kernels";
import { checkArgCount, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError } from "../errors.js";
import { layerConstructor } from "../layer.js";
import { isActive, SET_ACTIVE } from "../mode.js";
import { AbstractLayer } from "./base.js";

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** A 1-based dim (or dims) along which one random choice is made (e.g. 3 = whole channels of WHCN). */
  dims?: number | readonly number[];
  /** `true`/`false` fixes the mode; `null` (default) is automatic. */
  active?: boolean | null;
  /** The generator for masks; default `defaultRng()`. */
  rng?: Rng;
}

const DROPOUT_OPTIONS = optionNames<DropoutOptions>({ dims: true, active: true, rng: true });

class DropoutLayer extends AbstractLayer {
  p: number;
  dims: number | readonly number[] | null;
  active: boolean | null;
  /** Not a child: generators are not model state (as in Flux's `state`). */
  rng: Rng | null;

  constructor(p: number, opts: DropoutOptions = {}) {
    super();
    checkArgCount("Dropout", arguments, 2, "Dropout(p, opts?)");
    opts = optionsArg("Dropout", opts, DROPOUT_OPTIONS);
    if (!(typeof p === "number" && p >= 0 && p <= 1))
      throw new LayerArgumentError(`Dropout expects 0 <= p <= 1, got p = ${p}.`);
    this.p = p;
    this.dims = opts.dims ?? null;
    this.active = opts.active ?? null;
    this.rng = opts.rng ?? null;
  }

  /** In training: zeroes each entry with probability `p` and scales the rest by `1 / (1 - p)`. */
  forward(x: Tensor): Tensor {
    if (!isActive(this.active) || this.p === 0) return x;
    return dropout(x, this.p, {
      ...(this.dims === null ? {} : { dims: this.dims }),
      rng: this.rng ?? defaultRng(),
    });
  }

  [SET_ACTIVE](active: boolean | null): void {
    this.active = active;
  }

  showCompact(): string {
    const dims =
      this.dims === null
        ? ""
        : `, dims=${typeof this.dims === "number" ? this.dims : `(${this.dims.join(", ")})`}`;
    return `Dropout(${this.p}${dims}${this.active === null ? "" : `, active=${this.active}`})`;
  }
}

/**
 * Flux's `Dropout(p; dims, active, rng)`: randomly zeroes inputs while training, identity while testing.
 *
 * Masks are drawn on the host from `rng` and placed on the input's device. The mode is automatic by
 * default (see `trainmode`/`testmode` and PARITY.md).
 *
 * @example
 * const d = trainmode(Dropout(0.4));
 * d.forward(ones([2, 7])); // about 40% zeros, the rest 1/0.6
 */
export const Dropout = layerConstructor(DropoutLayer, ["p", "dims", "active"], []);
/** A Dropout layer (see `Dropout`). */
export type Dropout = DropoutLayer;
