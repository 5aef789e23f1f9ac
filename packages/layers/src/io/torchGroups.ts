// The one place where a layer's PyTorch tensors are built from ours and back (the tables are in
// torchTensors.ts). Everything here works on the file's row-major layout: our tensors are first put in it
// by torchLayout.ts's `relayout`, so a block of rows is one contiguous run of elements.
import { children, isleaf } from "@flux/functors";
import { arrayCtor, isTensor, type Tensor, type TypedArray } from "@flux/kernels";
import { SafetensorsError } from "../errors.js";
import { showCompact } from "../show/show.js";
import type { EncodeEntry } from "./safetensors/encode.js";
import type { SafetensorsEntry, SafetensorsFile } from "./safetensors/parse.js";
import { fileShape, layoutOf, type TorchLayout } from "./torchLayout.js";
import type { TorchTensors } from "./torchTensors.js";
import { fromFileDType, TO_FILE_DTYPE } from "./safetensors/dtypes.js";

/** One of our tensors inside a transformed layer. */
export interface GroupMember {
  /** Key path relative to the layer, "." joined (`cell.Wi`). */
  readonly key: string;
  readonly tensor: Tensor;
  readonly layout: TorchLayout | undefined;
  /** Its shape in PyTorch's layout. */
  readonly shape: readonly number[];
}

type Block =
  | {
      readonly kind: "field" | "add";
      readonly member: GroupMember;
      readonly start: number;
      readonly stop: number;
    }
  | { readonly kind: "zeros"; readonly rows: number; readonly why: string };

/** One PyTorch tensor of the layer: its full name, shape and blocks. */
export interface GroupTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly blocks: readonly Block[];
  /** Elements per row (the product of the dims after the first). */
  readonly rowSize: number;
}

/** A layer whose PyTorch tensors are built from blocks of ours. */
export interface TorchGroup {
  readonly path: string;
  readonly layer: object;
  readonly members: readonly GroupMember[];
  readonly tensors: readonly GroupTensor[];
}

function unmappable(message: string): SafetensorsError {
  return new SafetensorsError("ERR_SAFETENSORS_UNMAPPABLE", message);
}

// Every tensor under the layer, by key path relative to it (our names: the table refers to our fields).
function membersOf(layer: object): GroupMember[] {
  const out: GroupMember[] = [];
  const onStack = new Set<unknown>();
  const visit = (x: unknown, parent: unknown, key: string, path: string): void => {
    if (isTensor(x)) {
      const layout = layoutOf(parent, key);
      out.push({ key: path, tensor: x, layout, shape: fileShape(x.shape, layout) });
      return;
    }
    if (x === null || typeof x !== "object" || isleaf(x) || onStack.has(x)) return;
    onStack.add(x);
    const c = children(x);
    const kids =
      c instanceof Map ? [...c.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(c);
    for (const [k, v] of kids) visit(v, x, k, path === "" ? k : `${path}.${k}`);
    onStack.delete(x);
  };
  visit(layer, undefined, "", "");
  return out;
}

/**
 * @internal Resolves `table` for `layer` at file path `path`: every block's tensor and rows, every
 * PyTorch tensor's shape. Throws `ERR_SAFETENSORS_UNMAPPABLE` when the layer does not fit its table (a
 * field missing, rows out of range, one of our tensors left out or placed twice).
 */
export function resolveGroup(layer: object, path: string, table: TorchTensors): TorchGroup {
  const members = membersOf(layer);
  const byKey = new Map(members.map((m) => [m.key, m]));
  const where = `${showCompact(layer)}${path === "" ? "" : ` at "${path}"`}`;
  const covered = new Map<GroupMember, [number, number][]>(members.map((m) => [m, []]));
  const tensors = Object.entries(table).map(([rel, specs]): GroupTensor => {
    const name = path === "" ? rel : `${path}.${rel}`;
    let trailing: readonly number[] | undefined;
    const blocks = specs.map((b): Block => {
      if ("zeros" in b) return { kind: "zeros", rows: b.zeros, why: b.why };
      const key = "field" in b ? b.field : b.addTo;
      const member = byKey.get(key);
      if (member === undefined || member.shape.length === 0) {
        throw unmappable(
          `${where}: PyTorch's "${name}" is made from our "${key}", which this layer does not have as a tensor; it has ${members.map((m) => `"${m.key}"`).join(", ") || "none"}.`,
        );
      }
      const [start, stop] = b.rows ?? [0, member.shape[0]!];
      if (
        !(
          Number.isInteger(start) &&
          Number.isInteger(stop) &&
          start >= 0 &&
          start <= stop &&
          stop <= member.shape[0]!
        )
      ) {
        throw unmappable(
          `${where}: rows [${start}, ${stop}) of "${key}" are outside its ${member.shape[0]} rows.`,
        );
      }
      const rest = member.shape.slice(1);
      if (trailing !== undefined && rest.join() !== trailing.join()) {
        throw unmappable(
          `${where}: PyTorch's "${name}" stacks rows of [${trailing.join(", ")}] and of [${rest.join(", ")}]; our tensors' shapes do not fit PyTorch's layer.`,
        );
      }
      trailing = rest;
      if ("field" in b) covered.get(member)!.push([start, stop]);
      return { kind: "field" in b ? "field" : "add", member, start, stop };
    });
    if (trailing === undefined) throw unmappable(`${where}: PyTorch's "${name}" has no block of ours.`);
    const rows = blocks.reduce((n, b) => n + (b.kind === "zeros" ? b.rows : b.stop - b.start), 0);
    return { name, shape: [rows, ...trailing], blocks, rowSize: trailing.reduce((a, d) => a * d, 1) };
  });
  // Each of our tensors must land in the file exactly once, or a save would lose it.
  for (const [m, spans] of covered) {
    spans.sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [s, e] of spans) {
      if (s !== at) break;
      at = e;
    }
    if (at !== m.shape[0] || spans.some(([s], i) => i > 0 && s < spans[i - 1]![1])) {
      throw unmappable(
        `${where}: our "${m.key}" has no single place among PyTorch's tensors (${tensors.map((t) => t.name).join(", ")}), so this layer has no PyTorch twin; save it with our names (leave out { names: "pytorch" }).`,
      );
    }
  }
  return { path, layer, members, tensors };
}

