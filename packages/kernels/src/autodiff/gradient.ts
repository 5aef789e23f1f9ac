// `gradient` and `withgradient` (the role of Zygote): run f on a fresh tape, seed the scalar result with 1,
// walk the tape backwards, and hand back one gradient tree per argument. Everything else created during the
// call (forward intermediates, cotangents, temporaries) is freed before returning.
import { GradientError } from "../errors.js";
import { isThenable } from "../thenable.js";
import { beginScope, endScope, type TrackedTensor } from "../memory.js";
import { add } from "../ops/elementwise.js";
import { isFloat } from "../dtype.js";
import { type Tensor, isTensor } from "../tensor.js";
import { wrap } from "../ops/core.js";
import { Tape, activeTape, withTape } from "./tape.js";
import { childrenOf, tensorsIn } from "../tree.js";

const LEAF = Symbol.for("flux.leaf");

/**
 * Any gradient tree: tensors where the argument had float tensors, `null` where nothing was differentiable.
 *
 * What `Grad<T>` is when nothing is known about `T`.
 *
 * @example
 * const g: GradTree = gradient((w) => sum(w), w)[0];
 */
export type GradTree = Tensor | null | GradTree[] | { [key: string]: GradTree } | Map<unknown, GradTree>;

// Leaves without a gradient: the gradient walk gives `null` for these (typed arrays are data, not weights).
type NoGrad = number | string | boolean | bigint | symbol | null | undefined | ArrayBufferView;

// The keys of T that can hold a gradient: methods (and other function-valued fields) never do.
type GradKeys<T> = {
  [K in keyof T]-?: K extends string ? (T[K] extends (...args: never[]) => unknown ? never : K) : never;
}[keyof T];

/**
 * The gradient of an argument of type `T`, shaped like it (what `gradient` / `withgradient` return for it).
 *
 * A `Tensor` gives a `Tensor`; a number, string, typed array or function gives `null`; a Map a Map of
 * gradients; an array or tuple the same array or tuple of gradients; any other object (a layer, a plain
 * object) an object with the same non-method fields, each the gradient of that field. With `T` unknown it
 * is the general `GradTree`.
 *
 * The types leave out one run-time case to keep the common access cast-free: a part that `f` did not use
 * (or whose tensors are not float) is `null` at run time, where the type says `Tensor` or an object;
 * check for `null` where a model has parts the loss may skip.
 *
 * @example
 * const [g] = gradient((m) => sum(m.W), { W: randn([2, 3]), name: "w" });
 * g.W;    // Tensor
 * g.name; // null
 */
export type Grad<T = unknown> = unknown extends T
  ? GradTree
  : T extends Tensor
    ? Tensor
    : T extends NoGrad
      ? null
      : T extends (...args: never[]) => unknown
        ? null
        : T extends ReadonlyMap<infer K, infer V>
          ? Map<K, Grad<V>>
          : T extends readonly unknown[]
            ? { -readonly [I in keyof T]: Grad<T[I]> }
            : T extends object
              ? { -readonly [K in GradKeys<T>]: Grad<T[K]> }
              : GradTree;

/** The gradients of the arguments `A` of `f`: one `Grad` per argument, in order. */
export type Grads<A extends readonly unknown[]> = { -readonly [I in keyof A]: Grad<A[I]> };

/** The result of `withgradient`: the value `f` returned and the gradients. */
export interface WithGradient<T, A extends readonly unknown[] = unknown[]> {
  /** What `f` returned (a scalar tensor, or the object whose `loss` field was differentiated). */
  readonly val: T;
  /** One gradient tree per argument of `f` (see `Grad`). */
  readonly grad: Grads<A>;
}

function collectInputs(x: unknown, out: Set<Tensor>, seen: Set<object>): void {
  if (x === null || typeof x !== "object") return;
  if (isTensor(x)) {
    if (isFloat(x.dtype)) out.add(x);
    return;
  }
  if (seen.has(x) || (x as Record<symbol, unknown>)[LEAF] === true || ArrayBuffer.isView(x)) return;
  seen.add(x);
  for (const child of childrenOf(x)) collectInputs(child[1], out, seen);
}

