import { afterAll, describe, expect, it } from "vitest";
import { resolveVulkanEnv } from "./vulkan-env.mjs";

describe("resolveVulkanEnv", () => {
  it("respects a VK_ICD_FILENAMES the user set", () => {
    const { vars, reason } = resolveVulkanEnv({
      VK_ICD_FILENAMES: "/x/icd.json",
      XDG_RUNTIME_DIR: "/run/user/1",
    });
    expect(vars).toEqual({});
    expect(reason).toContain("/x/icd.json");
  });

  it("sets XDG_RUNTIME_DIR only when it is missing", () => {
    expect(resolveVulkanEnv({ VK_ICD_FILENAMES: "/x" }).vars).toEqual({ XDG_RUNTIME_DIR: "/tmp" });
  });
});

// Keeps Dawn's GPU object alive for the whole file: Dawn aborts the process if it is garbage-collected.
let gpu: { requestAdapter(): Promise<unknown> } | undefined;
afterAll(() => {
  gpu = undefined;
});

describe("WebGPU under the Vulkan env (npm test runs vitest with it)", () => {
  it("finds an adapter through the `webgpu` package", async (ctx) => {
    const name = "webgpu";
    let adapter: { info?: { vendor?: string; architecture?: string } } | null = null;
    let why = "";
    try {
      const mod = await import(/* @vite-ignore */ name);
      gpu = mod.create([]);
      adapter = (await gpu!.requestAdapter()) as typeof adapter;
      if (!adapter) why = "requestAdapter() returned null";
    } catch (e) {
      why = `the webgpu package did not load: ${(e as Error).message}`;
    }
    if (!adapter) {
      if (process.env.FLUX_REQUIRE_WEBGPU === "1") throw new Error(`FLUX_REQUIRE_WEBGPU=1 but ${why}`);
      ctx.skip(why);
    }
    expect(typeof adapter!.info?.vendor).toBe("string");
  });
});
