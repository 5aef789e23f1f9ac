// Walking structures of tensors without importing @flux/functors: the same `Symbol.for` protocol
// (`flux.leaf` marks leaves, `flux.functor` lists a class's child fields), so kernels stays a root package.
import { type Tensor, isTensor } from "./tensor.js";

const LEAF = Symbol.for("flux.leaf");
const FUNCTOR = Symbol.for("flux.functor");

/** @internal The `[key, child]` pairs of a container (array, Map, plain object or class instance). */
export function childrenOf(x: object): [unknown, unknown][] {
  if (Array.isArray(x)) return x.map((v, i) => [i, v]);
  if (x instanceof Map) return [...x.entries()];
  const fields = (x as Record<symbol, unknown>)[FUNCTOR];
  const keys = Array.isArray(fields) ? (fields as string[]) : Object.keys(x);
  return keys.map((k) => [k, (x as Record<string, unknown>)[k]]);
}

/** @internal Whether `x` is a container to walk into (not a tensor, typed array or other marked leaf). */
function isContainer(x: unknown): x is object {
  return (
    x !== null &&
    typeof x === "object" &&
    !isTensor(x) &&
    (x as Record<symbol, unknown>)[LEAF] !== true &&
    !ArrayBuffer.isView(x)
  );
}

/**
 * Every tensor in `x` (a tensor, or any tree of arrays, Maps, objects and class instances), each once,
 * depth-first. Cycles are fine.
 *
 * @example
 * tensorsIn({ w: a, layers: [a, b] }); // [a, b]
 */
export function tensorsIn(x: unknown): Tensor[] {
  const found = new Set<Tensor>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (isTensor(v)) found.add(v);
    else if (isContainer(v) && !seen.has(v)) {
      seen.add(v);
      for (const [, child] of childrenOf(v)) visit(child);
    }
  };
  visit(x);
  return [...found];
}
