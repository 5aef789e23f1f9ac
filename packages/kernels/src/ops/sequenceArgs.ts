// The argument checks shared by the fused recurrent layer ops (lstmSequence, gruSequence): tensors on one
// device, one float dtype, and shapes that fit `x` [in, T, B], `Wi` [G*n, in], `Wh` [G*n, n], `b` [G*n] and
// states [n] or [n, B]. Each failure names the argument, what it is and what it must be.
import type { Backend } from "../backend.js";
import { ArgumentError, DTypeError, ShapeError } from "../errors.js";
import { isTensor, type Tensor } from "../tensor.js";
import { backendOf, describe, requireFloat } from "./core.js";

/** @internal Checks a fused recurrent op's arguments (`gates`: G, the gates stacked in the kernels); returns their backend. */
export function checkSequenceArgs(
  op: string,
  gates: number,
  x: Tensor,
  Wi: Tensor,
  Wh: Tensor,
  b: Tensor | null,
  states: Readonly<Record<string, Tensor>>,
): Backend {
  const named = [
    ["x", x],
    ["Wi", Wi],
    ["Wh", Wh],
    ...Object.entries(states),
    ...(b === null ? [] : [["b", b]]),
  ] as [string, Tensor][];
  for (const [name, t] of named) {
    if (!isTensor(t)) throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${describe(t)}.`);
  }
  const backend = backendOf(op, ...named.map(([, t]) => t));
  requireFloat(op, x.dtype);
  if (!named.every(([, t]) => t.dtype === x.dtype)) {
    throw new DTypeError(
      `${op}: the input, weights and state must share one dtype, got ${named.map(([k, t]) => `${k} ${t.dtype}`).join(", ")}; cast them first.`,
    );
  }
  const G = gates;
  const n = Wh.shape[1] ?? 0;
  if (Wh.rank !== 2 || n < 1 || Wh.shape[0] !== G * n) {
    throw new ShapeError(
      `${op}: Wh must be [${G}n, n] (the ${G} gates stacked), got [${Wh.shape.join(", ")}].`,
    );
  }
  if (x.rank !== 3 || x.shape[1]! < 1 || x.shape[2]! < 1) {
    throw new ShapeError(
      `${op}: x must be [in, steps, batch] with at least one step and one sequence, got [${x.shape.join(", ")}].`,
    );
  }
  const inn = x.shape[0]!;
  if (Wi.rank !== 2 || Wi.shape[0] !== G * n || Wi.shape[1] !== inn) {
    throw new ShapeError(
      `${op}: Wi must be [${G * n}, ${inn}] for this Wh and x, got [${Wi.shape.join(", ")}].`,
    );
  }
  if (b !== null && (b.rank !== 1 || b.shape[0] !== G * n)) {
    throw new ShapeError(`${op}: b must be [${G * n}] (or null), got [${b.shape.join(", ")}].`);
  }
  const B = x.shape[2]!;
  for (const [name, s] of Object.entries(states)) {
    const ok = (s.rank === 1 && s.shape[0] === n) || (s.rank === 2 && s.shape[0] === n && s.shape[1] === B);
    if (!ok) {
      throw new ShapeError(`${op}: ${name} must be [${n}] or [${n}, ${B}], got [${s.shape.join(", ")}].`);
    }
  }
  return backend;
}
