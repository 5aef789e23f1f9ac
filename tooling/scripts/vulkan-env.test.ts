import { afterAll, describe, expect, it } from "vitest";
import { resolveVulkanEnv } from "./vulkan-env.mjs";
// The raw `webgpu` package, below kernels: only the env reading is shared with kernels' test gate.
import { webgpuRequired } from "../../packages/kernels/src/webgpu/testing.js";

describe("resolveVulkanEnv", () => {
  it("respects a VK_ICD_FILENAMES the user set", () => {
    const { vars, reason } = resolveVulkanEnv({
      VK_ICD_FILENAMES: "/x/icd.json",
      XDG_RUNTIME_DIR: "/run/user/1",
    });
    expect(vars).toEqual({});
    expect(reason).toContain("/x/icd.json");
  });

  it("allows software adapters (FLUX_ALLOW_SOFTWARE_GPU=1) when the driver it points at is SwiftShader", () => {
    const icd = "/usr/lib/chromium/vk_swiftshader_icd.json";
    expect(resolveVulkanEnv({ VK_ICD_FILENAMES: icd, XDG_RUNTIME_DIR: "/tmp" }).vars).toEqual({
      FLUX_ALLOW_SOFTWARE_GPU: "1",
    });
    // A value the user set wins.
    const mine = { VK_ICD_FILENAMES: icd, XDG_RUNTIME_DIR: "/tmp", FLUX_ALLOW_SOFTWARE_GPU: "0" };
    expect(resolveVulkanEnv(mine).vars).toEqual({});
    const chosen = resolveVulkanEnv({ XDG_RUNTIME_DIR: "/tmp", PATH: "/usr/bin" });
    if (chosen.vars.VK_ICD_FILENAMES?.includes("swiftshader"))
      expect(chosen.vars.FLUX_ALLOW_SOFTWARE_GPU).toBe("1");
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
      if (webgpuRequired()) throw new Error(`FLUX_REQUIRE_WEBGPU=1 but ${why}`);
      ctx.skip(why);
    }
    expect(typeof adapter!.info?.vendor).toBe("string");
  });
});
