// The types of observations and batches, computed from the type of the data, so that `DataLoader(data)`
// yields typed batches. They mirror the run-time rules of container.ts (containerKind), observation.ts
// (getobs) and batch.ts (batch); where the type cannot tell (a custom container without typed methods), the
// answer is `unknown`, never a guess.
import type { Tensor } from "@flux/kernels";
import type { ObsContainer, TypedArrayLike } from "./container.js";
import type { DataLoaderOptions } from "./dataLoader.js";

// Array types of fixed length (tuples) versus lists: `[X, Y]` is a tuple, `number[]` is not.
type IsTuple<T extends readonly unknown[]> = number extends T["length"] ? false : true;

// What a single index of a custom container gives. `getobs` may be overloaded (an index or a list, as
// @flux/distributed's container): inference reads the LAST overload, which is the single-index one there.
type CustomObs<D> = D extends { getobs(i: number): infer O } ? O : unknown;

/**
 * Whether values of type `X` are data containers (containerKind not null): tensors, typed arrays, custom
 * containers, arrays, and plain objects whose fields are all containers. Decides, like the run time, whether
 * an array is a tuple of containers or a list of observations.
 */
export type IsContainer<X> = [X] extends [Tensor | TypedArrayLike | ObsContainer | readonly unknown[]]
  ? true
  : [X] extends [(...args: never[]) => unknown]
    ? false
    : [X] extends [object]
      ? { [K in keyof X]-?: IsContainer<X[K]> }[keyof X] extends true
        ? true
        : false
      : false;

/**
 * One observation of data of type `D` (`getobs(data, i)`): a tensor gives a tensor (its last dim dropped),
 * a typed array a number (a bigint for the 64-bit ones), a custom container its `getobs(i)` type, a tuple or
 * object of containers the tuple or object of their observations, a list of observations its element.
 *
 * @example
 * type O = Obs<{ x: Tensor; y: Int32Array }>; // { x: Tensor; y: number }
 */
export type Obs<D> = unknown extends D
  ? unknown
  : D extends Tensor
    ? Tensor
    : D extends BigInt64Array | BigUint64Array
      ? bigint
      : D extends TypedArrayLike
        ? number
        : D extends ObsContainer
          ? CustomObs<D>
          : D extends readonly unknown[]
            ? IsTuple<D> extends true
              ? { -readonly [K in keyof D]: Obs<D[K]> }
              : IsContainer<D[number]> extends true
                ? Obs<D[number]>[]
                : D[number]
            : D extends object
              ? { -readonly [K in keyof D]: Obs<D[K]> }
              : unknown;

/**
 * Several observations of data of type `D` (`getobs(data, indices)`, a DataLoader's default batch): a tensor
 * gives a tensor (the observation dim kept), a typed array the same typed array type, a custom container
 * what its `getobsBatch` returns (else the array of its observations), tuples and objects part by part, a
 * list of observations an array of them.
 *
 * @example
 * type B = ObsBatch<readonly [Tensor, Tensor]>; // [Tensor, Tensor]
 */
export type ObsBatch<D> = unknown extends D
  ? unknown
  : D extends Tensor
    ? Tensor
    : D extends TypedArrayLike
      ? D
      : D extends ObsContainer
        ? D extends { getobsBatch(indices: readonly number[]): infer B }
          ? B
          : CustomObs<D>[]
        : D extends readonly unknown[]
          ? IsTuple<D> extends true
            ? { -readonly [K in keyof D]: ObsBatch<D[K]> }
            : IsContainer<D[number]> extends true
              ? ObsBatch<D[number]>[]
              : D[number][]
          : D extends object
            ? { -readonly [K in keyof D]: ObsBatch<D[K]> }
            : unknown;

// Typed arrays that `batch` stacks into a tensor (batch.ts's STACKABLE); other kinds stay an array.
type Stackable = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

/**
 * What `batch(observations)` gives for observations of type `O` (`collate: true`): tensors and stackable
 * typed arrays stack into a tensor, numbers into an array of numbers, tuples and objects field by field;
 * anything else stays the array of observations.
 *
 * @example
 * type B = Batched<{ x: Tensor; y: number }>; // { x: Tensor; y: number[] }
 */
export type Batched<O> = unknown extends O
  ? unknown
  : O extends Tensor
    ? Tensor
    : O extends Stackable
      ? Tensor
      : O extends number
        ? number[]
        : O extends TypedArrayLike
          ? O[]
          : O extends readonly unknown[]
            ? IsTuple<O> extends true
              ? { -readonly [K in keyof O]: Batched<O[K]> }
              : Batched<O[number]>[]
            : O extends (...args: never[]) => unknown
              ? O[]
              : O extends object
                ? { -readonly [K in keyof O]: Batched<O[K]> }
                : O[];

/**
 * The batch type of `DataLoader(data, opts)` for data of type `D` and options of type `Opts`, following
 * `collate` and `batchsize` when the options spell them out (a negative literal `batchsize`: single
 * observations; `collate: true`: `Batched`; `false`: an array of observations; a function: what it returns;
 * otherwise `ObsBatch<D>`).
 *
 * @example
 * type B = LoaderBatch<Tensor, { batchsize: 64 }>; // Tensor
 */
export type LoaderBatch<D, Opts extends DataLoaderOptions> = Opts extends {
  batchsize: infer N extends number;
}
  ? `${N}` extends `-${string}`
    ? Obs<D>
    : CollatedBatch<D, Opts>
  : CollatedBatch<D, Opts>;

type CollatedBatch<D, Opts> = Opts extends { collate: infer C }
  ? C extends (observations: never[]) => infer R
    ? R
    : C extends true
      ? Batched<Obs<D>>
      : C extends false
        ? Obs<D>[]
        : ObsBatch<D>
  : ObsBatch<D>;
