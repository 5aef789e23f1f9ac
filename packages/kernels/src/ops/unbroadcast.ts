// Cotangents of broadcast operands: sum the output cotangent over the dims that were broadcast.
import { shapesEqual, type Shape } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { reshapeRaw, wrap } from "./core.js";

/**
 * @internal Sums `g` (the broadcast output's shape) down to `shape` (an operand's shape). Not recorded on a
 * tape: it runs during the backward pass. Returns `g` itself when nothing was broadcast.
 */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const axes: number[] = [];
  for (let d = 0; d < g.shape.length; d++) {
    const s = d < shape.length ? shape[d]! : 1;
    if (s === 1 && g.shape[d] !== 1) axes.push(d);
  }
  const b = g.backend;
  const summed =
    axes.length === 0
      ? g
      : wrap(
          b,
          b.reduce("sum", g.view("unbroadcast"), axes),
          g.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
          g.dtype,
        );
  const out = reshapeRaw(summed, shape, "unbroadcast");
  if (out !== summed && summed !== g) summed.dispose();
  return out;
}