/**
 * @internal The group's PyTorch tensors for a file, from each member's values in the file's layout.
 * Blocks other than our fields (PyTorch's second bias, rows we cannot hold) are written as zeros.
 */
export function joinGroup(group: TorchGroup, valuesOf: (m: GroupMember) => TypedArray): EncodeEntry[] {
  return group.tensors.map((t) => {
    const dtypes = new Set(t.blocks.flatMap((b) => (b.kind === "zeros" ? [] : [b.member.tensor.dtype])));
    if (dtypes.size !== 1) {
      throw unmappable(
        `"${t.name}" stacks tensors of different dtypes (${[...dtypes].join(", ")}); make the layer one dtype (f32 or f64) before saving.`,
      );
    }
    const dtype = [...dtypes][0]!;
    const out = new (arrayCtor(dtype))(t.shape[0]! * t.rowSize);
    let row = 0;
    for (const b of t.blocks) {
      if (b.kind === "field")
        out.set(valuesOf(b.member).subarray(b.start * t.rowSize, b.stop * t.rowSize), row * t.rowSize);
      row += b.kind === "zeros" ? b.rows : b.stop - b.start;
    }
    return {
      name: t.name,
      dtype: TO_FILE_DTYPE[dtype],
      shape: t.shape,
      bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength),
    };
  });
}

const NUMERIC = new Set(["F32", "F64"]);

function valuesOfEntry(entry: SafetensorsEntry, name: string): TypedArray {
  const dtype = fromFileDType(entry.dtype);
  if (dtype === undefined) {
    throw new SafetensorsError(
      "ERR_SAFETENSORS_DTYPE",
      `"${name}" is ${entry.dtype}, a dtype we cannot load.`,
    );
  }
  // Copy into a fresh, aligned buffer: entries may start at any byte offset.
  return new (arrayCtor(dtype) as unknown as new (b: ArrayBuffer) => TypedArray)(entry.bytes.slice().buffer);
}

