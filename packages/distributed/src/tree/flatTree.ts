// The engine of the tree collectives (averageGradients, synchronize): every leaf that travels is brought to
// the host, the ranks compare ONE signature for the whole tree, and each dtype's leaves travel as ONE flat
// buffer. Then the tree is rebuilt with the results (tied leaves stay tied).
import { fmap } from "@flux/functors";
import type { DistributedBackend } from "../backend.js";
import {
  allocate,
  type CollectiveArray,
  type CollectiveDtype,
  dtypeCode,
  dtypeFromCode,
  isCollectiveArray,
} from "../buffers.js";
import { DistributedMismatchError } from "../errors.js";
import { type CollectiveName, checkSignatures, checkThenAllreduce } from "../safety.js";
import type { WireOp } from "../transport.js";
import { type HostBuffer, isTensorLike, toHost } from "../tensorLike.js";

/** How one tree collective moves its flat buffers. */
export interface FlatTreeSpec {
  /** The collective named in the signature (and in mismatch errors). */
  collective: CollectiveName;
  /** The function the user called, for argument errors. */
  fn: string;
  opCode: number;
  root: number;
  /** Whether number leaves travel too (as f64); otherwise they are kept as they are. */
  numbers: boolean;
  /** Checks that need the signature exchange first (every rank then throws together). */
  afterCheck?(dtypes: CollectiveDtype[]): void;
  /** Moves one dtype's flat buffer in place. */
  transfer(flat: CollectiveArray): Promise<void>;
  /**
   * For an allreduce: its wire op and what to do with each flat buffer after it (e.g. divide for "avg").
   * A tree of one dtype then travels with the signature check as one collective where the transport can
   * fold them (`checkThenAllreduce`).
   */
  allreduce?: { op: WireOp; label: string; finish(flat: CollectiveArray): void };
}

/** Runs `spec` over the leaves of `tree` and returns the rebuilt tree (call inside `b.serialize`). */
export async function flatTreeCollective<T>(b: DistributedBackend, tree: T, spec: FlatTreeSpec): Promise<T> {
  // Pass 1 lists the leaves in the order fmap visits them (each object once); pass 2 walks the same tree
  // the same way and hands back each leaf's result in that order.
  const leaves: unknown[] = [];
  fmap((x: unknown) => {
    leaves.push(x);
    return x;
  }, tree);
  const travels = (x: unknown) =>
    isCollectiveArray(x) || isTensorLike(x) || (spec.numbers && typeof x === "number");
  const moving = leaves.filter(travels);
  const hosts = await Promise.all(
    moving.map((x) => (typeof x === "number" ? numberHost(x) : toHost(x, spec.fn))),
  );
  // hostOf[i]: the host buffer of leaves[i], or undefined for a leaf that stays.
  let h = 0;
  const hostOf = leaves.map((x) => (travels(x) ? hosts[h++] : undefined));
  const error = hosts.find((h) => h.error)?.error ?? null;
  const signature = {
    collective: spec.collective,
    length: hosts.reduce((n, h) => n + (h.buf?.length ?? 0), 0),
    opCode: spec.opCode,
    root: spec.root,
    leaves: hosts.map((h) => h.leaf),
  };
  const groups = new Map<number, HostBuffer[]>();
  for (const h of hosts) {
    const group = groups.get(h.leaf.dtypeCode);
    if (group) group.push(h);
    else groups.set(h.leaf.dtypeCode, [h]);
  }
  const codes = [...groups.keys()].sort((p, q) => p - q); // the same order on every rank
  const dtypes = codes.map((c) => dtypeFromCode(c) as CollectiveDtype);
  const fold = spec.allreduce;

  if (fold && !error && codes.length === 1) {
    // The common case (every gradient f32): check and reduce as one collective.
    const group = groups.get(codes[0])!;
    const flat = pack(b, dtypes[0], group);
    await checkThenAllreduce(b.transport, signature, flat, fold.op, fold.label, () =>
      spec.afterCheck?.(dtypes),
    );
    fold.finish(flat);
    unpack(flat, group);
  } else {
    try {
      await checkSignatures(b.transport, signature);
    } catch (e) {
      // This rank's own argument error says more than the mismatch it caused.
      if (error && e instanceof DistributedMismatchError) throw error;
      throw e;
    }
    if (error) throw error;
    spec.afterCheck?.(dtypes);
    for (const [i, code] of codes.entries()) {
      const group = groups.get(code)!;
      const flat = pack(b, dtypes[i], group);
      await spec.transfer(flat);
      fold?.finish(flat);
      unpack(flat, group);
    }
  }

  let next = 0;
  return fmap(() => {
    const i = next++;
    const host = hostOf[i];
    return host ? host.result() : leaves[i];
  }, tree);
}

// One scratch buffer per backend for the flat buffers: a training step averages the same tree every time, and
// a fresh buffer per call would be garbage the size of the model. Safe to reuse: calls on one backend run one
// at a time, and every leaf takes its values out (a tensor copies them) before the call ends.
const scratch = new WeakMap<DistributedBackend, ArrayBuffer>();

/** One dtype's buffers as one flat buffer (the buffer itself when there is only one). */
function pack(b: DistributedBackend, dtype: CollectiveDtype, hosts: HostBuffer[]): CollectiveArray {
  if (hosts.length === 1) return hosts[0].buf!;
  const length = hosts.reduce((n, h) => n + h.buf!.length, 0);
  const bytes = length * allocate(dtype, 0).BYTES_PER_ELEMENT;
  let space = scratch.get(b);
  if (!space || space.byteLength < bytes) {
    space = new ArrayBuffer(Math.max(bytes, 4096));
    scratch.set(b, space);
  }
  const ctor = allocate(dtype, 0).constructor as new (
    buf: ArrayBuffer,
    at: number,
    n: number,
  ) => CollectiveArray;
  const flat = new ctor(space, 0, length);
  let at = 0;
  for (const h of hosts) {
    flat.set(h.buf!, at);
    at += h.buf!.length;
  }
  return flat;
}

/** Hands each buffer of a group its part of the flat buffer that came back. */
function unpack(flat: CollectiveArray, hosts: HostBuffer[]): void {
  if (hosts.length === 1 && hosts[0].buf === flat) return;
  let at = 0;
  for (const h of hosts) {
    const n = h.buf!.length;
    h.take(flat.subarray(at, at + n));
    at += n;
  }
}

function numberHost(x: number): HostBuffer {
  const buf = new Float64Array([x]);
  return {
    buf,
    leaf: { dtypeCode: dtypeCode("f64"), shape: [] },
    error: null,
    take: (v) => buf.set(v),
    result: () => buf[0],
  };
}
