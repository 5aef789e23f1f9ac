// The system libmpi, bound through koffi (an optional peer that works on Node, Bun and Deno).
import type { CollectiveArray, CollectiveDtype } from "../buffers.js";
import { DistributedMpiError, DistributedUnavailableError } from "../errors.js";
import type { WireOp } from "../transport.js";
import {
  type HandleSpec,
  MPICH_ABI,
  type MpiAbi,
  type MpiFamily,
  OPENMPI_ABI,
  OPENMPI_MARKER_SYMBOL,
} from "./abi.js";
import { bindLibc } from "./libc.js";

/** A posted nonblocking MPI operation (the MPI_Request lives in `handle`). */
export interface MpiRequest {
  readonly handle: BigUint64Array;
}

/** The MPI calls the MPI transport makes, with handles already resolved for the loaded family. */
export interface MpiLibrary {
  readonly family: MpiFamily;
  readonly path: string;
  isInitialized(): boolean;
  isFinalized(): boolean;
  init(): void;
  finalize(): void;
  commRank(): number;
  commSize(): number;
  /**
   * MPI_Iallreduce with MPI_IN_PLACE: `buf` is sent and receives the result. Nonblocking, so that the wait
   * can be polled (deadline, finished peers): used for the signature exchange, where a missing rank shows.
   */
  iallreduce(buf: CollectiveArray, dtype: CollectiveDtype, op: WireOp): MpiRequest;
  /** Blocking MPI_Allreduce with MPI_IN_PLACE on `buf` (only after an exchange proved every rank is here). */
  allreduce(buf: CollectiveArray, dtype: CollectiveDtype, op: WireOp): void;
  /** Blocking MPI_Bcast of `buf`. */
  bcast(buf: CollectiveArray, dtype: CollectiveDtype, root: number): void;
  /** Blocking MPI_Reduce: in place (MPI_IN_PLACE) on the root; elsewhere `buf` is only sent. */
  reduce(buf: CollectiveArray, dtype: CollectiveDtype, op: WireOp, root: number, isRoot: boolean): void;
  /** MPI_Isend of f64 values to `dest` with `tag` (the finish handshake's messages). */
  isend(buf: Float64Array, dest: number, tag: number): MpiRequest;
  /** MPI_Irecv of f64 values from `source` with `tag`. */
  irecv(buf: Float64Array, source: number, tag: number): MpiRequest;
  /** MPI_Test: true once the request completed. */
  test(req: MpiRequest): boolean;
  /**
   * Gives this core to another runnable process (libc's `sched_yield`, what MPI's own waits call in an
   * oversubscribed job); `false` where it could not be bound (then the caller sleeps instead).
   */
  yieldCore(): boolean;
  abort(code: number): void;
}

/** Options for finding libmpi. */
export interface LoadMpiOptions {
  /** A path or file name of libmpi to load instead of the usual names. */
  library?: string;
  /** Families to try, in order. */
  families: MpiFamily[];
  /** koffi, when the caller already has it (lets bundlers and tests inject it). */
  koffi?: unknown;
}

type Koffi = {
  load(path: string, options?: { global?: boolean }): KoffiLibrary;
};
type KoffiLibrary = { func(definition: string): (...args: any[]) => any; symbol(name: string): unknown };

/** Imports koffi by a name held in a variable, so bundlers do not try to include a native package. */
export async function importKoffi(): Promise<Koffi> {
  const name = "koffi";
  try {
    const mod = (await import(/* @vite-ignore */ name)) as { default?: Koffi } & Koffi;
    return mod.default ?? mod;
  } catch (cause) {
    throw new DistributedUnavailableError(
      "MPIBackend calls the system libmpi through the optional peer package koffi, which could not be " +
        "imported. Install it with `npm i koffi` (it works on Node, Bun and Deno), or use ThreadsBackend " +
        "for single-machine training.",
      { cause },
    );
  }
}