// Builds the gradient tree of one argument; `memo` keeps tied subtrees tied (one result object per node).
function gradTree(x: unknown, grads: Map<Tensor, Tensor>, memo: Map<object, GradTree>): GradTree {
  if (x === null || typeof x !== "object") return null;
  if (isTensor(x)) return grads.get(x) ?? null;
  if ((x as Record<symbol, unknown>)[LEAF] === true || ArrayBuffer.isView(x)) return null;
  if (memo.has(x)) return memo.get(x)!;
  memo.set(x, null); // cycles resolve to null
  let result: GradTree;
  if (Array.isArray(x)) {
    const arr = x.map((v) => gradTree(v, grads, memo));
    result = arr.every((g) => g === null) ? null : arr;
  } else if (x instanceof Map) {
    const m = new Map<unknown, GradTree>();
    for (const [k, v] of x) m.set(k, gradTree(v, grads, memo));
    result = [...m.values()].every((g) => g === null) ? null : m;
  } else {
    const obj: { [key: string]: GradTree } = {};
    for (const [k, v] of childrenOf(x)) obj[k as string] = gradTree(v, grads, memo);
    result = Object.values(obj).every((g) => g === null) ? null : obj;
  }
  memo.set(x, result);
  return result;
}

function lossOf(val: unknown): Tensor {
  if (val instanceof Promise) {
    throw new GradientError(
      "gradient(f, ...): f returned a Promise; f must be synchronous (ops are sync to call).",
    );
  }
  const t = isTensor(val) ? val : (val as { loss?: unknown } | null)?.loss;
  if (!isTensor(t)) {
    throw new GradientError(
      "gradient(f, ...): f must return a scalar Tensor (e.g. a loss from sum/mean), or an object with a `loss` " +
        `Tensor field; it returned ${val === null ? "null" : typeof val}.`,
    );
  }
  if (t.size !== 1) {
    throw new GradientError(
      `gradient(f, ...): f returned a ${t.shape.join("×")} tensor (${t.size} elements); it must return a scalar ` +
        "(size 1). Reduce it first, e.g. with sum or mean.",
    );
  }
  if (!isFloat(t.dtype))
    throw new GradientError(`gradient(f, ...): f returned a ${t.dtype} tensor; it must be a float.`);
  return t;
}

/**
 * Runs `f(...args)` and returns its value together with the gradient of its scalar result with respect to
 * every float tensor found in `args`.
 *
 * `f` returns a scalar tensor, or an object with a `loss` tensor (Flux's `withgradient` with an auxiliary
 * output: the whole object comes back as `val`). `val` is returned as-is (a Tensor you own: read it with
 * `await val.item()` and dispose it). Every other tensor created during the call is freed.
 *
 * @example
 * const { val, grad: [g] } = withgradient((w) => sum(square(w)), w);
 * console.log(await val.item()); val.dispose();
 */
export function withgradient<A extends unknown[], T>(f: (...args: A) => T, ...args: A): WithGradient<T, A> {
  if (typeof f !== "function")
    throw new GradientError(
      `gradient(f, ...args): f must be the function to differentiate, got ${
        f === null ? "null" : isTensor(f) ? "a Tensor (the arguments come after f)" : typeof f
      }; e.g. gradient((w) => sum(mul(w, w)), w).`,
    );
  if (activeTape() !== null) {
    throw new GradientError(
      "gradient/withgradient was called inside another gradient: nested (higher-order) differentiation is not supported. " +
        "Compute the inner gradient outside the outer one, or differentiate the inner result with finite differences.",
    );
  }
  for (const [i, a] of args.entries()) {
    // `withgradient(f, gpu(model))` without `await`: f would get a Promise and fail somewhere inside.
    if (isThenable(a))
      throw new GradientError(
        `gradient(f, ...): argument ${i + 1} after f is a Promise, not a value: did you forget \`await\`? ` +
          "Device moves are async: `withgradient(f, await gpu(model))`.",
      );
  }
  const inputs = new Set<Tensor>();
  const seen = new Set<object>();
  for (const a of args) collectInputs(a, inputs, seen);
  const tape = new Tape();
  for (const t of inputs) tape.tracked.add(t);
  beginScope();
  let val: T;
  const grads = new Map<Tensor, Tensor>();
  let trees: GradTree[];
  try {
    val = withTape(tape, () => f(...args));
    const loss = lossOf(val);
    withTape(null, () => backward(tape, loss, grads));
    const finals = new Map<Tensor, Tensor>();
    for (const t of inputs) {
      const g = grads.get(t);
      if (g !== undefined) finals.set(t, g);
    }
    const memo = new Map<object, GradTree>();
    trees = args.map((a) => gradTree(a, finals, memo));
    const survivors = new Set<TrackedTensor>(finals.values());
    for (const t of tensorsIn(val)) survivors.add(t);
    endScope(survivors);
  } catch (e) {
    endScope(new Set());
    throw e;
  }
  // The trees follow the arguments' shapes, which is what Grads<A> states (see Grad for the null caveat).
  return { val, grad: trees as Grads<A> };
}

