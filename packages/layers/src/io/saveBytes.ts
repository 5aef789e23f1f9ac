import { checkNotPromise } from "@flux/functors";
import type { TypedArray } from "@flux/kernels";
import { modelTensors, requireLittleEndian, requireLive } from "./modelTensors.js";
import { checkOptions, type SaveOptions } from "./options.js";
import { TO_FILE_DTYPE } from "./safetensors/dtypes.js";
import { type EncodeEntry, encodeSafetensors } from "./safetensors/encode.js";
import { joinGroup } from "./torchGroups.js";
import { fileShape, relayout } from "./torchLayout.js";
import { batchesTrackedOf } from "./torchNames.js";

/** The `__metadata__` keys this package writes. */
export const METADATA_LAYOUT_KEY = "flux.layout";
/** `__metadata__` key of the JSON object `{ alias: name }` listing tied tensors. */
export const METADATA_TIES_KEY = "flux.ties";
/** `__metadata__` key saying which names the file uses (`"flux"` or `"pytorch"`). */
export const METADATA_NAMES_KEY = "flux.names";

/**
 * The model's tensors (trainable and not) as safetensors bytes, in PyTorch's layout (see README).
 *
 * Names are key paths joined with "." (`layers.0.weight`); with `{ names: "pytorch" }` they are the names
 * of the same model's PyTorch `state_dict` (`0.weight`, BatchNorm's `running_mean`, and its int64
 * `num_batches_tracked`), so `model.load_state_dict(..., strict=True)` takes the file. A tied tensor is
 * stored once, under its first path, with its other paths listed in `__metadata__["flux.ties"]` (with
 * PyTorch names it is stored under each path, as PyTorch does). Key paths that would flatten to the same
 * name, or to `__metadata__`/`__proto__`, are refused (`ERR_SAFETENSORS_NAME`): such a file could not be
 * loaded back. Reads tensors from any device (asynchronously), so it works for GPU models too.
 *
 * @example
 * const bytes = await saveBytes(model);
 * loadBytes(bytes, sameArchitecture);
 */
export async function saveBytes(m: unknown, opts?: SaveOptions): Promise<Uint8Array> {
  checkNotPromise(m, "saveBytes", "model");
  const names = checkOptions<SaveOptions>("saveBytes", opts, ["names"]).names ?? "flux";
  requireLittleEndian();
  const mt = modelTensors(m, names);
  requireLive(mt, "saveBytes");
  const { entries, aliases, counters, groups } = mt;
  const encoded: EncodeEntry[] = [];
  const byName = new Map<string, EncodeEntry>();
  for (const e of entries) {
    const values = (await e.tensor.data()) as TypedArray;
    const Ctor = values.constructor as new (n: number) => TypedArray;
    const ordered = relayout(values, e.tensor.shape, e.layout, true, (n) => new Ctor(n));
    const entry = {
      name: e.name,
      dtype: TO_FILE_DTYPE[e.tensor.dtype],
      shape: fileShape(e.tensor.shape, e.layout),
      bytes: new Uint8Array(ordered.buffer, ordered.byteOffset, ordered.byteLength),
    };
    encoded.push(entry);
    byName.set(e.name, entry);
  }
  for (const g of groups) {
    const values = new Map<unknown, TypedArray>();
    for (const mem of g.members) {
      const raw = (await mem.tensor.data()) as TypedArray;
      const Ctor = raw.constructor as new (n: number) => TypedArray;
      values.set(
        mem,
        relayout(raw, mem.tensor.shape, mem.layout, true, (n) => new Ctor(n)),
      );
    }
    encoded.push(...joinGroup(g, (mem) => values.get(mem)!));
  }
  const metadata: Record<string, string> = { format: "pt", [METADATA_LAYOUT_KEY]: "torch" };
  if (names === "pytorch") {
    // PyTorch's state_dict has every path of a shared tensor, and strict loading wants them all.
    for (const [alias, name] of aliases) encoded.push({ ...byName.get(name)!, name: alias });
    for (const c of counters) {
      const bytes = new Uint8Array(new BigInt64Array([batchesTrackedOf(c.layer)]).buffer);
      encoded.push({ name: c.name, dtype: "I64", shape: [], bytes });
    }
    metadata[METADATA_NAMES_KEY] = "pytorch";
  } else if (aliases.size > 0) {
    metadata[METADATA_TIES_KEY] = JSON.stringify(Object.fromEntries(aliases));
  }
  return encodeSafetensors(encoded, metadata);
}