/** Loads the first libmpi that opens, binds its functions, and resolves the family's handles. */
export async function loadMpi(opts: LoadMpiOptions): Promise<MpiLibrary> {
  const koffi = (opts.koffi as Koffi | undefined) ?? (await importKoffi());
  const libc = bindLibc(koffi);
  // UCX (the transport under MPICH, and under Open MPI where its UCX layer is chosen) intercepts mmap,
  // munmap, madvise and brk to keep its memory registration cache current. Inside a JS engine, whose garbage
  // collector maps and returns memory from several threads, a 4-rank MPICH 4.0.2 / UCX 1.13 job crashed
  // (SIGSEGV in the collector, on an address in the C heap that was no longer mapped) in about 1 run of 15,
  // and in none of 180 with the hooks off. Without them UCX registers memory per transfer, which only costs
  // speed on RDMA networks. UCX reads this when it loads and when MPI starts; a value the user set wins.
  libc.setenvIfUnset?.("UCX_MEM_EVENTS", "no");
  const tried: string[] = [];
  for (const family of opts.families) {
    const abi = family === "openmpi" ? OPENMPI_ABI : MPICH_ABI;
    for (const path of opts.library ? [opts.library] : abi.libraries) {
      let lib: KoffiLibrary;
      try {
        // RTLD_GLOBAL: Open MPI's plugins (mca_*.so) resolve libmpi's symbols through the global namespace.
        lib = koffi.load(path, { global: true });
      } catch (e) {
        tried.push(`${path} (${(e as Error).message.split("\n")[0]})`);
        continue;
      }
      const isOpenMpi = hasSymbol(lib, OPENMPI_MARKER_SYMBOL);
      if (isOpenMpi !== (family === "openmpi")) {
        tried.push(`${path} (not ${family})`);
        continue;
      }
      return bind(lib, abi, path, libc.schedYield);
    }
  }
  throw new DistributedUnavailableError(
    `could not load the system MPI library; tried ${tried.join(", ")}. Install Open MPI or MPICH ` +
      "(e.g. `apt install openmpi-bin`), or name the library with `initialize(MPIBackend, { library: " +
      '"/path/to/libmpi.so" })` or FLUX_MPI_LIBRARY.',
  );
}

function hasSymbol(lib: KoffiLibrary, name: string): boolean {
  try {
    return lib.symbol(name) != null;
  } catch {
    return false;
  }
}

