// Loading a safetensors file into a model: parse and validate the whole file, match every entry to a
// model tensor and decode it, and only then write into the model. Any failure leaves the model untouched.
import { checkNotPromise } from "@flux/functors";
import { arrayCtor, assign, type DType, isFloat, type Tensor, tensor, type TypedArray } from "@flux/kernels";
import { SafetensorsError } from "../errors.js";
import {
  type ModelTensors,
  modelTensors,
  type NamedTensor,
  requireLittleEndian,
  requireLive,
} from "./modelTensors.js";
import { checkOptions, type LoadOptions, type OverflowPolicy } from "./options.js";
import { fromFileDType } from "./safetensors/dtypes.js";
import { parseSafetensors, type SafetensorsEntry, type SafetensorsFile } from "./safetensors/parse.js";
import { splitGroup } from "./torchGroups.js";
import { fileShape, relayout } from "./torchLayout.js";
import { setBatchesTracked, type TensorNames } from "./torchNames.js";

function decode(entry: SafetensorsEntry, target: NamedTensor, overflow: OverflowPolicy): TypedArray {
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
  const out = new Ctor(ordered as ArrayLike<number>);
  if (overflow !== "allow") checkOverflow(ordered, out, name, overflow);
  return out;
}

// A finite F64 value that became ±Infinity in f32 is a silent corruption of the model: say so.
function checkOverflow(from: TypedArray, to: TypedArray, name: string, overflow: OverflowPolicy): void {
  let count = 0;
  let firstAt = -1;
  for (let i = 0; i < to.length; i++) {
    if (Number.isFinite(from[i]) && !Number.isFinite(to[i])) {
      if (count++ === 0) firstAt = i;
    }
  }
  if (count === 0) return;
  const what = `"${name}" holds ${count} value(s) too large for f32 (the first, ${from[firstAt]}, at element ${firstAt}), which would load as ±Infinity`;
  if (overflow === "error") {
    throw new SafetensorsError(
      "ERR_SAFETENSORS_OVERFLOW",
      `${what}. The model is unchanged; fix the file, make the model f64, or pass { overflow: "warn" } or { overflow: "allow" } to load them as ±Infinity.`,
    );
  }
  console.warn(`[@flux/layers] safetensors: ${what}; loaded as ±Infinity ({ overflow: "warn" }).`);
}

function decodeCounter(entry: SafetensorsEntry, name: string): bigint {
  if (entry.dtype !== "I64" || entry.shape.length !== 0) {
    throw new SafetensorsError(
      "ERR_SAFETENSORS_DTYPE",
      `"${name}" is ${entry.dtype} [${entry.shape.join(", ")}] in the file; PyTorch's num_batches_tracked is an I64 scalar (shape []).`,
    );
  }
  return new BigInt64Array(entry.bytes.slice().buffer)[0]!;
}

function equalValues(a: TypedArray, b: TypedArray): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && a[i] !== b[i]) return false;
  return true;
}

// When the file's names are the model's names in the other naming, the fix is one option: say which.
function namingHint(file: SafetensorsFile, m: unknown, names: TensorNames): string {
  const other: TensorNames = names === "flux" ? "pytorch" : "flux";
  let theirs: ModelTensors;
  try {
    theirs = modelTensors(m, other);
  } catch {
    return "";
  }
  const known = new Set([
    ...theirs.entries.map((e) => e.name),
    ...theirs.aliases.keys(),
    ...theirs.groups.flatMap((g) => g.tensors.map((t) => t.name)),
  ]);
  const matches = [...file.tensors.keys()].filter((k) => known.has(k)).length;
  if (matches === 0 || matches < file.tensors.size - theirs.counters.length) return "";
  return other === "pytorch"
    ? ' The file uses PyTorch\'s names (like "0.weight"): pass { names: "pytorch" }.'
    : ' The file uses our names (like "layers.0.weight"): leave out { names: "pytorch" }.';
}

