// Reduction operators: Flux's `+`, `max`, `min` and `DistributedUtils.avg`, spelled as strings.
import type { CollectiveArray } from "./buffers.js";
import { DistributedArgumentError } from "./errors.js";

/** A reduction operator. `"avg"` is a sum divided by the number of workers (Flux's `DistributedUtils.avg`). */
export type ReduceOp = "sum" | "avg" | "max" | "min";

const OP_CODES: Record<ReduceOp, number> = { sum: 1, avg: 2, max: 3, min: 4 };

/** Checks an op name at run time (JS callers can pass anything). */
export function checkOp(op: unknown): ReduceOp {
  if (typeof op === "string" && op in OP_CODES) return op as ReduceOp;
  throw new DistributedArgumentError(`unknown reduction op ${String(op)}; use "sum", "avg", "max" or "min".`);
}

/** The stable numeric code of an op (travels in the safety header). */
export function opCode(op: ReduceOp): number {
  return OP_CODES[op];
}

/** The op name of a code, or `"?"` for a code we never send. */
export function opFromCode(code: number): string {
  return (Object.keys(OP_CODES) as ReduceOp[]).find((k) => OP_CODES[k] === code) ?? `?${code}`;
}

/** The op the transport performs: `"avg"` travels as `"sum"` and is divided afterwards, as Flux does. */
export function wireOp(op: ReduceOp): "sum" | "max" | "min" {
  return op === "avg" ? "sum" : op;
}

/** Combines `src` into `acc` elementwise with a wire op (the threads backend's reduction kernel). */
export function combineInto(acc: CollectiveArray, src: CollectiveArray, op: "sum" | "max" | "min"): void {
  const n = acc.length;
  if (op === "sum") for (let i = 0; i < n; i++) acc[i] += src[i];
  else if (op === "max")
    for (let i = 0; i < n; i++) acc[i] = src[i] > acc[i] || Number.isNaN(src[i]) ? src[i] : acc[i];
  else for (let i = 0; i < n; i++) acc[i] = src[i] < acc[i] || Number.isNaN(src[i]) ? src[i] : acc[i];
}

/**
 * Divides a summed buffer by the worker count in place, finishing `"avg"`.
 *
 * Integer buffers truncate toward zero (the typed array's own conversion), as an integer division would.
 */
export function finishAverage(x: CollectiveArray, workers: number): void {
  for (let i = 0; i < x.length; i++) x[i] = x[i] / workers;
}
