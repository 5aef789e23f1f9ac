// Tensors from @flux/kernels, seen structurally (any copy of kernels will do): the collectives need only
// shape, dtype, device and an async readback, and build results with kernels' `tensor`.
import { tensor } from "@flux/kernels";
import { type CollectiveArray, dtypeCode, isCollectiveArray, tryDtypeOf } from "./buffers.js";
import { DistributedArgumentError } from "./errors.js";
import { INVALID_DTYPE, type LeafSignature } from "./safety.js";

/** What a collective needs from a tensor (a @flux/kernels `Tensor` has all of it). */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly device?: unknown;
  data(): Promise<ArrayLike<number>>;
}

/** True for tensors (objects with `shape`, `dtype` and an async `data()`); typed arrays are not tensors. */
export function isTensorLike(x: unknown): x is TensorLike {
  if (typeof x !== "object" || x === null || ArrayBuffer.isView(x)) return false;
  const t = x as Partial<TensorLike>;
  return Array.isArray(t.shape) && typeof t.dtype === "string" && typeof t.data === "function";
}

/**
 * One collective argument on the host: the buffer that travels, its signature, and how to hand the result
 * back in the argument's form. An argument that cannot travel still gets a signature (dtype
 * `INVALID_DTYPE`), so that the other ranks fail with a mismatch instead of waiting for this one.
 */
export interface HostBuffer {
  /** The buffer that travels; `null` when the argument cannot (then `error` says why). */
  readonly buf: CollectiveArray | null;
  readonly leaf: LeafSignature;
  /** Why it cannot travel: a `DistributedArgumentError`, or the error reading the tensor raised. */
  readonly error: Error | null;
  /**
   * Takes the values that came back when they did not arrive in `buf` itself (a tree's leaves travel in one
   * flat buffer): a typed array copies them in; a tensor builds its result from them at once. Either way
   * nothing keeps a reference to `values`, which may be reused.
   */
  take(values: CollectiveArray): void;
  /** The typed array itself (updated in place), or a NEW tensor of the same shape, dtype and device. */
  result(): unknown;
}

/**
 * Brings `x` to the host. A typed array is the buffer itself (no copy: MPI and the threads arena read and
 * write it in place). A tensor is read back once (`await t.data()` is already a copy, on CPU and GPU alike;
 * WebGPU buffers cannot be handed to MPI) and its result is a new tensor; the input tensor is untouched.
 */
export async function toHost(x: unknown, fn: string): Promise<HostBuffer> {
  if (isCollectiveArray(x)) {
    const leaf = { dtypeCode: dtypeCode(tryDtypeOf(x)!), shape: [x.length] };
    return { buf: x, leaf, error: null, take: (v) => x.set(v), result: () => x };
  }
  if (isTensorLike(x)) {
    let data: ArrayLike<number>;
    try {
      data = await x.data();
    } catch (e) {
      // A freed tensor, a lost GPU: this rank still takes its turn in the signature exchange (with a
      // signature nobody matches), so the others fail now instead of pairing this collective with the next.
      return invalid(
        e instanceof Error
          ? e
          : new DistributedArgumentError(`${fn}: reading the tensor failed: ${String(e)}`),
      );
    }
    const dtype = tryDtypeOf(data);
    if (!dtype)
      return invalid(
        `${fn} got a tensor of dtype ${x.dtype}, which a collective cannot carry (it carries f32, f64, i32, ` +
          'u32 and u8). Cast it first, e.g. cast(t, "f32").',
      );
    const buf = data as CollectiveArray;
    const shape = [...x.shape];
    // kernels' tensor copies the values, so it may be built from a view of a shared flat buffer.
    const make = (values: CollectiveArray) =>
      tensor(values, shape, { dtype: x.dtype as "f32", device: x.device as never });
    let made: unknown;
    return {
      buf,
      leaf: { dtypeCode: dtypeCode(dtype), shape },
      error: null,
      take: (v) => {
        made = make(v); // at once: the flat buffer is reused by the next dtype's transfer
      },
      result: () => made ?? make(buf),
    };
  }
  return invalid(
    `${fn} got ${describe(x)}; pass a typed array (Float32Array, Float64Array, Int32Array, Uint32Array, ` +
      "Uint8Array) or a @flux/kernels tensor. For a whole gradient tree use averageGradients(b, grad); for " +
      "a model, synchronize(b, model).",
  );
}

function invalid(problem: string | Error): HostBuffer {
  const error = typeof problem === "string" ? new DistributedArgumentError(problem) : problem;
  return {
    buf: null,
    leaf: { dtypeCode: INVALID_DTYPE, shape: [] },
    error,
    take: () => {},
    result: () => undefined,
  };
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return typeof x;
  return Object.prototype.toString.call(x);
}
