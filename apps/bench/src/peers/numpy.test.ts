import { describe, expect, it } from "vitest";
import { numpyEnv } from "./numpy.mjs";

describe("numpyEnv", () => {
  it("drops the OpenBLAS overrides and keeps everything else", () => {
    const env = numpyEnv({
      OPENBLAS_CORETYPE: "Haswell",
      OPENBLAS_L2_SIZE: "1",
      OPENBLAS_NUM_THREADS: "2",
      PATH: "/bin",
    });
    expect(env).toEqual({ OPENBLAS_NUM_THREADS: "2", PATH: "/bin" });
  });
});
