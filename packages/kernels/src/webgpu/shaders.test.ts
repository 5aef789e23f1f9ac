// Parses and reflects every variant of every WGSL kernel with wgsl_reflect: runs on machines without a GPU,
// so a syntax error or a binding mismatch is caught before any adapter sees the shader.
import { describe, expect, it } from "vitest";
import { SHADERS, type ShaderName } from "./generated/shaders.js";
import { renderShader, shaderVariants } from "./shaderSource.js";

// The package's "main" is CommonJS inside a "type": "module" package, so Node cannot load it; its ESM build
// is the module file (typed by the package's own declarations).
const esmBuild = "wgsl_reflect/wgsl_reflect.module.js";
const { WgslReflect } = (await import(/* @vite-ignore */ esmBuild)) as typeof import("wgsl_reflect");

const names = Object.keys(SHADERS) as ShaderName[];

describe("generated WGSL", () => {
  it("has every kernel the backend dispatches", () => {
    expect(names.length).toBeGreaterThanOrEqual(20);
  });
  for (const name of names) {
    it(`${name}: every variant parses, has one compute entry point "main" and binds a uniform at 0`, () => {
      for (const variant of shaderVariants(name)) {
        const code = renderShader(name, variant);
        expect(code, `${name} ${JSON.stringify(variant)} left a placeholder`).not.toMatch(/\{\{/);
        const r = new WgslReflect(code);
        expect(r.entry.compute.map((e) => e.name)).toEqual(["main"]);
        expect(r.uniforms.map((u) => [u.group, u.binding])).toEqual([[0, 0]]);
        expect(r.storage.length).toBeGreaterThanOrEqual(1);
      }
    });
  }
  it("rejects a value a shader does not declare", () => {
    expect(() => renderShader("unary", { dtype: "f64" })).toThrow(/not one of/);
  });
});
