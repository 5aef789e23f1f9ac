// The fused optimiser step as a public op: checks the operands, packs the named scalars in the kernels'
// order and hands the step to the backend, which updates the parameter and the state IN PLACE in one pass.
// It is not differentiable (it writes its operands), so it refuses tensors the active gradient tape needs.
import { activeTape } from "../autodiff/tape.js";
import { ArgumentError, DTypeError, GradientError, ShapeError } from "../errors.js";
import {
  OPTIMISER_STEP_OPS,
  type OptimiserStepKind,
  type OptimiserStepOp,
  type PackedOptimiserOp,
} from "../optimiserOps.js";
import { shapesEqual } from "../shape.js";
import { isTensor, type Tensor } from "../tensor.js";
import { backendOf, describe } from "./core.js";

const OP = "optimiserStep";

/**
 * Whether `optimiserStep` runs for a parameter like `x` (and, when given, these `ops`): its backend has the
 * fused kernel, `x` is f32 (or f64 on the CPU), and the ops and their state tensors fit the backend's
 * limits (WebGPU: 6 ops, 4 state tensors). Otherwise apply the rule as element-wise ops.
 *
 * @example
 * if (optimiserStepSupported(w)) optimiserStep(w, g, [{ kind: "descent", eta: 0.1 }]);
 */
export function optimiserStepSupported(x: Tensor, ops?: readonly OptimiserStepOp[]): boolean {
  if (!isTensor(x) || x.isDisposed) return false;
  const b = x.backend;
  if (b.optimiserStep === undefined || !(x.dtype === "f32" || x.dtype === "f64")) return false;
  if (!b.dtypes.includes(x.dtype)) return false;
  const limits = b.optimiserStepLimits;
  if (ops === undefined || limits === undefined) return true;
  const state = ops.reduce((k, op) => k + (OPTIMISER_STEP_OPS[op.kind]?.state.length ?? 0), 0);
  return ops.length <= limits.ops && state <= limits.state;
}

function shapeText(t: Tensor): string {
  return `[${t.shape.join(", ")}] ${t.dtype}`;
}

function pack(ops: readonly OptimiserStepOp[]): PackedOptimiserOp[] {
  if (!Array.isArray(ops)) {
    throw new ArgumentError(`${OP}: ops must be an array of ops such as { kind: "descent", eta: 0.1 }.`);
  }
  let next = 0;
  return ops.map((op, i) => {
    const spec = OPTIMISER_STEP_OPS[op?.kind as OptimiserStepKind];
    if (spec === undefined || !Object.hasOwn(OPTIMISER_STEP_OPS, op.kind)) {
      throw new ArgumentError(
        `${OP}: ops[${i}] has kind ${JSON.stringify(op?.kind)}; use one of ${Object.keys(OPTIMISER_STEP_OPS).join(", ")}.`,
      );
    }
    const scalars = spec.scalars.map((name) => {
      const v = (op as unknown as Record<string, unknown>)[name];
      if (typeof v !== "number") {
        throw new ArgumentError(
          `${OP}: ops[${i}] (${op.kind}) needs the number ${name}, got ${describe(v)}; ` +
            `its scalars are ${spec.scalars.join(", ")}.`,
        );
      }
      return v;
    });
    const packed = { kind: op.kind, scalars, state: next };
    next += spec.state.length;
    return packed;
  });
}

