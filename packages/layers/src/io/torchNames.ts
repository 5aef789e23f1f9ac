// PyTorch's names for our layers' tensors, so that a `state_dict` of an `nn.Sequential` loads into a Chain
// (and ours into theirs with `strict=True`) without hand renaming. Shapes and byte order are already
// PyTorch's (torchLayout.ts); this file only maps key paths: `layers.0.gamma` ↔ `0.weight`.
import { LayerArgumentError } from "../errors.js";
import { BatchNorm } from "../layers/batchNorm.js";
import { Chain } from "../layers/chain.js";
import { GroupNorm } from "../layers/groupNorm.js";
import { InstanceNorm } from "../layers/instanceNorm.js";
import { LayerNorm } from "../layers/layerNorm.js";
import { Scale } from "../layers/scale.js";

/** How tensors are named in a file: ours (`layers.0.weight`, the default) or PyTorch's (`0.weight`). */
export type TensorNames = "flux" | "pytorch";

/** @internal The prototype key holding `{ field: torchName }` ("" drops the field from the path). */
const TORCH_NAMES = Symbol.for("flux.layers.torchNames");

/**
 * Declares the PyTorch names of a layer class's fields, used by `save`/`load` with `{ names: "pytorch" }`.
 *
 * A field maps to PyTorch's attribute name, or to `""` when PyTorch keeps the field's children directly
 * under the layer (as `nn.Sequential` does with our Chain's `layers`). Fields not listed keep their names.
 *
 * @example
 * torchNames(MyNorm, { gain: "weight", shift: "bias" });
 */
// biome-ignore lint/complexity/noBannedTypes: any class
export function torchNames(cls: Function, fields: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v !== "string" || v.includes(".")) {
      throw new LayerArgumentError(
        `torchNames: the PyTorch name of field "${k}" must be a string without ".", got ${JSON.stringify(v)}.`,
      );
    }
  }
  Object.defineProperty(cls.prototype, TORCH_NAMES, {
    value: Object.freeze({ ...fields }),
    enumerable: false,
    configurable: true,
  });
}

// The built-in layers, looked up by `instanceof` rather than declared on their prototypes at import time:
// the package has no import side effects, so a bundler may drop a module that only declares.
const BATCHNORM_NAMES = Object.freeze({
  gamma: "weight",
  beta: "bias",
  mean: "running_mean",
  var: "running_var",
});
const GROUPNORM_NAMES = Object.freeze({ gamma: "weight", beta: "bias" });
const CHAIN_NAMES = Object.freeze({ layers: "" });
const LAYERNORM_NAMES = Object.freeze({ diag: "" });
const SCALE_NAMES = Object.freeze({ scale: "weight" });

function namesOf(parent: object): Readonly<Record<string, string>> | undefined {
  const declared = (parent as { [TORCH_NAMES]?: Record<string, string> })[TORCH_NAMES];
  if (declared !== undefined) return declared;
  // nn.InstanceNorm2d names its statistics as nn.BatchNorm2d does.
  if (parent instanceof BatchNorm || parent instanceof InstanceNorm) return BATCHNORM_NAMES;
  if (parent instanceof GroupNorm) return GROUPNORM_NAMES;
  if (parent instanceof Chain) return CHAIN_NAMES;
  if (parent instanceof LayerNorm) return LAYERNORM_NAMES;
  if (parent instanceof Scale) return SCALE_NAMES;
  return undefined;
}

/** @internal The path segment of child `key` of `parent` under `names` ("" drops it from the path). */
export function segmentName(parent: unknown, key: string, names: TensorNames): string {
  if (names === "flux" || parent === null || typeof parent !== "object") return key;
  const table = namesOf(parent);
  return table !== undefined && Object.hasOwn(table, key) ? table[key]! : key;
}

/** PyTorch's BatchNorm counter, which we do not use (our momentum is always set) but keep for round trips. */
export const NUM_BATCHES_TRACKED = "num_batches_tracked";

// The counter a loaded file held, per layer object, written back on save (0 when none was loaded).
const batchesTracked = new WeakMap<object, bigint>();

/**
 * @internal Layers that carry PyTorch's `num_batches_tracked`: BatchNorm and InstanceNorm with running
 * statistics (PyTorch's `track_running_stats=True`).
 */
export function tracksBatches(layer: unknown): layer is object {
  return (layer instanceof BatchNorm || layer instanceof InstanceNorm) && layer.mean !== null;
}

/** @internal The counter to write for `layer`. */
export function batchesTrackedOf(layer: object): bigint {
  return batchesTracked.get(layer) ?? 0n;
}

/** @internal Remembers a loaded counter for `layer`. */
export function setBatchesTracked(layer: object, n: bigint): void {
  batchesTracked.set(layer, n);
}
