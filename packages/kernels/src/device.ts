// Device descriptors: tiny immutable records, interned so that `a.device === b.device` is the equality test.
import { ArgumentError } from "./errors.js";
import { isThenable } from "./thenable.js";

/**
 * Where a tensor lives: a backend name and a 0-based adapter id.
 *
 * Descriptors are interned, so two tensors on the same device have `===` devices. `toString()` gives
 * `"cpu"` for the CPU and `"<backend>:<id>"` otherwise (`"webgpu:0"`).
 *
 * @example
 * deviceOf("webgpu", 0) === deviceOf("webgpu", 0); // true
 * String(deviceOf("cpu")); // "cpu"
 */
export interface DeviceDescriptor {
  readonly backend: string;
  readonly id: number;
  toString(): string;
}

const interned = new Map<string, DeviceDescriptor>();

/**
 * The interned descriptor of device `id` of `backend`.
 *
 * @example
 * const d = deviceOf("cpu"); d.backend; // "cpu"
 */
export function deviceOf(backend: string, id = 0): DeviceDescriptor {
  if (!Number.isInteger(id) || id < 0) {
    throw new ArgumentError(
      `device ids are 0-based non-negative integers, got ${id} for backend "${backend}".`,
    );
  }
  const key = `${backend}:${id}`;
  let d = interned.get(key);
  if (d === undefined) {
    const text = backend === "cpu" && id === 0 ? "cpu" : key;
    d = Object.freeze({ backend, id, toString: () => text });
    interned.set(key, d);
  }
  return d;
}

/**
 * Parses `"cpu"`, `"webgpu"` or `"webgpu:1"` into a descriptor (a descriptor passes through).
 *
 * @example
 * parseDevice("webgpu:1").id; // 1
 */
export function parseDevice(spec: string | DeviceDescriptor): DeviceDescriptor {
  if (typeof spec !== "string") return checkDescriptor(spec);
  const m = /^([A-Za-z0-9_.-]+)(?::(\d+))?$/.exec(spec);
  if (m === null)
    throw new ArgumentError(`cannot parse device "${spec}"; write "cpu", "webgpu" or "webgpu:1".`);
  return deviceOf(m[1]!, m[2] === undefined ? 0 : Number(m[2]));
}

// A `device` option holding something other than a descriptor would otherwise be looked up by its
// `backend` field and reported as 'no backend named "undefined"'. The usual causes: a Promise (an un-awaited
// `getBackend(...)` or `gpuDevice()`) or a backend object where its `.device` belongs.
/** @internal `d` itself when it is a device descriptor, else an ArgumentError saying what to pass. */
export function checkDescriptor(d: DeviceDescriptor): DeviceDescriptor {
  const o = d as unknown as Record<string, unknown> | null;
  if (o !== null && typeof o === "object" && typeof o.backend === "string" && typeof o.id === "number")
    return d;
  const how =
    'a device is a name ("cpu", "webgpu:0") or a descriptor: `const b = await getBackend("webgpu")`, then `{ device: b.device }`';
  if (isThenable(o)) throw new ArgumentError(`device: got a Promise: did you forget \`await\`? ${how}.`);
  if (o !== null && (typeof o === "object" || typeof o === "function") && typeof o.device === "object")
    throw new ArgumentError(
      `device: got a backend (or a @flux/devices device) where its \`.device\` belongs; ${how}.`,
    );
  throw new ArgumentError(`device: got ${o === null ? "null" : typeof o}; ${how}.`);
}
