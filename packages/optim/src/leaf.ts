// The per-parameter record of a state tree. Mutable on purpose (as in Optimisers.jl): its identity encodes
// parameter sharing (tied weights share one Leaf), and freeze/adjustInPlace/updateInPlace change it.
import { callableClass } from "@flux/functors";
import type { Rule } from "./rule.js";

const LEAF_MARK = Symbol.for("flux.optim.leaf");

class LeafImpl<S = unknown> {
  constructor(
    public rule: Rule<S>,
    public state: S,
    public frozen = false,
  ) {}

  /** `Leaf(Adam(...), { mt: 3×2 Tensor{f32}, ... })`, with `, frozen` when frozen. */
  toString(): string {
    return `Leaf(${String(this.rule)}, ${describeState(this.state)}${this.frozen ? ", frozen" : ""})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

Object.defineProperty(LeafImpl.prototype, LEAF_MARK, { value: true });
Object.defineProperty(LeafImpl.prototype, Symbol.for("flux.functor"), { value: Object.freeze(["state"]) });

/**
 * One trainable parameter's optimiser state (Optimisers.jl's `Leaf`): the `rule`, its `state` (tensors on
 * the parameter's device) and whether it is `frozen`.
 *
 * For @flux/functors (and so for devices) a Leaf is a container whose only child is `state`: moving a
 * state tree to a device moves the state tensors and keeps `rule` and `frozen`; tied Leafs stay tied.
 *
 * @example
 * const tree = setup(Adam(), { w: randn([3, 2]) });
 * tree.w instanceof Leaf; // true
 * String(tree.w);         // "Leaf(Adam(eta=0.001, beta=[0.9, 0.999], epsilon=1e-8), ...)"
 */
export const Leaf = callableClass(LeafImpl, "Leaf") as typeof LeafImpl &
  (<S>(rule: Rule<S>, state: S, frozen?: boolean) => LeafImpl<S>);
/** A state-tree Leaf (see `Leaf`). */
export type Leaf<S = unknown> = LeafImpl<S>;

/**
 * Whether `x` is a state-tree `Leaf` (of any installed copy of this package).
 *
 * @example
 * isOptimLeaf(setup(Descent(), w)); // true
 */
export function isOptimLeaf(x: unknown): x is Leaf {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[LEAF_MARK] === true;
}

function describeState(s: unknown): string {
  if (s === null || s === undefined) return String(s);
  if (typeof s !== "object") return String(s);
  if ("shape" in s && "dtype" in s) {
    const t = s as { shape: readonly number[]; dtype: string; device: unknown };
    return `${t.shape.length === 1 ? `${t.shape[0]}-element` : t.shape.join("×")} Tensor{${t.dtype}}`;
  }
  if (Array.isArray(s)) return `[${s.map(describeState).join(", ")}]`;
  return `{ ${Object.entries(s)
    .map(([k, v]) => `${k}: ${describeState(v)}`)
    .join(", ")} }`;
}
