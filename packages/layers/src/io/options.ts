// The options of save/load/saveBytes/loadBytes, checked strictly: a misspelt key (`{ name: "pytorch" }`)
// would otherwise be ignored and the file written or read in the other naming, silently.
import { checkOptionKeys } from "@flux/functors";
import { LayerArgumentError } from "../errors.js";
import type { TensorNames } from "./torchNames.js";

/** What `load`/`loadBytes` do when an F64 value does not fit the model's f32 tensor (it would become ±Infinity). */
export type OverflowPolicy = "error" | "warn" | "allow";

/** Options of `save` and `saveBytes`. */
export interface SaveOptions {
  /** Tensor names in the file: ours (`layers.0.weight`, default) or PyTorch's (`0.weight`), see README. */
  names?: TensorNames;
}

/** Options of `load` and `loadBytes`. */
export interface LoadOptions {
  /** Tensor names expected in the file: ours (default) or PyTorch's, as `SaveOptions.names`. */
  names?: TensorNames;
  /**
   * An F64 value too large for the model's f32 tensor: `"error"` (default) throws `SafetensorsError`
   * `ERR_SAFETENSORS_OVERFLOW` naming the tensor and leaves the model untouched; `"warn"` loads it as
   * ±Infinity and warns once per tensor; `"allow"` loads it as ±Infinity silently.
   */
  overflow?: OverflowPolicy;
}

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  names: ["flux", "pytorch"],
  overflow: ["error", "warn", "allow"],
};

/** @internal Throws `LayerArgumentError` for a non-object, an unknown key or a value out of its set. */
export function checkOptions<T extends object>(
  fn: string,
  opts: unknown,
  keys: readonly (keyof T & string)[],
): T {
  const checked = checkOptionKeys<T>(fn, opts, keys, (message) => new LayerArgumentError(message));
  for (const [k, v] of Object.entries(checked)) {
    const allowed = ALLOWED[k];
    if (v !== undefined && allowed !== undefined && !allowed.includes(v as string)) {
      throw new LayerArgumentError(
        `${fn}: option ${k} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(v) ?? String(v)}.`,
      );
    }
  }
  return checked;
}
