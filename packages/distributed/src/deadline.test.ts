import { describe, expect, it } from "vitest";
import { DEFAULT_TIMEOUT_MS, resolveTimeout } from "./deadline.js";
import { DistributedArgumentError } from "./errors.js";
import { checkBackendOptions } from "./options.js";

describe("the collective deadline", () => {
  it("is 5 minutes unless told otherwise; Infinity waits forever", () => {
    expect(DEFAULT_TIMEOUT_MS).toBe(300_000);
    expect(resolveTimeout(undefined, "x")).toBe(300_000);
    expect(resolveTimeout(1500, "x")).toBe(1500);
    expect(resolveTimeout(Number.POSITIVE_INFINITY, "x")).toBe(Number.POSITIVE_INFINITY);
  });

  it("refuses what is not a positive number of milliseconds", () => {
    for (const bad of [0, -5, Number.NaN, "60s", null])
      expect(() => resolveTimeout(bad, "initialize(MPIBackend)")).toThrow(DistributedArgumentError);
    expect(() => resolveTimeout("60s", "initialize(MPIBackend)")).toThrow(
      /initialize\(MPIBackend\): timeoutMs must be a positive number/,
    );
  });
});

describe("backend options", () => {
  it("accepts the known keys of either backend (one script runs under both)", () => {
    expect(() =>
      checkBackendOptions({ timeoutMs: 1, library: "libmpi.so", abortOnUncaught: false, koffi: {} }, "x"),
    ).not.toThrow();
    expect(() => checkBackendOptions(undefined, "x")).not.toThrow();
  });

  it("refuses unknown keys by name, and gpuAware with the reason", () => {
    expect(() => checkBackendOptions({ timeout: 5 }, "initialize(ThreadsBackend)")).toThrow(
      /unknown option "timeout"; did you mean "timeoutMs"\? Known options: timeoutMs, library, koffi, abortOnUncaught\./,
    );
    expect(() => checkBackendOptions({ gpuAware: true }, "initialize(MPIBackend)")).toThrow(
      /gpuAware is not supported: WebGPU buffers cannot be handed to MPI/,
    );
    expect(() => checkBackendOptions(5, "x")).toThrow(DistributedArgumentError);
  });
});
