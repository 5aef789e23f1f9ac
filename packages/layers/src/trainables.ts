// Flux's `trainables`: the trainable tensors of a model, each once, in walk order.
import { children, isleaf, trainable } from "@flux/functors";
import { isTensor, type Tensor } from "@flux/kernels";

function values(c: ReturnType<typeof children>): unknown[] {
  return c instanceof Map ? [...c.values()] : Object.values(c);
}

/**
 * The trainable tensors of `m` (Flux's `trainables`), each listed once even when tied.
 *
 * Follows `trainable` fields (BatchNorm's running statistics are not listed), depth first.
 *
 * @example
 * trainables(Chain(Dense(2, 3), Dense(3, 1))).length; // 4
 */
export function trainables(m: unknown): Tensor[] {
  return collectTensors(m, true);
}

/** @internal All tensors reachable through children (trainable or not), each once. */
export function allTensors(m: unknown): Tensor[] {
  return collectTensors(m, false);
}

function collectTensors(m: unknown, onlyTrainable: boolean): Tensor[] {
  const out: Tensor[] = [];
  const seen = new Set<unknown>();
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== "object" || seen.has(x)) return;
    seen.add(x);
    if (isTensor(x)) {
      out.push(x);
      return;
    }
    if (isleaf(x)) return;
    for (const c of values(onlyTrainable ? trainable(x) : children(x))) visit(c);
  };
  visit(m);
  return out;
}