/**
 * @internal The file's PyTorch tensors of the group, turned back into one entry per member (in the file's
 * layout, as if the file had held our tensor; `from` names the PyTorch tensors it came from): rows copied, PyTorch's second bias added, rows we cannot
 * hold checked to be zero. Nothing is written to the model here. Throws `SafetensorsError`: a tensor
 * missing (`ERR_SAFETENSORS_MISSING`), of the wrong shape (`_SHAPE`), a dtype that cannot be summed or
 * checked (`_DTYPE`), or a nonzero value in rows our layer cannot hold (`_UNMAPPABLE`).
 */
export function splitGroup(
  group: TorchGroup,
  file: SafetensorsFile,
): Map<GroupMember, { entry: SafetensorsEntry; from: string[] }> {
  const read = new Map<GroupTensor, { dtype: string; values: TypedArray }>();
  for (const t of group.tensors) {
    const entry = file.tensors.get(t.name);
    if (entry === undefined) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_MISSING",
        `the file has no "${t.name}" (a [${t.shape.join(", ")}] tensor of PyTorch's layer for ${showCompact(group.layer)}).`,
      );
    }
    if (entry.shape.length !== t.shape.length || entry.shape.some((d, i) => d !== t.shape[i])) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_SHAPE",
        `"${t.name}" has shape [${entry.shape.join(", ")}] in the file; ${showCompact(group.layer)} stores it as [${t.shape.join(", ")}].`,
      );
    }
    const arithmetic = t.blocks.some((b) => b.kind !== "field");
    if (arithmetic && !NUMERIC.has(entry.dtype)) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_DTYPE",
        `"${t.name}" is ${entry.dtype} in the file; it is summed into (or checked against) our tensors, which needs F32 or F64.`,
      );
    }
    read.set(t, { dtype: entry.dtype, values: valuesOfEntry(entry, t.name) });
  }
  const out = new Map<GroupMember, { entry: SafetensorsEntry; from: string[] }>();
  for (const m of group.members) {
    const sources = group.tensors.filter((t) => t.blocks.some((b) => b.kind !== "zeros" && b.member === m));
    const dtypes = new Set(sources.map((t) => read.get(t)!.dtype));
    // One file dtype: keep it (decode converts it as for any entry). Mixed (F32 bias_ih, F64 bias_hh): sum
    // in F64, which holds both exactly.
    const dtype = dtypes.size === 1 ? [...dtypes][0]! : "F64";
    if (dtypes.size > 1 && ![...dtypes].every((d) => NUMERIC.has(d))) {
      throw new SafetensorsError(
        "ERR_SAFETENSORS_DTYPE",
        `our "${m.key}" of ${showCompact(group.layer)} comes from PyTorch tensors of dtypes ${[...dtypes].join(", ")}; save them as one dtype.`,
      );
    }
    const n = m.shape.reduce((a, d) => a * d, 1);
    const buf = new (arrayCtor(fromFileDType(dtype)!))(n);
    out.set(m, {
      entry: { dtype, shape: m.shape, bytes: new Uint8Array(buf.buffer) },
      from: sources.map((t) => `"${t.name}"`),
    });
    for (const t of sources) {
      const { values } = read.get(t)!;
      let row = 0;
      for (const b of t.blocks) {
        const rows = b.kind === "zeros" ? b.rows : b.stop - b.start;
        if (b.kind !== "zeros" && b.member === m) {
          const from = row * t.rowSize;
          const to = b.start * t.rowSize;
          const len = rows * t.rowSize;
          if (b.kind === "field") for (let i = 0; i < len; i++) buf[to + i] = values[from + i]!;
          else for (let i = 0; i < len; i++) (buf as Float64Array)[to + i]! += values[from + i] as number;
        }
        row += rows;
      }
    }
  }
  // Rows our layer cannot hold: refused unless zero (never approximated).
  for (const t of group.tensors) {
    const { values } = read.get(t)!;
    let row = 0;
    for (const b of t.blocks) {
      const rows = b.kind === "zeros" ? b.rows : b.stop - b.start;
      if (b.kind === "zeros") {
        for (let i = row * t.rowSize; i < (row + rows) * t.rowSize; i++) {
          if (values[i] !== 0) {
            throw unmappable(
              `"${t.name}"[${Math.floor(i / t.rowSize)}] is ${values[i]}, but rows ${row} to ${row + rows - 1} of it must be zero to load into ${showCompact(group.layer)}: ${b.why}.`,
            );
          }
        }
      }
      row += rows;
    }
  }
  return out;
}
