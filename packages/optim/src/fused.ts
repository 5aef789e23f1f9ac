// Whether `update`, `updateInPlace` and `train` run each rule's fused step (kernels' `optimiserStep`, one
// pass per parameter, state updated in place) or its reference `apply` (element-wise ops). The fused step
// is the default; FLUX_FUSED_OPTIM=0 in the environment selects the reference path (for benchmarks and for
// checking a result against the oracle), read at each update so a script may switch between steps.
import {
  OPTIMISER_STEP_OPS,
  type Tensor,
  add,
  cast,
  optimiserStep,
  optimiserStepSupported,
  readEnv,
  tidy,
  tensorsIn,
} from "@flux/kernels";
import type { Leaf } from "./leaf.js";

let forced: boolean | undefined;

/**
 * @internal Forces the fused path on (`true`) or off (`false`), or back to the environment (`undefined`).
 * For tests that compare the two paths in one process.
 */
export function setFusedSteps(on: boolean | undefined): void {
  forced = on;
}

/** Whether fused steps are on: `setFusedSteps`, else FLUX_FUSED_OPTIM (anything but "0" means on). */
export function fusedStepsEnabled(): boolean {
  if (forced !== undefined) return forced;
  return readEnv("FLUX_FUSED_OPTIM") !== "0";
}

/**
 * Runs `leaf`'s rule as ONE fused step on `x` with the (summed, cast) gradient, updating `x` and the
 * state's tensors in place; returns false, touching nothing, where the rule, the dtype or the backend has
 * no fused form (the caller then runs the reference `apply`).
 */
export function fusedStep(leaf: Leaf, x: Tensor, gs: readonly Tensor[]): boolean {
  const rule = leaf.rule;
  if (rule.fused === undefined || !optimiserStepSupported(x)) return false;
  return tidy(() => {
    let g = gs[0]!;
    for (const h of gs.slice(1)) g = add(g, h);
    if (g.dtype !== x.dtype) g = cast(g, x.dtype); // the parameter keeps its dtype (Julia's subtract!)
    const f = rule.fused!(leaf.state, x, g);
    if (f === null || !optimiserStepSupported(x, f.ops)) return false;
    // State of another dtype or shape (a state tree moved or cast apart from its model): the reference
    // path promotes or reports it as before.
    const factors = f.ops.flatMap((op) => OPTIMISER_STEP_OPS[op.kind].state.map(() => op.kind === "scale"));
    const fits = f.tensors.every(
      (t, j) => t.dtype === x.dtype && t.device === x.device && (factors[j] || sameShape(t, x)),
    );
    if (!fits) return false;
    const old = tensorsIn(leaf.state);
    optimiserStep(x, g, f.ops, f.tensors);
    leaf.state = f.next;
    const kept = new Set(tensorsIn(f.next));
    for (const t of old) if (!kept.has(t)) t.dispose();
    return true;
  });
}

function sameShape(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}
