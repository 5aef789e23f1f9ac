// Reduction operators: Flux's `+`, `max`, `min` and `DistributedUtils.avg`, spelled as strings.
import { type CollectiveArray, type CollectiveDtype, isIntegerDtype } from "./buffers.js";
import { DistributedArgumentError } from "./errors.js";

/**
 * The operator of `allreduce` / `reduce`. `"avg"` is a sum divided by the number of workers (Flux's
 * `DistributedUtils.avg`). Named apart from @flux/kernels' `ReduceOp`, the reductions of a tensor backend.
 */
export type CollectiveOp = "sum" | "avg" | "max" | "min";

const OP_CODES: Record<CollectiveOp, number> = { sum: 1, avg: 2, max: 3, min: 4 };

/** Checks an op name at run time (JS callers can pass anything). */
export function checkOp(op: unknown): CollectiveOp {
  if (typeof op === "string" && op in OP_CODES) return op as CollectiveOp;
  throw new DistributedArgumentError(`unknown reduction op ${String(op)}; use "sum", "avg", "max" or "min".`);
}

/** The stable numeric code of an op (travels in the safety header). */
export function opCode(op: CollectiveOp): number {
  return OP_CODES[op];
}

/** The op name of a code, or `"?"` for a code we never send. */
export function opFromCode(code: number): string {
  return (Object.keys(OP_CODES) as CollectiveOp[]).find((k) => OP_CODES[k] === code) ?? `?${code}`;
}

/** The op the transport performs: `"avg"` travels as `"sum"` and is divided afterwards, as Flux does. */
export function wireOp(op: CollectiveOp): "sum" | "max" | "min" {
  return op === "avg" ? "sum" : op;
}

/** Combines `src` into `acc` elementwise with a wire op (the threads backend's reduction kernel). */
export function combineInto(acc: CollectiveArray, src: CollectiveArray, op: "sum" | "max" | "min"): void {
  const n = acc.length;
  if (op === "sum") {
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      acc[i] += src[i];
      acc[i + 1] += src[i + 1];
      acc[i + 2] += src[i + 2];
      acc[i + 3] += src[i + 3];
    }
    for (; i < n; i++) acc[i] += src[i];
  } else if (op === "max")
    for (let i = 0; i < n; i++) acc[i] = src[i] > acc[i] || Number.isNaN(src[i]) ? src[i] : acc[i];
  else for (let i = 0; i < n; i++) acc[i] = src[i] < acc[i] || Number.isNaN(src[i]) ? src[i] : acc[i];
}

/** Writes `a op b` elementwise into `out` (may alias `a`): the first step of a reduction, without a copy. */
export function combinePair(
  out: CollectiveArray,
  a: CollectiveArray,
  b: CollectiveArray,
  op: "sum" | "max" | "min",
): void {
  const n = out.length;
  if (op === "sum") {
    // Unrolled by four: about 1.4x faster on V8, which does not vectorize the plain loop.
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      out[i] = a[i] + b[i];
      out[i + 1] = a[i + 1] + b[i + 1];
      out[i + 2] = a[i + 2] + b[i + 2];
      out[i + 3] = a[i + 3] + b[i + 3];
    }
    for (; i < n; i++) out[i] = a[i] + b[i];
  } else if (op === "max")
    for (let i = 0; i < n; i++) out[i] = b[i] > a[i] || Number.isNaN(b[i]) ? b[i] : a[i];
  else for (let i = 0; i < n; i++) out[i] = b[i] < a[i] || Number.isNaN(b[i]) ? b[i] : a[i];
}

/**
 * Refuses `"avg"` on an integer dtype: the average of 1 and 2 is 1.5, which an Int32Array would store as 1.
 * Called after the signature exchange, so every rank agrees on the dtype and all of them throw together.
 */
export function checkAverage(op: CollectiveOp, dtype: CollectiveDtype, fn: string): void {
  if (op !== "avg" || !isIntegerDtype(dtype)) return;
  throw new DistributedArgumentError(
    `${fn}: "avg" on ${dtype} data would truncate the average (1.5 would become 1). Reduce with "sum" and ` +
      "divide in floating point, or pass Float32Array / Float64Array (f32 / f64 tensors).",
  );
}

/** Divides a summed float buffer by the worker count in place, finishing `"avg"` (as Flux: sum, then ./ n). */
export function finishAverage(x: CollectiveArray, workers: number): void {
  if (workers === 1) return;
  const n = x.length;
  // A power of two: multiplying by its reciprocal is exact, and about twice as fast as dividing.
  if ((workers & (workers - 1)) === 0) {
    const inv = 1 / workers;
    for (let i = 0; i < n; i++) x[i] *= inv;
    return;
  }
  for (let i = 0; i < n; i++) x[i] = x[i] / workers;
}
