// Loading a safetensors file into a model: parse and validate the whole file, match every entry to a
// model tensor and decode it, and only then write into the model. Any failure leaves the model untouched.
import { arrayCtor, assign, type DType, isFloat, type Tensor, tensor, type TypedArray } from "@flux/kernels";
import { SafetensorsError } from "../errors";
import { modelTensors, type NamedTensor, requireLittleEndian } from "./modelTensors";
import { fromFileDType } from "./safetensors/dtypes";
import { parseSafetensors, type SafetensorsEntry } from "./safetensors/parse";
import { fileShape, relayout } from "./torchLayout";

function decode(entry: SafetensorsEntry, target: NamedTensor): TypedArray {
  const { tensor: t, layout, name } = target;
  const fileType = fromFileDType(entry.dtype);
  const sameKind = fileType === t.dtype;
  const floatPair =
    fileType !== undefined &&
    fileType !== "f16" &&
    t.dtype !== "f16" &&
    isFloat(fileType) &&
    isFloat(t.dtype);
  if (fileType === undefined || !(sameKind || floatPair)) {
    throw new SafetensorsError(
      "ERR_SAFETENSORS_DTYPE",
      `"${name}" is ${entry.dtype} in the file but ${t.dtype} in the model; only equal types or F32/F64 conversions load.`,
    );
  }
  const want = fileShape(t.shape, layout);
  if (want.length !== entry.shape.length || want.some((d, i) => d !== entry.shape[i])) {
    throw new SafetensorsError(
      "ERR_SAFETENSORS_SHAPE",
      `"${name}" has shape [${entry.shape.join(", ")}] in the file; the model's [${t.shape.join(", ")}] tensor is stored as [${want.join(", ")}].`,
    );
  }
  // Copy into a fresh, aligned buffer: entries may start at any byte offset.
  const FileCtor = arrayCtor(fileType);
  const raw = new (FileCtor as unknown as new (b: ArrayBuffer) => TypedArray)(entry.bytes.slice().buffer);
  const ordered = relayout(raw, t.shape, layout, false, (n) => new FileCtor(n));
  if (fileType === t.dtype) return ordered;
  const Ctor = arrayCtor(t.dtype as DType);
  return new Ctor(ordered as ArrayLike<number>);
}

function equalValues(a: TypedArray, b: TypedArray): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && a[i] !== b[i]) return false;
  return true;
}

/**
 * Loads safetensors bytes into `m` in place (all its tensors, trainable or not); returns `m`.
 *
 * Every entry must match a model tensor by name (`layers.0.weight`), file shape (PyTorch's layout, see
 * README) and dtype (F32/F64 convert); missing or extra entries throw. A tied tensor may appear once, or
 * under each of its names with equal values. The file is fully validated (header length, JSON, dtypes,
 * shapes, offsets in bounds, no overlap, exact coverage) before any tensor is written, so a corrupt file
 * throws `SafetensorsError` and leaves the model as it was. Nothing in the file is ever executed.
 *
 * @example
 * const m = Chain(Dense(2, 3, relu), Dense(3, 1));
 * loadBytes(await saveBytes(trained), m);
 */
export function loadBytes<T>(bytes: Uint8Array, m: T): T {
  requireLittleEndian();
  const file = parseSafetensors(bytes);
  const { entries, aliases } = modelTensors(m);
  const known = new Set([...entries.map((e) => e.name), ...aliases.keys()]);
  for (const name of file.tensors.keys()) {
    if (!known.has(name)) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_UNEXPECTED",
        `the file has "${name}", which the model does not have (model names: ${[...known].slice(0, 8).join(", ")}${known.size > 8 ? ", ..." : ""}).`,
      );
    }
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const decoded = new Map<string, TypedArray>();
  for (const e of entries) {
    const entry =
      file.tensors.get(e.name) ??
      [...aliases]
        .map(([a, n]) => (n === e.name ? file.tensors.get(a) : undefined))
        .find((x) => x !== undefined);
    if (entry === undefined)
      throw new SafetensorsError(
        "ERR_SAFETENSORS_MISSING",
        `the file has no "${e.name}" (a [${e.tensor.shape.join(", ")}] ${e.tensor.dtype} tensor of the model).`,
      );
    decoded.set(e.name, decode(entry, e));
  }
  for (const [alias, name] of aliases) {
    const entry = file.tensors.get(alias);
    if (entry === undefined) continue;
    const target = byName.get(name)!;
    if (!equalValues(decode(entry, { ...target, name: alias }), decoded.get(name)!)) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_TIE",
        `"${alias}" is tied to "${name}" in the model, but the file holds different values for them.`,
      );
    }
  }
  // Everything is checked: now write. Uploads go to each tensor's own device.
  const uploads: [Tensor, Tensor][] = entries.map((e) => [
    e.tensor,
    tensor(decoded.get(e.name)!, [...e.tensor.shape], { dtype: e.tensor.dtype, device: e.tensor.device }),
  ]);
  for (const [dst, src] of uploads) {
    assign(dst, src);
    src.dispose();
  }
  return m;
}
