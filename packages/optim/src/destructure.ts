// `destructure(model)`: all trainable float parameters as one flat vector, and the function that puts a
// vector back into a model of the same structure (Optimisers.jl's destructure / Restructure).
import { children, isleaf, rebuild, trainable } from "@flux/functors";
import {
  type DType,
  type Tensor,
  cast,
  cat,
  isFloat,
  isTensor,
  promoteTypes,
  reshape,
  selectdim,
  tidy,
  zeros,
} from "@flux/kernels";
import { OptimStructureError } from "./errors.js";

/**
 * Rebuilds a model from a flat vector (what `destructure` returns with the vector). Call it with a 1-D
 * tensor of `paramCount` elements; the result has new tensors (slices of the vector, reshaped, cast back
 * to each parameter's dtype) where the model had trainable ones, and the original values elsewhere.
 * Differentiable with kernels' `gradient`.
 */
export interface Restructure<M> {
  (flat: Tensor): M;
  /** How many numbers the flat vector holds (Julia's `length(re)`). */
  readonly paramCount: number;
}

function* trainableChildren(x: object): Generator<[unknown, unknown]> {
  const t = trainable(x);
  if (Array.isArray(t)) yield* t.map((v, i) => [i, v] as [unknown, unknown]);
  else if (t instanceof Map) yield* t.entries();
  else yield* Object.entries(t);
}

function collect(x: unknown, out: Tensor[], seen: Set<object>): void {
  if (isTensor(x)) {
    if (isFloat(x.dtype) && !seen.has(x)) out.push(x);
    seen.add(x);
    return;
  }
  if (isleaf(x) || seen.has(x as object)) return;
  seen.add(x as object);
  for (const [, v] of trainableChildren(x as object)) collect(v, out, seen);
}

/**
 * Copies every trainable float tensor of `model` (each tied tensor once, depth-first in children order,
 * each in column-major order) into one 1-D tensor, and returns it with a `Restructure` that rebuilds the
 * model from such a vector (Optimisers.jl's `destructure`). The vector's dtype is the promotion of the
 * parameters' dtypes; it lives on their device. Differentiable.
 *
 * @example
 * const [flat, re] = destructure({ w: randn([3, 2]), b: zeros([3]) }); // flat: 9 elements
 * const model2 = re(mul(flat, 2));
 */
export function destructure<M>(model: M): [Tensor, Restructure<M>] {
  const params: Tensor[] = [];
  collect(model, params, new Set());
  const offsets = new Map<Tensor, number>();
  let total = 0;
  for (const p of params) {
    offsets.set(p, total);
    total += p.size;
  }
  const dtype: DType = params.reduce<DType>((d, p) => promoteTypes(d, p.dtype), params[0]?.dtype ?? "f32");
  const flat =
    params.length === 0
      ? zeros([0], { dtype })
      : tidy(() =>
          cat(
            params.map((p) => reshape(p.dtype === dtype ? p : cast(p, dtype), [p.size])),
            1,
          ),
        );
  const re = ((v: Tensor) => {
    if (!isTensor(v) || v.rank !== 1 || v.size !== total) {
      throw new OptimStructureError(
        "",
        `restructure: expected a 1-D tensor of ${total} elements (the length destructure returned), got ${
          isTensor(v) ? `[${v.shape.join(", ")}]` : typeof v
        }`,
      );
    }
    const made = new Map<unknown, unknown>();
    const build = (x: unknown): unknown => {
      if (made.has(x)) return made.get(x);
      let out: unknown;
      if (isTensor(x)) {
        const start = offsets.get(x);
        out =
          start === undefined
            ? x
            : tidy(() => {
                const piece = reshape(selectdim(v, 1, { start, stop: start + x.size }), x.shape);
                return piece.dtype === x.dtype ? piece : cast(piece, x.dtype);
              });
      } else if (isleaf(x)) {
        return x;
      } else {
        const all = children(x);
        const tr = trainable(x);
        const pick = (k: unknown, c: unknown) =>
          tr instanceof Map ? (tr.has(k) ? build(c) : c) : Object.hasOwn(tr, k as PropertyKey) ? build(c) : c;
        const next = Array.isArray(all)
          ? all.map((c, i) => pick(i, c))
          : all instanceof Map
            ? new Map([...all].map(([k, c]) => [k, pick(k, c)]))
            : Object.fromEntries(Object.entries(all).map(([k, c]) => [k, pick(k, c)]));
        out = rebuild(x, next);
      }
      made.set(x, out);
      return out;
    };
    return build(model) as M;
  }) as Restructure<M>;
  Object.defineProperty(re, "paramCount", { value: total, enumerable: true });
  return [flat, re];
}
