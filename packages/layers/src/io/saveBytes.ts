import type { TypedArray } from "@flux/kernels";
import { modelTensors, requireLittleEndian } from "./modelTensors";
import { encodeSafetensors } from "./safetensors/encode";
import { TO_FILE_DTYPE } from "./safetensors/dtypes";
import { fileShape, relayout } from "./torchLayout";

/** The `__metadata__` keys this package writes. */
export const METADATA_LAYOUT_KEY = "flux.layout";
/** `__metadata__` key of the JSON object `{ alias: name }` listing tied tensors. */
export const METADATA_TIES_KEY = "flux.ties";

/**
 * The model's tensors (trainable and not) as safetensors bytes, in PyTorch's layout (see README).
 *
 * Names are key paths joined with "." (`layers.0.weight`); a tied tensor is stored once, under its first
 * path, and its other paths are listed in `__metadata__["flux.ties"]`. Reads tensors from any device
 * (asynchronously), so it works for GPU models too.
 *
 * @example
 * const bytes = await saveBytes(model);
 * loadBytes(bytes, sameArchitecture);
 */
export async function saveBytes(m: unknown): Promise<Uint8Array> {
  requireLittleEndian();
  const { entries, aliases } = modelTensors(m);
  const encoded = [];
  for (const e of entries) {
    const values = (await e.tensor.data()) as TypedArray;
    const Ctor = values.constructor as new (n: number) => TypedArray;
    const ordered = relayout(values, e.tensor.shape, e.layout, true, (n) => new Ctor(n));
    encoded.push({
      name: e.name,
      dtype: TO_FILE_DTYPE[e.tensor.dtype],
      shape: fileShape(e.tensor.shape, e.layout),
      bytes: new Uint8Array(ordered.buffer, ordered.byteOffset, ordered.byteLength),
    });
  }
  const metadata: Record<string, string> = { format: "pt", [METADATA_LAYOUT_KEY]: "torch" };
  if (aliases.size > 0) metadata[METADATA_TIES_KEY] = JSON.stringify(Object.fromEntries(aliases));
  return encodeSafetensors(encoded, metadata);
}