/**
 * The gradient of a scalar-valued `f` with respect to each argument (Zygote's `gradient`).
 *
 * One result per argument, shaped like it: a tensor for a tensor; for objects, arrays, Maps and class
 * instances (own enumerable fields, or the `Symbol.for("flux.functor")` field list) a plain object /
 * array / Map with the same keys; `null` where nothing was differentiable (non-float tensors, numbers,
 * functions, tensors `f` did not use). A tensor reached twice (tied weights) gets ONE gradient, the sum,
 * at both places. Ops are recorded only inside `f`; nested `gradient` (higher order) is not supported.
 *
 * @example
 * const model = { W: randn([2, 3]), b: zeros([2]) };
 * const [g] = gradient((m) => sum(add(matmul(m.W, x), m.b)), model);
 * g.W; // 2×3 Tensor, g.b; // 2-element Tensor
 */
export function gradient<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): Grads<A> {
  const { val, grad } = withgradient(f, ...args);
  for (const t of tensorsIn(val)) if (!args.includes(t as never) && !isInArgs(t, args)) t.dispose();
  return grad;
}

function isInArgs(t: Tensor, args: unknown[]): boolean {
  const found = new Set<Tensor>();
  const seen = new Set<object>();
  for (const a of args) collectInputs(a, found, seen);
  return found.has(t);
}

function backward(tape: Tape, loss: Tensor, grads: Map<Tensor, Tensor>): void {
  const b = loss.backend;
  const seed = wrap(b, b.fill(1, 1, loss.dtype), loss.shape, loss.dtype);
  grads.set(loss, seed);
  // Reference counts let cotangents that are passed through unchanged (add's VJP returns g itself) be
  // freed exactly once, as soon as no node needs them.
  const refs = new Map<Tensor, number>([[seed, 1]]);
  const hold = (t: Tensor) => refs.set(t, (refs.get(t) ?? 0) + 1);
  const release = (t: Tensor) => {
    const n = (refs.get(t) ?? 1) - 1;
    if (n <= 0) {
      refs.delete(t);
      if (!isInput(t)) t.dispose();
    } else refs.set(t, n);
  };
  const inputs = new Set<Tensor>();
  const isInput = (t: Tensor) => inputs.has(t);
  for (const node of tape.nodes) for (const t of node.inputs) if (tape.tracked.has(t)) inputs.add(t);
  // Leaves are the watched inputs; everything else in tape.tracked is an op output.
  for (const node of tape.nodes) inputs.delete(node.output);
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const node = tape.nodes[i]!;
    const g = grads.get(node.output);
    if (g === undefined) continue;
    grads.delete(node.output);
    const needs = node.inputs.map((t) => tape.tracked.has(t));
    const contributions = runVjp(node.backward, g, needs);
    node.inputs.forEach((input, k) => {
      const c = contributions[k];
      if (!needs[k] || c === null || c === undefined) {
        if (c && c !== g && !refs.has(c)) c.dispose();
        return;
      }
      hold(c);
      const existing = grads.get(input);
      if (existing === undefined) grads.set(input, c);
      else {
        const s = add(existing, c);
        hold(s);
        release(existing);
        release(c);
        grads.set(input, s);
      }
    });
    release(g);
  }
  // Cotangents of outputs that nothing consumed (e.g. the loss when it is also a leaf) stay in `grads`.
}

function runVjp(
  vjp: (g: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[],
  g: Tensor,
  needs: boolean[],
) {
  // Temporaries made inside a VJP are freed at once; only its returned cotangents survive.
  beginScope();
  let out: readonly (Tensor | null)[];
  try {
    out = vjp(g, needs);
  } catch (e) {
    endScope(new Set());
    throw e;
  }
  endScope(new Set(out.filter((t): t is Tensor => t !== null)));
  return out;
}
