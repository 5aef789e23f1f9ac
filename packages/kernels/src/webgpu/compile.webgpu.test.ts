// Compiles every variant of every WGSL kernel on the real adapter (wgsl_reflect parses, but only the
// implementation validates types and constant expressions) and checks the compiler reports no error.
// f16 variants compile only on a device created with `shader-f16`; elsewhere (SwiftShader) they are
// covered by the wgsl_reflect test in shaders.test.ts only.
import { describe, expect, it } from "vitest";
import { getBackend } from "../registry.js";
import type { WebGPUBackend } from "./backend.js";
import { SHADERS, type ShaderName } from "./generated/shaders.js";
import { renderShader, shaderVariants } from "./shaderSource.js";
import { webgpuAvailableForTests } from "./testing.js";

const available = await webgpuAvailableForTests();

describe.skipIf(!available)("WGSL on the adapter", () => {
  it("every variant of every shader compiles without errors", async () => {
    const b = (await getBackend("webgpu")) as WebGPUBackend;
    const problems: string[] = [];
    const f16 = b.gpu.features.has("shader-f16");
    let compiled = 0;
    for (const name of Object.keys(SHADERS) as ShaderName[]) {
      for (const variant of shaderVariants(name)) {
        if (!f16 && Object.values(variant).includes("f16")) continue;
        compiled++;
        const module = b.gpu.createShaderModule({ code: renderShader(name, variant) });
        const info = await module.getCompilationInfo();
        for (const m of info.messages) {
          if (m.type === "error")
            problems.push(`${name} ${JSON.stringify(variant)} ${m.lineNum}: ${m.message}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(compiled).toBeGreaterThan(100);
  });
});
