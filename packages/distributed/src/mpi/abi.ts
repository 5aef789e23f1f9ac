// Open MPI and MPICH disagree on what an MPI handle is: Open MPI passes pointers to exported globals
// (`&ompi_mpi_comm_world`), MPICH (and its ABI family: Intel MPI, MVAPICH) passes fixed 32-bit integers.
// This table is the whole difference as far as we are concerned.
import type { CollectiveDtype } from "../buffers.js";
import type { WireOp } from "../transport.js";

/** An MPI implementation family with one C ABI. */
export type MpiFamily = "openmpi" | "mpich";

/** A handle as it is written in the table: a symbol to take the address of, or an integer constant. */
export type HandleSpec = { symbol: string } | { value: number };

/** The ABI facts of one family. */
export interface MpiAbi {
  family: MpiFamily;
  /** The C type a handle argument has in koffi's prototype syntax. */
  handleType: "void *" | "int";
  /** Library file names to try, most specific first. */
  libraries: readonly string[];
  commWorld: HandleSpec;
  /** MPI_IN_PLACE: the sentinel address passed as the send buffer of an in-place collective. */
  inPlace: number;
  datatypes: Record<CollectiveDtype, HandleSpec>;
  ops: Record<WireOp, HandleSpec>;
}

/** Open MPI (>= 1.7 for the nonblocking collectives we use). */
export const OPENMPI_ABI: MpiAbi = {
  family: "openmpi",
  handleType: "void *",
  libraries: ["libmpi.so.40", "libmpi.so.12", "libmpi.so", "libmpi.40.dylib", "libmpi.dylib"],
  commWorld: { symbol: "ompi_mpi_comm_world" },
  inPlace: 1,
  datatypes: {
    f32: { symbol: "ompi_mpi_float" },
    f64: { symbol: "ompi_mpi_double" },
    i32: { symbol: "ompi_mpi_int" },
    u32: { symbol: "ompi_mpi_unsigned" },
    u8: { symbol: "ompi_mpi_unsigned_char" },
  },
  ops: {
    sum: { symbol: "ompi_mpi_op_sum" },
    max: { symbol: "ompi_mpi_op_max" },
    min: { symbol: "ompi_mpi_op_min" },
  },
};

/** MPICH >= 3 (values from its mpi.h; shared by Intel MPI and MVAPICH). */
export const MPICH_ABI: MpiAbi = {
  family: "mpich",
  handleType: "int",
  libraries: ["libmpich.so.12", "libmpi.so.12", "libmpich.so", "libmpi.so", "libmpich.dylib", "libmpi.dylib"],
  commWorld: { value: 0x44000000 },
  inPlace: -1,
  datatypes: {
    f32: { value: 0x4c00040a },
    f64: { value: 0x4c00080b },
    i32: { value: 0x4c000405 },
    u32: { value: 0x4c000406 },
    u8: { value: 0x4c000102 },
  },
  ops: {
    sum: { value: 0x58000003 },
    max: { value: 0x58000001 },
    min: { value: 0x58000002 },
  },
};

/** The symbol whose presence in a loaded library says "this is Open MPI". */
export const OPENMPI_MARKER_SYMBOL = "ompi_mpi_comm_world";
