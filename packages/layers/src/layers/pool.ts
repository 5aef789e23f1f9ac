// The shared body of MaxPool and MeanPool (Flux defines them the same way, apart from the op), over 1, 2 or
// 3 spatial dims (see ./convNd.ts for how 1-D and 3-D pools are composed from the 2-D kernels).
import type { Tensor } from "@flux/kernels";
import { checkArgCount, describeArg, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { maybeTupleString, tupleString } from "../show/format.js";
import { AbstractLayer } from "./base.js";
import { poolNd } from "./convNd.js";
import { type Dims, fullPad, type PadSpecN, resolvePadN, tupleN } from "./geometryNd.js";
import { checkTensorInput } from "./input.js";

/** Options of `MaxPool` and `MeanPool`. */
export interface PoolOptions {
  /** Default 0; a number, one per dim, (low, high) per dim, or `SamePad()`. */
  pad?: PadSpecN;
  /** Default: the window (non-overlapping). */
  stride?: Dims;
}

// A window: one number is a square 2-D window (as this package always had); an array's length is the number
// of spatial dims (Flux's tuple).
function windowDims(window: Dims): number[] {
  if (typeof window !== "number" && !Array.isArray(window))
    throw new LayerArgumentError(
      `pool: call it as MaxPool(window, opts?) / MeanPool(window, opts?) with window a number or 1 to 3 numbers, got ${describeArg(window)}.`,
    );
  return typeof window === "number"
    ? tupleN(window, 2, "pool window", 1)
    : tupleN(window, Math.min(Math.max(window.length, 1), 3), "pool window (1 to 3 dims)", 1);
}

const POOL_OPTIONS = optionNames<PoolOptions>({ pad: true, stride: true });

/** @internal The common implementation of the pooling layers. */
export abstract class PoolLayer extends AbstractLayer {
  k: readonly number[];
  pad: number | readonly number[];
  stride: readonly number[];
  protected abstract readonly kind: "MaxPool" | "MeanPool";

  constructor(window: Dims, opts: PoolOptions = {}) {
    super();
    // The subclass's `kind` getter is on its prototype, so it is readable here already.
    const kind = (this as unknown as { kind: string }).kind;
    checkArgCount(kind, arguments, 2, `${kind}(window, opts?)`);
    opts = optionsArg(kind, opts, POOL_OPTIONS);
    this.k = windowDims(window);
    this.stride = tupleN(opts.stride ?? this.k, this.k.length, "pool stride", 1);
    this.pad = resolvePadN(
      opts.pad ?? 0,
      this.k,
      this.k.map(() => 1),
      "pool",
    );
  }

  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
    const n = this.k.length;
    if (x.rank !== n + 2)
      throw new LayerInputError(
        `${this.showCompact()} expects a ${n + 2}-D [spatial..., C, N] input, but got [${x.shape.join(", ")}].`,
      );
    return poolNd(this.kind === "MaxPool" ? "max" : "mean", x, this.k, this.stride, fullPad(this.pad, n));
  }

  showCompact(): string {
    let s = `${this.kind}(${tupleString(this.k)}`;
    const padList = typeof this.pad === "number" ? [this.pad] : this.pad;
    if (!padList.every((p) => p === 0)) s += `, pad=${maybeTupleString(this.pad)}`;
    if (this.stride.some((v, i) => v !== this.k[i])) s += `, stride=${maybeTupleString(this.stride)}`;
    return `${s})`;
  }
}
