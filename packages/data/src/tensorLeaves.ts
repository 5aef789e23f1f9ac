// Finding the tensors inside a batch or a dataset, to know which ones an iterator may free.
import { isTensor, type Tensor } from "@flux/kernels";
import { isTypedArray } from "./container.js";

/**
 * @internal Every tensor reachable from `x` through arrays, Maps, Sets and object fields (class instances
 * included, so the data behind an ObsView or MappedData is found). Each object is visited once.
 */
export function tensorLeaves(x: unknown, into: Set<Tensor> = new Set()): Set<Tensor> {
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== "object" || v === null || isTypedArray(v) || v instanceof ArrayBuffer) return;
    if (isTensor(v)) {
      into.add(v);
      return;
    }
    if (seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) for (const e of v) visit(e);
    else if (v instanceof Map) for (const e of v.values()) visit(e);
    else if (v instanceof Set) for (const e of v) visit(e);
    else for (const e of Object.values(v)) visit(e);
  };
  visit(x);
  return into;
}

/** @internal Disposes the tensors of `batch` for which `canFree` says yes (idempotent: dispose is). */
export function freeTensors(batch: unknown, canFree: (t: Tensor) => boolean): void {
  for (const t of tensorLeaves(batch)) if (canFree(t)) t.dispose();
}
