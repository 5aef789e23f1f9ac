// Cross-package protocol keys (Symbol.for, so two installed copies of a package agree).

/**
 * The key of a data source's "move me to a device" hook: @flux/devices' public `DEVICE_ITERATOR`, declared
 * here too because this package imports nothing from @flux/devices at run time. `@flux/devices` calls
 * `x[DEVICE_ITERATOR](dev, opts)` when a device is applied to a DataLoader, and gets back an async
 * iterable of device batches (with prefetch), instead of trying to move the loader's fields.
 */
export const DEVICE_ITERATOR: unique symbol = Symbol.for("flux.deviceIterator") as never;