/**
 * One fused optimiser step, IN PLACE: `d = g`, each op of `ops` in order (each one rule of
 * `OPTIMISER_STEP_OPS`, updating `d` and its own state tensors), then `x -= d`, in ONE pass over `x`, `g`
 * and the state. Returns `x`. This is what @flux/optim's `update`/`updateInPlace`/`train` run for their
 * rules; the element-wise ops of each rule compute the same values (bit for bit on the CPU) in many passes.
 *
 * `state` lists the state tensors of the ops in order (Adam: `m`, `v`), each of `x`'s shape, dtype and
 * device (`scale`'s factor: one element). `g` has `x`'s shape and dtype. Scalars are numbers already rounded
 * to `x`'s dtype. Not differentiable: it throws `GradientError` for a tensor that a running `gradient`
 * recorded. Check `optimiserStepSupported(x)` first: f32 (and f64 on the CPU) on a backend with the kernel.
 *
 * @example
 * // Momentum(0.01, 0.9) then x -= v, in one pass:
 * optimiserStep(w, g, [{ kind: "momentum", rho: 0.9, eta: 0.01 }], [velocity]);
 */
export function optimiserStep(
  x: Tensor,
  g: Tensor,
  ops: readonly OptimiserStepOp[],
  state: readonly Tensor[] = [],
): Tensor {
  const backend = backendOf(OP, x, g, ...state);
  if (!optimiserStepSupported(x)) {
    throw new DTypeError(
      `${OP}: no fused optimiser step for ${x.dtype} on ${String(x.device)} (f32 everywhere, f64 on the cpu); ` +
        "check optimiserStepSupported(x) and apply the rule as element-wise ops otherwise.",
    );
  }
  if (!shapesEqual(g.shape, x.shape)) {
    throw new ShapeError(`${OP}: the gradient is ${shapeText(g)} but the parameter is ${shapeText(x)}.`);
  }
  if (g.dtype !== x.dtype) {
    throw new DTypeError(
      `${OP}: the gradient is ${g.dtype} but the parameter is ${x.dtype}; cast the gradient first: cast(g, "${x.dtype}").`,
    );
  }
  const packed = pack(ops);
  if (!optimiserStepSupported(x, ops)) {
    const limits = backend.optimiserStepLimits!;
    throw new ArgumentError(
      `${OP}: ${String(x.device)} takes at most ${limits.ops} ops and ${limits.state} state tensors per step; ` +
        "check optimiserStepSupported(x, ops) and apply the rule as element-wise ops otherwise.",
    );
  }
  const need = packed.reduce((k, op) => k + OPTIMISER_STEP_OPS[op.kind].state.length, 0);
  if (state.length !== need) {
    throw new ArgumentError(
      `${OP}: the ops take ${need} state tensor(s) (${packed
        .flatMap((op) => OPTIMISER_STEP_OPS[op.kind].state.map((s) => `${op.kind}.${s}`))
        .join(", ")}), got ${state.length}.`,
    );
  }
  for (const op of packed) {
    OPTIMISER_STEP_OPS[op.kind].state.forEach((name, j) => {
      const t = state[op.state + j]!;
      const ok = op.kind === "scale" ? t.size === 1 : shapesEqual(t.shape, x.shape);
      if (t.dtype !== x.dtype || !ok) {
        throw new ShapeError(
          `${OP}: ${op.kind}'s ${name} is ${shapeText(t)}; it must be ` +
            (op.kind === "scale" ? `one ${x.dtype} element.` : `the parameter's ${shapeText(x)}.`),
        );
      }
    });
  }
  // Written operands must not share storage (a reshape of x passed as state would be updated twice).
  const written = [x, ...state.filter((_, j) => !packed.some((op) => op.kind === "scale" && op.state === j))];
  const storages = new Set(written.map((t) => t.view(OP).storage));
  if (storages.size !== written.length) {
    throw new ArgumentError(
      `${OP}: the parameter and the state tensors must be distinct tensors (no shared storage).`,
    );
  }
  const tape = activeTape();
  if (tape !== null && written.some((t) => tape.tracked.has(t) || tape.retained.has(t))) {
    throw new GradientError(
      `${OP} writes its operands in place and is not differentiable; call it after \`gradient\` returns, ` +
        "not inside the function being differentiated.",
    );
  }
  backend.optimiserStep!(
    packed,
    x.view(OP),
    g.view(OP),
    state.map((t) => t.view(OP)),
  );
  return x;
}