/**
 * Loads safetensors bytes into `m` in place (all its tensors, trainable or not); returns `m`.
 *
 * Every entry must match a model tensor by name (`layers.0.weight`, or PyTorch's `0.weight` with
 * `{ names: "pytorch" }`), file shape (PyTorch's layout, see README) and dtype (F32/F64 convert; an F64
 * value too large for f32 throws unless `overflow` says otherwise); missing or extra entries throw.
 * PyTorch's BatchNorm `num_batches_tracked` is accepted (and kept for the next PyTorch-named save). A tied
 * tensor may appear once, or under each of its names with equal values. The file is fully validated
 * (header length, JSON, dtypes, shapes, offsets in bounds, no overlap, exact coverage) before any tensor
 * is written, so a corrupt file throws `SafetensorsError` and leaves the model as it was. Nothing in the
 * file is ever executed.
 *
 * @example
 * const m = Chain(Dense(2, 3, relu), Dense(3, 1));
 * loadBytes(await saveBytes(trained), m);
 * loadBytes(torchBytes, Chain(Dense(2, 3), relu, Dense(3, 1)), { names: "pytorch" });
 */
export function loadBytes<T>(bytes: Uint8Array, m: T, opts?: LoadOptions): T {
  checkNotPromise(bytes, "loadBytes", "bytes");
  checkNotPromise(m, "loadBytes", "model");
  const o = checkOptions<LoadOptions>("loadBytes", opts, ["names", "overflow"]);
  const names = o.names ?? "flux";
  const overflow = o.overflow ?? "error";
  requireLittleEndian();
  const file = parseSafetensors(bytes);
  const mt = modelTensors(m, names);
  requireLive(mt, "loadBytes");
  const { entries, aliases, counters, groups } = mt;
  const known = new Set([
    ...entries.map((e) => e.name),
    ...aliases.keys(),
    ...counters.map((c) => c.name),
    ...groups.flatMap((g) => g.tensors.map((t) => t.name)),
  ]);
  for (const name of file.tensors.keys()) {
    if (!known.has(name)) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_UNEXPECTED",
        `the file has "${name}", which the model does not have (model names: ${[...known].slice(0, 8).join(", ")}${known.size > 8 ? ", ..." : ""}).${namingHint(file, m, names)}`,
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
        `the file has no "${e.name}" (a [${e.tensor.shape.join(", ")}] ${e.tensor.dtype} tensor of the model).${namingHint(file, m, names)}`,
      );
    decoded.set(e.name, decode(entry, e, overflow));
  }
  for (const [alias, name] of aliases) {
    const entry = file.tensors.get(alias);
    if (entry === undefined) continue;
    const target = byName.get(name)!;
    if (!equalValues(decode(entry, { ...target, name: alias }, "allow"), decoded.get(name)!)) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_TIE",
        `"${alias}" is tied to "${name}" in the model, but the file holds different values for them.`,
      );
    }
  }
  // Layers stored as blocks of PyTorch tensors: each of our tensors decoded from the blocks that make it.
  // A tensor reached twice (a layer used twice, or tied elsewhere) must get the same values both times.
  const byTensor = new Map<Tensor, { values: TypedArray; name: string }>();
  for (const e of entries) byTensor.set(e.tensor, { values: decoded.get(e.name)!, name: `"${e.name}"` });
  const groupWrites: [Tensor, TypedArray][] = [];
  for (const g of groups) {
    for (const [mem, { entry, from }] of splitGroup(g, file)) {
      const ours = g.path === "" ? mem.key : `${g.path}.${mem.key}`;
      const name = `${from.join(" + ")} (our ${ours})`;
      const values = decode(entry, { name, tensor: mem.tensor, layout: mem.layout }, overflow);
      const had = byTensor.get(mem.tensor);
      if (had !== undefined) {
        if (!equalValues(values, had.values)) {
          throw new SafetensorsError(
            "ERR_SAFETENSORS_TIE",
            `${name} is the same tensor of the model as ${had.name}, but the file holds different values for them.`,
          );
        }
        continue;
      }
      byTensor.set(mem.tensor, { values, name });
      groupWrites.push([mem.tensor, values]);
    }
  }
  // PyTorch's counters are optional (a hand-made state dict may leave them out) but must be well formed.
  const counts = counters.flatMap((c) => {
    const entry = file.tensors.get(c.name);
    return entry === undefined ? [] : [[c.layer, decodeCounter(entry, c.name)] as const];
  });
  // Everything is checked: now write. Uploads go to each tensor's own device.
  const uploads: [Tensor, Tensor][] = [
    ...entries.map((e) => [e.tensor, decoded.get(e.name)!] as const),
    ...groupWrites,
  ].map(([t, values]) => [t, tensor(values, [...t.shape], { dtype: t.dtype, device: t.device })]);
  for (const [dst, src] of uploads) {
    assign(dst, src);
    src.dispose();
  }
  for (const [layer, n] of counts) setBatchesTracked(layer, n);
  return m;
}
