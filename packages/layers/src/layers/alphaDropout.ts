import { defaultRng, muladd, mul, type Rng, sign, type Tensor, tensor } from "@flux/kernels";
import { checkArgCount, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError } from "../errors.js";
import { layerConstructor } from "../layer.js";
import { isActive, SET_ACTIVE } from "../mode.js";
import { AbstractLayer } from "./base.js";

/** Options of `AlphaDropout`. */
export interface AlphaDropoutOptions {
  /** `true`/`false` fixes the mode; `null` (default) is automatic. */
  active?: boolean | null;
  /** The generator for the noise; default `defaultRng()`. */
  rng?: Rng;
}

// selu(-Inf) = -λα: the value dropped units take, so that selu networks keep mean 0 and variance 1.
const ALPHA_PRIME = -1.7580993408473766;

const ALPHA_DROPOUT_OPTIONS = optionNames<AlphaDropoutOptions>({ active: true, rng: true });

class AlphaDropoutLayer extends AbstractLayer {
  p: number;
  active: boolean | null;
  /** Not a child: generators are not model state. */
  rng: Rng | null;

  constructor(p: number, opts: AlphaDropoutOptions = {}) {
    super();
    checkArgCount("AlphaDropout", arguments, 2, "AlphaDropout(p, opts?)");
    opts = optionsArg("AlphaDropout", opts, ALPHA_DROPOUT_OPTIONS);
    if (!(typeof p === "number" && p >= 0 && p <= 1))
      throw new LayerArgumentError(`AlphaDropout expects 0 <= p <= 1, got p = ${p}.`);
    this.p = p;
    this.active = opts.active ?? null;
    this.rng = opts.rng ?? null;
  }

  /**
   * In training: `A .* ifelse.(noise .> p, x, α′) .+ B` with `A = 1 / √((1 - p)(1 + p α′²))` and
   * `B = -A α′ p` (Flux's formula), which keeps the mean and variance of selu activations. The noise is drawn
   * on the host from `rng` and uploaded as two constant tensors, so `y = a .* x .+ c` is one fused op.
   */
  forward(x: Tensor): Tensor {
    if (!isActive(this.active) || this.p === 0) return x;
    if (this.p === 1) return mul(sign(x), 0);
    const p = this.p;
    const A = 1 / Math.sqrt((1 - p) * (1 + p * ALPHA_PRIME ** 2));
    const B = -A * ALPHA_PRIME * p;
    const r = this.rng ?? defaultRng();
    const a = new Float64Array(x.size);
    const c = new Float64Array(x.size);
    for (let i = 0; i < x.size; i++) {
      const keep = r.uniform() > p;
      a[i] = keep ? A : 0;
      c[i] = keep ? B : A * ALPHA_PRIME + B;
    }
    const opts = { dtype: x.dtype, device: x.device };
    return muladd(tensor(a, [...x.shape], opts), x, tensor(c, [...x.shape], opts));
  }

  [SET_ACTIVE](active: boolean | null): void {
    this.active = active;
  }

  showCompact(): string {
    return `AlphaDropout(${this.p})`;
  }
}

/**
 * Flux's `AlphaDropout(p; rng, active)`: dropout for self-normalising (selu) networks; identity in testing.
 *
 * @example
 * const d = trainmode(AlphaDropout(0.2));
 * d.forward(randn([1000, 1])); // mean and variance stay near 0 and 1
 */
export const AlphaDropout = layerConstructor(AlphaDropoutLayer, ["p", "active"], []);
/** An AlphaDropout layer (see `AlphaDropout`). */
export type AlphaDropout = AlphaDropoutLayer;
