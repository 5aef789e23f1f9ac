// Matrix multiplication, batched over trailing dims (Julia's `*` for matrices, `batched_mul` beyond).
import { record, releaseTemp } from "../autodiff/tape.js";
import { ShapeError } from "../errors.js";
import { sizeOf, type Shape, shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { backendOf, requireFloat, reshapeRaw, wrap } from "./core.js";
import { reshape } from "./shape.js";

/** Options of `matmul`: use the transpose of an operand without materialising it. */
export interface MatmulOpts {
  transA?: boolean;
  transB?: boolean;
}

/** @internal The output shape of a (batched) matmul of ≥2-D operands, or a ShapeError. */
function matmulShape(a: Shape, b: Shape, transA: boolean, transB: boolean): number[] {
  const m = transA ? a[1]! : a[0]!;
  const ka = transA ? a[0]! : a[1]!;
  const kb = transB ? b[1]! : b[0]!;
  const n = transB ? b[0]! : b[1]!;
  if (ka !== kb) {
    throw new ShapeError(
      `matmul: inner dims differ: op(A) is ${m}×${ka}, op(B) is ${kb}×${n} (shapes [${a.join(", ")}] and [${b.join(", ")}]` +
        `${transA || transB ? `, transA=${transA}, transB=${transB}` : ""}).`,
    );
  }
  const ba = a.slice(2);
  const bb = b.slice(2);
  if (ba.length > 0 && bb.length > 0 && !shapesEqual(ba, bb)) {
    throw new ShapeError(
      `matmul: batch dims differ: [${ba.join(", ")}] vs [${bb.join(", ")}]; they must be equal, or one side 2-D or a batch of one.`,
    );
  }
  return [m, n, ...(ba.length > 0 ? ba : bb)];
}

/** @internal The raw batched matmul on ≥2-D tensors, with its VJP. */
function matmul2(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const be = backendOf("matmul", a, b);
  requireFloat("matmul", a.dtype);
  if (a.dtype !== b.dtype)
    throw new ShapeError(
      `matmul: operands have dtypes ${a.dtype} and ${b.dtype}; cast one to the other's, e.g. cast(b, "${a.dtype}").`,
    );
  const shape = matmulShape(a.shape, b.shape, transA, transB);
  const out = wrap(
    be,
    be.matmul(a.view("matmul"), b.view("matmul"), { transA, transB }, shape),
    shape,
    a.dtype,
  );
  record([a, b], out, (g, needs) => {
    // C = op(A) op(B):  dA = dC op(B)ᵀ (or its transpose), dB = op(A)ᵀ dC (or its transpose)
    const da = needs[0] ? (transA ? matmul2(b, g, transB, true) : matmul2(g, b, false, !transB)) : null;
    const db = needs[1] ? (transB ? matmul2(g, a, true, transA) : matmul2(a, g, !transA, false)) : null;
    return [da && sumBatches(da, a.shape), db && sumBatches(db, b.shape)];
  });
  return out;
}

// A 2-D operand reused for every batch gets the sum of its per-batch gradients.
function sumBatches(g: Tensor, shape: Shape): Tensor {
  if (g.rank === shape.length) return g;
  const be = g.backend;
  const axes = g.shape.map((_, i) => i).slice(2);
  const summed = wrap(
    be,
    be.reduce("sum", g.view("matmul"), axes),
    g.shape.map((d, i) => (i >= 2 ? 1 : d)),
    g.dtype,
  );
  return reshapeRaw(summed, shape, "matmul");
}

/**
 * Matrix product `op(a) * op(b)`, column-major, batched over dims 3 and beyond.
 *
 * `a` is `[m, k, batch...]`, `b` is `[k, n, batch...]` (batch dims equal, or one operand 2-D or a batch of one,
 * shared by every batch as in NNlib's `batched_mul`);
 * the result is `[m, n, batch...]`. A 1-D `b` is a column vector (`W * x`), giving a 1-D result.
 * `transA`/`transB` multiply by a transpose without copying it.
 *
 * @example
 * const W = randn([5, 10]), x = randn([10, 64]);
 * matmul(W, x);                        // 5×64
 * matmul(x, x, { transA: true });      // 64×64, xᵀx
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOpts = {}): Tensor {
  backendOf("matmul", a, b);
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(
      `matmul: both operands must have at least one dim, got [${a.shape.join(", ")}] and [${b.shape.join(", ")}]; multiply by a scalar with mul.`,
    );
  }
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  const vecB = b.rank === 1;
  let a2 = a.rank === 1 ? reshapeView(a, transA ? [1, a.shape[0]!] : [a.shape[0]!, 1]) : a;
  let b2 = vecB ? reshapeView(b, transB ? [1, b.shape[0]!] : [b.shape[0]!, 1]) : b;
  // NNlib's batched_mul: a batch of one on one side is shared by every batch of the other (`A ⊠ B` with
  // size(B, 3) == 1 uses B[:, :, 1] for each k), as a 2-D operand is.
  if (a2.rank > 2 && b2.rank > 2 && !shapesEqual(a2.shape.slice(2), b2.shape.slice(2))) {
    if (sizeOf(a2.shape.slice(2)) === 1) a2 = reshapeView(a2, a2.shape.slice(0, 2));
    else if (sizeOf(b2.shape.slice(2)) === 1) b2 = reshapeView(b2, b2.shape.slice(0, 2));
  }
  const out = matmul2(a2, b2, transA, transB);
  if (a2 !== a) releaseTemp(a2);
  if (b2 !== b) releaseTemp(b2);
  if (!vecB) return out;
  const v = reshapeView(out, [out.shape[0]!, ...out.shape.slice(2)]);
  releaseTemp(out);
  return v;
}

function reshapeView(x: Tensor, shape: Shape): Tensor {
  if (sizeOf(shape) !== x.size) throw new ShapeError("matmul: internal reshape size mismatch.");
  return reshape(x, shape);
}
