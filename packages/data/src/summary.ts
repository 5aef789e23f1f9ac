// Julia-like one-line summaries of data containers and batches, for DataLoader printing.
import { isTensor, type Tensor } from "@flux/kernels";
import { containerKind, isTypedArray } from "./container.js";

function tensorDims(t: Tensor): string {
  return t.shape.length === 0 ? "0-dim" : t.shape.join("×");
}

function onDevice(t: Tensor): string {
  return t.device.backend === "cpu" ? "" : ` on ${String(t.device)}`;
}

/**
 * @internal The argument summary of a data container, as in MLUtils' `showarg`: `Tensor{f32} 784×60000`,
 * `Int32Array 100`, `Tuple{A, B}`, `{x: A, y: B}`, `ObsView 30`.
 */
export function showArg(data: unknown): string {
  switch (containerKind(data)) {
    case "tensor": {
      const t = data as Tensor;
      return `Tensor{${t.dtype}} ${tensorDims(t)}${onDevice(t)}`;
    }
    case "typed":
    case "vector":
      return `${(data as object).constructor.name} ${(data as ArrayLike<unknown>).length}`;
    case "tuple":
      return `Tuple{${(data as unknown[]).map(showArg).join(", ")}}`;
    case "named":
      return `{${Object.entries(data as object)
        .map(([k, v]) => `${k}: ${showArg(v)}`)
        .join(", ")}}`;
    case "custom": {
      const c = data as { numobs(): number; constructor: { name: string } };
      return `${c.constructor.name} ${c.numobs()}`;
    }
    default:
      return typeof data;
  }
}

/**
 * @internal The summary of one batch, as MLUtils' `_expanded_summary`: `784×128 Tensor{f32}`,
 * `(A, B,)` for tuples, `(; x = A, y = B)` for objects, `128-element Int32Array`.
 */
export function expandedSummary(x: unknown): string {
  if (isTensor(x)) return `${tensorDims(x)} Tensor{${x.dtype}}${onDevice(x)}`;
  if (isTypedArray(x)) return `${(x as ArrayLike<number>).length}-element ${x.constructor.name}`;
  if (Array.isArray(x)) {
    if (x.length > 0 && containerKind(x) === "tuple") return `(${x.map(expandedSummary).join(", ")},)`;
    return `${x.length}-element Array`;
  }
  if (typeof x === "object" && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
    return `(; ${Object.entries(x)
      .map(([k, v]) => `${k} = ${expandedSummary(v)}`)
      .join(", ")})`;
  }
  if (x === null || x === undefined) return String(x);
  return typeof x === "object" ? (x.constructor?.name ?? "Object") : typeof x;
}