function bind(lib: KoffiLibrary, abi: MpiAbi, path: string, schedYield: (() => number) | null): MpiLibrary {
  const H = abi.handleType;
  const fn = (decl: string) => lib.func(decl);
  const initialized = fn("int MPI_Initialized(_Out_ int *flag)");
  const finalized = fn("int MPI_Finalized(_Out_ int *flag)");
  const init = fn("int MPI_Init(void *argc, void *argv)");
  const finalize = fn("int MPI_Finalize()");
  const commRank = fn(`int MPI_Comm_rank(${H} comm, _Out_ int *rank)`);
  const commSize = fn(`int MPI_Comm_size(${H} comm, _Out_ int *size)`);
  // The in-place forms pass MPI_IN_PLACE, a sentinel address (1 in Open MPI, -1 in MPICH), as an integer.
  const iallreduceInPlace = fn(
    `int MPI_Iallreduce(intptr_t send, void *recv, int count, ${H} dtype, ${H} op, ${H} comm, void *req)`,
  );
  const allreduceInPlace = fn(
    `int MPI_Allreduce(intptr_t send, void *recv, int count, ${H} dtype, ${H} op, ${H} comm)`,
  );
  const bcast = fn(`int MPI_Bcast(void *buf, int count, ${H} dtype, int root, ${H} comm)`);
  const reduce = fn(
    `int MPI_Reduce(void *send, void *recv, int count, ${H} dtype, ${H} op, int root, ${H} comm)`,
  );
  const reduceInPlace = fn(
    `int MPI_Reduce(intptr_t send, void *recv, int count, ${H} dtype, ${H} op, int root, ${H} comm)`,
  );
  const isend = fn(
    `int MPI_Isend(void *buf, int count, ${H} dtype, int dest, int tag, ${H} comm, void *req)`,
  );
  const irecv = fn(
    `int MPI_Irecv(void *buf, int count, ${H} dtype, int source, int tag, ${H} comm, void *req)`,
  );
  const test = fn("int MPI_Test(void *req, void *flag, void *status)");
  const abort = fn(`int MPI_Abort(${H} comm, int code)`);

  const handle = (spec: HandleSpec): unknown => ("value" in spec ? spec.value : lib.symbol(spec.symbol));
  const world = handle(abi.commWorld);
  const dtypes = Object.fromEntries(Object.entries(abi.datatypes).map(([k, v]) => [k, handle(v)])) as Record<
    CollectiveDtype,
    unknown
  >;
  const ops = Object.fromEntries(Object.entries(abi.ops).map(([k, v]) => [k, handle(v)])) as Record<
    WireOp,
    unknown
  >;
  const flag = new Int32Array(1);
  // MPI_Status is 24 bytes in Open MPI and 20 in MPICH; a roomy buffer serves both and avoids passing
  // the families' different MPI_STATUS_IGNORE sentinels.
  const status = new Uint8Array(64);

  const check = (what: string, rc: number) => {
    if (rc !== 0)
      throw new DistributedMpiError(
        `${what} returned MPI error code ${rc} (${abi.family}, ${path}). See the MPI output above.`,
      );
  };
  const out = (what: string, f: (...a: any[]) => number, ...args: unknown[]) => {
    const v = [0];
    check(what, f(...args, v));
    return v[0];
  };
  const request = (what: string, call: (req: BigUint64Array) => number): MpiRequest => {
    const req = new BigUint64Array(1);
    check(what, call(req));
    return { handle: req };
  };

  return {
    family: abi.family,
    path,
    isInitialized: () => out("MPI_Initialized", initialized) !== 0,
    isFinalized: () => out("MPI_Finalized", finalized) !== 0,
    init: () => check("MPI_Init", init(null, null)),
    finalize: () => check("MPI_Finalize", finalize()),
    commRank: () => out("MPI_Comm_rank", commRank, world),
    commSize: () => out("MPI_Comm_size", commSize, world),
    iallreduce: (buf, dtype, op) =>
      request("MPI_Iallreduce", (r) =>
        iallreduceInPlace(abi.inPlace, buf, buf.length, dtypes[dtype], ops[op], world, r),
      ),
    allreduce: (buf, dtype, op) =>
      check("MPI_Allreduce", allreduceInPlace(abi.inPlace, buf, buf.length, dtypes[dtype], ops[op], world)),
    bcast: (buf, dtype, root) => check("MPI_Bcast", bcast(buf, buf.length, dtypes[dtype], root, world)),
    reduce: (buf, dtype, op, root, isRoot) =>
      check(
        "MPI_Reduce",
        isRoot
          ? reduceInPlace(abi.inPlace, buf, buf.length, dtypes[dtype], ops[op], root, world)
          : reduce(buf, null, buf.length, dtypes[dtype], ops[op], root, world),
      ),
    isend: (buf, dest, tag) =>
      request("MPI_Isend", (r) => isend(buf, buf.length, dtypes.f64, dest, tag, world, r)),
    irecv: (buf, source, tag) =>
      request("MPI_Irecv", (r) => irecv(buf, buf.length, dtypes.f64, source, tag, world, r)),
    test: (req) => {
      flag[0] = 0;
      check("MPI_Test", test(req.handle, flag, status));
      return flag[0] !== 0;
    },
    yieldCore: () => {
      if (!schedYield) return false;
      schedYield();
      return true;
    },
    abort: (code) => {
      abort(world, code);
    },
  };
}
