// `updateInPlace` (Optimisers.jl's `update!`) and the pure `update`. Two walks, as in Optimisers.jl: the
// first gathers one gradient per Leaf (tied parameters: one Leaf, gradients summed) and checks that the
// gradient tree fits the model, the second applies each Leaf's rule once: its fused step (fused.ts: one
// kernel pass, parameter and state updated in place) where it has one, else its reference `apply` and
// kernels' `assign`.
import { checkNotPromise, children, fmap } from "@flux/functors";
import { type Tensor, add, assign, cast, clone, isTensor, tensorsIn, tidy } from "@flux/kernels";
import { sub } from "@flux/kernels";
import { OptimStructureError } from "./errors.js";
import { fusedStep, fusedStepsEnabled } from "./fused.js";
import { checkStep } from "./stepCheck.js";
import { type Leaf, isOptimLeaf } from "./leaf.js";
import { type StateTree, childAt, entriesOf, modelChild, pathString } from "./tree.js";

/** The keys of a gradient container (own keys of a plain object, indices of an array, keys of a Map). */
function gradKeys(g: object): unknown[] {
  if (Array.isArray(g)) return g.map((_, i) => i);
  if (g instanceof Map) return [...g.keys()];
  return Object.keys(g);
}

/**
 * Refuses a gradient node that names children the model node lacks (`{ y: g }` for a model `{ x }`): such a
 * gradient would train nothing without a word. `null`/`undefined` entries are fine (no gradient there).
 */
function checkGradKeys(x: unknown, g: object, path: unknown[]): void {
  const ch = children(x);
  for (const k of gradKeys(g)) {
    const v = g instanceof Map ? g.get(k) : (g as Record<PropertyKey, unknown>)[k as PropertyKey];
    if (v === null || v === undefined) continue;
    const has = ch instanceof Map ? ch.has(k) : Object.hasOwn(ch, k as PropertyKey);
    if (!has) {
      const names = ch instanceof Map ? [...ch.keys()] : Object.keys(ch);
      throw new OptimStructureError(
        pathString([...path, k]),
        `update: the gradient has a child ${JSON.stringify(String(k))} that the model does not have (the model ` +
          `has ${names.length === 0 ? "no children here" : names.map((n) => JSON.stringify(String(n))).join(", ")}); ` +
          "pass the gradient of this model, e.g. grad[0] from withgradient((m) => loss(m), model)",
      );
    }
  }
}

/**
 * Refuses a gradient child (a tensor or a container) where the state tree has no entry at all: a state tree
 * built for another model (or `{}`) would otherwise train nothing without a word. A `null` state entry
 * (a non-trainable child) is an entry.
 */
function checkStateKeys(t: object, g: object, path: unknown[]): void {
  const has = (k: unknown) =>
    t instanceof Map
      ? t.has(k)
      : Array.isArray(t)
        ? Number(k) < t.length
        : Object.hasOwn(t, k as PropertyKey);
  for (const k of gradKeys(g)) {
    const v = g instanceof Map ? g.get(k) : (g as Record<PropertyKey, unknown>)[k as PropertyKey];
    if (v === null || v === undefined || has(k)) continue;
    throw new OptimStructureError(
      pathString([...path, k]),
      `update: the gradient has ${isTensor(v) ? "a tensor" : "a child"} here but the state tree has no entry for it; ` +
        "pass the state that setup(rule, model) returned for this model",
    );
  }
}

function gatherGrads(t: unknown, x: unknown, g: unknown, grads: Map<Leaf, Tensor[]>, path: unknown[]): void {
  if (g === null || g === undefined || t === null || t === undefined) return;
  if (isOptimLeaf(t)) {
    if (!isTensor(g)) {
      throw new OptimStructureError(
        pathString(path),
        "update: the gradient has a container where the model has a tensor; pass the gradient of the model itself",
      );
    }
    const list = grads.get(t) ?? [];
    // kernels' `gradient` already sums a tied tensor's gradient and hands the same tensor at every place:
    // count each gradient tensor once. Distinct tensors (a hand-built gradient) are summed, as in Julia.
    if (!list.includes(g)) list.push(g);
    grads.set(t, list);
    return;
  }
  if (typeof t !== "object") return;
  if (isTensor(g)) {
    throw new OptimStructureError(
      pathString(path),
      "update: the gradient has a tensor where the state tree has a container; pass the gradient of the whole model",
    );
  }
  if (typeof g !== "object") {
    throw new OptimStructureError(
      pathString(path),
      `update: the gradient has a ${typeof g} where the model has a container; pass a tree of tensors shaped like the model`,
    );
  }
  checkGradKeys(x, g, path);
  checkStateKeys(t, g, path);
  for (const [k, tk] of entriesOf(t)) {
    if (tk === null) continue;
    gatherGrads(tk, modelChild(x, k, path), childAt(g, k), grads, [...path, k]);
  }
}

