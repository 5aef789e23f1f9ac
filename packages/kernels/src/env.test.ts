// The one environment reader: never needs a permission that was not granted, never prompts.
import { afterEach, describe, expect, it } from "vitest";
import { readEnv } from "./env.js";

const g = globalThis as { Deno?: unknown };
afterEach(() => {
  delete g.Deno;
  delete process.env.FLUX_TEST_ENV;
});

describe("readEnv", () => {
  it("reads process.env on Node and Bun; empty counts as unset", () => {
    process.env.FLUX_TEST_ENV = "1";
    expect(readEnv("FLUX_TEST_ENV")).toBe("1");
    process.env.FLUX_TEST_ENV = "";
    expect(readEnv("FLUX_TEST_ENV")).toBeUndefined();
    expect(readEnv("FLUX_TEST_ENV_NEVER_SET")).toBeUndefined();
  });

  it("asks Deno's permissions first (querySync never prompts) and reads only what was granted", () => {
    const asked: string[] = [];
    g.Deno = {
      permissions: {
        querySync: (d: { variable: string }) => {
          asked.push(d.variable);
          return { state: d.variable === "GRANTED" ? "granted" : "prompt" };
        },
      },
      env: {
        get: (name: string) => {
          if (name !== "GRANTED") throw new Error(`NotCapable: Requires env access to "${name}"`);
          return "yes";
        },
      },
    };
    expect(readEnv("GRANTED")).toBe("yes");
    expect(readEnv("FLUX_DEBUG_LEAKS")).toBeUndefined();
    expect(asked).toEqual(["GRANTED", "FLUX_DEBUG_LEAKS"]);
  });

  it("catches Deno's NotCapable where querySync is missing, and never falls back to a throwing process.env", () => {
    g.Deno = {
      env: {
        get: (name: string) => {
          throw new Error(`NotCapable: Requires env access to "${name}"`);
        },
      },
    };
    process.env.FLUX_TEST_ENV = "from-process";
    expect(readEnv("FLUX_TEST_ENV")).toBeUndefined();
  });
});
