// How an op family becomes backend methods: a family module exports `ops`, plain functions whose first
// parameter is the KernelContext; the backend binds them to its context once, so each is a method of the
// same name and the same remaining parameters. Registering a new family is one entry in backend.ts's
// FAMILIES (and its type in the WebGPUBackend interface there).
import type { KernelContext } from "./context.js";

/** A family's functions, each taking the kernel context first. */
export type Family = Readonly<Record<string, (ctx: KernelContext, ...args: never[]) => unknown>>;

/** The methods a family gives the backend: its functions without the context parameter. */
export type Bound<F> = {
  readonly [K in keyof F]: F[K] extends (ctx: KernelContext, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};

/**
 * Defines each family function on `target` as a method with `ctx` bound (non-enumerable, like class methods).
 */
export function bindFamilies(target: object, ctx: KernelContext, families: readonly Family[]): void {
  for (const family of families) {
    for (const [name, fn] of Object.entries(family)) {
      if (Object.hasOwn(target, name)) {
        throw new Error(`[@flux/kernels] internal error: two WebGPU op families define ${name}`);
      }
      Object.defineProperty(target, name, {
        value: (...args: never[]) => fn(ctx, ...args),
        configurable: true,
        writable: true,
      });
    }
  }
}
