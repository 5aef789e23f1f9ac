// `setup(rule, model)`: one Leaf per trainable float tensor, in a tree of plain containers shaped like the
// model. Optimisers.jl's `_setup` with `_trainable`: non-trainable children become `null`.
import { checkNotPromise, children, isleaf, trainable } from "@flux/functors";
import { type Tensor, isFloat, isTensor } from "@flux/kernels";
import { OptimStructureError, RuleArgumentError } from "./errors.js";
import { Leaf } from "./leaf.js";
import { type Rule, isRule } from "./rule.js";
import { type StateTree, pathString } from "./tree.js";

let warnedEmpty = false;

/** Refuses a first argument that is not a rule, naming the usual slips (a constructor, swapped arguments). */
function checkRule(rule: unknown, model: unknown): asserts rule is Rule {
  if (isRule(rule)) return;
  const hint =
    typeof rule === "function" && (rule as { name?: string }).name
      ? ` It is the constructor ${(rule as { name: string }).name}: call it, e.g. setup(${(rule as { name: string }).name}(), model).`
      : isRule(model)
        ? " The arguments look swapped: write setup(rule, model)."
        : "";
  throw new RuleArgumentError(
    `setup: the 1st argument must be an optimisation rule such as Adam(1e-3) or Descent(0.1), got ${
      rule === null || rule === undefined ? String(rule) : typeof rule
    }.${hint}`,
  );
}

/**
 * Builds the optimiser state for `model` (Optimisers.jl's `setup`): a tree shaped like the model's
 * children (plain objects for class instances, arrays, Maps) with a `Leaf(rule, rule.init(x))` for every
 * float tensor that is trainable, and `null` elsewhere (numbers, functions, integer tensors, fields left
 * out by the `Symbol.for("flux.trainable")` list).
 *
 * A tensor reached twice (tied weights) gets ONE Leaf at both places, so it is updated once with the sum
 * of its gradients. State tensors are created on each parameter's device with its dtype. Warns once when
 * the model has no trainable parameter. A Promise for `model` (`setup(rule, gpu(model))` without `await`)
 * throws `UnawaitedPromiseError`.
 *
 * @example
 * const model = { weight: randn([3, 2]), bias: zeros([3]), act: "relu" };
 * const state = setup(Adam(0.01), model); // { weight: Leaf, bias: Leaf, act: null }
 */
export function setup(rule: Rule, model: unknown): StateTree {
  checkNotPromise(model, "setup", "model");
  checkRule(rule, model);
  const cache = new Map<Tensor, Leaf>();
  const visiting = new Set<object>();
  const visit = (x: unknown, path: unknown[]): StateTree => {
    if (isTensor(x)) {
      if (!isFloat(x.dtype)) return null;
      let leaf = cache.get(x);
      if (leaf === undefined) {
        leaf = Leaf(rule, rule.init(x));
        cache.set(x, leaf);
      }
      return leaf;
    }
    if (isleaf(x)) return null;
    const node = x as object;
    if (visiting.has(node)) {
      throw new OptimStructureError(
        pathString(path),
        "setup: the model contains itself (a cycle); leave back-references out of its children with functor(Class, fields)",
      );
    }
    visiting.add(node);
    const all = children(node);
    const train = trainable(node);
    let out: StateTree;
    if (Array.isArray(all)) out = all.map((v, i) => visit(v, [...path, i]));
    else if (all instanceof Map) out = new Map([...all].map(([k, v]) => [k, visit(v, [...path, k])]));
    else {
      const obj: Record<string, StateTree> = {};
      for (const [k, v] of Object.entries(all)) {
        // defineProperty: a field named "__proto__" must stay a field.
        Object.defineProperty(obj, k, {
          value: Object.hasOwn(train, k) ? visit(v, [...path, k]) : null,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      out = obj;
    }
    visiting.delete(node);
    return out;
  };
  const tree = visit(model, []);
  if (cache.size === 0 && !warnedEmpty) {
    warnedEmpty = true;
    console.warn(
      "[@flux/optim] setup found no trainable parameters in this model (no float tensors among its trainable " +
        "children); the optimiser will do nothing. (Reported once.)",
    );
  }
  return tree;
}
