// setGpuBackend and registerGpuBackend name a bad argument: a non-string name used to be stored and tried by
// every later selection (registerGpuBackend(3)), or to read as "setGpuBackend(undefined)" / a TypeError.
import { describe, expect, it } from "vitest";
import {
  DevicesError,
  InvalidBackendError,
  registerGpuBackend,
  setGpuBackend,
  supportedGpuBackends,
} from "./index.js";

describe("registerGpuBackend refuses what is not a backend name or provider", () => {
  it.each([
    ["a number", 3, /got number/],
    ["an empty string", "", /got ""/],
    ["a name with spaces", "my gpu", /got "my gpu"/],
    ["cpu", "cpu", /"cpu" is not a GPU backend/],
  ])("%s", (_what, name, message) => {
    const before = supportedGpuBackends();
    expect(() => registerGpuBackend(name as never)).toThrow(DevicesError);
    expect(() => registerGpuBackend(name as never)).toThrow(message);
    expect(supportedGpuBackends()).toEqual(before);
  });
  it("a provider that is not one", () => {
    expect(() => registerGpuBackend("badprov", {} as never)).toThrow(
      /provider must be a @flux\/kernels BackendProvider/,
    );
    expect(() => registerGpuBackend("badprov", (() => 0) as never)).toThrow(DevicesError);
    expect(supportedGpuBackends()).not.toContain("badprov");
  });
});

describe("setGpuBackend names a value that is neither a name nor a device", () => {
  it.each([
    ["a number", 3, /got number/],
    ["null", null, /got null/],
    ["an object", {}, /got object/],
  ])("%s", async (_what, value, message) => {
    const err = await setGpuBackend(value as never).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidBackendError);
    expect(err.message).toMatch(message);
  });
});
