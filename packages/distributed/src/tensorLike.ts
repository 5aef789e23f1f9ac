// Tensors from @flux/kernels, seen structurally: the collectives need only shape, dtype, device and an async
// readback, and build the result with kernels' `tensor`, imported on first use (kernels is a peer).
import { type CollectiveArray, dtypeOf, isCollectiveArray } from "./buffers.js";
import { DistributedArgumentError, DistributedUnavailableError } from "./errors.js";

/** What a collective needs from a tensor (a @flux/kernels `Tensor` has all of it). */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly device?: unknown;
  data(): Promise<ArrayLike<number>>;
}

type TensorFactory = (
  data: ArrayLike<number>,
  shape: readonly number[],
  opts: { dtype: string; device?: unknown },
) => TensorLike;

let factory: TensorFactory | undefined;

/** True for tensors (objects with `shape`, `dtype` and an async `data()`); typed arrays are not tensors. */
export function isTensorLike(x: unknown): x is TensorLike {
  if (typeof x !== "object" || x === null || ArrayBuffer.isView(x)) return false;
  const t = x as Partial<TensorLike>;
  return Array.isArray(t.shape) && typeof t.dtype === "string" && typeof t.data === "function";
}

/**
 * Runs `step` on a host buffer holding `x`'s elements and returns the result in `x`'s form.
 *
 * A typed array is the buffer itself: it is mutated in place and returned (Flux's `allreduce!`). A tensor
 * is read back (`await t.data()`: a copy, on CPU and GPU alike; WebGPU buffers cannot be handed to MPI), and
 * the result is a NEW tensor of the same shape, dtype and device; the input tensor is left untouched.
 */
export async function onHost<T>(x: T, step: (buf: CollectiveArray) => Promise<void>): Promise<T> {
  if (isCollectiveArray(x)) {
    await step(x);
    return x;
  }
  if (isTensorLike(x)) {
    const data = await x.data();
    dtypeOf(data); // a clear error for a dtype we cannot carry (e.g. f16 read back as Uint16Array)
    const host = (data as CollectiveArray).slice();
    await step(host);
    const make = await tensorFactory();
    return make(host, x.shape, { dtype: x.dtype, device: x.device }) as T;
  }
  throw new DistributedArgumentError(
    `a collective got ${describe(x)}; pass a typed array (Float32Array, Float64Array, Int32Array, ` +
      "Uint32Array, Uint8Array) or a @flux/kernels tensor. For whole models use synchronize(b, model).",
  );
}

async function tensorFactory(): Promise<TensorFactory> {
  if (factory) return factory;
  let mod: { tensor?: TensorFactory };
  try {
    mod = (await import("@flux/kernels")) as unknown as { tensor?: TensorFactory };
  } catch (cause) {
    throw new DistributedUnavailableError(
      "collectives on tensors build their result with @flux/kernels, which could not be imported. " +
        "Install it (`npm i @flux/kernels`) or pass typed arrays.",
      { cause },
    );
  }
  if (typeof mod.tensor !== "function")
    throw new DistributedUnavailableError(
      "the installed @flux/kernels has no `tensor` export; install a matching version (>=0.1.0 <1).",
    );
  factory = mod.tensor;
  return factory;
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return typeof x;
  return Object.prototype.toString.call(x);
}
