import { describe, expect, it } from "vitest";
import { DistributedUnavailableError } from "../errors.js";
import { detectLauncher, familyOrder } from "./launcher.js";
import { checkLauncherAgrees } from "./mpiTransport.js";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

describe("launcher detection", () => {
  it("reads Open MPI's and MPICH's variables", () => {
    expect(detectLauncher(envOf({ OMPI_COMM_WORLD_SIZE: "4" }))).toEqual({
      family: "openmpi",
      worldSize: 4,
      variable: "OMPI_COMM_WORLD_SIZE",
    });
    expect(detectLauncher(envOf({ PMI_SIZE: "2" })).family).toBe("mpich");
    expect(detectLauncher(envOf({ MPI_LOCALNRANKS: "2" })).worldSize).toBeNull();
    expect(detectLauncher(envOf({})).family).toBeNull();
  });

  it("tries the launcher's family first, Open MPI by default", () => {
    expect(familyOrder(detectLauncher(envOf({ PMI_SIZE: "2" })))).toEqual(["mpich", "openmpi"]);
    expect(familyOrder(detectLauncher(envOf({})))).toEqual(["openmpi", "mpich"]);
  });

  it("refuses an Open MPI program that MPICH's launcher split into one-rank jobs", () => {
    const launcher = detectLauncher(envOf({ PMI_SIZE: "4" }));
    const lib = { family: "openmpi" as const, path: "libmpi.so.40" };
    expect(() => checkLauncherAgrees(launcher, lib, 1)).toThrow(DistributedUnavailableError);
    expect(() => checkLauncherAgrees(launcher, lib, 1)).toThrow(
      /1 rank\(s\) but the launcher set PMI_SIZE=4/,
    );
    expect(() => checkLauncherAgrees(launcher, lib, 4)).not.toThrow();
    expect(() => checkLauncherAgrees(detectLauncher(envOf({})), lib, 1)).not.toThrow();
  });
});
