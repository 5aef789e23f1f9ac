import { add, mul, type Tensor } from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { checkActivation, checkArgCount, describeArg, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError } from "../errors.js";
import { type Init, ones32, zeros32 } from "../init.js";
import { identityFn } from "../identity.js";
import { layerConstructor } from "../layer.js";
import { AbstractLayer } from "./base.js";

/** The options of `Scale`: `bias: false` for none, and the scale's initialiser. */
type ScaleOptions = { bias?: boolean; init?: Init };
const SCALE_OPTIONS = optionNames<ScaleOptions>({ bias: true, init: true });

class ScaleLayer extends AbstractLayer {
  scale: Tensor;
  bias: Tensor | false;
  σ: Activation;

  constructor(size: number | readonly number[], σ?: Activation, opts: ScaleOptions = {}) {
    super();
    checkArgCount("Scale", arguments, 3, "Scale(size, σ?, opts?)");
    checkActivation("Scale", σ);
    opts = optionsArg("Scale", opts, SCALE_OPTIONS);
    if (typeof size !== "number" && !Array.isArray(size))
      throw new LayerArgumentError(`Scale: call it as Scale(size, σ?, opts?), got ${describeArg(size)}.`);
    const shape = typeof size === "number" ? [size] : [...size];
    if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new LayerArgumentError(`Scale(size): size must be positive integers, got [${shape.join(", ")}].`);
    }
    this.scale = (opts.init ?? ones32)(shape);
    this.bias = opts.bias === false ? false : zeros32(shape);
    this.σ = σ ?? identityFn;
  }

  /** `σ.(scale .* x .+ bias)`, broadcasting over trailing dims. */
  forward(x: Tensor): Tensor {
    let y = mul(x, this.scale);
    if (this.bias !== false) y = add(y, this.bias);
    return this.σ === identityFn ? y : this.σ(y);
  }

  showCompact(): string {
    const act = this.σ === identityFn ? "" : `, ${activationName(this.σ)}`;
    return `Scale(${this.scale.shape.join(", ")}${act}${this.bias === false ? "; bias=false" : ""})`;
  }
}

/**
 * Flux's `Scale(size..., σ; bias, init)`: element-wise `σ.(scale .* x .+ bias)` (LayerNorm's affine part).
 *
 * @example
 * Scale(3).forward(ones([3, 2])); // ones: scale starts at 1, bias at 0
 */
export const Scale = layerConstructor(ScaleLayer, ["scale", "bias", "σ"]);
/** A Scale layer (see `Scale`). */
export type Scale = ScaleLayer;
