// Weight initialisers with Flux's formulas. They create f32 tensors on the CPU, as Flux's do: moving a
// model to a GPU is the caller's job (`await dev(model)`), never a layer's.
import { type Rng, defaultRng, ones, rand, randn, sub, mul, zeros, type Tensor } from "@flux/kernels";

/** An initialiser: given a shape (Julia order), a new CPU tensor. */
export type Init = (shape: readonly number[]) => Tensor;

/** Flux's `nfan`: fan-in and fan-out of a weight shape (`[out, in]` for Dense, `[k..., cin, cout]` for Conv). */
export function nfan(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]!];
  if (shape.length === 2) return [shape[1]!, shape[0]!];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [receptive * shape[shape.length - 2]!, receptive * shape[shape.length - 1]!];
}

/**
 * Flux's `glorot_uniform`: uniform on `±sqrt(6 / (fan_in + fan_out)) * gain`; the default of Dense and Conv.
 *
 * Draws from `rng` (default: the package-wide default generator, so `setDefaultRng(rng(0))` makes models
 * reproducible).
 *
 * @example
 * const w = glorotUniform([5, 10]); // the init of Dense(10, 5)
 */
export function glorotUniform(shape: readonly number[], opts: { gain?: number; rng?: Rng } = {}): Tensor {
  const [fanIn, fanOut] = nfan(shape);
  const scale = (opts.gain ?? 1) * Math.sqrt(24 / (fanIn + fanOut));
  const u = rand([...shape], { rng: opts.rng ?? defaultRng() });
  const centred = sub(u, 0.5);
  const out = mul(centred, scale);
  u.dispose();
  centred.dispose();
  return out;
}

/**
 * Flux's `glorot_normal`: normal with std `gain * sqrt(2 / (fan_in + fan_out))`.
 *
 * @example
 * Dense(10, 5, relu, { init: glorotNormal });
 */
export function glorotNormal(shape: readonly number[], opts: { gain?: number; rng?: Rng } = {}): Tensor {
  const [fanIn, fanOut] = nfan(shape);
  const std = (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  const n = randn([...shape], { rng: opts.rng ?? defaultRng() });
  const out = mul(n, std);
  n.dispose();
  return out;
}

/** Flux's `randn32`: standard normal f32 (Embedding's default). @example randn32([3, 10]) */
export function randn32(shape: readonly number[], opts: { rng?: Rng } = {}): Tensor {
  return randn([...shape], { rng: opts.rng ?? defaultRng() });
}

/** Flux's `zeros32`. @example zeros32([3]) */
export function zeros32(shape: readonly number[]): Tensor {
  return zeros([...shape]);
}

/** Flux's `ones32`. @example ones32([3]) */
export function ones32(shape: readonly number[]): Tensor {
  return ones([...shape]);
}