function step(leaf: Leaf, x: Tensor, gs: readonly Tensor[]): void {
  if (fusedStepsEnabled() && fusedStep(leaf, x, gs)) return;
  const old = leaf.state;
  const next = tidy(() => {
    let g = gs[0]!;
    for (const h of gs.slice(1)) g = add(g, h);
    if (g.dtype !== x.dtype) g = cast(g, x.dtype); // the parameter keeps its dtype (Julia's subtract!)
    const [s, d] = leaf.rule.apply(old, x, g);
    if (d !== null) assign(x, sub(x, d));
    return s;
  });
  leaf.state = next;
  const kept = new Set(tensorsIn(next));
  for (const t of tensorsIn(old)) if (!kept.has(t)) t.dispose();
}

/** One parameter step to take: found and checked for the whole tree before the first one runs. */
interface PlannedStep {
  leaf: Leaf;
  x: Tensor;
  gs: Tensor[];
}

function planAll(
  t: unknown,
  x: unknown,
  grads: Map<Leaf, Tensor[]>,
  done: Map<Leaf, Set<Tensor>>,
  path: unknown[],
  plan: PlannedStep[],
): void {
  if (t === null || t === undefined || typeof t !== "object") return;
  if (isOptimLeaf(t)) {
    if (!isTensor(x)) {
      throw new OptimStructureError(
        pathString(path),
        "update: the state tree has a Leaf where the model has no tensor",
      );
    }
    const seen = done.get(t) ?? new Set<Tensor>();
    if (seen.has(x)) return;
    seen.add(x);
    done.set(t, seen);
    const gs = grads.get(t);
    if (t.frozen || gs === undefined) return;
    checkStep(t, x, gs, path);
    plan.push({ leaf: t, x, gs });
    return;
  }
  for (const [k, tk] of entriesOf(t)) {
    if (tk === null) continue;
    planAll(tk, modelChild(x, k, path), grads, done, [...path, k], plan);
  }
}

/**
 * One optimisation step that MUTATES (Flux's / Optimisers.jl's `update!`): every trainable tensor of
 * `model` with a gradient is overwritten in place (so every reference to it sees the new values) and each
 * Leaf's state moves on. Returns `[state, model]`, the same objects. This is what training loops use.
 *
 * Each parameter's step is its rule's fused form where it has one (kernels' `optimiserStep`: one pass over
 * the parameter, its gradient and its state, f32 and f64 on the CPU, f32 on WebGPU): the state's tensors
 * are then updated in place (the same tensors hold the new moments). Elsewhere (AccumGrad, f16, a
 * backend without the kernel, or FLUX_FUSED_OPTIM=0) the rule's reference `apply` runs as element-wise ops
 * and the Leaf gets new state tensors (the old ones are freed). Both compute the same values (bit for bit
 * on the CPU).
 *
 * `grad` is shaped like the model as kernels' `gradient` returns it (`null` or missing where there is
 * nothing); branches without a gradient and frozen Leafs are skipped. A gradient that names a child the
 * model lacks, a gradient of another shape or device than its parameter, or a state tree set up for another
 * model throws `OptimStructureError` with its key path, before any parameter is written (the model and
 * state are left exactly as they were); a Promise for any argument throws
 * `UnawaitedPromiseError` (a missing `await`). A gradient of another float dtype is cast to the
 * parameter's. The gradient tensors are not freed: they are the caller's.
 *
 * @example
 * const [g] = gradient((m) => loss(m, x, y), model);
 * updateInPlace(state, model, g); // model.weight now holds the new values
 */
export function updateInPlace<M>(state: StateTree, model: M, grad: unknown): [StateTree, M] {
  checkNotPromise(state, "updateInPlace", "state");
  checkNotPromise(model, "updateInPlace", "model");
  checkNotPromise(grad, "updateInPlace", "grad");
  const grads = new Map<Leaf, Tensor[]>();
  gatherGrads(state, model, grad, grads, []);
  // Every step is found and checked before the first parameter is written, so a bad gradient or state
  // anywhere in the tree throws with the model and state exactly as they were.
  const plan: PlannedStep[] = [];
  planAll(state, model, grads, new Map(), [], plan);
  for (const { leaf, x, gs } of plan) step(leaf, x, gs);
  return [state, model];
}

/**
 * A copy of a model or state tree with every tensor cloned (ties kept: a tensor met twice is cloned once;
 * Leafs are copied, with the same rule and frozen flag).
 */
function copyTree<T>(x: T): T {
  return fmap((v: unknown) => (isTensor(v) ? clone(v) : v), x) as T;
}

/**
 * One optimisation step without mutation (Optimisers.jl's `update`): returns `[newState, newModel]`, copies
 * in which every tensor is new; `state` and `model` are left exactly as they were, so both generations can
 * be kept or disposed independently. Costs a copy of the model and state; training loops use
 * `updateInPlace`.
 *
 * @example
 * const [state2, model2] = update(state, model, grad);
 */
export function update<M>(state: StateTree, model: M, grad: unknown): [StateTree, M] {
  checkNotPromise(state, "update", "state");
  checkNotPromise(model, "update", "model");
  checkNotPromise(grad, "update", "grad");
  return updateInPlace(copyTree(state), copyTree(model), grad);
}
