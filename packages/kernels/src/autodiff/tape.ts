// The reverse-mode tape. While `gradient` runs the user's function, every op whose inputs include a tracked
// tensor appends a node holding its VJP; the backward pass walks the nodes in reverse.
import { setRetainHook } from "../memory.js";
import type { Tensor } from "../tensor.js";

/** A VJP: given the output's cotangent, the inputs' cotangents (only those in `needs` are used). */
export type Backward = (g: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[];

/** One recorded op. */
export interface TapeNode {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly backward: Backward;
}

/** @internal The recording of one `gradient` call. */
export class Tape {
  readonly nodes: TapeNode[] = [];
  /** Tensors that depend on a watched input (their cotangents matter). */
  readonly tracked = new Set<Tensor>();
  /** Tensors that the backward pass reads (inputs and outputs of nodes). */
  readonly retained = new Set<Tensor>();
}

const stack: (Tape | null)[] = [];

/** @internal The tape recording now, or null. */
export function activeTape(): Tape | null {
  return stack[stack.length - 1] ?? null;
}

/** @internal Runs `fn` with `tape` recording (nested gradient calls record on their own tape only). */
export function withTape<T>(tape: Tape | null, fn: () => T): T {
  stack.push(tape);
  updateRetainHook();
  try {
    return fn();
  } finally {
    stack.pop();
    updateRetainHook();
  }
}

function updateRetainHook(): void {
  const tapes = stack.filter((t): t is Tape => t !== null);
  setRetainHook(tapes.length === 0 ? null : (t) => tapes.some((tape) => tape.retained.has(t as Tensor)));
}

/**
 * @internal Records `output = op(inputs)` with its VJP if any input is tracked on the active tape.
 * Returns whether it recorded (callers then keep temporaries alive for the backward pass).
 */
export function record(inputs: readonly Tensor[], output: Tensor, backward: Backward): boolean {
  const tape = activeTape();
  if (tape === null) return false;
  let any = false;
  for (const t of inputs) if (tape.tracked.has(t)) any = true;
  if (!any) return false;
  tape.tracked.add(output);
  for (const t of inputs) tape.retained.add(t);
  tape.retained.add(output);
  tape.nodes.push({ inputs, output, backward });
  return true;
}

/** @internal Whether `t` is tracked on the active tape (a cheap pre-check before building a VJP). */
export function isTracked(t: Tensor): boolean {
  const tape = activeTape();
  return tape?.tracked.has(t) === true;
}

/**
 * @internal Frees a temporary of a composite op now, unless the active tape still needs it for the
 * backward pass (then the gradient's scope frees it at the end).
 */
export function releaseTemp(t: Tensor): void {
  for (const tape of stack) if (tape?.retained.has(t)) return;
  t.dispose();
}

/**
 * @internal Keeps `t` alive until the backward pass of the active tape: a value a VJP reads that is neither
 * an input nor the output of its node (a fused op's saved intermediates). The gradient's scope frees it.
 */
export function retainForBackward(t: Tensor): void {
  activeTape()?.retained.add(t);
}
