// The shared body of MaxPool and MeanPool (Flux defines them the same way, apart from the op).
import { maxpool, meanpool, type Tensor } from "@flux/kernels";
import { LayerInputError } from "../errors";
import { maybeTupleString, tupleString } from "../show/format";
import { AbstractLayer } from "./base";
import { type PadSpec, type Pair, padArg, pair, resolvePad } from "./geometry";

/** Options of `MaxPool` and `MeanPool`. */
export interface PoolOptions {
  /** Default 0; `SamePad()` accepted. */
  pad?: PadSpec;
  /** Default: the window (non-overlapping). */
  stride?: Pair;
}

/** @internal The common implementation of the pooling layers. */
export abstract class PoolLayer extends AbstractLayer {
  k: readonly [number, number];
  pad: number | readonly number[];
  stride: readonly [number, number];
  protected abstract readonly kind: "MaxPool" | "MeanPool";

  constructor(window: Pair, opts: PoolOptions = {}) {
    super();
    this.k = pair(window, "pool window", 1);
    this.stride = pair(opts.stride ?? this.k, "pool stride", 1);
    this.pad = resolvePad(opts.pad ?? 0, this.k, [1, 1]);
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 4)
      throw new LayerInputError(
        `${this.showCompact()} expects a [W, H, C, N] input, but got [${x.shape.join(", ")}].`,
      );
    const op = this.kind === "MaxPool" ? maxpool : meanpool;
    return op(x, this.k, { stride: this.stride, pad: padArg(this.pad) });
  }

  showCompact(): string {
    let s = `${this.kind}(${tupleString(this.k)}`;
    const padList = typeof this.pad === "number" ? [this.pad] : this.pad;
    if (!padList.every((p) => p === 0)) s += `, pad=${maybeTupleString(this.pad)}`;
    if (this.stride[0] !== this.k[0] || this.stride[1] !== this.k[1])
      s += `, stride=${maybeTupleString(this.stride)}`;
    return `${s})`;
  }
}
