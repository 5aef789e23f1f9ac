// Julia-like value printing for tensors: a matrix per 2-D slice, columns aligned, long dims elided.
import { type DType, halfToFloat, type TypedArray } from "./dtype.js";
import type { Shape } from "./shape.js";

const MAX_ROWS = 12;
const MAX_COLS = 8;
const MAX_SLICES = 3;

/** Shortest text that reads back to the same value in the dtype's precision, Julia style (`1.0`, `-0.5`). */
export function formatNumber(v: number, dtype: DType): string {
  if (dtype === "bool") return v ? "1" : "0";
  if (dtype !== "f32" && dtype !== "f64" && dtype !== "f16") return String(v);
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Inf" : "-Inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  if (dtype === "f64") return String(v);
  const digits = dtype === "f16" ? 5 : 9;
  for (let p = 1; p < digits; p++) {
    const s = Number(v.toPrecision(p));
    if (
      (dtype === "f32" ? Math.fround(s) : s) === v ||
      (dtype === "f16" && Math.abs(s - v) < Math.abs(v) * 1e-3)
    ) {
      return String(s);
    }
  }
  return String(Number(v.toPrecision(digits)));
}

function pick(n: number, max: number): (number | null)[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const half = Math.floor(max / 2);
  return [
    ...Array.from({ length: half }, (_, i) => i),
    null,
    ...Array.from({ length: half }, (_, i) => n - half + i),
  ];
}

/** Formats a tensor's values (column-major `data` of `shape`) as Julia prints an Array's body. */
export function formatTensorValues(data: TypedArray, shape: Shape, dtype: DType): string {
  const value = (i: number) => formatNumber(dtype === "f16" ? halfToFloat(data[i]!) : data[i]!, dtype);
  if (shape.length === 0) return ` ${value(0)}`;
  const rows = shape[0]!;
  const cols = shape.length >= 2 ? shape[1]! : 1;
  const sliceSize = rows * cols;
  const nSlices = sliceSize === 0 ? 0 : data.length / sliceSize;
  const matrix = (offset: number): string => {
    const ri = pick(rows, MAX_ROWS);
    const ci = pick(cols, MAX_COLS);
    const cells = ri.map((r) =>
      ci.map((c) =>
        r === null ? (c === null ? "⋱" : "⋮") : c === null ? "⋯" : value(offset + r + c * rows),
      ),
    );
    const widths = ci.map((_, j) => Math.max(...cells.map((row) => row[j]!.length)));
    return cells.map((row) => row.map((cell, j) => ` ${cell.padStart(widths[j]!)}`).join(" ")).join("\n");
  };
  if (shape.length <= 2) return matrix(0);
  const parts: string[] = [];
  const tail = shape.slice(2);
  for (const s of pick(nSlices, MAX_SLICES * 2)) {
    if (s === null) {
      parts.push("⋮");
      continue;
    }
    const idx: number[] = [];
    let rem = s;
    for (const d of tail) {
      idx.push((rem % d) + 1);
      rem = Math.floor(rem / d);
    }
    parts.push(`[:, :, ${idx.join(", ")}] =\n${matrix(s * sliceSize)}`);
  }
  return parts.join("\n\n");
}
