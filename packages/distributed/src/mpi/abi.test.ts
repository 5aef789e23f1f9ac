// Checks our hand-written handle tables against the installed mpi.h of each family. The tables are the only
// place the two ABIs differ for us, and a wrong constant does not fail loudly: it reduces the wrong type.
// Skipped where that family's headers are not installed (CI installs libopenmpi-dev and libmpich-dev).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CollectiveDtype } from "../buffers.js";
import type { WireOp } from "../transport.js";
import { type HandleSpec, MPICH_ABI, type MpiAbi, OPENMPI_ABI } from "./abi.js";

const C_NAMES: Record<CollectiveDtype | WireOp | "commWorld", string> = {
  commWorld: "MPI_COMM_WORLD",
  f32: "MPI_FLOAT",
  f64: "MPI_DOUBLE",
  i32: "MPI_INT",
  u32: "MPI_UNSIGNED",
  u8: "MPI_UNSIGNED_CHAR",
  sum: "MPI_SUM",
  max: "MPI_MAX",
  min: "MPI_MIN",
};

const firstExisting = (paths: string[]) => paths.find((p) => existsSync(p));
const MPICH_HEADER = firstExisting([
  "/usr/include/x86_64-linux-gnu/mpich/mpi.h",
  "/usr/include/aarch64-linux-gnu/mpich/mpi.h",
  "/usr/include/mpich/mpi.h",
]);
const OPENMPI_HEADER = firstExisting([
  "/usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h",
  "/usr/lib/aarch64-linux-gnu/openmpi/include/mpi.h",
  "/usr/include/openmpi-x86_64/mpi.h",
]);

function entries(abi: MpiAbi): [string, HandleSpec][] {
  return [["commWorld", abi.commWorld], ...Object.entries(abi.datatypes), ...Object.entries(abi.ops)];
}

/** The right-hand side of `#define NAME ...` in a header, or undefined. */
function defineOf(header: string, name: string): string | undefined {
  return new RegExp(`^#define\\s+${name}\\s+(.+)$`, "m").exec(header)?.[1]?.trim();
}

/** The integer in `#define MPI_IN_PLACE ((void *) 1)` / `(void *) -1`. */
function inPlaceOf(header: string): number {
  const define = defineOf(header, "MPI_IN_PLACE") ?? "";
  return Number(/\(\s*void\s*\*\s*\)\s*(-?\d+)/.exec(define)?.[1]);
}

describe("MPI handle tables agree with the installed headers", () => {
  it.skipIf(!MPICH_HEADER)(`MPICH: integer handles equal mpi.h's (${MPICH_HEADER})`, () => {
    const header = readFileSync(MPICH_HEADER!, "utf8");
    expect(header).toMatch(/typedef int MPI_Comm;/);
    expect(MPICH_ABI.handleType).toBe("int");
    for (const [key, spec] of entries(MPICH_ABI)) {
      const define = defineOf(header, C_NAMES[key as keyof typeof C_NAMES]);
      const hex = /0x[0-9a-fA-F]+/.exec(define ?? "")?.[0];
      expect({ key, value: "value" in spec ? spec.value : spec }).toEqual({ key, value: Number(hex) });
    }
    expect(MPICH_ABI.inPlace).toBe(inPlaceOf(header));
  });

  it.skipIf(!OPENMPI_HEADER)(`Open MPI: handles are the globals mpi.h names (${OPENMPI_HEADER})`, () => {
    const header = readFileSync(OPENMPI_HEADER!, "utf8");
    expect(OPENMPI_ABI.handleType).toBe("void *");
    for (const [key, spec] of entries(OPENMPI_ABI)) {
      const define = defineOf(header, C_NAMES[key as keyof typeof C_NAMES]);
      const symbol = /OMPI_PREDEFINED_GLOBAL\(\s*\w+\s*,\s*(\w+)\s*\)/.exec(define ?? "")?.[1];
      expect({ key, symbol: "symbol" in spec ? spec.symbol : spec }).toEqual({ key, symbol });
    }
    expect(OPENMPI_ABI.inPlace).toBe(inPlaceOf(header));
  });
});
